"""Search benchmark: P50/P95 of GET /v1/search at 20 concurrent clients against uvicorn on loopback.

Indexes the corpus for one user plus N synthetic users' copies (default 200) in a scratch
database on the configured Postgres (else a project-local one), serves the real gateway with
uvicorn, and drives a fixed query list from concurrent HTTP clients, each its own user on one
keep-alive connection. Side by side, in one run:

- 1 client: no queueing, the service time of a search;
- 20 clients searching like students (`--think-ms`): each sends its next query 0.5-1.5 x the
  think time after the previous answer, as a search box does while someone types (250 ms) or
  reads the results (1000 ms). This is the load the P95 target is about;
- 20 clients flat out (no pause): the server saturated, a capacity test. Closed-loop latency
  is then clients / throughput, whatever one search costs;
- the authenticated floor (a refused query: session lookup and framework, no search) flat out;
- the SQL alone, in-process, one client.

With `--baseline DIR` (a `git worktree` of an earlier commit), the same loads also run against
that code, served beside this one on the same database, alternating run by run, and the
report gives the ratios.

    .venv/bin/python -m bench.search_bench [--users 200] [--clients 20] [--rounds 10] [--think-ms 1000 250]
        [--baseline DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from bench.harness import (
    RESULTS,
    RawClient,
    Run,
    baseline_ratios,
    drive,
    migrated_database,
    percentile,
    services,
    uvicorn_server,
)
from bench.search_corpus import load_corpus
from bench.search_seed import SeededUser, seed_user
from shared.auth.tokens import SESSION_COOKIE
from shared.documents.contracts import Structure
from shared.search.contracts import KINDS
from shared.search.service import search
from shared.search.store.hits import Filters

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TARGET_P95_MS = 30.0

# (label, params): headings, body phrases, user syntax, prefixes (search-as-you-type), typos.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("common term", {"q": "trustee"}),
    ("heading", {"q": "heuristic search"}),
    ("heading", {"q": "measuring performance"}),
    ("heading", {"q": "confirmation of the plan"}),
    ("phrase", {"q": '"United States Trustee"'}),
    ("exclusion", {"q": "debtor -attorney"}),
    ("or", {"q": "bias or variance"}),
    ("body", {"q": "disbursements to creditors"}),
    ("body", {"q": "row access control"}),
    ("body", {"q": "gradient descent"}),
    ("body", {"q": "multi-agent conversation"}),
    ("prefix", {"q": "overfit"}),
    ("prefix", {"q": "regulari"}),
    ("prefix", {"q": "heuristic sea"}),
    ("prefix", {"q": "MNI"}),
    ("typo", {"q": "perfromance "}),
    ("typo", {"q": "heuristc serch "}),
    ("kind filter", {"q": "trustee", "kind": "section"}),
    ("paged", {"q": "trustee", "limit": "50"}),
    ("short", {"q": "a*"}),
]
REFUSED: list[tuple[str, dict[str, str]]] = [("refused", {"q": "-x"})]


@dataclass(frozen=True)
class Mode:
    label: str
    clients: int
    think_ms: float
    queries: list[tuple[str, dict[str, str]]]
    paced: bool  # a load the P95 target is about


@dataclass
class Measured:
    mode: Mode
    run: Run
    by_label: dict[str, list[float]]
    baseline: bool = False


def main() -> None:
    args = _arguments()
    print(f"loading corpus from {CORPUS}", flush=True)
    corpus, extractors = load_corpus(CORPUS)
    sections = sum(len(s.sections) for s in corpus.values())
    with services() as stack, migrated_database(stack) as url:
        users, stored = _seed(url, corpus, count=args.users + 1)
        engine = _engine_latencies(url, users[0], rounds=args.rounds)
        # Settings refuse unknown variables, so the server gets only what it needs.
        env = {**stack.environ(), "POSTGRES_URL": url, "LOG_LEVEL": "WARNING"}
        baseline = (
            uvicorn_server(env, port=args.port + 1, workers=args.workers, checkout=args.baseline)
            if args.baseline
            else nullcontext()
        )
        with uvicorn_server(env, port=args.port, workers=args.workers), baseline:
            measured = asyncio.run(_measure(args, users[: args.clients]))
    report = _report(args, extractors, len(corpus), sections, stored, measured, engine)
    print(report)
    if args.record:
        with RESULTS.open("a") as out:
            out.write(report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="synthetic users besides the first")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query list per client")
    parser.add_argument(
        "--think-ms", type=float, nargs="*", default=[1000.0, 250.0], help="pause per client in the paced runs"
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (one per core)")
    parser.add_argument("--port", type=int, default=8765, help="this code's server; a baseline's is the next port")
    parser.add_argument("--baseline", type=Path, help="a checkout of earlier code to measure side by side")
    parser.add_argument("--no-record", dest="record", action="store_false", help="print only; leave RESULTS.md")
    return parser.parse_args()


def _seed(url: str, corpus: dict[str, Structure], *, count: int) -> tuple[list[SeededUser], str]:
    started = time.perf_counter()
    with psycopg.connect(url, prepare_threshold=None) as conn:
        users = [seed_user(conn, corpus, n) for n in range(count)]
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE search_entries")
        entries = conn.execute("SELECT count(*) FROM search_entries").fetchone()
        size = conn.execute(_SIZE).fetchone()
    summary = f"{entries[0] if entries else 0} search entries, {size[0] if size else '?'} with indexes"
    print(f"seeded {count} users, {summary}, in {time.perf_counter() - started:.1f}s", flush=True)
    return users, summary


_SIZE = """
SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid)))
FROM pg_inherits WHERE inhparent = 'search_entries'::regclass
"""


def _engine_latencies(url: str, user: SeededUser, *, rounds: int) -> list[float]:
    samples: list[float] = []
    with psycopg.connect(url, prepare_threshold=None, autocommit=True) as conn:
        for _ in range(rounds + 1):
            for _label, params in QUERIES:
                kinds = tuple(kind for kind in KINDS if kind == params.get("kind"))
                filters = Filters(user_id=user.user_id, kinds=kinds)
                started = time.perf_counter()
                search(conn, text=params["q"], filters=filters, limit=int(params.get("limit", "10")))
                samples.append((time.perf_counter() - started) * 1000)
    return samples[len(QUERIES) :]  # the first round warms caches


def _modes(args: argparse.Namespace) -> list[Mode]:
    clients = args.clients
    return [
        Mode("1 client", 1, 0.0, QUERIES, paced=False),
        *(Mode(f"{clients} clients, {t:.0f} ms think", clients, t, QUERIES, paced=True) for t in args.think_ms),
        Mode(f"{clients} clients flat out", clients, 0.0, QUERIES, paced=False),
        Mode(f"{clients} clients flat out, refused query (auth + framework floor)", clients, 0.0, REFUSED, False),
    ]


async def _measure(args: argparse.Namespace, users: list[SeededUser]) -> list[Measured]:
    ports = [(False, args.port)] + ([(True, args.port + 1)] if args.baseline else [])
    servers = {
        baseline: [RawClient("127.0.0.1", port, cookies={SESSION_COOKIE: user.token}) for user in users]
        for baseline, port in ports
    }
    try:
        for clients in servers.values():
            warm = _requests(QUERIES, defaultdict(list))
            await drive(clients, warm, name="warm-up", total=len(clients) * len(QUERIES), max_s=60)
        measured = []
        for mode in _modes(args):
            for baseline, clients in servers.items():  # alternating, so drift in the machine hits both
                by_label: dict[str, list[float]] = defaultdict(list)
                chosen = clients[: mode.clients]
                total = len(chosen) * len(mode.queries) * args.rounds * (5 if mode.queries is REFUSED else 1)
                run = await drive(
                    chosen, _requests(mode.queries, by_label), name=mode.label, total=total, max_s=300,
                    think_s=mode.think_ms / 1000,
                )  # fmt: skip
                measured.append(Measured(mode, run, by_label, baseline))
                name = f"{mode.label}{' (baseline)' if baseline else ''}"
                print(f"{name}: P50 {run.p(50):.1f} ms, P95 {run.p(95):.1f} ms, {run.rate:.0f} req/s", flush=True)
        return measured
    finally:
        for clients in servers.values():
            for client in clients:
                await client.close()


def _requests(
    queries: list[tuple[str, dict[str, str]]], by_label: dict[str, list[float]]
) -> Callable[[RawClient, int], Awaitable[int]]:
    """Client i's n-th request is query (i + n) mod len: every client walks the whole list."""
    offsets: dict[int, int] = {}

    async def request(client: RawClient, n: int) -> int:
        offset = offsets.setdefault(id(client), len(offsets))
        label, params = queries[(offset + n) % len(queries)]
        started = time.perf_counter()
        status = await client.get(f"/v1/search?{urlencode(params)}")
        by_label[label].append((time.perf_counter() - started) * 1000)
        return status

    return request


def _report(
    args: argparse.Namespace,
    extractors: dict[str, str],
    corpus: int,
    sections: int,
    stored: str,
    measured: list[Measured],
    engine: list[float],
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python -m bench.search_bench " + " ".join(sys.argv[1:])
    used = sorted(set(extractors.values()))
    return "\n".join(
        [
            f"\n## Search: GET /v1/search ({stamp})\n",
            f"Command: `{command.strip()}` (from `make bench`). Machine: {os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}; uvicorn, {args.workers} workers; "
            "Postgres on loopback; the load driver (bare asyncio streams) runs on the same cores.",
            f"Data: {corpus} corpus documents ({sections} sections; read by {', '.join(used)}) for 1 + {args.users} "
            f"users ({stored}); each client is its own user and walks {len(QUERIES)} fixed queries "
            f"{args.rounds} times. Load average at the end: {_load()}.\n",
            "| load | n | P50 ms | P95 ms | P99 ms | max ms | req/s | driver CPU ms/req | machine busy | errors |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *(_row(m.mode.label + (" (baseline)" if m.baseline else ""), m.run) for m in measured),
            _engine_row(engine),
            "",
            f"Target P95 < {TARGET_P95_MS:.0f} ms at {args.clients} concurrent clients searching like students:",
            *(_verdict(m) for m in measured if m.mode.paced and not m.baseline),
            f"- flat out (capacity, not the target): P95 {_flat(measured).run.p(95):.1f} ms at "
            f"{_flat(measured).run.rate:.0f} req/s; closed-loop latency is clients / throughput.",
            "",
            "Slowest queries by P95, flat out:\n",
            *_slowest(_flat(measured).by_label),
            "",
            *_ratios(args, measured),
        ]
    )


def _ratios(args: argparse.Namespace, measured: list[Measured]) -> list[str]:
    base = {m.mode.label: m.run for m in measured if m.baseline}
    pairs = [(m.mode.label, m.run, base[m.mode.label]) for m in measured if not m.baseline and m.mode.label in base]
    return baseline_ratios(args.baseline, pairs)


def _flat(measured: list[Measured]) -> Measured:
    return next(m for m in measured if m.mode.label.endswith("flat out") and not m.baseline)


def _row(label: str, run: Run) -> str:
    n = len(run.ms) or 1
    cells = [
        label, str(len(run.ms)), f"{run.p(50):.1f}", f"{run.p(95):.1f}", f"{run.p(99):.1f}",
        f"{max(run.ms, default=0):.1f}", f"{run.rate:.0f}", f"{run.driver_cpu_s * 1000 / n:.2f}",
        f"{run.machine_busy:.0%}", str(_errors(run)),
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _errors(run: Run) -> int:
    expected = 400 if run.name.endswith("floor)") else 200
    return sum(n for status, n in run.statuses.items() if status != expected)


def _engine_row(engine: list[float]) -> str:
    cells = ["search() in-process, 1 client (SQL only)", str(len(engine))]
    cells += [f"{percentile(engine, p):.1f}" for p in (50, 95, 99)] + [f"{max(engine):.1f}", "-", "-", "-", "0"]
    return "| " + " | ".join(cells) + " |"


def _verdict(m: Measured) -> str:
    p95 = m.run.p(95)
    return f"- {m.mode.label}: P95 {p95:.1f} ms ({'meets' if p95 < TARGET_P95_MS else 'misses'})"


def _slowest(by_label: dict[str, list[float]]) -> list[str]:
    ranked = sorted(((percentile(ms, 95), label) for label, ms in by_label.items()), reverse=True)
    return [f"- {label}: P95 {p95:.1f} ms" for p95, label in ranked[:6]]


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
