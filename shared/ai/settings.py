"""Settings of the AI context: which generator runs, the OpenAI / Azure OpenAI endpoint, budgets."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AiProvider = Literal["auto", "local", "openai"]


class AiSettings(BaseSettings):
    """`AI_PROVIDER=auto` picks `openai` when a key or an Azure endpoint is set, else `local`."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    ai_provider: AiProvider = Field(default="auto", alias="AI_PROVIDER")
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    azure_openai_endpoint: str | None = Field(default=None, alias="AZURE_OPENAI_ENDPOINT")
    azure_openai_deployment: str | None = Field(default=None, alias="AZURE_OPENAI_DEPLOYMENT")
    azure_openai_api_version: str = Field(default="2024-10-21", alias="AZURE_OPENAI_API_VERSION")
    ai_model: str = Field(default="gpt-4o-mini", alias="AI_MODEL")
    ai_chunk_tokens: int = Field(default=6000, alias="AI_CHUNK_TOKENS", ge=200)
    ai_document_token_budget: int = Field(default=120_000, alias="AI_DOCUMENT_TOKEN_BUDGET", ge=1000)
    ai_max_output_tokens: int = Field(default=4000, alias="AI_MAX_OUTPUT_TOKENS", ge=256)
    ai_parallel_requests: int = Field(default=3, alias="AI_PARALLEL_REQUESTS", ge=1, le=8)
    ai_max_retries: int = Field(default=4, alias="AI_MAX_RETRIES", ge=0, le=10)
    ai_invalid_output_retries: int = Field(default=2, alias="AI_INVALID_OUTPUT_RETRIES", ge=0, le=5)
    ai_backoff_base_seconds: float = Field(default=1.0, alias="AI_BACKOFF_BASE_SECONDS", ge=0)
    ai_backoff_max_seconds: float = Field(default=30.0, alias="AI_BACKOFF_MAX_SECONDS", ge=0)
    ai_start_per_minute: int = Field(default=20, alias="AI_START_PER_MINUTE", ge=1)
    ai_timeout_seconds: float = Field(default=60.0, alias="AI_TIMEOUT_SECONDS", gt=0)

    @property
    def ai_uses_openai(self) -> bool:
        if self.ai_provider == "auto":
            return self.openai_api_key is not None or bool(self.azure_openai_endpoint)
        return self.ai_provider == "openai"

    @model_validator(mode="after")
    def _check_ai(self) -> Self:
        if self.ai_provider == "openai" and self.openai_api_key is None and not self.azure_openai_endpoint:
            raise ValueError("AI_PROVIDER=openai needs OPENAI_API_KEY or AZURE_OPENAI_ENDPOINT (Entra ID)")
        if self.ai_document_token_budget < self.ai_chunk_tokens + self.ai_max_output_tokens:
            raise ValueError(
                "AI_DOCUMENT_TOKEN_BUDGET must cover at least one request (AI_CHUNK_TOKENS + AI_MAX_OUTPUT_TOKENS)"
            )
        return self
