"""The media stage end to end on real Postgres, Redis and Azurite, through the real drain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.container import Container
from shared.media import store
from shared.media.adapters import Speech, TtsFailed
from shared.media.adapters.espeak import EspeakTts
from shared.media.narrate import narrate
from shared.media.stage import handle_media_request
from shared.media.video.encode import VideoShape
from shared.platform.blobs import BlobInfo, BlobStore
from shared.platform.blobs import Container as BlobContainer
from shared.platform.errors import Unavailable
from shared.platform.stages import stages_of
from shared.workers import run_drain
from tests.support.media_docs import make_document, media_request
from tests.support.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def container(container: Container) -> Iterator[Container]:
    """The session's database and services, with streams of its own: these tests count what a
    drain acknowledged, so entries other tests left on `media.request` must not be in them."""
    fresh = {"stream_prefix": f"media{uuid.uuid4().hex[:8]}:", "stream_visibility_timeout_ms": 1000}
    own = Container(container.settings.model_copy(update=fresh))
    try:
        yield own
    finally:
        keys = list(own.redis.scan_iter(match=f"{own.settings.stream_prefix}*", count=500))
        if keys:
            own.redis.delete(*keys)
        own.close()


def media_blobs(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID) -> set[str]:
    return {b.path for b in container.blobs.list(container="media", prefix=f"{user_id}/{doc_id}/")}


def media_stage(container: Container, doc_id: uuid.UUID) -> tuple[str, str | None, str | None]:
    with container.db.connection() as conn:
        state = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == "media")
    return state.status, state.error_code, state.error_message


def assets(container: Container, doc_id: uuid.UUID) -> list[store.MediaAsset]:
    with container.db.connection() as conn:
        return store.narration_assets(conn, doc_id=doc_id)


def add_ingestion_image(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    """What the ingestion stage writes for an extracted image: a blob and a row of kind image."""
    path = f"{user_id}/{doc_id}/{uuid.uuid4()}.png"
    container.blobs.put(container="media", path=path, data=b"\x89PNG fake", content_type="image/png")
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO media_assets (id, document_id, user_id, kind, blob_url) VALUES (%s, %s, %s, 'image', %s)",
            (uuid.uuid4(), doc_id, user_id, f"media/{path}"),
        )
    return path


def test_drain_produces_video_audio_captions_and_a_rerun_replaces_them(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    image = add_ingestion_image(container, user.user_id, doc_id)

    container.publisher.publish(media_request(user.user_id, doc_id))
    report = run_drain(container, "media.request", budget_s=3)
    assert (report.acked, report.dead, report.retried) == (1, 0, 0)
    assert media_stage(container, doc_id) == ("done", None, None)
    first = assets(container, doc_id)
    assert sorted(a.kind for a in first) == ["audio", "captions", "video"]
    video = next(a for a in first if a.kind == "video")
    assert video.thumbnail_url == f"media/{user.user_id}/{doc_id}/thumb_{video.id}.jpg"
    assert video.duration_ms and video.duration_ms > 3000
    expected = {a.blob_url.removeprefix("media/") for a in first} | {video.thumbnail_url.removeprefix("media/")}
    assert media_blobs(container, user.user_id, doc_id) == expected | {image}

    container.publisher.publish(media_request(user.user_id, doc_id, count=2))
    assert run_drain(container, "media.request", budget_s=3).acked == 1
    second = assets(container, doc_id)
    assert len(second) == 3 and not {a.id for a in first} & {a.id for a in second}
    new_video = next(a for a in second if a.kind == "video")
    assert new_video.thumbnail_url
    kept = {a.blob_url.removeprefix("media/") for a in second} | {new_video.thumbnail_url.removeprefix("media/")}
    assert media_blobs(container, user.user_id, doc_id) == kept | {image}  # no orphans; ingestion's image stays
    with container.db.connection() as conn:
        kinds = conn.execute("SELECT kind FROM media_assets WHERE document_id = %s", (doc_id,)).fetchall()
    assert sorted(k for (k,) in kinds) == ["audio", "captions", "image", "video"]


def test_redelivered_message_is_not_produced_twice(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    request = media_request(user.user_id, doc_id, count=1)
    container.publisher.publish(request)
    container.publisher.publish(request)
    acked = 0
    for _ in range(10):  # two at once: one produces, the other waits for its claim and then finds it done
        acked += run_drain(container, "media.request", budget_s=3).acked
        if acked == 2:
            break
    assert acked == 2
    assert len(assets(container, doc_id)) == 3
    assert len(media_blobs(container, user.user_id, doc_id)) == 4
    assert media_stage(container, doc_id) == ("done", None, None)


class FailingAfter:
    """A real blob store that fails on the n-th write, as a storage outage mid-upload would."""

    def __init__(self, inner: BlobStore, *, fail_on: int) -> None:
        self.inner, self.fail_on, self.puts = inner, fail_on, 0

    def put(self, *, container: BlobContainer, path: str, data: bytes, content_type: str) -> BlobInfo:
        self.puts += 1
        if self.puts == self.fail_on:
            raise ConnectionError("storage went away")
        return self.inner.put(container=container, path=path, data=data, content_type=content_type)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_failure_midway_leaves_no_partial_assets(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    container.publisher.publish(media_request(user.user_id, doc_id))
    run_drain(container, "media.request", budget_s=3)
    before = (assets(container, doc_id), media_blobs(container, user.user_id, doc_id))

    failing = FailingAfter(container.blobs, fail_on=3)
    shape = VideoShape(width=640, height=360, fps=5, crf=35, preset="ultrafast", audio_bitrate="48k", timeout_s=60)
    with pytest.raises(ConnectionError):
        narrate(request=media_request(user.user_id, doc_id), db=container.db, blobs=failing,  # type: ignore[arg-type]
                tts=EspeakTts(), shape=shape, lease_s=120)  # fmt: skip
    assert failing.puts == 3
    assert (assets(container, doc_id), media_blobs(container, user.user_id, doc_id)) == before


def test_ffmpeg_failure_fails_the_stage_with_ffmpegs_message(container: Container) -> None:
    settings = container.settings.model_copy(update={"video_preset": "no-such-preset"})
    broken = Container(settings)
    try:
        user = make_user(broken)
        doc_id = make_document(broken, user.user_id)
        broken.publisher.publish(media_request(user.user_id, doc_id, count=1))
        report = run_drain(broken, "media.request", budget_s=3)
        assert (report.acked, report.dead) == (0, 1)
        status, code, message = media_stage(broken, doc_id)
        assert (status, code) == ("failed", "FFMPEG_FAILED")
        assert message and "no-such-preset" in message
        assert assets(broken, doc_id) == [] and media_blobs(broken, user.user_id, doc_id) == set()
    finally:
        broken.close()


class SpeaksOnce:
    """espeak-ng for the first slide, then an outage: the second narration fails."""

    name = "espeak-then-outage"

    def __init__(self) -> None:
        self.calls = 0

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        self.calls += 1
        if self.calls > 1:
            raise TtsFailed("speech service timed out", transient=True)
        return EspeakTts().synthesize(text=text, out_path=out_path)


def test_tts_outage_fails_the_stage_retryably_and_keeps_the_previous_media(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    container.publisher.publish(media_request(user.user_id, doc_id, count=1))
    run_drain(container, "media.request", budget_s=3)
    before = (assets(container, doc_id), media_blobs(container, user.user_id, doc_id))

    with pytest.raises(Unavailable, match="timed out"):
        handle_media_request(container, media_request(user.user_id, doc_id), tts=SpeaksOnce())
    assert media_stage(container, doc_id) == ("failed", "TTS_FAILED", "speech service timed out")
    assert (assets(container, doc_id), media_blobs(container, user.user_id, doc_id)) == before
