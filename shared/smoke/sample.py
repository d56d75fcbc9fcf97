"""The small PDF the smoke check uploads: two pages of real text, made in memory."""

from __future__ import annotations

import textwrap

import pymupdf

PAGES = (
    (
        "Photosynthesis",
        "Plants turn light, water and carbon dioxide into glucose and oxygen. The light reactions "
        "take place in the thylakoid membranes; the Calvin cycle fixes carbon in the stroma.",
    ),
    (
        "Cellular respiration",
        "Cells break glucose down to release energy as ATP. Glycolysis happens in the cytoplasm, "
        "the citric acid cycle and oxidative phosphorylation in the mitochondria.",
    ),
)


def sample_pdf() -> bytes:
    document = pymupdf.open()  # type: ignore[no-untyped-call]  # PyMuPDF's constructors are untyped
    for heading, text in PAGES:
        page = document.new_page()
        page.insert_text((72, 90), heading, fontsize=20)
        for number, line in enumerate(textwrap.wrap(text, 80)):
            page.insert_text((72, 130 + 16 * number), line, fontsize=11)
    return bytes(document.tobytes())  # type: ignore[no-untyped-call]
