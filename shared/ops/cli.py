"""The `studyaid ops` subcommands. Each prints its report as the last JSON line on stdout."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from shared.platform.errors import AppError
from shared.platform.stream_names import STREAMS

Command = Callable[[argparse.Namespace], Any]


def _print(report: Any) -> int:
    data = asdict(report) if is_dataclass(report) and not isinstance(report, type) else report
    # One line, so it stays a separate JSON document next to the JSON log lines on stdout.
    print(json.dumps(data, default=str))  # noqa: T201 - the command's report is for the operator
    return 0


def _reprocess(args: argparse.Namespace) -> Any:
    from shared.container import get_container
    from shared.ops.documents import reprocess

    container = get_container()
    entry_id = reprocess(db=container.db, publisher=container.publisher, doc_id=args.doc_id)
    return {"doc_id": str(args.doc_id), "entry_id": entry_id}


def _unstick(args: argparse.Namespace) -> Any:
    from shared.container import get_container
    from shared.ops.streams import move_stuck
    from shared.workers import make_consumer

    container = get_container()
    consumer = make_consumer(container, args.stream, consumer="ops")
    min_idle = args.min_idle_ms if args.min_idle_ms is not None else container.settings.stream_visibility_timeout_ms
    return move_stuck(consumer, min_idle_ms=min_idle)


def _migrate_groups(args: argparse.Namespace) -> Any:
    """Give each stream its own group (the specification's names), taking over from `workers`."""
    from shared.container import get_container
    from shared.workers import make_consumer

    container = get_container()
    moves = [make_consumer(container, stream, consumer="ops").ensure_group() for stream in args.stream or STREAMS]
    return [asdict(move) for move in moves]


def _dead(args: argparse.Namespace) -> Any:
    from shared.container import get_container
    from shared.ops import streams as ops
    from shared.platform.streams import dead_key, stream_key

    container = get_container()
    prefix = container.settings.stream_prefix
    dead, live = dead_key(prefix, args.stream), stream_key(prefix, args.stream)
    ids: list[str] | None = None if args.all else args.id
    if args.action == "list":
        return [asdict(letter) for letter in ops.list_dead(container.redis, dead_key=dead, count=args.count)]
    if not args.all and not args.id:
        raise SystemExit("name entries with --id ID (repeatable) or pass --all")
    if args.action == "replay":
        return {"replayed": ops.replay_dead(container.redis, dead_key=dead, stream_key=live, ids=ids)}
    return {"dropped": ops.drop_dead(container.redis, dead_key=dead, ids=ids)}


def _purge(args: argparse.Namespace) -> Any:
    from shared.container import get_container
    from shared.logs.service import purge_logs

    container = get_container()
    settings = container.settings
    return purge_logs(
        db=container.db,
        now=container.clock.now(),
        retention_days=args.retention_days or settings.log_retention_days,
        weeks_ahead=settings.log_partitions_ahead_weeks,
    )


def _runs(command: Command) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return _print(command(args))
        except AppError as exc:
            print(f"{exc.code}: {exc.message}", file=sys.stderr)  # noqa: T201 - the operator reads this
            return 1

    return run


def add_ops_commands(ops: argparse.ArgumentParser) -> None:
    actions = ops.add_subparsers(dest="ops_command", required=True)
    reprocess = actions.add_parser("reprocess", help="publish ingest.request again for a document")
    reprocess.add_argument("doc_id", type=uuid.UUID)
    reprocess.set_defaults(run=_runs(_reprocess))
    unstick = actions.add_parser("unstick", help="move stuck pending entries to a fresh consumer")
    unstick.add_argument("stream", choices=STREAMS)
    unstick.add_argument("--min-idle-ms", type=int, default=None, help="default: the visibility timeout")
    unstick.set_defaults(run=_runs(_unstick))
    groups = actions.add_parser(
        "migrate-groups", help="create each stream's consumer group, moving the old group's pending entries"
    )
    groups.add_argument("stream", nargs="*", choices=STREAMS, help="default: every stream")
    groups.set_defaults(run=_runs(_migrate_groups))
    dead = actions.add_parser("dead", help="list, replay or drop dead-letter entries")
    dead.add_argument("action", choices=("list", "replay", "drop"))
    dead.add_argument("stream", choices=STREAMS)
    dead.add_argument("--id", action="append", default=[], help="a dead-letter entry id (repeatable)")
    dead.add_argument("--all", action="store_true", help="every entry of the dead-letter stream")
    dead.add_argument("--count", type=int, default=100, help="how many to list")
    dead.set_defaults(run=_runs(_dead))
    purge = actions.add_parser("purge-logs", help="drop log partitions past retention now")
    purge.add_argument("--retention-days", type=int, default=None)
    purge.set_defaults(run=_runs(_purge))
