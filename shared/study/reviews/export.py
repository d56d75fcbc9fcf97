"""Use cases of the Anki export: one document's cards, or every card of a course."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition
from shared.study.reviews.anki import ExportCard, build_apkg
from shared.study.store import course_name, document_title

_CARDS = """
SELECT r.document_id::text, r.card_id, r.front, r.back, r.section, r.page, r.tags
FROM review_cards r JOIN documents d ON d.id = r.document_id
WHERE r.user_id = %(user_id)s AND NOT r.retired AND {scope}
ORDER BY d.title, r.document_id, r.page NULLS LAST, r.card_id
"""


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes
    card_count: int


def export_document(conn: Conn, *, user_id: uuid.UUID, doc_id: uuid.UUID) -> Export:
    title = document_title(conn, user_id=user_id, doc_id=doc_id)
    cards = _cards(conn, user_id=user_id, scope="r.document_id = %(id)s", scope_id=doc_id)
    return _export(title, key=str(doc_id), cards=cards)


def export_course(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID) -> Export:
    name = course_name(conn, user_id=user_id, course_id=course_id)
    cards = _cards(conn, user_id=user_id, scope="d.course_id = %(id)s", scope_id=course_id)
    return _export(name, key=str(course_id), cards=cards)


def _cards(conn: Conn, *, user_id: uuid.UUID, scope: str, scope_id: uuid.UUID) -> list[ExportCard]:
    rows = conn.execute(_CARDS.format(scope=scope), {"user_id": user_id, "id": scope_id}).fetchall()
    return [ExportCard(str(r[0]), r[1], r[2], r[3], r[4], r[5], tuple(r[6])) for r in rows]


def _export(name: str, *, key: str, cards: list[ExportCard]) -> Export:
    if not cards:
        raise FailedPrecondition("there are no flashcards to export yet", details={"flashcards": "none generated"})
    safe = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in name).strip() or "flashcards"
    return Export(filename=f"{safe[:80]}.apkg", data=build_apkg(name=name, key=key, cards=cards), card_count=len(cards))
