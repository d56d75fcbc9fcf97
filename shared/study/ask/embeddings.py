"""The embeddings port and its Azure OpenAI adapter (used only where a deployment is configured).

Passages retrieved by full text are reranked by cosine similarity to the question. A passage's
vector is computed the first time it is retrieved and kept in `passage_embeddings`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Protocol

from shared.ai.adapters.retry import RetryPolicy, call_with_retries
from shared.settings import Settings

if TYPE_CHECKING:  # the SDK is imported only where embeddings are configured
    from openai import AzureOpenAI


class Embedder(Protocol):
    model: str

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in order; raises the provider's errors (mapped by `shared.ai.adapters.retry`)."""
        ...


class AzureEmbedder:
    def __init__(self, client: AzureOpenAI, *, deployment: str, retry: RetryPolicy) -> None:
        self.client = client
        self.model = deployment
        self.retry = retry

    def embed(self, texts: list[str]) -> list[list[float]]:
        response, _ = call_with_retries(
            lambda: self.client.embeddings.create(model=self.model, input=texts), policy=self.retry
        )
        return [list(item.embedding) for item in sorted(response.data, key=lambda item: item.index)]


def build_embedder(settings: Settings) -> AzureEmbedder | None:
    deployment = settings.azure_openai_embedding_deployment
    if not deployment or not settings.azure_openai_endpoint:
        return None
    from openai import AzureOpenAI

    common: dict[str, Any] = {
        "azure_endpoint": settings.azure_openai_endpoint,
        "api_version": settings.azure_openai_api_version,
        "max_retries": 0,
        "timeout": settings.ai_timeout_seconds,
    }
    key = settings.openai_api_key
    if key is not None:
        client = AzureOpenAI(api_key=key.get_secret_value(), **common)
    else:  # Entra ID: managed identity in Azure, developer sign-in locally
        from azure.identity import DefaultAzureCredential, get_bearer_token_provider

        from shared.ai.adapters.openai_chat import AZURE_SCOPE

        provider = get_bearer_token_provider(DefaultAzureCredential(), AZURE_SCOPE)
        client = AzureOpenAI(azure_ad_token_provider=provider, **common)
    retry = RetryPolicy(settings.ai_max_retries, settings.ai_backoff_base_seconds, settings.ai_backoff_max_seconds)
    return AzureEmbedder(client, deployment=deployment, retry=retry)


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
