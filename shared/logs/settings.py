"""Settings of the logs context: retention, partitions ahead, the operator key, ingest caps."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class LogsSettings(BaseSettings):
    log_retention_days: int = Field(default=90, alias="LOG_RETENTION_DAYS", ge=7)
    log_partitions_ahead_weeks: int = Field(default=4, alias="LOG_PARTITIONS_AHEAD_WEEKS", ge=1, le=52)
    ops_api_key: SecretStr | None = Field(default=None, alias="OPS_API_KEY")
    log_ingest_max_entries: int = Field(default=500, alias="LOG_INGEST_MAX_ENTRIES", ge=1)
    log_ingest_max_bytes: int = Field(default=1_048_576, alias="LOG_INGEST_MAX_BYTES", ge=1024)
    #: Ship this process's own log records into the `logs` table (batched, in the background).
    log_sink_db: bool = Field(default=True, alias="LOG_SINK_DB")
    log_sink_level: str = Field(default="INFO", alias="LOG_SINK_LEVEL")
