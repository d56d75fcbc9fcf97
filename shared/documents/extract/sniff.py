"""What a file really is, from its bytes, and whether that matches what its name says."""

from __future__ import annotations

import io
import zipfile

from shared.documents.extract.base import Rejected

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "pptx",
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
#: Which detected types each file extension may hold (an old `.doc` is often RTF inside).
ACCEPTS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "pptx": {"pptx"},
    "doc": {"doc", "rtf", "docx"},
    "ppt": {"ppt"},
    "pps": {"ppt"},
    "odt": {"odt"},
    "odp": {"odp"},
    "rtf": {"rtf"},
}
SUPPORTED_EXTENSIONS = frozenset(ACCEPTS)


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def detect(data: bytes) -> str:
    """The real type of `data`: pdf, docx, pptx, doc, ppt, odt, odp or rtf; else UNSUPPORTED_FORMAT."""
    if not data:
        raise Rejected("UNSUPPORTED_FORMAT", "the file is empty")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    raise Rejected("UNSUPPORTED_FORMAT", "the file is not a PDF, Word, PowerPoint, OpenDocument or RTF file")


def check_matches(filename: str, detected: str) -> None:
    """Refuse a file whose content is not what its extension says (e.g. a PDF named .docx)."""
    extension = extension_of(filename)
    if extension not in ACCEPTS:
        raise Rejected("UNSUPPORTED_FORMAT", f"files ending in .{extension or '(none)'} are not supported")
    if detected not in ACCEPTS[extension]:
        raise Rejected("TYPE_MISMATCH", f"the file is named .{extension} but its content is {detected.upper()}")


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            kind = ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if kind:
                return kind
        if "[Content_Types].xml" not in names or archive.getinfo("[Content_Types].xml").file_size > 1_000_000:
            raise Rejected("UNSUPPORTED_FORMAT", "the file is a ZIP archive, not an Office document")
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise Rejected("CORRUPT_FILE", f"the ZIP container is damaged: {exc}") from exc
    for content_type, kind in OOXML_MAIN.items():
        if f'ContentType="{content_type}"' in types:
            return kind
    if "macroEnabled" in types:
        raise Rejected("UNSUPPORTED_FORMAT", "macro-enabled Office files are not accepted")
    raise Rejected("UNSUPPORTED_FORMAT", "the Office file is neither a Word document nor a presentation")


def _ole_kind(data: bytes) -> str:
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "ppt"
    raise Rejected("UNSUPPORTED_FORMAT", "the legacy Office file is neither Word nor PowerPoint")
