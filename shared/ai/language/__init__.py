"""Language checks both generators share: sentences, statements, finite verbs, grounding."""
