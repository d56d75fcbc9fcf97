"""The study loop: reviews, Anki export, quizzes, the plan against due dates, answers from the material."""
