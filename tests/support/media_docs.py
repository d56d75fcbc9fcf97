"""Documents and decks for media tests: a `documents` row, a `slides.md` in `derived`, a request."""

from __future__ import annotations

import uuid

from shared.container import Container
from shared.media.contracts import MediaRequest, SlideScript

NARRATIONS = [
    "Photosynthesis turns light into chemical energy stored in sugar.",
    "The light reactions split water & make ATP and NADPH in the thylakoids.",
    "The Calvin cycle fixes carbon dioxide into sugar using that ATP.",
]


def make_document(container: Container, user_id: uuid.UUID, *, title: str = "Photosynthesis") -> uuid.UUID:
    doc_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path)"
            " VALUES (%(id)s, %(user)s, %(title)s, 'photo.pdf', 'pdf', %(raw)s)",
            {"id": doc_id, "user": user_id, "title": title, "raw": f"raw/{user_id}/{doc_id}/photo.pdf"},
        )
    return doc_id


def slides(count: int = 3) -> list[SlideScript]:
    return [
        SlideScript(index=i, title=f"Part {i}: {text.split()[0]}", bullets=[text[:40]], narration=text, source_page=i)
        for i, text in enumerate((NARRATIONS * count)[:count], start=1)
    ]


def media_request(user_id: uuid.UUID, doc_id: uuid.UUID, *, count: int = 3) -> MediaRequest:
    return MediaRequest(doc_id=doc_id, user_id=user_id, slides=slides(count))


def slides_markdown(count: int = 3) -> str:
    """The AI stage's format: `---` between slides, `# title`, bullets, source, narration comment."""
    parts = [
        f"# {s.title}\n\n- {s.bullets[0]}\n\n<small>Source: Part {s.index}, p. {s.source_page}</small>\n\n"
        f"<!-- narration: {s.narration} -->\n"
        for s in slides(count)
    ]
    return "\n---\n\n".join(parts)
