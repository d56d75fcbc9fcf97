"""The app's work streams and their consumer groups, named once for every process and tool."""

from __future__ import annotations

STREAMS: tuple[str, ...] = ("ingest.request", "ai.request", "media.request", "notify.request", "canvas.sync")
#: Each stream's consumer group, as the specification names them (Canvas's follows the pattern).
GROUPS: dict[str, str] = {
    "ingest.request": "ingestion:group",
    "ai.request": "ai:group",
    "media.request": "media:group",
    "notify.request": "notify:group",
    "canvas.sync": "canvas:group",
}
#: The one group every stream used before; a drain that creates its stream's group takes over from it.
LEGACY_GROUP = "workers"
