"""Anki packages (.apkg) of the caller's cards, built with genanki.

Note GUIDs come from the document and card ids, so importing a newer export updates the notes
it imported before instead of adding duplicates; the deck and note-type ids are fixed for the
same reason. Each note carries its source (section and page) in a field and one tag per section.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki

NOTE_TYPE_ID = 1_733_500_019
_NOT_TAG = re.compile(r"[^\w:-]+")
NOTE_TYPE = genanki.Model(
    NOTE_TYPE_ID,
    "Study Aid card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "CardId"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>',
        }
    ],
    css=".card { font-family: sans-serif; font-size: 20px; } .source { color: #666; font-size: 14px; }",
)


@dataclass(frozen=True)
class ExportCard:
    document_id: str
    card_id: str
    front: str
    back: str
    section: str
    page: int | None
    tags: tuple[str, ...]


def deck_id(key: str) -> int:
    """A stable, positive 31-bit deck id for `key` (a document or course id)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") >> 1 | 1


def section_tag(section: str) -> str:
    slug = _NOT_TAG.sub("_", section.strip()).strip("_")
    return f"section::{slug[:60]}" if slug else "section::untitled"


def source_label(section: str, page: int | None) -> str:
    return f"{section}, p. {page}" if page is not None else section


def _note(card: ExportCard) -> genanki.Note:
    return genanki.Note(
        model=NOTE_TYPE,
        fields=[_html(card.front), _html(card.back), _html(source_label(card.section, card.page)), card.card_id],
        guid=genanki.guid_for(card.document_id, card.card_id),
        tags=sorted({section_tag(card.section), *(_NOT_TAG.sub("_", t) for t in card.tags if t)}),
    )


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def build_apkg(*, name: str, key: str, cards: list[ExportCard]) -> bytes:
    """The .apkg bytes of one deck named `name` (`key` keeps its id stable across exports)."""
    deck = genanki.Deck(deck_id(key), name)
    for card in cards:
        deck.add_note(_note(card))
    package = genanki.Package(deck)
    now = time.time()
    with tempfile.TemporaryDirectory(prefix="apkg-") as folder:
        db_path = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        finally:
            conn.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr("media", "{}")
    return out.getvalue()
