"""The media use case: produce a deck's narrated media, store it, and replace the previous set at once.

Runs of one document are serialised by a transaction-scoped advisory lock held from start to
commit, so the new rows, the stage and the dedupe key commit together or not at all. Blobs are
written before the commit and taken back if anything fails; after the commit, a sweep under the
same lock deletes the previous run's blobs (and any a crashed run left behind).
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from psycopg_pool import ConnectionPool

from shared.documents.stages import set_stage
from shared.media import blobs as media_blobs
from shared.media import store
from shared.media.contracts import MediaRequest
from shared.media.encode import VideoShape
from shared.media.produce import MediaFiles, Timings, produce
from shared.media.tts import TextToSpeech
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn
from shared.platform.dedupe import first_time

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Narrated:
    assets: list[store.NewAsset]
    duration_ms: int
    timings: Timings


def narrate(
    *, request: MediaRequest, db: ConnectionPool[Conn], blobs: BlobStore, tts: TextToSpeech, shape: VideoShape
) -> Narrated | None:
    """None when this message's effect was already committed (a redelivery)."""
    uploads = media_blobs.Uploads(blobs)
    narrated: Narrated | None = None
    try:
        with db.connection() as conn:
            store.lock_document(conn, doc_id=request.doc_id)
            if first_time(conn, request):
                narrated = _produce_and_upload(request, tts, shape, uploads)
                store.replace_narration_assets(
                    conn, doc_id=request.doc_id, user_id=request.user_id, assets=narrated.assets
                )
                set_stage(conn, doc_id=request.doc_id, stage="media", status="done")
    except BaseException:
        uploads.take_back()
        raise
    # Also on a redelivery: a run that crashed after its commit gets its sweep done here.
    _sweep(request, db, blobs)
    return narrated


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
