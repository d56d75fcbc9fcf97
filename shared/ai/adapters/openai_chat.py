"""The `ChatClient` adapter over the `openai` SDK (OpenAI or Azure OpenAI), built from settings.

The SDK's own retries are off (`max_retries=0`): `shared.ai.adapters.retry` owns them, so backoff,
`Retry-After` and the retry budget are counted in one place.
"""

from __future__ import annotations

from typing import Any, cast

from openai import AzureOpenAI, OpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat

from shared.ai.adapters import Completion
from shared.ai.settings import AiSettings

AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"


class OpenAiChat:
    def __init__(self, client: OpenAI, *, model: str) -> None:
        self.client = client
        self.model = model

    def complete(
        self, *, messages: list[dict[str, str]], response_format: dict[str, Any], max_tokens: int
    ) -> Completion:
        response = self.client.chat.completions.create(
            model=self.model,
            messages=[cast(ChatCompletionMessageParam, message) for message in messages],
            response_format=cast(ResponseFormat, response_format),
            max_completion_tokens=max_tokens,
            temperature=0.2,
        )
        choice = response.choices[0]
        usage = response.usage
        return Completion(
            content=choice.message.content,
            refusal=choice.message.refusal,
            finish_reason=choice.finish_reason,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )


def model_label(settings: AiSettings) -> str:
    """What every generated item records as its generator: the model (or Azure deployment)."""
    if settings.azure_openai_endpoint and settings.azure_openai_deployment:
        return settings.azure_openai_deployment
    return settings.ai_model


def build_chat(settings: AiSettings) -> OpenAiChat:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    timeout = settings.ai_timeout_seconds
    if settings.azure_openai_endpoint:
        client: OpenAI = _azure_client(settings, key=key, timeout=timeout)
    else:
        client = OpenAI(api_key=key, base_url=settings.openai_base_url, max_retries=0, timeout=timeout)
    return OpenAiChat(client, model=model_label(settings))


def _azure_client(settings: AiSettings, *, key: str | None, timeout: float) -> AzureOpenAI:
    common: dict[str, Any] = {
        "azure_endpoint": settings.azure_openai_endpoint,
        "azure_deployment": settings.azure_openai_deployment,
        "api_version": settings.azure_openai_api_version,
        "max_retries": 0,
        "timeout": timeout,
    }
    if key is not None:
        return AzureOpenAI(api_key=key, **common)
    # No key: Entra ID (managed identity in Azure, developer sign-in locally).
    from azure.identity import DefaultAzureCredential, get_bearer_token_provider

    provider = get_bearer_token_provider(DefaultAzureCredential(), AZURE_SCOPE)
    return AzureOpenAI(azure_ad_token_provider=provider, **common)
