"""Files for the ingest tests: hostile and broken ones built here, real ones from tests/fixtures/corpus
(permissively licensed copies, see tests/fixtures/NOTICE), and the larger shared corpus when present."""

from __future__ import annotations

import io
import itertools
import math
import struct
import zipfile
from pathlib import Path

import docx
import pymupdf
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
# Optional: the larger developer corpus beside the repository (../shared/corpus), for the tests that
# pin fidelity on documents whose licences do not allow a copy here. Absent, those tests skip.
SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
needs_shared_corpus = pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(), reason="needs the optional shared corpus (../shared/corpus)"
)


def corpus(name: str) -> bytes:
    """A file of tests/fixtures/corpus."""
    return (CORPUS / name).read_bytes()


def shared_corpus(name: str) -> bytes:
    """A file of the optional shared corpus (mark the test `needs_shared_corpus`)."""
    return (SHARED_CORPUS / name).read_bytes()


def text_pdf(pages: int = 10) -> bytes:
    """A text PDF with one large heading and two paragraphs per page."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page()
        page.insert_text((72, 90), f"Chapter {number} Heading", fontsize=22, fontname="helv")
        for line in range(6):
            page.insert_text(
                (72, 140 + 16 * line),
                f"Body text of page {number}, line {line + 1}, about topic {number}.",
                fontsize=11,
            )
    return bytes(doc.tobytes())


def encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    return bytes(
        doc.tobytes(
            encryption=pymupdf.PDF_ENCRYPT_AES_256,  # type: ignore[attr-defined]  # constant missing from the stubs
            user_pw="user",
            owner_pw="owner",
        )
    )


def truncated_pdf() -> bytes:
    data = text_pdf(3)
    return data[: len(data) // 2]


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose one member expands 1000x (250 MiB of zeros in ~250 KiB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(250):
                member.write(chunk)
    return buffer.getvalue()


def xml_bomb_docx() -> bytes:
    """A DOCX whose document.xml is a billion-laughs entity bomb."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="{_W}">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)


def pdf_declaring(lang: str | None) -> bytes:
    """A one-page PDF whose catalog declares `lang` as its /Lang (none when None)."""
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Bonjour tout le monde")
    if lang is not None:
        doc.xref_set_key(doc.pdf_catalog(), "Lang", pymupdf.get_pdf_str(lang))
    return bytes(doc.tobytes())


def docx_declaring(core_language: str) -> bytes:
    """A one-paragraph DOCX whose core properties declare `core_language` (empty: none)."""
    document = docx.Document()
    document.add_paragraph("Hallo Welt")
    document.core_properties.language = core_language
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def vector_image_deck() -> bytes:
    """A real deck carrying EMF, WMF and SVG drawings that each compress more than 200:1, as
    charts and diagrams saved from Office do (thousands of near-identical drawing records)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(corpus("markitdown-test.pptx"))) as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in source.infolist():
                archive.writestr(member, source.read(member))
            archive.writestr("ppt/media/chart1.emf", emf_drawing(polylines=3000))
            archive.writestr("ppt/media/chart2.wmf", wmf_drawing(polylines=3000))
            archive.writestr("ppt/media/diagram3.svg", svg_drawing(paths=50000))
    return buffer.getvalue()


def _wave(count: int, phase: int) -> list[tuple[int, int]]:
    return [(x * 40, 2000 + ((x + phase) % 16) * 25) for x in range(count)]


def emf_drawing(*, polylines: int) -> bytes:
    """An EMF (MS-EMF) as charts are saved: a white background bitmap (EMR_STRETCHDIBITS), then
    EMR_POLYLINE16 records, EMR_EOF."""
    records = [_emf_background()]
    for index in range(polylines):
        points = _wave(64, index // 500)
        body = struct.pack("<4iI", 0, 1900, 2600, 2400, len(points))
        body += b"".join(struct.pack("<hh", x, y) for x, y in points)
        records.append(struct.pack("<II", 0x57, 8 + len(body)) + body)
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    size = 88 + sum(len(r) for r in records) + len(eof)
    header = struct.pack("<II4i4i", 1, 88, 0, 0, 2600, 2400, 0, 0, 68792, 63500)
    header += struct.pack("<IIIIHHIIIii", 0x464D4520, 0x10000, size, len(records) + 2, 1, 0, 0, 0, 0, 1920, 1080)
    header += struct.pack("<ii", 508, 285)
    return header + b"".join(records) + eof


def _dib(width: int, height: int) -> bytes:
    """A BITMAPINFOHEADER and white 24-bit pixels (rows padded to 4 bytes)."""
    stride = (width * 3 + 3) // 4 * 4
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, stride * height, 2835, 2835, 0, 0)
    return info + b"\xff" * (stride * height)


def _emf_background(width: int = 800, height: int = 500) -> bytes:
    dib = _dib(width, height)
    fixed = 80
    body = struct.pack("<4i", 0, 0, width, height) + struct.pack("<6i", 0, 0, 0, 0, width, height)
    body += struct.pack("<4I", fixed, 40, fixed + 40, len(dib) - 40) + struct.pack(
        "<IIii", 0, 0x00CC0020, width, height
    )
    return struct.pack("<II", 0x51, fixed + len(dib)) + body + dib


def wmf_drawing(*, polylines: int) -> bytes:
    """A placeable WMF (MS-WMF): META_PLACEABLE, META_HEADER, a white META_STRETCHDIB background,
    META_POLYLINE records, META_EOF."""
    dib = _dib(800, 500)
    stretch = struct.pack("<IHIH8h", (26 + len(dib)) // 2, 0x0F43, 0x00CC0020, 0, 500, 800, 0, 0, 500, 800, 0, 0)
    records = [stretch + dib]
    for index in range(polylines):
        points = _wave(48, index // 500)
        params = struct.pack("<h", len(points)) + b"".join(struct.pack("<hh", x, y) for x, y in points)
        records.append(struct.pack("<IH", (6 + len(params)) // 2, 0x0325) + params)
    records.append(struct.pack("<IH", 3, 0))
    words = (18 + sum(len(r) for r in records)) // 2
    placeable = struct.pack("<IHhhhhHI", 0x9AC6CDD7, 0, 0, 0, 2600, 2400, 1440, 0)
    checksum = 0
    for (word,) in struct.iter_unpack("<H", placeable[:20]):
        checksum ^= word
    placeable += struct.pack("<H", checksum)
    header = struct.pack("<HHHIHIH", 1, 9, 0x0300, words, 0, max(len(r) for r in records) // 2, 0)
    return placeable + header + b"".join(records)


def svg_drawing(*, paths: int) -> bytes:
    """An SVG diagram of many similar paths, as drawing tools export them."""
    shapes = "".join(
        f'<path d="M{100 * (i % 4)} {100 * (i % 3)} l5 0 l0 5 l-5 0 z" fill="#336699" stroke="#000" stroke-width="1"/>'
        for i in range(paths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="500" height="300">'
        f"{shapes}</svg>"
    ).encode()


TABLE_ROWS = [
    ["Setting", "Default", "Unit", "Meaning"],
    ["timeout", "30", "s", "Seconds before a request is abandoned"],
    ["retries", "3", "-", "Attempts after the first failure"],
    ["batch size", "500", "rows", "Rows written per transaction"],
    ["cache", "64", "MiB", "Memory kept for recent pages"],
]


def aligned_table_pdf(rows: list[list[str]], *, header_rule: bool = False, wrap_last: bool = False) -> bytes:
    """One page: a paragraph, then `rows` as text in columns with no rules (or a rule under the
    header only), then a paragraph. `wrap_last` breaks each last-column cell over two lines."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 520, 120), "An opening paragraph that runs across the page. " * 2)
    lefts, y = [72.0, 170.0, 230.0, 290.0], 150.0
    for index, row in enumerate(rows):
        font = "hebo" if index == 0 else "helv"
        last = row[-1].split()
        cut = len(last) // 2 if wrap_last and index > 0 else len(last)
        for x, text in zip(lefts, [*row[:-1], " ".join(last[:cut])], strict=True):
            page.insert_text((x, y), text, fontsize=10, fontname=font)
        if cut < len(last):
            y += 12
            page.insert_text((lefts[-1], y), " ".join(last[cut:]), fontsize=10)
        if index == 0 and header_rule:
            page.draw_line((72, y + 4), (520, y + 4), width=0.6)
        y += 18
    page.insert_textbox(
        pymupdf.Rect(72, y + 10, 520, y + 80), "A closing paragraph that also runs across the page. " * 2
    )
    return bytes(doc.tobytes())


def two_column_pdf() -> bytes:
    """A page of two text columns with a boxed aside in the right one: prose, not a table."""
    doc = pymupdf.open()
    page = doc.new_page()
    sentence = "Column text goes on here with enough words to fill a line or two of the column. "
    page.insert_textbox(pymupdf.Rect(72, 72, 290, 500), sentence * 8)
    page.draw_rect(pymupdf.Rect(310, 72, 520, 160), color=(0, 0, 0), fill=(0.9, 0.9, 0.95))
    page.insert_textbox(pymupdf.Rect(316, 78, 514, 156), "Aside in a box, a few short remarks for the reader. " * 3)
    page.insert_textbox(pymupdf.Rect(310, 170, 520, 500), sentence * 7)
    return bytes(doc.tobytes())


def equations_pdf() -> bytes:
    """Display equations aligned on their = signs, as derivations in lecture notes are."""
    doc = pymupdf.open()
    page = doc.new_page()
    for index, (left, right) in enumerate(
        [("f1", "exp[x] + 1"), ("f2", "f1 * f1 - 2"), ("f3", "f1 + f2"), ("f4", "exp[f3]")]
    ):
        page.insert_text((100, 100 + 18 * index), left, fontsize=11)
        page.insert_text((140, 100 + 18 * index), "=", fontsize=11)
        page.insert_text((170, 100 + 18 * index), right, fontsize=11)
    return bytes(doc.tobytes())


def bullet_slide_pdf() -> bytes:
    """A slide whose bullet glyphs sit apart from their text."""
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    page.insert_text((60, 80), "Why caching matters", fontsize=28, fontname="hebo")
    for index, text in enumerate(["Reads repeat often", "Memory is cheap", "Disks are slow", "Networks add delay"]):
        page.insert_text((70, 150 + 34 * index), "•", fontsize=20)
        page.insert_text((100, 150 + 34 * index), text, fontsize=20)
    return bytes(doc.tobytes())


def table_beside_prose_pdf() -> bytes:
    """A two-column page: prose on the left, a short borderless table in the right column."""
    doc = pymupdf.open()
    page = doc.new_page()
    sentence = "column text goes on here with enough words to fill a line or two of the column and "
    page.insert_textbox(pymupdf.Rect(72, 72, 290, 500), "The " + sentence * 8 + "it ends.")
    for index, row in enumerate(TABLE_ROWS):
        for x, text in zip((310, 400, 460), row[:3], strict=True):
            page.insert_text((x, 90 + 18 * index), text, fontsize=10, fontname="hebo" if index == 0 else "helv")
    return bytes(doc.tobytes())


def reference_list_pdf() -> bytes:
    """A numbered reference list with hanging indents: labels and text line up, but it is a list."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 80.0
    for number in range(1, 7):
        page.insert_text((72, y + 10), f"[{number}]", fontsize=10)
        entry = f"Author{number}, A. and Other, B. A title of some length for entry {number}. Journal, 20{number:02d}."
        used = page.insert_textbox(pymupdf.Rect(100, y, 400, y + 40), entry, fontsize=10)
        y += 40 - used + 6
    return bytes(doc.tobytes())


def booktabs_rows(number: int) -> list[list[str]]:
    """Rows of table `number` of `booktabs_pair_pdf`: a sub-row with no first cell follows the first row."""
    rows = [["Setting", "Default", "Unit"], *[[f"{row[0]} {number}", *row[1:3]] for row in TABLE_ROWS[1:]]]
    return [*rows[:2], ["", "5", "min"], *rows[2:]]


def booktabs_pair_pdf() -> bytes:
    """Two tables of the same width, each with a top rule, a rule under the header and a bottom rule,
    and a paragraph between them wider than the tables (as LaTeX's booktabs draws them)."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 80.0
    for number in (1, 2):
        rows = booktabs_rows(number)
        page.draw_line((150, y), (420, y), width=0.8)
        for index, row in enumerate(rows):
            for x, text in zip((155, 260, 340), row, strict=True):
                page.insert_text((x, y + 14 + 16 * index), text, fontsize=10, fontname="hebo" if index == 0 else "helv")
            if index == 0:
                page.draw_line((150, y + 19), (420, y + 19), width=0.4)
        y += 20 + 16 * len(rows)
        page.draw_line((150, y), (420, y), width=0.8)
        page.insert_textbox(
            pymupdf.Rect(72, y + 12, 520, y + 70), "A paragraph between the tables, wider than both. " * 3
        )
        y += 90
    return bytes(doc.tobytes())


def margin_notes_pdf() -> bytes:
    """Short lines of code with notes in the left margin beside them (as package manuals set them)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(150, 60, 520, 120), "Body text of the manual runs here across the page. " * 4)
    for index, (note, code) in enumerate(
        [
            ("Posted on", "\\newcommand\\foo{bar}"),
            ("comp.text.tex", "\\renewcommand\\baz{qux}"),
            ("A. Author", "\\let\\a\\b"),
        ]
    ):
        page.insert_text((60, 140 + 12 * index), note, fontsize=8)
        page.insert_text((150, 140 + 12 * index), code, fontsize=9, fontname="cour")
    page.insert_textbox(pymupdf.Rect(150, 190, 520, 260), "More body text follows the example in full lines. " * 4)
    return bytes(doc.tobytes())


def numbered_listing_pdf() -> bytes:
    """Program code with line numbers, indented, as documented sources print it."""
    doc = pymupdf.open()
    page = doc.new_page()
    code = [
        (0, "\\else"),
        (2, "\\edef\\x{\\endgroup\\noexpand\\caption[]}"),
        (2, "\\global\\advance\\count@ by \\@ne"),
        (0, "\\fi"),
        (2, "\\let\\@tempa\\relax\\@tempb"),
        (2, "\\expandafter\\@gobble\\string"),
    ]
    for index, (indent, line) in enumerate(code):
        page.insert_text((80, 100 + 12 * index), str(157 + index), fontsize=8)
        page.insert_text((110 + 12 * indent, 100 + 12 * index), line, fontsize=9, fontname="cour")
    return bytes(doc.tobytes())


def figure_with_axis_labels_pdf() -> bytes:
    """A raster plot with tick labels on its left and a colour bar's labels on its right, in rows."""
    doc = pymupdf.open()
    page = doc.new_page()
    plot = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 64), False)
    plot.set_rect(plot.irect, (200, 80, 40))
    page.insert_image(pymupdf.Rect(100, 100, 380, 180), pixmap=plot)
    for index, (tick, level) in enumerate(
        zip(["4", "2", "0", "-2", "-4"], ["108.5", "86.5", "64.5", "42.5", "20.5"], strict=True)
    ):
        y = 110 + 14 * index
        page.insert_text((80, y), tick, fontsize=8)
        page.insert_text((400, y), level, fontsize=8)
    page.insert_text((60, 200), "Figure 1: A loss surface with its colour scale.", fontsize=10)
    return bytes(doc.tobytes())


LECTURE_TOPICS = [
    ("Uninformed search", "Breadth-first search expands the shallowest node of the frontier first."),
    ("Heuristic functions", "A heuristic estimates the cost from a node to the nearest goal."),
    ("Greedy best-first search", "Greedy search expands the node that looks closest to the goal."),
    ("The A* algorithm", "A* orders the frontier by path cost plus the heuristic estimate."),
    ("Admissible heuristics", "An admissible heuristic never overestimates the true remaining cost."),
    ("Consistent heuristics", "A consistent heuristic obeys the triangle inequality along every edge."),
    ("Relaxed problems", "Dropping a rule of the puzzle gives a relaxed problem whose cost is a heuristic."),
    ("Local search", "Hill climbing keeps one current state and moves to its best neighbour."),
    ("Simulated annealing", "Annealing accepts worse moves with a probability that falls over time."),
    ("Genetic algorithms", "A population of states is recombined and mutated generation by generation."),
    ("Adversarial search", "Minimax picks the move with the best value against a perfect opponent."),
    ("Alpha-beta pruning", "Alpha-beta skips branches that cannot change the minimax decision."),
    ("Constraint satisfaction", "Variables take values from domains subject to constraints between them."),
    ("Arc consistency", "Arc consistency removes values that have no support in a neighbouring domain."),
]


def lecture_pdf(pages: int = 12, *, course: str = "Search") -> bytes:
    """A lecture-notes PDF: per page a distinct topic heading and prose paragraphs about it."""
    doc = pymupdf.open()
    for number in range(pages):
        title, claim = LECTURE_TOPICS[number % len(LECTURE_TOPICS)]
        page = doc.new_page()
        page.insert_text((72, 90), f"{course} {number + 1}: {title}", fontsize=20, fontname="hebo")
        body = (
            f"{claim} This page of the {course.lower()} notes explains {title.lower()} with an example "
            f"and a short exercise. Students should be able to define {title.lower()} and apply it to a "
            "small problem by hand, then compare it with the methods of the previous pages. "
        )
        page.insert_textbox(pymupdf.Rect(72, 120, 520, 400), body * 2, fontsize=11)
        page.insert_textbox(
            pymupdf.Rect(72, 420, 520, 700),
            f"Key idea: {claim} Remember the cost of {title.lower()} in time and memory.",
            fontsize=11,
        )
    return bytes(doc.tobytes())


def outlined_pdf() -> bytes:
    """A PDF whose outline (bookmarks) names chapters on pages 1, 3 and 6 and a section on page 4,
    titles that appear nowhere in its text (as LaTeX books carry them)."""
    data = lecture_pdf(8, course="Booklet")
    doc = pymupdf.open(stream=data, filetype="pdf")
    doc.set_toc([[1, "Introduction", 1], [1, "Supervised learning", 3], [2, "Loss functions", 4], [1, "Appendix", 6]])
    return bytes(doc.tobytes())


def large_image_pdf(side: int = 1500) -> bytes:
    """A page carrying one `side` x `side` RGB picture: small on disk, several MiB once decoded."""
    doc = pymupdf.open()
    page = doc.new_page()
    picture = pymupdf.Pixmap(pymupdf.csRGB, side, side, bytes((40, 120, 200)) * side * side, False)
    page.insert_image(pymupdf.Rect(72, 72, 520, 520), pixmap=picture)
    page.insert_text((72, 560), "Figure 1: a large picture.", fontsize=11)
    return bytes(doc.tobytes(deflate=True))


def shadowed_title_slides_pdf() -> bytes:
    """Slides exported from HTML: each title drawn twice, a grey shadow 2 pt off, then the text."""
    doc = pymupdf.open()
    for title, points in [
        ("HEURISTIC SEARCH (R&N 3.5-3.6)", ["Greedy search", "A* search"]),
        ("LOCAL SEARCH", ["Hill climbing"]),
    ]:
        page = doc.new_page(width=842, height=595)
        page.insert_text((62, 82), title, fontsize=28, fontname="hebo", color=(0.7, 0.7, 0.7))
        page.insert_text((60, 80), title, fontsize=28, fontname="hebo")
        for index, text in enumerate(points):
            page.insert_text((70, 150 + 34 * index), f"• {text}", fontsize=20)
    return bytes(doc.tobytes())


TABLEAU_ROWS = [
    ["gnats", "gram", "$13.65"],
    ["", "each", ".01"],
    ["gnu", "stuffed", "92.50"],
    ["emu", "", "33.33"],
    ["armadillo", "frozen", "8.99"],
    ["yak", "shorn", "1.25"],
]


def ruled_tableau_pdf() -> bytes:
    """A tableau ruled as LaTeX's `||l|lr||` with `\\hline` and `\\cline`: double rules at the sides,
    no rule between the last two columns, and rules under some cells only."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 60, 520, 90), "An opening paragraph that runs across the page. " * 2)
    ys = [100 + 12.2 * i for i in range(len(TABLEAU_ROWS) + 1)]
    for top, bottom in itertools.pairwise(ys):  # LaTeX draws the vertical rules row by row
        for x in (261.7, 263.7, 316.7, 397.4, 399.3):
            page.draw_line((x, top), (x, bottom), width=0.4)
    partial = {1: [(316.7, 399.3)], 3: [(261.7, 316.7), (357.7, 399.3)]}  # \cline under rows 1 and 3
    for index, y in enumerate(ys):
        for x0, x1 in partial.get(index, [(261.7, 399.3)]):
            page.draw_line((x0, y), (x1, y), width=0.4)
    for index, row in enumerate(TABLEAU_ROWS):
        baseline = ys[index] + 9
        for x, text in ((269.7, row[0]), (322.6, row[1])):
            page.insert_text((x, baseline), text, fontsize=10)
        width = pymupdf.get_text_length(row[2], fontsize=10)
        page.insert_text((391.4 - width, baseline), row[2], fontsize=10)
    page.insert_textbox(pymupdf.Rect(72, 190, 520, 230), "A closing paragraph after the tableau. " * 2)
    return bytes(doc.tobytes())


def stacked_header_pdf() -> bytes:
    """Pascal's triangle with a header of `n` stacked tight over `k` in tall brackets (a binomial)
    and the row label `n` centred beside them, as LaTeX sets math in a tabular."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 60, 520, 90), "An opening paragraph that runs across the page. " * 2)
    lefts = [150 + 50 * k for k in range(5)]
    page.insert_text((120, 124), "n", fontsize=10)
    for k, x in enumerate(lefts[1:]):
        page.insert_text((x - 6, 128), "[", fontsize=20, fontname="tiro")
        page.insert_text((x, 119), "n", fontsize=10)
        page.insert_text((x, 129), str(k), fontsize=10)
    for n in range(4):
        baseline = 146 + 12 * n
        page.insert_text((120, baseline), str(n), fontsize=10)
        for k in range(n + 1):
            page.insert_text((lefts[k + 1], baseline), str(math.comb(n, k)), fontsize=10)
    page.insert_textbox(pymupdf.Rect(72, 210, 520, 250), "A closing paragraph after the triangle. " * 2)
    return bytes(doc.tobytes())


def verbatim_columns_pdf() -> bytes:
    """LaTeX source of a table set in a typewriter font: its `&`s line up in columns, but it is code."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 60, 520, 90), "The source of the table above reads as follows. " * 2)
    for index, row in enumerate(TABLEAU_ROWS):
        for x, text in zip((100, 180, 260), (row[0], f"& {row[1]}", f"& {row[2]} \\\\"), strict=True):
            page.insert_text((x, 110 + 11 * index), text, fontsize=9, fontname="cour")
    page.insert_textbox(pymupdf.Rect(72, 180, 520, 220), "A closing paragraph after the source. " * 2)
    return bytes(doc.tobytes())


def vector_plot_pdf() -> bytes:
    """A plot drawn with vector lines (a frame, a grid, a curve), its tick labels and a label on
    the curve: a grid of rules with a few words in it, not a table."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 60, 520, 90), "The result of these two steps is shown in the plot. " * 2)
    left, top, right, bottom = 120.0, 120.0, 420.0, 320.0
    for index in range(6):
        y = top + 40 * index
        page.draw_line((left, y), (right, y), width=0.3)
        page.insert_text((left - 18, y + 3), f"{1 - 0.4 * index:.1f}", fontsize=7)
    for index in range(7):
        x = left + 50 * index
        page.draw_line((x, top), (x, bottom), width=0.3)
        page.insert_text((x - 3, bottom + 10), str(index), fontsize=7)
    curve = [(left + 5 * i, (top + bottom) / 2 - 80 * math.sin(i / 10)) for i in range(61)]
    page.draw_polyline(curve, width=0.8)
    page.insert_text((250, 150), "sin(t)", fontsize=8)
    page.insert_text((330, 290), "cos(t)", fontsize=8)
    page.insert_text((230, 340), "Figure 2: A plot drawn as vector lines.", fontsize=10)
    return bytes(doc.tobytes())


def scanned_pdf(data: bytes) -> bytes:
    """`data`'s first page as a picture only (a scan): nothing to read without OCR."""
    source = pymupdf.open(stream=data)
    doc = pymupdf.open()
    page = doc.new_page(width=source[0].rect.width, height=source[0].rect.height)
    page.insert_image(page.rect, pixmap=source[0].get_pixmap(dpi=200))
    return bytes(doc.tobytes())
