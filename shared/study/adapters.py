"""What the study use cases take from the AI context's adapters: the chat client with its model
label and retry policy (`ChatSetup`), built once per container from settings. The embeddings
adapter lives beside its port in `ask/embeddings.py`."""

from __future__ import annotations

from shared.ai.adapters import ChatClient
from shared.ai.adapters.retry import RetryPolicy
from shared.ai.settings import AiSettings

ChatSetup = tuple[ChatClient, str, RetryPolicy]


def build_chat_setup(settings: AiSettings) -> ChatSetup | None:
    """The OpenAI / Azure OpenAI chat client, model label and retry policy; None with the local generator."""
    if not settings.ai_uses_openai:
        return None
    from shared.ai.adapters.openai_chat import build_chat, model_label

    retry = RetryPolicy(
        max_retries=settings.ai_max_retries,
        base_s=settings.ai_backoff_base_seconds,
        max_s=settings.ai_backoff_max_seconds,
    )
    return build_chat(settings), model_label(settings), retry
