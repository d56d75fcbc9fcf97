"""Structures for AI tests: small hand-written documents with known sections and pages."""

from __future__ import annotations

import uuid
from typing import TypeVar

from shared.container import Container
from shared.documents.contracts import Section, Source, Structure
from shared.platform.messages import Message
from shared.platform.stages import set_stage
from shared.platform.streams import stream_key

M = TypeVar("M", bound=Message)

_TOPICS = [
    (
        "Search problems",
        "A search problem is a formal description of states, actions and a goal test. "
        "The frontier holds the paths that are still to be explored. "
        "Breadth-first search explores the frontier in order of path length and finds the shallowest goal. "
        "Depth-first search uses a stack and may fall into an infinite loop on cyclic graphs.",
    ),
    (
        "Heuristics",
        "A heuristic is a function that estimates the cost from a node to the nearest goal. "
        "An admissible heuristic never overestimates the true cost to a goal. "
        "Consistent heuristics satisfy the triangle inequality along every arc. "
        "Relaxed problems are a reliable source of admissible heuristics for search.",
    ),
    (
        "A* search",
        "A* search orders the frontier by path cost plus the heuristic estimate. "
        "With an admissible heuristic, A* tree search returns an optimal solution. "
        "Graph search needs a consistent heuristic to stay optimal when it prunes visited states. "
        "Memory is the main practical limit of A* search on large problems.",
    ),
    (
        "Local search",
        "Local search keeps a single current state and moves to a neighbour. "
        "Hill climbing can get stuck in local maxima, ridges and plateaux. "
        "Random restarts and random steps help local search escape poor local maxima. "
        "Simulated annealing accepts worse moves with a probability that falls over time.",
    ),
]


def lecture(*, pages: int = 4, title: str = "Informed search") -> Structure:
    """A lecture of `pages` sections, one per page, cycling through four topics."""
    sections = []
    for page in range(1, pages + 1):
        heading, text = _TOPICS[(page - 1) % len(_TOPICS)]
        suffix = "" if page <= len(_TOPICS) else f" ({page})"
        sections.append(Section(heading=heading + suffix, level=1, text=text, source=Source(kind="pdf", page=page)))
    return Structure(title=title, sections=sections, page_count=pages)


def seed_document(container: Container, *, user_id: uuid.UUID, structure: Structure) -> uuid.UUID:
    """A document whose ingest is done: its row, its `ingest` stage and its structure.json."""
    doc_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path, structure_path)"
            " VALUES (%(id)s, %(user)s, %(title)s, 'lecture.pdf', 'pdf', %(raw)s, %(structure)s)",
            {
                "id": doc_id,
                "user": user_id,
                "title": structure.title,
                "raw": f"{user_id}/{doc_id}/lecture.pdf",
                "structure": f"derived/{user_id}/{doc_id}/structure.json",
            },
        )
        set_stage(conn, doc_id=doc_id, stage="ingest", status="done")
    data = structure.model_dump_json().encode()
    path = f"{user_id}/{doc_id}/structure.json"
    container.blobs.put(container="derived", path=path, data=data, content_type="application/json")
    return doc_id


def published(container: Container, message_type: type[M], *, doc_id: uuid.UUID) -> list[M]:
    """Messages of one type for one document on the container's stream (all of them, acked or not)."""
    key = stream_key(container.settings.stream_prefix, message_type.stream)
    entries = container.redis.xrange(key) or []
    found = [message_type.model_validate_json(fields[b"data"]) for _, fields in entries if fields is not None]
    return [m for m in found if getattr(m, "doc_id", None) == doc_id]
