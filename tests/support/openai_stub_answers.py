"""The stub's answers: built from the sections in the request, so they cite what was sent."""

from __future__ import annotations

import json
from typing import Any

from shared.ai.language.statements import fragment_reason
from shared.ai.language.text import split_sentences


def answer_for(body: dict[str, Any], behaviour: str) -> str:
    if behaviour == "invalid_json":
        return '{"overview": "cut off mid-str'
    question = _question(body)
    if question is not None:
        return json.dumps(_grounded(question, behaviour) if "question" in question else _quiz(question, behaviour))
    sections = _sections(body)
    if behaviour == "schema_violation":
        return json.dumps({"overview": "only an overview", "key_points": "not a list"})
    answer = _valid(sections)
    if behaviour == "bad_citation":
        answer["key_points"][0]["source"] = {"section": "A section nobody wrote", "page": 999}
    if behaviour == "unsupported":
        answer["key_points"][0]["text"] = UNSUPPORTED_POINT
        answer["flashcards"][0]["back"] = UNSUPPORTED_BACK
    if behaviour == "fragment":
        answer["key_points"][-1]["text"] = _fragment(sections[-1]["text"])
    return json.dumps(answer)


#: Claims no course section makes: the cited page cannot support them.
UNSUPPORTED_POINT = "Quantum annealing always beats gradient boosting on tabular benchmarks."
UNSUPPORTED_BACK = "Mitochondria are the powerhouse of the cell."


def _fragment(text: str) -> str:
    """The section's first words as a lead-in to a list: supported, but not a sentence."""
    return " ".join(text.split()[:6]).rstrip(".,;") + ":"


def _sections(body: dict[str, Any]) -> list[dict[str, Any]]:
    for message in body["messages"]:
        if message["role"] == "user":
            payload = json.loads(message["content"])
            return list(payload["sections"])
    raise ValueError("no user message with sections")


def _question(body: dict[str, Any]) -> dict[str, Any] | None:
    """The payload of a grounded-answer request (`question` and numbered `passages`), if it is one."""
    user = next(message for message in body["messages"] if message["role"] == "user")
    payload = json.loads(user["content"])
    return payload if isinstance(payload, dict) and ("question" in payload or "key_terms" in payload) else None


def _grounded(payload: dict[str, Any], behaviour: str) -> dict[str, Any]:
    """One sentence per passage (at most two), citing it; `bad_citation` cites a passage never sent."""
    sentences = [{"text": _first_sentence(p["text"]), "sources": [p["n"]]} for p in payload["passages"][:2]]
    if behaviour == "bad_citation":
        sentences[0]["sources"] = [len(payload["passages"]) + 7]
    return {"sentences": sentences}


def _quiz(payload: dict[str, Any], behaviour: str) -> dict[str, Any]:
    """A multiple-choice question per card, wrong choices from the key terms; `bad_citation` names a card never sent."""
    terms = [*payload["key_terms"][:6], "none of these", "all of these"]
    questions = []
    for card in payload["cards"][: payload["count"]]:
        wrong = [t for t in terms if t.casefold() != card["back"].casefold()][:3]
        choices = [card["back"], *wrong]
        questions.append(
            {"card_id": card["card_id"], "kind": "multiple_choice", "prompt": card["front"], "choices": choices,
             "answer": card["back"]}
        )  # fmt: skip
    if behaviour == "bad_citation":
        for question in questions:
            question["card_id"] = "a-card-nobody-sent"
    return {"questions": questions}


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    return flat.split(". ")[0].rstrip(".") + "."


def _statement(text: str) -> str | None:
    """The section's first complete sentence, as a careful model would quote it for a key point."""
    return next((s for s in split_sentences(text) if fragment_reason(s, verb=False) is None), None)


def _key_points(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One per section that has a complete sentence (a slide of scraps gets none); at least one."""
    found = [(s, text) for s in sections if (text := _statement(s["text"])) is not None]
    found = found or [(sections[0], _first_sentence(sections[0]["text"]))]
    return [{"text": text, "source": {"section": s["section"], "page": s["page"]}} for s, text in found]


def _valid(sections: list[dict[str, Any]]) -> dict[str, Any]:
    def source(s: dict[str, Any]) -> dict[str, Any]:
        return {"section": s["section"], "page": s["page"]}

    return {
        "overview": "This part covers " + ", ".join(s["section"] for s in sections) + ".",
        "key_points": _key_points(sections),
        "glossary": [
            {"term": s["section"], "definition": _first_sentence(s["text"]), "source": source(s)} for s in sections
        ],
        "slides": [
            {
                "title": s["section"],
                "bullets": [_first_sentence(s["text"])][:6],
                "narration": "Here we look at " + s["section"] + ". " + _first_sentence(s["text"]),
                "source": source(s),
            }
            for s in sections
        ],
        "flashcards": [
            {
                "front": f"What does {s['section']} say?",
                "back": _first_sentence(s["text"]),
                "tags": ["stub"],
                "source": source(s),
            }
            for s in sections
        ],
    }
