"""Settings of the study context: the limit on its AI routes and when the daily digest goes out."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class StudyLimits(BaseSettings):
    #: Quizzes made and questions asked per user and minute (each may be an LLM request).
    study_ai_per_minute: int = Field(default=20, alias="STUDY_AI_PER_MINUTE", ge=1)
    #: The local hour (the student's time zone) from which the day's digest may be sent.
    study_digest_hour: int = Field(default=7, alias="STUDY_DIGEST_HOUR", ge=0, le=23)
    #: An Azure OpenAI embeddings deployment: `POST /v1/ask` then reranks full-text passages by
    #: meaning. Unset (the default), retrieval is full text only.
    azure_openai_embedding_deployment: str | None = Field(default=None, alias="AZURE_OPENAI_EMBEDDING_DEPLOYMENT")
