"""Upload a corpus PDF through the API; the real ingest, AI and media drains end with playable media."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.workers import run_drain
from tests.conftest import FROM_APP
from tests.support.documents_files import lecture_pdf
from tests.support.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_uploaded_document_ends_with_video_thumbnail_captions_and_audio(
    client: TestClient, container: Container, tmp_path: Path
) -> None:
    user = make_user(container)
    headers = {"Cookie": f"{SESSION_COOKIE}={user.token}", **FROM_APP}
    name = "lecture.pdf"
    files = {"file": (name, lecture_pdf(6), "application/pdf")}
    created = client.post("/v1/documents/upload", files=files, data={"title": name}, headers=headers)
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]
    assert run_drain(container, "ingest.request", budget_s=2).acked >= 1
    assert run_drain(container, "ai.request", budget_s=1).acked >= 1
    assert run_drain(container, "media.request", budget_s=5).acked >= 1

    media = client.get(f"/v1/media/{doc_id}", headers=headers).json()
    assert media["status"] == "done", media
    video = tmp_path / "video.mp4"
    video.write_bytes(httpx.get(media["video"]["url"]).content)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(video)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    assert sorted(s["codec_name"] for s in info["streams"]) == ["aac", "h264"]
    assert abs(float(info["format"]["duration"]) - media["duration_ms"] / 1000) <= 0.2
    assert httpx.get(media["video"]["thumbnail_url"]).content[:3] == b"\xff\xd8\xff"
    assert httpx.get(media["captions"]["url"]).text.startswith("WEBVTT")
    assert httpx.get(media["audio"]["url"]).headers["content-type"] == "audio/mp4"
