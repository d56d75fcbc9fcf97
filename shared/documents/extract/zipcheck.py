"""Checks on an OOXML/ODF zip before anything in it is decompressed (zip bombs, XML bombs, zip slip).

The central directory is read first: member count, declared expanded size (each member and in
total) and, for members large enough that it matters, the compression ratio. Vector drawings
(EMF, WMF, SVG), XML parts and fonts routinely compress 200:1 or better, so a ratio alone says
nothing about a member of a few MiB; what a bomb does is expand to more than the worker can hold.
Then each XML member's prolog is streamed through a capped reader to refuse DTDs: Office
files never carry one, and a DTD is what billion-laughs and XXE need.
"""

from __future__ import annotations

import io
import itertools
import re
import stat
import zipfile
from dataclasses import dataclass

from shared.documents.extract.base import Rejected

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_PROLOG_CAP = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2000
    max_uncompressed: int = 300 * 1024 * 1024
    max_ratio: float = 100.0
    max_member_bytes: int = 128 * 1024 * 1024
    #: Below this expanded size a member may compress as well as it likes (drawings, XML, fonts).
    ratio_floor_bytes: int = 16 * 1024 * 1024


def check_zip(data: bytes, limits: ZipLimits) -> None:
    """Raise ZIP_BOMB, UNSAFE_XML or CORRUPT_FILE for a hostile or broken archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Rejected("CORRUPT_FILE", f"the ZIP container is damaged: {exc}") from exc
    _check_directory(members, limits)
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            _check_prolog(archive, member)


def _check_directory(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_members:
        raise Rejected("ZIP_BOMB", f"the archive has {len(members)} members (limit {limits.max_members})")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise Rejected("ZIP_BOMB", f"the archive unpacks to {total} bytes (limit {limits.max_uncompressed})")
    _check_no_overlap(members)
    for member in members:
        if member.file_size > limits.max_member_bytes:
            raise Rejected(
                "ZIP_BOMB",
                f"member {member.filename!r} unpacks to {member.file_size} bytes (limit {limits.max_member_bytes})",
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise Rejected(
                "ZIP_BOMB", f"member {member.filename!r} expands {ratio:.0f}x (limit {limits.max_ratio:.0f}x)"
            )
        if member.filename.startswith(("/", "\\")) or ".." in member.filename.replace("\\", "/").split("/"):
            raise Rejected("CORRUPT_FILE", f"member {member.filename!r} has an unsafe path")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise Rejected("CORRUPT_FILE", f"member {member.filename!r} is a symbolic link")


def _check_no_overlap(members: list[zipfile.ZipInfo]) -> None:
    """Members whose data ranges overlap are the trick of non-recursive "overlapped" zip bombs."""
    ordered = sorted(members, key=lambda m: m.header_offset)
    for current, following in itertools.pairwise(ordered):
        if current.header_offset + current.compress_size > following.header_offset:
            raise Rejected("ZIP_BOMB", f"members {current.filename!r} and {following.filename!r} overlap")


def _check_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    head = b""
    try:
        with archive.open(member) as stream:
            while len(head) < _PROLOG_CAP:
                chunk = stream.read(4096)
                if not chunk:
                    break
                head += chunk
                if _ROOT_START.search(_without_prolog_markup(head)):
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Rejected("CORRUPT_FILE", f"member {member.filename!r} cannot be read: {exc}") from exc
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise Rejected("UNSAFE_XML", f"member {member.filename!r} declares a DTD or entities (XML bomb or XXE)")


def _without_prolog_markup(head: bytes) -> bytes:
    """Blank out `<?...?>`, comments and `<!...>` so the first real element can be found."""
    return re.sub(rb"<\?.*?\?>|<!--.*?-->|<![^>]*>", b"", head, flags=re.S)
