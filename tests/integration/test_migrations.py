"""The migration runner against real Postgres: fresh, re-apply, edited file, concurrent runners."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from devtools.devhost.stack import Stack
from shared.platform.migrate import MIGRATIONS_DIR, MigrationError, apply_migrations, discover
from tests.support.services import scratch_database

EXPECTED_TABLES = {
    "schema_migrations",
    "processed_messages",
    "users",
    "sessions",
    "login_attempts",
    "documents",
    "document_stages",
    "notes",
    "flashcards",
    "slide_decks",
    "media_assets",
    "courses",
    "assignments",
    "notification_deliveries",
    "logs",
}


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {str(name) for (name,) in rows}


def _recorded(url: str) -> list[tuple[str, int]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT context, version FROM schema_migrations ORDER BY applied_at, context").fetchall()
    return [(str(c), int(v)) for c, v in rows]


def test_fresh_apply_creates_every_table_and_reapply_is_a_no_op(stack: Stack) -> None:
    with scratch_database(stack.postgres_url) as url:
        applied = apply_migrations(url)
        assert len(applied) == len(discover())
        assert EXPECTED_TABLES <= _tables(url)
        assert apply_migrations(url) == []
        assert len(_recorded(url)) == len(applied)


def test_an_applied_migration_that_was_edited_is_refused(stack: Stack, tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, root)
    with scratch_database(stack.postgres_url) as url:
        apply_migrations(url, root=root)
        target = root / "platform" / "001_processed_messages.sql"
        target.write_text(target.read_text() + "\n-- a harmless-looking edit\n")
        with pytest.raises(MigrationError, match="was edited after it ran"):
            apply_migrations(url, root=root)


def test_a_removed_applied_migration_is_refused(stack: Stack, tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, root)
    extra = root / "platform" / "900_extra.sql"
    extra.write_text("CREATE TABLE extra_probe (id int);")
    with scratch_database(stack.postgres_url) as url:
        apply_migrations(url, root=root)
        extra.unlink()
        with pytest.raises(MigrationError, match="missing from disk"):
            apply_migrations(url, root=root)


def test_an_unknown_context_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "billing").mkdir()
    (tmp_path / "billing" / "001_invoices.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="not a known context"):
        discover(tmp_path)


def test_two_concurrent_runners_apply_each_migration_once(stack: Stack, tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, root)
    (root / "platform" / "002_slow.sql").write_text("SELECT pg_sleep(0.5); CREATE TABLE slow_probe (id int);")
    with scratch_database(stack.postgres_url) as url:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda _: apply_migrations(url, root=root), range(2)))
        everything = len(discover(root))
        assert sorted(len(r) for r in results) == [0, everything]
        recorded = _recorded(url)
        assert len(recorded) == len(set(recorded)) == everything
