"""The generator is chosen by settings, and the OpenAI clients are built from them (no request made)."""

from __future__ import annotations

import pytest
from openai import AzureOpenAI, OpenAI
from pydantic import ValidationError

from shared.ai.adapters.openai_chat import build_chat
from shared.ai.build import build_generator
from shared.ai.llm.generator import OpenAiGenerator
from shared.ai.local.generator import LocalGenerator
from shared.container import Container
from shared.settings import Settings


def _settings(**values: object) -> Settings:
    return Settings.model_validate({"APP_ENV": "test", **values})


def test_no_key_means_the_local_generator() -> None:
    assert isinstance(build_generator(_settings()), LocalGenerator)
    assert isinstance(build_generator(_settings(AI_PROVIDER="local", OPENAI_API_KEY="sk-x")), LocalGenerator)


def test_a_key_or_an_azure_endpoint_means_the_openai_adapter() -> None:
    by_key = build_generator(_settings(OPENAI_API_KEY="sk-x"))
    assert isinstance(by_key, OpenAiGenerator) and by_key.name == "gpt-4o-mini"
    azure = build_generator(
        _settings(AZURE_OPENAI_ENDPOINT="https://x.openai.azure.com", AZURE_OPENAI_DEPLOYMENT="aids")
    )
    assert isinstance(azure, OpenAiGenerator) and azure.name == "aids"


def test_clients_have_the_sdk_retries_off() -> None:
    plain = build_chat(_settings(OPENAI_API_KEY="sk-x", OPENAI_BASE_URL="http://127.0.0.1:9/v1"))
    assert isinstance(plain.client, OpenAI) and not isinstance(plain.client, AzureOpenAI)
    assert plain.client.max_retries == 0 and str(plain.client.base_url) == "http://127.0.0.1:9/v1/"


def test_azure_without_a_key_uses_an_entra_id_token_provider() -> None:
    chat = build_chat(_settings(AZURE_OPENAI_ENDPOINT="https://x.openai.azure.com", AZURE_OPENAI_DEPLOYMENT="aids"))
    assert isinstance(chat.client, AzureOpenAI) and chat.client.max_retries == 0
    # No key: every request asks the provider for a token (the SDK keeps it privately).
    assert callable(vars(chat.client)["_azure_ad_token_provider"])


def test_impossible_ai_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="needs OPENAI_API_KEY"):
        _settings(AI_PROVIDER="openai")
    with pytest.raises(ValidationError, match="must cover at least one request"):
        _settings(AI_CHUNK_TOKENS=8000, AI_DOCUMENT_TOKEN_BUDGET=9000)


def test_the_container_builds_each_ai_client_once() -> None:
    container = Container(_settings(OPENAI_API_KEY="sk-x"))
    assert isinstance(container.generator, OpenAiGenerator) and container.generator is container.generator
    assert container.chat is not None and container.chat is container.chat
    assert container.embedder is None  # no embeddings deployment: retrieval stays full text


def test_the_local_container_has_no_chat_client() -> None:
    container = Container(_settings())
    assert isinstance(container.generator, LocalGenerator)
    assert container.chat is None
