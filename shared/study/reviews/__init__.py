"""Reviews: FSRS scheduling, review items kept in step with the generated cards, the Anki export."""
