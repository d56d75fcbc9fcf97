"""The media use case: produce a deck's narrated media, store it, and replace the previous set at once.

Runs of one document are serialised by a claim row (`media_claims`) with a short lease, taken,
renewed (a thread, every third of the lease) and released in short transactions: no connection or
transaction is held while TTS and ffmpeg run. The lease is shorter than the stream's visibility
timeout, so when a worker dies, its claim has lapsed before its entry is delivered again. Any
other run finding the claim held, even one of the same message, waits (`MediaBusy`, retried):
acknowledging it instead could drop the only pending entry of the work, when a loaded worker's
entry was reclaimed while it still ran and that worker then died.
The commit (new rows, the stage and the dedupe key, together or not at all) happens under the
document's advisory lock and only while no other run holds the claim (a lapse nobody took over,
say a starved renewal on a loaded machine, costs nothing). Blobs are written before the
commit and taken back if anything fails; after the commit, a sweep under the same lock deletes
the previous run's blobs (and any a crashed run left behind).
"""

from __future__ import annotations

import logging
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from psycopg_pool import ConnectionPool

from shared.media import blobs as media_blobs
from shared.media import store
from shared.media.adapters import TextToSpeech
from shared.media.contracts import MediaRequest
from shared.media.errors import MediaBusy
from shared.media.video.encode import VideoShape
from shared.media.video.produce import MediaFiles, Timings, produce
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn
from shared.platform.dedupe import already_processed, first_time
from shared.platform.stages import set_stage

logger = logging.getLogger(__name__)


#: Why a delivery produced nothing: its effect is already committed.
Duplicate = Literal["committed"]
_T = TypeVar("_T")


@dataclass(frozen=True)
class Narrated:
    assets: list[store.NewAsset]
    duration_ms: int
    timings: Timings


def narrate(
    *,
    request: MediaRequest,
    db: ConnectionPool[Conn],
    blobs: BlobStore,
    tts: TextToSpeech,
    shape: VideoShape,
    lease_s: float,
) -> Narrated | Duplicate:
    """`"committed"` when this message's effect was already committed (a redelivery).

    Raises `MediaBusy` while another live run holds the document (the drain retries later)."""
    token = uuid.uuid4()
    with db.connection() as conn:
        if already_processed(conn, request):
            return _swept("committed", request, db, blobs)
        if not store.claim(conn, doc_id=request.doc_id, token=token, message_id=request.message_id, lease_s=lease_s):
            same = store.claimed_for(conn, doc_id=request.doc_id) == request.message_id
            what = "another delivery of this message" if same else "another media run"
            raise MediaBusy(f"{what} is producing the media of document {request.doc_id}")
    narrated = _narrate_claimed(request, db, tts, shape, media_blobs.Uploads(blobs), token, lease_s)
    return _swept(narrated, request, db, blobs)


def _swept(outcome: _T, request: MediaRequest, db: ConnectionPool[Conn], blobs: BlobStore) -> _T:
    """Sweep, then hand back `outcome`: also on a redelivery, so a run that crashed after its
    commit gets its sweep done here."""
    _sweep(request, db, blobs)
    return outcome


def _narrate_claimed(
    request: MediaRequest,
    db: ConnectionPool[Conn],
    tts: TextToSpeech,
    shape: VideoShape,
    uploads: media_blobs.Uploads,
    token: uuid.UUID,
    lease_s: float,
) -> Narrated | Duplicate:
    try:
        with _Renewal(db, request.doc_id, token, lease_s):
            narrated = _produce_and_upload(request, tts, shape, uploads)
        with db.connection() as conn:
            store.lock_document(conn, doc_id=request.doc_id)
            if not store.keep_claim(
                conn, doc_id=request.doc_id, token=token, message_id=request.message_id, lease_s=lease_s
            ):
                raise MediaBusy(f"another run took over document {request.doc_id} while this one's claim had lapsed")
            committed = first_time(conn, request)
            if committed:
                store.replace_narration_assets(
                    conn, doc_id=request.doc_id, user_id=request.user_id, assets=narrated.assets
                )
                set_stage(conn, doc_id=request.doc_id, stage="media", status="done")
            store.release(conn, doc_id=request.doc_id, token=token)
    except BaseException:
        uploads.take_back()
        _release(db, request.doc_id, token)
        raise
    if not committed:  # another delivery committed first, after our claim's lease ran out
        uploads.take_back()
    return narrated if committed else "committed"


class _Renewal:
    """Keeps a claim alive while its run works; a failed renewal only risks a takeover after the
    lease, which the commit's `keep_claim` then notices."""

    def __init__(self, db: ConnectionPool[Conn], doc_id: uuid.UUID, token: uuid.UUID, lease_s: float) -> None:
        self._db, self._doc_id, self._token, self._lease_s = db, doc_id, token, lease_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"media-claim-{doc_id}", daemon=True)

    def __enter__(self) -> _Renewal:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        while not self._stop.wait(self._lease_s / 3):
            try:
                with self._db.connection() as conn:
                    if not store.renew(conn, doc_id=self._doc_id, token=self._token, lease_s=self._lease_s):
                        return
            except Exception:
                logger.warning("media for %s: the claim could not be renewed", self._doc_id, exc_info=True)


def _release(db: ConnectionPool[Conn], doc_id: uuid.UUID, token: uuid.UUID) -> None:
    """Let the next run start at once instead of after the lease (best effort: the lease ends anyway)."""
    try:
        with db.connection() as conn:
            store.release(conn, doc_id=doc_id, token=token)
    except Exception:
        logger.warning("media for %s: the claim could not be released; it ends with its lease", doc_id)


def _produce_and_upload(
    request: MediaRequest, tts: TextToSpeech, shape: VideoShape, uploads: media_blobs.Uploads
) -> Narrated:
    timings = Timings()
    with tempfile.TemporaryDirectory(prefix="studyaid-media-") as workdir:
        files = produce(slides=request.slides, tts=tts, shape=shape, workdir=Path(workdir), timings=timings)
        assets = _upload(request, files, uploads)
    logger.info(
        "media for %s: %d slides, %d ms narration (tts %.2f s, render %.2f s, encode %.2f s)",
        request.doc_id, len(request.slides), files.duration_ms, timings.tts_s, timings.render_s, timings.encode_s,
    )  # fmt: skip
    return Narrated(assets=assets, duration_ms=files.duration_ms, timings=timings)


def _upload(request: MediaRequest, files: MediaFiles, uploads: media_blobs.Uploads) -> list[store.NewAsset]:
    video_id, audio_id, captions_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def path(name: str) -> str:
        return media_blobs.asset_path(request.user_id, request.doc_id, name)

    thumb = path(f"thumb_{video_id}.jpg")
    uploads.put_file(path=thumb, file=files.thumbnail)
    kinds = [("video", video_id, "mp4", files.video), ("audio", audio_id, "m4a", files.audio)]
    kinds.append(("captions", captions_id, "vtt", files.captions))
    assets = []
    for kind, asset_id, ext, file in kinds:
        blob = path(f"{asset_id}.{ext}")
        size = uploads.put_file(path=blob, file=file)
        assets.append(
            store.NewAsset(
                id=asset_id,
                kind=kind,
                blob_url=media_blobs.blob_url(blob),
                thumbnail_url=media_blobs.blob_url(thumb) if kind == "video" else None,
                duration_ms=files.duration_ms,
                content_type=media_blobs.CONTENT_TYPES[ext],
                size_bytes=size,
            )
        )
    return assets


def _sweep(request: MediaRequest, db: ConnectionPool[Conn], blobs: BlobStore) -> None:
    with db.connection() as conn:
        store.lock_document(conn, doc_id=request.doc_id)
        current = store.narration_assets(conn, doc_id=request.doc_id)
        keep = {media_blobs.path_of(url) for a in current for url in (a.blob_url, a.thumbnail_url) if url}
        removed = media_blobs.sweep(blobs, user_id=request.user_id, doc_id=request.doc_id, keep=keep)
    if removed:
        logger.info("media for %s: removed %d blobs of earlier runs", request.doc_id, removed)
