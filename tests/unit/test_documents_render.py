"""The extractor's sections become the structure.json contract and document.md."""

from __future__ import annotations

import uuid

from shared.documents.contracts import Structure
from shared.documents.extract.base import IMAGE_MARK
from shared.documents.ingest.render import render

USER, DOC = uuid.UUID(int=1), uuid.UUID(int=2)


def _summary() -> dict[str, object]:
    return {
        "kind": "pdf",
        "title": "",
        "page_count": 3,
        "sections": [
            {"heading": "", "level": 1, "page": 1, "parts": ["Preface text."], "images": [], "continued": True},
            {
                "heading": "Search",
                "level": 2,
                "page": 2,
                "parts": ["Intro.", f"{IMAGE_MARK}abc", "| a | b |\n|---|---|\n| 1 | 2 |"],
                "images": [{"ref": "abc", "alt": "A [graph]"}],
                "continued": False,
            },
            {"heading": "Search", "level": 2, "page": 3, "parts": ["More."], "images": [], "continued": True},
        ],
        "images": {"abc": "png"},
        "ocr_pages": [],
        "needs_ocr_pages": [],
    }


def blob_address(path: str) -> str:
    return f"https://blobs.example/media/{path}"


def test_structure_follows_the_contract_with_pages_and_media_paths() -> None:
    rendered = render(
        user_id=USER,
        doc_id=DOC,
        title="Week 1",
        kind="pdf",
        summary=_summary(),
        images={"abc": ("png", b"x" * 300)},
        media_address=blob_address,
    )
    structure = Structure.model_validate_json(rendered.structure.model_dump_json())
    assert [s.source.page for s in structure.sections] == [1, 2, 3]
    assert structure.sections[0].heading == "Week 1" and structure.sections[0].continued
    asset = rendered.assets[0]
    assert asset.asset_id == uuid.uuid5(DOC, "abc")  # deterministic: a re-run overwrites
    assert asset.path == f"{USER}/{DOC}/{asset.asset_id}.png"
    assert structure.sections[1].media[0].url == f"https://blobs.example/media/{asset.path}"
    assert IMAGE_MARK not in structure.sections[1].text


def test_markdown_has_real_headings_page_markers_and_image_links_only() -> None:
    rendered = render(
        user_id=USER,
        doc_id=DOC,
        title="Week 1",
        kind="pdf",
        summary=_summary(),
        images={"abc": ("png", b"x" * 300)},
        media_address=blob_address,
    )
    markdown = rendered.markdown
    assert markdown.count("## Search") == 1  # the page-3 continuation repeats no heading
    assert "# Week 1" not in markdown
    assert "<!-- page 1 -->" in markdown and "<!-- page 3 -->" in markdown
    assert f"![A \\[graph\\]](media/{rendered.assets[0].path})" in markdown
    assert markdown.index("Intro.") < markdown.index("![") < markdown.index("| a | b |")
