"""Choose and build the generator from settings (never by detecting tests): local or `llm` adapters."""

from __future__ import annotations

from shared.ai.adapters import Generator
from shared.ai.local.generator import LocalGenerator
from shared.ai.settings import AiSettings


def build_generator(settings: AiSettings) -> Generator:
    if not settings.ai_uses_openai:
        return LocalGenerator()
    from shared.ai.adapters.openai_chat import build_chat, model_label
    from shared.ai.adapters.retry import RetryPolicy
    from shared.ai.llm.generator import OpenAiGenerator

    return OpenAiGenerator(
        chat=build_chat(settings),
        model=model_label(settings),
        chunk_tokens=settings.ai_chunk_tokens,
        document_budget=settings.ai_document_token_budget,
        max_output_tokens=settings.ai_max_output_tokens,
        invalid_retries=settings.ai_invalid_output_retries,
        parallel=settings.ai_parallel_requests,
        retry=RetryPolicy(
            max_retries=settings.ai_max_retries,
            base_s=settings.ai_backoff_base_seconds,
            max_s=settings.ai_backoff_max_seconds,
        ),
    )
