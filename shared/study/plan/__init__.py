"""The study plan against Canvas due dates, the study settings and the daily digest."""
