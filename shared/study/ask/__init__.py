"""Answers from the caller's own material: retrieval, extractive and grounded answers, embeddings."""
