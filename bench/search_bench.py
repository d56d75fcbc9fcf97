"""Search benchmark: P50/P95 of GET /v1/search at 20 concurrent clients against uvicorn on loopback.

Indexes the corpus for one user plus N synthetic users' copies (default 200) in a scratch
database on the configured Postgres (else a project-local one), serves the real gateway with
uvicorn, and drives a fixed query list from concurrent HTTP clients. Side by side, in one run:
the same queries in-process (the SQL alone, one client) and the authenticated floor (a refused
query: session lookup and framework, no search) at the same concurrency.

    .venv/bin/python -m bench.search_bench [--users 200] [--clients 20] [--rounds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.harness import migrated_database, services, uvicorn_server
from bench.search_corpus import load_corpus
from bench.search_http import Connection
from bench.search_seed import SeededUser, seed_user
from bench.search_stats import Sample, percentile, summarise
from shared.auth.tokens import SESSION_COOKIE
from shared.documents.contracts import Structure
from shared.search.contracts import KINDS
from shared.search.search_store import Filters
from shared.search.service import search

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "RESULTS.md"

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
        with uvicorn_server(env, port=args.port, workers=args.workers):
            clients = users[: args.clients]
            asyncio.run(_drive(args.port, clients, QUERIES, rounds=1))  # warm-up
            http = asyncio.run(_drive(args.port, clients, QUERIES, rounds=args.rounds))
            single = asyncio.run(_drive(args.port, clients[:1], QUERIES, rounds=args.rounds))
            refused = [("refused", {"q": "-x"})]
            floor = asyncio.run(_drive(args.port, clients, refused, rounds=args.rounds * 5))
            floor_single = asyncio.run(_drive(args.port, clients[:1], refused, rounds=args.rounds * 5))
    report = _report(
        args,
        extractors=extractors,
        corpus=len(corpus),
        sections=sections,
        stored=stored,
        http=http,
        single=single,
        engine=engine,
        floor=(floor, floor_single),
    )
    print(report)
    if args.record:
        with RESULTS.open("a") as out:
            out.write(report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="synthetic users besides the first")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the query list per client")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (one per core)")
    parser.add_argument("--port", type=int, default=8765)
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


def _engine_latencies(url: str, user: SeededUser, *, rounds: int) -> list[Sample]:
    samples: list[Sample] = []
    with psycopg.connect(url, prepare_threshold=None) as conn:
        for _ in range(rounds + 1):
            for label, params in QUERIES:
                kinds = tuple(kind for kind in KINDS if kind == params.get("kind"))
                filters = Filters(user_id=user.user_id, kinds=kinds)
                started = time.perf_counter()
                search(conn, text=params["q"], filters=filters, limit=int(params.get("limit", "10")))
                conn.commit()
                samples.append(Sample(label, (time.perf_counter() - started) * 1000, 200))
    return samples[len(QUERIES) :]  # the first round warms caches


async def _drive(
    port: int, users: list[SeededUser], queries: list[tuple[str, dict[str, str]]], *, rounds: int
) -> tuple[list[Sample], float]:
    connections = [await Connection.open("127.0.0.1", port) for _ in users]
    started = time.perf_counter()
    per_client = await asyncio.gather(
        *(
            _client(conn, user, i, queries, rounds)
            for i, (conn, user) in enumerate(zip(connections, users, strict=True))
        )
    )
    elapsed = time.perf_counter() - started
    for conn in connections:
        await conn.close()
    return [sample for samples in per_client for sample in samples], elapsed


async def _client(
    conn: Connection, user: SeededUser, offset: int, queries: list[tuple[str, dict[str, str]]], rounds: int
) -> list[Sample]:
    headers = {"Cookie": f"{SESSION_COOKIE}={user.token}"}
    samples: list[Sample] = []
    for n in range(rounds * len(queries)):
        label, params = queries[(offset + n) % len(queries)]
        started = time.perf_counter()
        status, _ = await conn.get("/v1/search", params, headers)
        samples.append(Sample(label, (time.perf_counter() - started) * 1000, status))
    return samples


def _report(
    args: argparse.Namespace,
    *,
    extractors: dict[str, str],
    corpus: int,
    sections: int,
    stored: str,
    http: tuple[list[Sample], float],
    single: tuple[list[Sample], float],
    engine: list[Sample],
    floor: tuple[tuple[list[Sample], float], tuple[list[Sample], float]],
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python -m bench.search_bench " + " ".join(sys.argv[1:])
    p95 = percentile([s.ms for s in http[0]], 95)
    verdict = "meets" if p95 < 30 else "misses"
    return "\n".join(
        [
            f"\n## Search: GET /v1/search ({stamp})\n",
            f"Command: `.venv/bin/{command.strip()}` (from `make bench`). Machine: {os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}, uvicorn workers={args.workers}, "
            f"Postgres on loopback.",
            f"Data: {corpus} corpus documents ({sections} sections; read by {_extractors(extractors)}) "
            f"for 1 + {args.users} users "
            f"({stored}); {args.clients} concurrent clients, each its own user, "
            f"{args.rounds} passes over {len(QUERIES)} fixed queries. Load average when done: {_load()} "
            "(the machine is shared with other work).\n",
            "| measure | n | P50 ms | P95 ms | P99 ms | max ms | req/s | errors |",
            "|---|---|---|---|---|---|---|---|",
            summarise(f"/v1/search over HTTP, {args.clients} clients", *http),
            summarise("/v1/search over HTTP, 1 client", *single),
            summarise(f"refused query over HTTP, {args.clients} clients (auth + framework floor)", *floor[0]),
            summarise("refused query over HTTP, 1 client (auth + framework floor)", *floor[1]),
            summarise("search() in-process, 1 client (SQL only)", engine, None),
            "",
            f"Target P95 < 30 ms: {verdict} it ({p95:.1f} ms). Slowest queries by P95 over HTTP:\n",
            *_slowest(http[0]),
            "",
        ]
    )


def _extractors(used: dict[str, str]) -> str:
    counts = Counter(used.values())
    return ", ".join(f"{name} ({count} files)" for name, count in sorted(counts.items()))


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _slowest(samples: list[Sample]) -> list[str]:
    labels = sorted({(s.label) for s in samples})
    by_p95 = sorted(
        ((percentile([s.ms for s in samples if s.label == label], 95), label) for label in labels), reverse=True
    )
    return [f"- {label}: P95 {p95:.1f} ms" for p95, label in by_p95[:6]]


if __name__ == "__main__":
    main()
