"""Routes of the media context: start narration, read the narrated media with signed URLs."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from shared.auth.deps import CurrentUser
from shared.deps import ContainerDep
from shared.documents.service import document_owner
from shared.media import blobs as media_blobs
from shared.media import store
from shared.media.contracts import MediaAssetView, MediaStart, MediaStarted, MediaView
from shared.media.service import start_media
from shared.media.store import PgMediaRecords
from shared.platform.blobs import BlobStore
from shared.platform.errors import NotFound
from shared.platform.stages import stages_of

router = APIRouter(tags=["media"])


@router.post("/media/start", status_code=202)
def start(body: MediaStart, principal: CurrentUser, container: ContainerDep) -> MediaStarted:
    return start_media(
        doc_id=body.doc_id,
        user_id=principal.user_id,
        records=PgMediaRecords(container.db),
        blobs=container.blobs,
        publisher=container.publisher,
        throttle=container.throttle,
        settings=container.settings,
    )


@router.get("/media/{doc_id:uuid}")
def media(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> MediaView:
    with container.db.connection() as conn:
        if document_owner(conn, doc_id=doc_id) != principal.user_id:
            raise NotFound(f"document {doc_id} not found")
        stage = next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == "media"), None)
        assets = store.narration_assets(conn, doc_id=doc_id)
    ttl = container.settings.sas_ttl_seconds
    views = {asset.kind: _view(container.blobs, asset, ttl) for asset in assets}
    return MediaView(
        doc_id=doc_id,
        status=stage.status if stage else "none",
        error_code=stage.error_code if stage else None,
        error_message=stage.error_message if stage else None,
        duration_ms=max((a.duration_ms or 0 for a in assets), default=None),
        video=views.get("video"),
        audio=views.get("audio"),
        captions=views.get("captions"),
        url_expires_in_s=ttl,
    )


def _view(blobs: BlobStore, asset: store.MediaAsset, ttl: int) -> MediaAssetView:
    def sign(url: str) -> str:
        return blobs.read_url(container=media_blobs.CONTAINER, path=media_blobs.path_of(url), ttl_s=ttl)

    return MediaAssetView.model_validate(
        {
            "id": asset.id,
            "kind": asset.kind,
            "url": sign(asset.blob_url),
            "thumbnail_url": sign(asset.thumbnail_url) if asset.thumbnail_url else None,
            "content_type": asset.content_type,
            "duration_ms": asset.duration_ms,
            "size_bytes": asset.size_bytes,
        }
    )
