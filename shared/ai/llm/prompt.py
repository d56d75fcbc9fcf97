"""The messages sent for one chunk: instructions, then the sections as JSON the answer must cite."""

from __future__ import annotations

import json

from shared.ai.contracts.aids import MAX_BULLETS
from shared.ai.llm.chunking import Chunk

SYSTEM = f"""You turn course material into study aids for a student.
Use only the sections given. Every key point, glossary entry, slide and flashcard has a `source`
whose `section` and `page` are copied exactly from the section it comes from.
Answer in JSON matching the schema:
- overview: 2-4 sentences on what these sections teach;
- key_points: the most important ideas, each one complete sentence that the cited section
  supports, in the section's own words where you can;
- glossary: terms the sections define or rely on, with a one-sentence definition;
- slides: one per major section, a short title, at most {MAX_BULLETS} bullets, and `narration`
  (what a teacher would say over the slide, 2-4 sentences);
- flashcards: questions a student should be able to answer, with short answers and topic tags.
Write in the language of the sections."""


def chunk_messages(*, title: str, chunk: Chunk, index: int, total: int) -> list[dict[str, str]]:
    payload = {
        "document_title": title,
        "part": f"{index} of {total}",
        "sections": [{"section": p.source.section, "page": p.source.page, "text": p.text} for p in chunk.parts],
    }
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
    ]


def correction(problem: str) -> dict[str, str]:
    return {
        "role": "user",
        "content": f"That answer was rejected: {problem}. Answer again with JSON that matches the schema "
        "and cites only the sections and pages given.",
    }


def unsupported(failing: list[str]) -> dict[str, str]:
    """The one re-ask after a valid answer whose items the cited sections do not support."""
    listed = "\n".join(f"- {item}" for item in failing)
    return {
        "role": "user",
        "content": "These items are not supported by the section and page they cite, or are not complete "
        f"sentences:\n{listed}\nAnswer again with the whole JSON: rewrite each of them so the cited section "
        "supports it (use its words), cite the section it really comes from, or leave it out.",
    }
