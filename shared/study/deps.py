"""What the study routes share: the per-user limit on AI work and the chat client when configured."""

from __future__ import annotations

import uuid
import weakref

from shared.ai.chat import ChatClient
from shared.ai.retry import RetryPolicy
from shared.container import Container
from shared.study.ask.embeddings import Embedder, build_embedder

ChatSetup = tuple[ChatClient, str, RetryPolicy]
_embedders: weakref.WeakKeyDictionary[Container, Embedder | None] = weakref.WeakKeyDictionary()
_chats: weakref.WeakKeyDictionary[Container, ChatClient] = weakref.WeakKeyDictionary()


def throttle_ai(container: Container, user_id: uuid.UUID, *, what: str) -> None:
    """Quizzes and questions may each cost an LLM request: limited per user and minute, like generation."""
    settings = container.settings
    container.throttle.hit(f"study-ai:{user_id}", limit=settings.study_ai_per_minute, window_s=60, what=what)


def chat_for(container: Container) -> ChatSetup | None:
    """The OpenAI / Azure OpenAI chat client, model label and retry policy; None with the local generator."""
    settings = container.settings
    if not settings.ai_uses_openai:
        return None
    from shared.ai.openai_chat import build_chat, model_label

    if container not in _chats:
        _chats[container] = build_chat(settings)
    retry = RetryPolicy(
        max_retries=settings.ai_max_retries,
        base_s=settings.ai_backoff_base_seconds,
        max_s=settings.ai_backoff_max_seconds,
    )
    return _chats[container], model_label(settings), retry


def embedder_for(container: Container) -> Embedder | None:
    """The Azure OpenAI embeddings adapter where a deployment is configured; None keeps retrieval full text."""
    if container not in _embedders:
        _embedders[container] = build_embedder(container.settings)
    return _embedders[container]
