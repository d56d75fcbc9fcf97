"""The LLM generator: chunk a document, ask the model per chunk, validate and verify, then merge
(`generator.OpenAiGenerator`)."""
