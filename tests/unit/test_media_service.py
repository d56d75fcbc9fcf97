"""The media use cases with fakes: what a run publishes and records, and how each failure ends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.container import Container
from shared.media.adapters import TtsFailed
from shared.media.adapters.azure import AzureSpeechTts
from shared.media.adapters.espeak import EspeakTts
from shared.media.contracts import MediaRequest, MediaResult, MediaStarted
from shared.media.errors import MediaBusy, MediaFailed
from shared.media.narrate import Duplicate
from shared.media.service import narrate_request, slides_path, start_media
from shared.media.settings import MediaSettings
from shared.media.video.ffmpeg_run import FfmpegFailed
from shared.platform.blobs_memory import MemoryBlobStore
from shared.platform.clock import FixedClock
from shared.platform.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    QuotaExceeded,
    RateLimited,
    Unavailable,
)
from shared.platform.streams import MemoryPublisher
from shared.quota.service import QuotaGate
from shared.quota.settings import QuotaSettings
from shared.settings import Settings
from tests.support.fakes import MemoryThrottle, fixed_clock
from tests.support.fakes_media import FakeTts, FixedCredential, MemoryMediaRecords, ScriptedNarrator
from tests.support.fakes_quota import MemoryUsageCounters
from tests.support.media_docs import media_request, slides_markdown

USER, OTHER, DOC = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=10)


class Run:
    """One `narrate_request` call's ports, all in memory."""

    def __init__(self, tmp_path: Path, *, speech_daily: int = 3_600) -> None:
        self.records = MemoryMediaRecords()
        self.records.owners[DOC] = USER
        self.publisher = MemoryPublisher()
        self.tts = FakeTts()
        self.narrator = ScriptedNarrator(tmp_path)
        self.counters = MemoryUsageCounters()
        settings = QuotaSettings.model_validate({"QUOTA_SPEECH_SECONDS_DAILY": speech_daily})
        clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        self.quota = QuotaGate(counters=self.counters, settings=settings, clock=clock)

    def __call__(self, request: MediaRequest, *, max_slides: int = 60) -> None:
        narrate_request(
            request=request,
            records=self.records,
            narrate=self.narrator,
            tts=self.tts,
            quota=self.quota,
            publisher=self.publisher,
            max_slides=max_slides,
        )

    def results(self) -> list[MediaResult]:
        return [m for m in self.publisher.published if isinstance(m, MediaResult)]

    def stages(self) -> list[tuple[str, str | None]]:
        return [(status, code) for status, code in self.records.stages.get(DOC, [])]

    def speech_seconds(self) -> int:
        return sum(amount for (_, metric, period, _), amount in self.counters.amounts.items() if period == "day")


def fails_with(exc: Exception) -> ScriptedNarrator:
    def outcome() -> Duplicate | None:
        raise exc

    return ScriptedNarrator(Path("."), outcome)


def test_a_run_speaks_every_slide_publishes_its_assets_and_counts_the_seconds(tmp_path: Path) -> None:
    run = Run(tmp_path)
    request = media_request(USER, DOC, count=3)

    run(request)

    assert run.tts.spoken == [slide.narration for slide in request.slides]
    [result] = run.results()
    assert result.status == "done" and result.duration_ms == sum(400 * len(s.narration.split()) for s in request.slides)
    assert [url.rsplit(".", 1)[-1] for url in result.assets] == ["mp4", "m4a"]
    assert all(url.startswith(f"media/{USER}/{DOC}/") for url in result.assets)
    assert run.stages() == [("running", None)]  # `done` is committed by the claimed run itself
    assert run.speech_seconds() == -(-result.duration_ms // 1000)


def test_a_processed_message_does_nothing(tmp_path: Path) -> None:
    run = Run(tmp_path)
    request = media_request(USER, DOC)
    run.records.processed_keys.add(request.dedupe_key())

    run(request)

    assert run.narrator.runs == [] and run.publisher.published == [] and run.stages() == []


def test_someone_elses_document_is_refused_before_anything_is_recorded(tmp_path: Path) -> None:
    run = Run(tmp_path)

    with pytest.raises(InvalidArgument, match="does not exist for user"):
        run(media_request(OTHER, DOC))

    assert run.stages() == [] and run.publisher.published == []


def test_a_deck_past_the_limit_fails_for_good_with_its_reason(tmp_path: Path) -> None:
    run = Run(tmp_path)

    with pytest.raises(InvalidArgument, match="the deck has 3 slides; the limit is 2"):
        run(media_request(USER, DOC, count=3), max_slides=2)

    assert run.stages() == [("failed", "TOO_MANY_SLIDES")]
    assert run.records.reasons == ["the deck has 3 slides; the limit is 2"]
    [result] = run.results()
    assert result.status == "failed" and not result.retrying and run.narrator.runs == []


def test_a_narration_past_the_speech_quota_is_not_started(tmp_path: Path) -> None:
    run = Run(tmp_path, speech_daily=5)

    with pytest.raises(QuotaExceeded):
        run(media_request(USER, DOC, count=3))

    assert run.narrator.runs == []
    assert run.stages() == [("running", None), ("failed", "QUOTA_EXCEEDED")]
    [result] = run.results()
    assert result.error_code == "QUOTA_EXCEEDED" and not result.retrying


def test_a_redelivery_whose_media_is_already_committed_only_marks_the_stage_done(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.narrator = ScriptedNarrator(tmp_path, lambda: "committed")

    run(media_request(USER, DOC))

    assert run.stages() == [("running", None), ("done", None)]
    assert run.results() == [] and run.speech_seconds() == 0


@pytest.mark.parametrize(
    ("error", "raised", "code", "retrying"),
    [
        (TtsFailed("the service is busy", transient=True), Unavailable, "TTS_FAILED", True),
        (TtsFailed("bad voice", transient=False), MediaFailed, "TTS_FAILED", False),
        (FfmpegFailed("libx264 missing"), MediaFailed, "FFMPEG_FAILED", False),
        (RuntimeError("disk full"), RuntimeError, "INTERNAL", True),
    ],
)
def test_each_failure_is_recorded_published_and_mapped_for_the_drain(
    tmp_path: Path, error: Exception, raised: type[Exception], code: str, retrying: bool
) -> None:
    run = Run(tmp_path)
    run.narrator = fails_with(error)

    with pytest.raises(raised):
        run(media_request(USER, DOC))

    assert run.stages() == [("running", None), ("failed", code)]
    [result] = run.results()
    assert (result.status, result.error_code, result.retrying) == ("failed", code, retrying)
    assert run.speech_seconds() == 0


def test_a_busy_document_is_retried_without_recording_a_failure(tmp_path: Path) -> None:
    run = Run(tmp_path)
    run.narrator = fails_with(MediaBusy("another media run is producing it"))

    with pytest.raises(MediaBusy):
        run(media_request(USER, DOC))

    assert run.stages() == [("running", None)] and run.results() == []


class Start:
    def __init__(self) -> None:
        self.records = MemoryMediaRecords()
        self.records.owners[DOC] = USER
        self.blobs = MemoryBlobStore()
        self.publisher = MemoryPublisher()
        self.throttle = MemoryThrottle(fixed_clock())
        self.settings = MediaSettings.model_validate({"MEDIA_MAX_SLIDES": 4, "MEDIA_START_PER_MINUTE": 2})

    def deck(self, markdown: str) -> None:
        self.blobs.put(container="derived", path=slides_path(USER, DOC), data=markdown.encode(), content_type="text/md")

    def __call__(self, user_id: uuid.UUID = USER) -> MediaStarted:
        return start_media(
            doc_id=DOC,
            user_id=user_id,
            records=self.records,
            blobs=self.blobs,
            publisher=self.publisher,
            throttle=self.throttle,
            settings=self.settings,
        )


def test_start_queues_the_deck_on_record_once_while_it_runs() -> None:
    start = Start()
    start.deck(slides_markdown(3))

    first = start()
    again = start()

    [request] = start.publisher.published
    assert isinstance(request, MediaRequest) and len(request.slides) == 3
    assert request.slides[0].narration.startswith("Photosynthesis")
    assert (first.status, first.slide_count) == ("queued", 3)
    assert (again.status, again.slide_count) == ("queued", None)
    assert start.records.stages[DOC] == [("queued", None)]


def test_start_refuses_what_it_cannot_narrate() -> None:
    start = Start()
    with pytest.raises(NotFound):
        start(OTHER)
    with pytest.raises(FailedPrecondition, match="no slides yet"):
        start()
    start.deck("---\n\n---\n")
    with pytest.raises(InvalidArgument, match="no slides to narrate"):
        start()
    assert start.publisher.published == [] and DOC not in start.records.stages


def test_starts_are_limited_per_user_and_minute() -> None:
    start = Start()
    start.settings = start.settings.model_copy(update={"media_start_per_minute": 1})
    start.deck(slides_markdown(2))

    start()
    with pytest.raises(RateLimited):
        start()

    assert len(start.publisher.published) == 1


def test_start_refuses_a_deck_past_the_limit() -> None:
    start = Start()
    start.deck(slides_markdown(5))

    with pytest.raises(InvalidArgument, match="the deck has 5 slides; the limit is 4"):
        start()

    assert start.publisher.published == []


def test_the_container_builds_the_speech_adapter_once_and_no_credential_for_espeak() -> None:
    container = Container(Settings.model_validate({"APP_ENV": "test", "TTS_PROVIDER": "espeak"}))

    assert isinstance(container.tts, EspeakTts) and container.tts is container.tts
    assert "azure_credential" not in vars(container)


def test_azure_speech_with_entra_id_signs_in_with_the_containers_one_credential() -> None:
    resource_id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a"
    settings = {"TTS_PROVIDER": "azure", "AZURE_SPEECH_REGION": "westeurope", "AZURE_SPEECH_RESOURCE_ID": resource_id}
    container = Container(Settings.model_validate({"APP_ENV": "test", **settings}))
    credential = FixedCredential("jwt-1")
    vars(container)["azure_credential"] = credential  # what the cached property would have built

    tts = container.tts

    assert isinstance(tts, AzureSpeechTts) and container.tts is tts
    assert tts._entra_token is not None and tts._entra_token() == f"aad#{resource_id}#jwt-1"
    assert credential.scopes == ["https://cognitiveservices.azure.com/.default"]
