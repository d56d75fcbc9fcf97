"""How media failures reach the drain: bad input and encoder failures are permanent, outages are not."""

from __future__ import annotations

from shared.platform.errors import AppError


class MediaFailed(AppError):
    """The deck cannot be narrated as it is (ffmpeg or the speech provider refused it): don't retry."""

    code = "MEDIA_FAILED"
    status = 500
    permanent = True


class MediaBusy(AppError):
    """Another live run holds this document's media: try again after it ends (or its lease runs out)."""

    code = "MEDIA_BUSY"
    status = 503
