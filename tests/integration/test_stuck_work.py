"""Every stage ends `done` or `failed`: dead letters fail their stage, the reconciler re-queues or
fails every stage kind, a failed stage can be started again, and an encode holds no connection."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from pathlib import Path

import pytest

from shared.canvas.contracts import CanvasSyncRequest
from shared.canvas.store.runs import create_run, get_run
from shared.container import Container
from shared.documents.reconciler import reconcile
from shared.media import store
from shared.media.adapters import Speech
from shared.media.adapters.espeak import EspeakTts
from shared.media.errors import MediaBusy
from shared.media.narrate import Narrated, narrate
from shared.media.service import slides_path, start_media
from shared.media.stage import media_requeuer
from shared.media.store import PgMediaRecords
from shared.media.video.encode import VideoShape
from shared.platform.consumer import StreamConsumer
from shared.platform.drain import DrainLimits, StageHandler, drain
from shared.platform.messages import Message
from shared.platform.stages import set_stage, stages_of
from shared.platform.stream_names import GROUPS
from shared.platform.streams import MemoryPublisher, dead_key, stream_key
from shared.registry import stage_handlers
from tests.support.media_docs import make_document, media_request, slides_markdown
from tests.support.users import make_user

pytestmark = pytest.mark.integration

SHAPE = VideoShape(width=320, height=180, fps=5, crf=35, preset="ultrafast", audio_bitrate="48k", timeout_s=60)


def stage(container: Container, doc_id: uuid.UUID, name: str) -> tuple[str, str | None]:
    with container.db.connection() as conn:
        state = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == name)
    return state.status, state.error_code


def always_failing(handler: StageHandler) -> StageHandler:
    def handle(message: Message) -> None:
        raise RuntimeError(f"ffmpeg was killed (out of memory) on {message.message_id}")

    return dataclasses.replace(handler, handle=handle)


def drain_until_dead(container: Container, handler: StageHandler, message: Message) -> None:
    prefix = container.settings.stream_prefix
    consumer = StreamConsumer(
        container.redis,
        key=stream_key(prefix, handler.stream),
        dead_key=dead_key(prefix, handler.stream),
        group=GROUPS[handler.stream],
        consumer="stuck-test",
        visibility_timeout_ms=1,
    )
    container.publisher.publish(message)
    limits = DrainLimits(budget_s=0.5, max_deliveries=2, block_ms=50)
    for _ in range(4):
        drain(consumer, handler, limits)
    assert container.redis.xlen(dead_key(prefix, handler.stream)) >= 1


def test_a_dead_lettered_media_entry_fails_its_stage_and_the_student_can_start_again(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    deck = slides_markdown().encode()
    container.blobs.put(
        container="derived", path=slides_path(user.user_id, doc_id), data=deck, content_type="text/markdown"
    )
    with container.db.connection() as conn:
        set_stage(conn, doc_id=doc_id, stage="media", status="running")
    handler = always_failing(stage_handlers(container)["media.request"])
    drain_until_dead(container, handler, media_request(user.user_id, doc_id))
    assert stage(container, doc_id, "media") == ("failed", "INTERNAL")
    started = start_media(
        doc_id=doc_id,
        user_id=user.user_id,
        records=PgMediaRecords(container.db),
        blobs=container.blobs,
        publisher=container.publisher,
        throttle=container.throttle,
        settings=container.settings,
    )
    assert started.status == "queued"


def test_a_dead_lettered_sync_ends_its_run_failed(container: Container) -> None:
    user = make_user(container)
    run_id = uuid.uuid4()
    with container.db.connection() as conn:
        create_run(conn, run_id=run_id, user_id=user.user_id, now=container.clock.now())
    handler = always_failing(stage_handlers(container)["canvas.sync"])
    drain_until_dead(container, handler, CanvasSyncRequest(sync_id=run_id, user_id=user.user_id))
    with container.db.connection() as conn:
        run = get_run(conn, run_id=run_id, user_id=user.user_id)
    assert run is not None and run.status == "failed"
    assert run.error is not None and "ffmpeg was killed" in run.error


def test_a_dead_letter_for_a_finished_stage_keeps_its_outcome(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    with container.db.connection() as conn:
        set_stage(conn, doc_id=doc_id, stage="media", status="done")
    handler = always_failing(stage_handlers(container)["media.request"])
    drain_until_dead(container, handler, media_request(user.user_id, doc_id))
    assert stage(container, doc_id, "media") == ("done", None)


def _age(container: Container, doc_id: uuid.UUID, attempts: int) -> None:
    with container.db.connection() as conn:
        conn.execute(
            "UPDATE document_stages SET updated_at = now() - interval '1 hour', attempts = %s"
            " WHERE document_id = %s AND stage = 'media'",
            (attempts, doc_id),
        )


def test_the_reconciler_requeues_stuck_media_from_its_deck_and_fails_it_when_the_deck_is_gone(
    container: Container,
) -> None:
    user = make_user(container)
    with_deck, without_deck, worn = (make_document(container, user.user_id) for _ in range(3))
    for doc_id in (with_deck, worn):
        container.blobs.put(
            container="derived", path=slides_path(user.user_id, doc_id), data=slides_markdown(2).encode(),
            content_type="text/markdown",
        )  # fmt: skip
    for doc_id, attempts in ((with_deck, 1), (without_deck, 1), (worn, 5)):
        with container.db.connection() as conn:
            set_stage(conn, doc_id=doc_id, stage="media", status="running")
        _age(container, doc_id, attempts)
    publisher = MemoryPublisher()
    requeue = media_requeuer(container)
    with container.db.connection() as conn:
        report = reconcile(conn=conn, publisher=publisher, after_s=600, max_attempts=5, requeue_media=requeue)
    assert report["republished_media"] >= 2 and report["failed_stuck"] >= 1
    assert stage(container, with_deck, "media") == ("queued", None)
    assert stage(container, without_deck, "media") == ("failed", "FAILED_PRECONDITION")
    assert stage(container, worn, "media") == ("failed", "STUCK")


class BlockingTts:
    """Speaks with espeak-ng, but the first call waits until the test lets it go on."""

    name = "espeak-ng (held)"

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.go_on = threading.Event()
        self.inner = EspeakTts()

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        self.inside.set()
        assert self.go_on.wait(30)
        return self.inner.synthesize(text=text, out_path=out_path)


def _claims(container: Container, doc_id: uuid.UUID) -> int:
    with container.db.connection() as conn:
        row = conn.execute("SELECT count(*) FROM media_claims WHERE document_id = %s", (doc_id,)).fetchone()
    return int(row[0]) if row else 0


def _in_transaction(container: Container) -> int:
    with container.db.connection() as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def test_an_encode_holds_a_claim_not_a_connection_and_a_second_run_waits(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    request = media_request(user.user_id, doc_id, count=1)
    tts = BlockingTts()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            narrate(request=request, db=container.db, blobs=container.blobs, tts=tts, shape=SHAPE, lease_s=120)
        except BaseException as exc:
            failures.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert tts.inside.wait(30)
        assert _in_transaction(container) == 0
        assert _claims(container, doc_id) == 1
        with pytest.raises(MediaBusy):  # a run of another message waits for this one
            narrate(request=media_request(user.user_id, doc_id, count=1), db=container.db, blobs=container.blobs,
                    tts=EspeakTts(), shape=SHAPE, lease_s=120)  # fmt: skip
        with pytest.raises(MediaBusy):  # so does another delivery of the same message, until this one commits
            narrate(request=request, db=container.db, blobs=container.blobs, tts=EspeakTts(), shape=SHAPE, lease_s=120)
    finally:
        tts.go_on.set()
        worker.join(60)
    assert not failures
    assert _claims(container, doc_id) == 0
    with container.db.connection() as conn:
        assert {a.kind for a in store.narration_assets(conn, doc_id=doc_id)} == {"video", "audio", "captions"}


def test_a_claim_past_its_lease_is_taken_over(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    with container.db.connection() as conn:
        assert store.claim(conn, doc_id=doc_id, token=uuid.uuid4(), message_id=uuid.uuid4(), lease_s=0.0)
    done = narrate(request=media_request(user.user_id, doc_id, count=1), db=container.db, blobs=container.blobs,
                   tts=EspeakTts(), shape=SHAPE, lease_s=120)  # fmt: skip
    assert isinstance(done, Narrated)


def test_a_redelivery_after_its_worker_died_takes_over_the_lapsed_claim_of_the_same_message(
    container: Container,
) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    request = media_request(user.user_id, doc_id, count=1)
    with container.db.connection() as conn:  # the killed worker's claim: same message, lease over
        assert store.claim(conn, doc_id=doc_id, token=uuid.uuid4(), message_id=request.message_id, lease_s=0.0)
    done = narrate(request=request, db=container.db, blobs=container.blobs, tts=EspeakTts(), shape=SHAPE, lease_s=120)
    assert isinstance(done, Narrated)


def test_a_long_run_renews_its_claim_so_it_is_never_taken_over(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    tts = BlockingTts()
    outcome: list[object] = []

    def run() -> None:
        request = media_request(user.user_id, doc_id, count=1)
        outcome.append(
            narrate(request=request, db=container.db, blobs=container.blobs, tts=tts, shape=SHAPE, lease_s=0.3)
        )

    worker = threading.Thread(target=run)
    worker.start()
    assert tts.inside.wait(30)
    time.sleep(1.0)  # three leases long: only renewals keep the claim
    with pytest.raises(MediaBusy):
        narrate(request=media_request(user.user_id, doc_id, count=1), db=container.db, blobs=container.blobs,
                tts=EspeakTts(), shape=SHAPE, lease_s=0.3)  # fmt: skip
    tts.go_on.set()
    worker.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], Narrated)


def _run_holding(container: Container, doc_id: uuid.UUID, user_id: uuid.UUID, meanwhile: str) -> object:
    """Narrate while, mid-run, `meanwhile` (SQL on the claim row) happens to the claim."""
    tts = BlockingTts()
    outcome: list[object] = []

    def run() -> None:
        request = media_request(user_id, doc_id, count=1)
        try:
            outcome.append(
                narrate(request=request, db=container.db, blobs=container.blobs, tts=tts, shape=SHAPE, lease_s=120)
            )
        except MediaBusy as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert tts.inside.wait(30)
    with container.db.connection() as conn:
        conn.execute(meanwhile, (doc_id,))
    tts.go_on.set()
    worker.join(60)
    return outcome[0]


def test_a_claim_that_lapsed_with_nobody_taking_it_over_still_commits(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    lapse = "UPDATE media_claims SET expires_at = now() - interval '1 second' WHERE document_id = %s"
    assert isinstance(_run_holding(container, doc_id, user.user_id, lapse), Narrated)


def test_a_run_whose_claim_another_run_took_over_commits_nothing(container: Container) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    taken = (
        "UPDATE media_claims SET token = gen_random_uuid(), expires_at = now() + interval '1 hour'"
        " WHERE document_id = %s"
    )
    assert isinstance(_run_holding(container, doc_id, user.user_id, taken), MediaBusy)
    with container.db.connection() as conn:
        assert store.narration_assets(conn, doc_id=doc_id) == []
