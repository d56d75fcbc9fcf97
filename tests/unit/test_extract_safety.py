"""Hostile and broken files are refused with the right reason before (or while) parsing, sandboxed."""

from __future__ import annotations

import io
import random
import signal
import zipfile

import pytest

from shared.documents.errors import IngestRejected
from shared.documents.extract.base import Rejected
from shared.documents.extract.sandbox import SandboxLimits, crash_reason, run_extraction
from shared.documents.extract.sniff import check_matches, detect
from shared.documents.extract.zipcheck import ZipLimits, check_zip
from shared.documents.ingest.pipeline import extract_document, tessdata_prefix
from shared.documents.settings import DocumentsSettings
from tests.support import documents_files as files

pytestmark = pytest.mark.slow  # each extraction runs in a sandboxed child process


def settings(**values: object) -> DocumentsSettings:
    return DocumentsSettings.model_validate(values)


def rejected_code(data: bytes, filename: str, **values: object) -> str:
    with pytest.raises(IngestRejected) as caught:
        extract_document(data, filename=filename, settings=settings(**values))
    return caught.value.code


def test_zip_bomb_is_refused_from_the_central_directory() -> None:
    assert rejected_code(files.zip_bomb_docx(), "bomb.docx") == "ZIP_BOMB"


def test_deck_with_vector_drawings_compressing_over_200_to_1_is_not_a_bomb() -> None:
    data = files.vector_image_deck()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        drawings = [m for m in archive.infolist() if m.filename.endswith((".emf", ".wmf", ".svg"))]
    assert len(drawings) == 3
    assert all(m.file_size > 1024 * 1024 and m.file_size / m.compress_size > 200 for m in drawings)
    extracted = extract_document(data, filename="lecture.pptx", settings=settings())
    assert extracted.kind == "pptx"
    assert extracted.result.summary["sections"]


def test_member_expanding_past_the_member_cap_is_a_bomb_whatever_its_ratio() -> None:
    data = _zip_with("word/media/video.bin", random.Random(7).randbytes(3 * 1024 * 1024))
    check_zip(data, ZipLimits())
    with pytest.raises(Rejected) as caught:
        check_zip(data, ZipLimits(max_member_bytes=2 * 1024 * 1024))
    assert caught.value.code == "ZIP_BOMB"


def test_ratio_counts_only_for_members_past_the_ratio_floor() -> None:
    data = _zip_with("ppt/media/chart1.emf", files.emf_drawing(polylines=3000))
    check_zip(data, ZipLimits())
    with pytest.raises(Rejected) as caught:
        check_zip(data, ZipLimits(ratio_floor_bytes=1024 * 1024))
    assert caught.value.code == "ZIP_BOMB"


def _zip_with(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", files.DOCX_CONTENT_TYPES)
        archive.writestr(name, payload)
    return buffer.getvalue()


def test_too_many_members_is_a_zip_bomb() -> None:
    with pytest.raises(Rejected) as caught:
        check_zip(files.corpus("markitdown-test.docx"), ZipLimits(max_members=5))
    assert caught.value.code == "ZIP_BOMB"


def test_overlapping_members_are_a_zip_bomb() -> None:
    data = bytearray(files.corpus("markitdown-test.docx"))
    second_entry = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second_entry + 42 : second_entry + 46] = (0).to_bytes(4, "little")  # point it at the first member
    with pytest.raises(Rejected) as caught:
        check_zip(bytes(data), ZipLimits())
    assert caught.value.code == "ZIP_BOMB"


def test_xml_bomb_is_refused_before_any_xml_parser_runs() -> None:
    assert rejected_code(files.xml_bomb_docx(), "laughs.docx") == "UNSAFE_XML"


def test_encrypted_pdf_is_refused() -> None:
    assert rejected_code(files.encrypted_pdf(), "locked.pdf") == "ENCRYPTED_PDF"


def test_truncated_pdf_is_refused_as_corrupt() -> None:
    assert rejected_code(files.truncated_pdf(), "half.pdf") == "CORRUPT_FILE"


def test_file_that_is_not_what_its_name_says_is_refused() -> None:
    assert rejected_code(files.text_pdf(1), "notes.docx") == "TYPE_MISMATCH"
    assert rejected_code(b"<html><body>hi</body></html>", "slides.pdf") == "UNSUPPORTED_FORMAT"
    assert rejected_code(b"", "empty.pdf") == "UNSUPPORTED_FORMAT"


def test_oversize_file_is_refused_before_parsing() -> None:
    assert rejected_code(files.text_pdf(1), "big.pdf", UPLOAD_MAX_BYTES=100) == "FILE_TOO_LARGE"


def test_sniffing_reads_content_not_names() -> None:
    assert detect(files.corpus("legacy-sample.doc")) == "doc"
    assert detect(files.corpus("legacy-fake-power-point.ppt")) == "ppt"
    assert detect(files.corpus("markitdown-test.pptx")) == "pptx"
    check_matches("old.doc", "rtf")  # an RTF saved as .doc is common and fine
    with pytest.raises(Rejected):
        check_matches("archive.zip", "docx")


def test_the_sandbox_enforces_its_wall_time_limit() -> None:
    run_extraction(files.text_pdf(1), kind="pdf", limits=SandboxLimits())  # the fork server is up
    with pytest.raises(Rejected) as caught:
        run_extraction(files.text_pdf(80), kind="pdf", limits=SandboxLimits(wall_seconds=0.01))
    assert caught.value.code == "EXTRACTION_LIMIT"
    assert run_extraction(files.text_pdf(1), kind="pdf", limits=SandboxLimits()).summary["page_count"] == 1


def test_the_sandbox_enforces_its_memory_limit() -> None:
    # Below what the warm child already maps: its first real allocation fails, and only it dies.
    with pytest.raises(Rejected) as caught:
        run_extraction(files.large_image_pdf(), kind="pdf", limits=SandboxLimits(memory_mb=64))
    assert caught.value.code in ("EXTRACTION_LIMIT", "CORRUPT_FILE")
    assert run_extraction(files.text_pdf(1), kind="pdf", limits=SandboxLimits()).summary["page_count"] == 1


def test_sandboxed_extraction_returns_sections_and_images() -> None:
    result = run_extraction(files.corpus("markitdown-test.pptx"), kind="pptx", limits=SandboxLimits())
    assert len(result.summary["sections"]) == 6
    assert len(result.images) == 2


@pytest.mark.slow
def test_scanned_pdf_is_ocr_read_in_the_sandbox() -> None:
    found = tessdata_prefix(settings())
    if found is None:
        pytest.skip("tesseract language data is not installed (scripts/bootstrap.sh installs it)")
    extracted = extract_document(files.corpus("scanned-medical-report.pdf"), filename="scan.pdf", settings=settings())
    text = " ".join(p for s in extracted.result.summary["sections"] for p in [s["heading"], *s["parts"]]).upper()
    assert extracted.result.summary["ocr_pages"] == [1, 2, 3]
    assert {"MEDICAL", "PATIENT", "MEDICATIONS", "LABORATORY"} <= set(text.replace(":", " ").split())


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, kind, sections", [("legacy-sample.doc", "docx", 1), ("legacy-fake-power-point.ppt", "pptx", 1)]
)
def test_legacy_formats_are_converted_with_libreoffice(name: str, kind: str, sections: int) -> None:
    extracted = extract_document(files.corpus(name), filename=name, settings=settings())
    assert extracted.kind == kind
    assert len(extracted.result.summary["sections"]) >= sections
    assert any(s["parts"] for s in extracted.result.summary["sections"])


@pytest.mark.slow
def test_the_sandbox_enforces_its_cpu_limit_and_survives() -> None:
    found = tessdata_prefix(settings())
    if found is None:
        pytest.skip("tesseract language data is not installed")
    limits = SandboxLimits(cpu_seconds=1, tessdata=found)
    with pytest.raises(Rejected) as caught:
        run_extraction(files.corpus("scanned-medical-report.pdf"), kind="pdf", limits=limits)
    assert caught.value.code == "EXTRACTION_LIMIT"
    assert run_extraction(files.text_pdf(1), kind="pdf", limits=SandboxLimits()).summary["page_count"] == 1


def test_signals_map_to_reasons() -> None:
    assert crash_reason(-signal.SIGSEGV).code == "CORRUPT_FILE"
    assert crash_reason(-signal.SIGXCPU).code == "EXTRACTION_LIMIT"
    assert crash_reason(-signal.SIGXFSZ).code == "EXTRACTION_LIMIT"


def test_scanned_pages_without_ocr_are_marked_not_dropped() -> None:
    from shared.documents.extract.pdf import extract_pdf

    extraction = extract_pdf(files.corpus("scanned-medical-report.pdf"), max_pages=10, ocr=None)
    assert extraction.needs_ocr_pages == [1, 2, 3]
    assert [s.page for s in extraction.sections] == [1, 2, 3]
    assert all("OCR is not available" in s.parts[0] for s in extraction.sections)


def _zip(members: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_plain_zip_and_macro_documents_are_refused_at_the_sniff() -> None:
    assert rejected_code(_zip({"notes.txt": "hello"}), "notes.docx") == "UNSUPPORTED_FORMAT"
    macro_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    assert rejected_code(_zip({"[Content_Types].xml": macro_types}), "macro.docx") == "UNSUPPORTED_FORMAT"


def test_external_entities_are_refused_like_entity_bombs() -> None:
    document = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = _zip({"[Content_Types].xml": files.DOCX_CONTENT_TYPES, "word/document.xml": document})
    assert rejected_code(data, "xxe.docx") == "UNSAFE_XML"
