"""Pure parts of the media context: slides.md parsing, caption cues, frame rounding, SSML escaping."""

from __future__ import annotations

from xml.etree import ElementTree

from shared.media.adapters.ssml import narration_ssml
from shared.media.contracts import SlideScript
from shared.media.slides_md import parse_slides
from shared.media.video.captions import chunks, webvtt
from shared.media.video.produce import spoken_text
from shared.media.video.timeline import frame_counts, timeline

DECK = """# Cell biology & <you>

- Cells are the unit of life
- **Membranes** separate inside from outside

<small>Source: Introduction, p. 3</small>

<!-- narration: Every living thing is made of cells.
It spans two lines. -->

---

# No narration comment

A plain paragraph is read instead.

---

"""


def test_slides_md_in_the_ai_stage_format() -> None:
    first, second = parse_slides(DECK)
    assert first == SlideScript(
        index=1,
        title="Cell biology & <you>",
        bullets=["Cells are the unit of life", "Membranes separate inside from outside"],
        narration="Every living thing is made of cells. It spans two lines.",
        source_page=3,
    )
    assert (second.index, second.title, second.narration, second.source_page) == (
        2, "No narration comment", "A plain paragraph is read instead.", None,
    )  # fmt: skip


def test_a_slide_without_narration_reads_its_title_and_bullets() -> None:
    slide = SlideScript(index=1, title="Summary", bullets=["One", "Two"], narration="  ")
    assert spoken_text(slide) == "Summary. One. Two"


def test_cues_split_long_narration_and_keep_slide_boundaries() -> None:
    long = "word " * 40 + "end. Short one."
    segments = timeline([long, "Second slide."], [10_000, 2_500])
    vtt = webvtt(segments)
    stamps = [line for line in vtt.splitlines() if "-->" in line]
    assert stamps[0].startswith("00:00:00.000 --> ")
    assert "00:00:10.000 --> " in "\n".join(stamps)
    assert stamps[-1].endswith("--> 00:00:12.500")
    assert all(len(part) <= 84 for part in chunks(long))


def test_cue_text_is_escaped() -> None:
    vtt = webvtt(timeline(["a --> b & <c>"], [1000]))
    assert "a --&gt; b &amp; &lt;c&gt;" in vtt


def test_frame_counts_do_not_drift() -> None:
    segments = timeline(["a"] * 7, [1_049] * 7)  # 10.49 frames each at 10 fps
    counts = frame_counts(segments, 10)
    assert sum(counts) == round(7 * 1_049 * 10 / 1000)
    assert set(counts) == {10, 11}


def test_ssml_escapes_the_narration_and_stays_valid_xml() -> None:
    ssml = narration_ssml(text='R&D <b> "quotes" \x07bell', voice="en-US-JennyNeural", language="en-US")
    root = ElementTree.fromstring(ssml)
    assert "".join(root.itertext()) == 'R&D <b> "quotes" bell'
    assert root.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "en-US"
