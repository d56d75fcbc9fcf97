"""Spend limits: daily and monthly quotas per user for the paid or abusable resources."""
