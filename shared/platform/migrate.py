"""Forward-only SQL migrations: `migrations/<context>/NNN_name.sql`, recorded with a checksum.

Contexts apply in the order of `CONTEXT_ORDER` (so a context may reference tables of the ones
before it), files within a context by number. An applied file that was edited or removed makes
the runner refuse to go on. A session-level advisory lock makes concurrent runners take turns:
the second one finds everything applied and does nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)

CONTEXT_ORDER: tuple[str, ...] = (
    "platform",
    "auth",
    "documents",
    "ai",
    "media",
    "canvas",
    "notify",
    "logs",
    "search",
    "study",
    "quota",
)
LOCK_KEY = 0x5354_5544_5941_4944 & 0x7FFF_FFFF_FFFF_FFFF  # "STUDYAID", fits a bigint
_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


class MigrationError(Exception):
    """The migrations on disk disagree with what the database has applied."""


@dataclass(frozen=True)
class Migration:
    context: str
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def key(self) -> tuple[str, int]:
        return (self.context, self.version)


def discover(root: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: list[Migration] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name not in CONTEXT_ORDER:
            raise MigrationError(f"migrations/{folder.name} is not a known context; add it to CONTEXT_ORDER")
        for path in sorted(folder.glob("*.sql")):
            match = _FILE_NAME.match(path.name)
            if match is None:
                raise MigrationError(f"{path} must be named NNN_lower_snake.sql")
            found.append(Migration(folder.name, int(match.group(1)), path.stem, path.read_text()))
    found.sort(key=lambda m: (CONTEXT_ORDER.index(m.context), m.version))
    _refuse_duplicate_versions(found)
    return found


def _refuse_duplicate_versions(found: list[Migration]) -> None:
    seen: set[tuple[str, int]] = set()
    for migration in found:
        if migration.key in seen:
            raise MigrationError(f"two migrations share {migration.context}/{migration.version:03d}")
        seen.add(migration.key)


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    context    text NOT NULL,
    version    integer NOT NULL,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (context, version)
)
"""


def apply_migrations(url: str, *, root: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply what is missing; return the names applied. Safe to run from many processes at once."""
    migrations = discover(root)
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            conn.execute(_CREATE_TABLE)
            applied = _applied_checksums(conn)
            _verify_unchanged(migrations, applied)
            return [_apply_one(conn, m) for m in migrations if m.key not in applied]
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def _applied_checksums(conn: psycopg.Connection[tuple[object, ...]]) -> dict[tuple[str, int], str]:
    rows = conn.execute("SELECT context, version, checksum FROM schema_migrations").fetchall()
    return {(str(c), int(str(v))): str(s) for c, v, s in rows}


def _verify_unchanged(migrations: list[Migration], applied: dict[tuple[str, int], str]) -> None:
    on_disk = {m.key: m for m in migrations}
    for key, checksum in applied.items():
        migration = on_disk.get(key)
        if migration is None:
            raise MigrationError(f"applied migration {key[0]}/{key[1]:03d} is missing from disk")
        if migration.checksum != checksum:
            raise MigrationError(
                f"applied migration {key[0]}/{migration.name} was edited after it ran; write a new migration instead"
            )


def _apply_one(conn: psycopg.Connection[tuple[object, ...]], migration: Migration) -> str:
    label = f"{migration.context}/{migration.name}"
    with conn.transaction():
        conn.execute(sql.SQL(migration.sql))  # type: ignore[arg-type,unused-ignore]  # a trusted file from the repo
        conn.execute(
            "INSERT INTO schema_migrations (context, version, name, checksum) VALUES (%s, %s, %s, %s)",
            (migration.context, migration.version, migration.name, migration.checksum),
        )
    logger.info("applied migration %s", label)
    return label
