"""The specification's setting names work: SMTP_PASS, FFMPEG_PATH, AZURE_STORAGE_CONNECTION_STRING."""

from __future__ import annotations

from pathlib import Path

import ffmpeg
import pytest
from pydantic import AliasChoices
from pydantic.fields import FieldInfo

from shared.media.service import video_shape
from shared.media.video.ffmpeg_run import FfmpegFailed, run
from shared.settings import Settings, load_settings


def test_smtp_pass_is_the_smtp_password_and_our_name_still_answers() -> None:
    spec = load_settings({"SMTP_USER": "mailer", "SMTP_PASS": "s3cret-from-spec"})
    ours = load_settings({"SMTP_USER": "mailer", "SMTP_PASSWORD": "s3cret-ours"})
    assert spec.smtp_password is not None and spec.smtp_password.get_secret_value() == "s3cret-from-spec"
    assert ours.smtp_password is not None and ours.smtp_password.get_secret_value() == "s3cret-ours"


def test_azure_storage_connection_string_is_read_under_its_specification_name() -> None:
    value = "UseDevelopmentStorage=true"
    settings = load_settings({"AZURE_STORAGE_CONNECTION_STRING": value})
    assert settings.azure_storage_connection_string is not None
    assert settings.azure_storage_connection_string.get_secret_value() == value


def test_ffmpeg_path_names_the_executable_the_media_stage_runs(tmp_path: Path) -> None:
    missing = tmp_path / "no-ffmpeg-here"
    shape = video_shape(load_settings({"FFMPEG_PATH": str(missing)}))
    assert shape.ffmpeg == str(missing)
    graph = ffmpeg.input("anullsrc", f="lavfi", t=0.1).output(str(tmp_path / "out.wav"))
    with pytest.raises(FfmpegFailed, match=str(missing)):
        run(graph, timeout_s=10, executable=shape.ffmpeg)
    run(graph, timeout_s=10)  # the default finds ffmpeg on PATH
    assert (tmp_path / "out.wav").stat().st_size > 0


SPEC_SETTINGS = (
    "POSTGRES_URL REDIS_URL AZURE_STORAGE_CONNECTION_STRING LOG_LEVEL JWT_SECRET GOOGLE_CLIENT_ID "
    "GOOGLE_CLIENT_SECRET CANVAS_BASE_URL CANVAS_CLIENT_ID CANVAS_CLIENT_SECRET OPENAI_API_KEY TTS_PROVIDER "
    "FFMPEG_PATH SMTP_HOST SMTP_USER SMTP_PASS"
).split()


def _names(field: FieldInfo) -> set[str]:
    names = {field.alias} if isinstance(field.alias, str) else set()
    if isinstance(field.validation_alias, AliasChoices):
        names |= {choice for choice in field.validation_alias.choices if isinstance(choice, str)}
    return names


def test_every_setting_the_specification_names_is_read() -> None:
    read = set().union(*(_names(field) for field in Settings.model_fields.values()))
    assert set(SPEC_SETTINGS) - read == set()
