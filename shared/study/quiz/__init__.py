"""Quizzes: questions from the caller's cards (local or OpenAI), graded on the server."""
