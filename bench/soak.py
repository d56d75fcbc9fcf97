"""A semester of use, compressed: does anything grow without bound, stick, or email the wrong thing?

The real app runs against the machine's (or project-local) Postgres, Redis and Azurite and the
stub Canvas: the API in process (sign-up, login, uploads, deletes), the timers in process on an
injected clock that moves an hour per tick (reminders, scheduled Canvas syncs, the reconciler,
retention, the log purge), the notify and Canvas drains in process on the same clock, and the
ingest, AI and media stages as `studyaid worker` processes, one of which is SIGKILLed every
simulated day and started again. Each simulated week the school changes in the stub Canvas:
new assignments, moved due dates, work handed in. Students upload documents (a share of them
hostile: zip bombs, truncated and fake PDFs) and delete some.

Reported per simulated week, after the stages have settled: Redis memory, rows per table,
stream lengths with pending and dead entries, stages not in a final state, reminder emails for
work handed in before the reminder was sent (must be 0) and new assignments that got no
reminder before their due date (must be 0).

Time: rows stamped by the app's clock age with the simulation; rows stamped by Postgres's
`now()` (login attempts, dedupe keys, deliveries) and stream entry ids carry real time, so they
reach their retention once the simulated clock is one retention period past the start.

    .venv/bin/python -m bench.soak --users 200 --weeks 12 --record
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from bench.harness import ROOT, describe_checkout, migrated_database, services
from devtools.canvas_stub import CanvasStub
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container, set_container
from shared.gateway import create_app
from shared.platform.clock import FixedClock
from shared.platform.stream_names import STREAMS
from shared.platform.streams import RESULT_STREAMS, dead_key, stream_key
from shared.settings import load_settings
from shared.workers import run_drain, run_timer_job
from tests.conftest import FROM_APP
from tests.support.canvas_stub import canvas_overrides, connect_user, running_stub
from tests.support.documents_files import encrypted_pdf, text_pdf, truncated_pdf, xml_bomb_docx, zip_bomb_docx
from tests.support.outbox import mails_to, token_in
from tests.support.users import TestUser

PASSWORD = "correct horse battery staple"
#: Worker processes (the stages that run native tools in Azure); one is killed each simulated day.
PROCESS_STREAMS = ("ingest.request", "ingest.request", "ai.request", "media.request", "media.request")
#: Drains that follow the simulated clock run in this process.
CLOCKED_STREAMS = ("notify.request", "canvas.sync")
TABLES = (
    "users", "sessions", "login_attempts", "documents", "document_stages", "search_entries", "media_assets",
    "processed_messages", "notification_deliveries", "assignments", "canvas_files", "canvas_sync_runs", "logs",
)  # fmt: skip
#: A reminder may lag a hand-in by one due-soon sync period plus a tick before the app can know.
KNOWLEDGE_LAG = timedelta(hours=2, minutes=30)


@dataclass
class School:
    """What the simulation did to the stub Canvas, in simulated time, to judge the reminders by."""

    submitted_at: dict[int, datetime] = field(default_factory=dict)
    added: dict[int, datetime] = field(default_factory=dict)  # new assignment id -> its due date
    next_id: int = 880_000


@dataclass
class Week:
    week: int
    sim_date: str
    redis_mb: float
    rows: dict[str, int]
    streams: dict[str, tuple[int, int, int]]  # stream -> (length, pending, dead)
    not_final: int
    emails_for_submitted: int
    missed_reminders: int
    uploads: int
    real_s: float
    dead_reasons: dict[str, int] = field(default_factory=dict)  # "stream: ERROR_CODE" -> entries


def settings_env(stack_env: dict[str, str], stub: CanvasStub, outbox: Path, prefix: str) -> dict[str, str]:
    values: dict[str, object] = {
        **stack_env,
        "APP_ENV": "test",
        "STREAM_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
        "LOG_SINK_LEVEL": "WARNING",
        "EMAIL_PROVIDER": "outbox",
        "OUTBOX_DIR": str(outbox),
        "STREAM_VISIBILITY_TIMEOUT_MS": 5000,
        "DRAIN_BUDGET_SECONDS": 2.0,
        "VIDEO_WIDTH": 160,
        "VIDEO_HEIGHT": 90,
        "VIDEO_FPS": 1,
        "VIDEO_PRESET": "ultrafast",
        "UPLOADS_PER_MINUTE": 1000,
        "AUTH_IP_LIMIT_PER_MINUTE": 100_000,  # every simulated student signs in from the same address
        "CORS_ORIGINS": '["http://localhost:5173"]',
        **canvas_overrides(stub),
        "CANVAS_PER_PAGE": 50,  # Canvas's own default page size (the tests use 3 to exercise paging)
    }
    return {k: v if isinstance(v, str) else _env_text(v) for k, v in values.items()}


def _env_text(value: object) -> str:
    import json

    return json.dumps(value) if isinstance(value, list) else str(value)


class Workers:
    """`studyaid worker` processes with the soak's settings; `kill_one` SIGKILLs one and restarts it."""

    def __init__(self, env: dict[str, str], streams: tuple[str, ...]) -> None:
        self.env = {**os.environ, **env}
        self.procs = [self._start(stream) for stream in streams]
        self.kills = 0

    def _start(self, stream: str) -> tuple[str, subprocess.Popen[bytes]]:
        command = [sys.executable, "-m", "shared.cli", "worker", stream, "--budget", "2"]
        proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return stream, proc

    def kill_one(self, rng: random.Random) -> None:
        index = rng.randrange(len(self.procs))
        stream, proc = self.procs[index]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        self.procs[index] = self._start(stream)
        self.kills += 1

    def stop(self) -> None:
        for _, proc in self.procs:
            proc.terminate()
        for _, proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def clocked_drains(container: Container) -> Iterator[None]:
    stop = threading.Event()

    def loop(stream: str) -> None:
        while not stop.is_set():
            run_drain(container, stream, budget_s=0.5)

    threads = [threading.Thread(target=loop, args=(s,), daemon=True) for s in CLOCKED_STREAMS]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


@functools.cache
def documents() -> dict[str, list[tuple[str, bytes]]]:
    """What students upload, made once: lecture PDFs, and the hostile files of the ingest tests."""
    return {
        "good": [(f"lecture{pages}.pdf", text_pdf(pages)) for pages in (1, 2, 3, 5)],
        "hostile": [
            ("bomb.docx", zip_bomb_docx()),
            ("laughs.docx", xml_bomb_docx()),
            ("truncated.pdf", truncated_pdf()),
            ("locked.pdf", encrypted_pdf()),
            ("fake.pdf", b"%PDF-1.7 not really" + bytes(2048)),
        ],
    }


class Simulation:
    def __init__(self, args: argparse.Namespace, container: Container, clock: FixedClock, stub: CanvasStub) -> None:
        self.args, self.container, self.clock, self.stub = args, container, clock, stub
        self.rng = random.Random(args.seed)
        self.api = TestClient(create_app(container), headers=FROM_APP)  # the React app's origin (CSRF check)
        self.school = School()
        self.sent_at: dict[str, datetime] = {}  # delivery id -> simulated time it was first seen sent
        self.uploads = 0
        self.canvas_users: list[TestUser] = []
        self.dead_examples: dict[str, str] = {}  # dead-letter reason -> the first error seen

    def sign_up(self, count: int) -> list[str]:
        """Each student signs up and follows the link in the verification email (reminders go
        only to verified addresses)."""
        emails = [f"student{i}@soak.example.edu" for i in range(count)]
        outbox = self.container.settings.outbox_dir
        for email in emails:
            answer = self.api.post("/v1/auth/signup", json={"email": email, "password": PASSWORD, "display_name": "S"})
            if answer.status_code != 201:
                raise RuntimeError(f"sign-up failed: {answer.status_code} {answer.text}")
            token = token_in(mails_to(outbox, email)[-1])
            verified = self.api.post("/v1/auth/email/verify", json={"token": token})
            if verified.status_code != 200:
                raise RuntimeError(f"verification failed: {verified.status_code} {verified.text}")
            self.api.cookies.clear()
        return emails

    def connect_canvas(self, emails: list[str]) -> None:
        for email in emails:
            token = self._login(email)
            user = TestUser(user_id=self._user_id(email), email=email, token=token)
            connect_user(self.api, user)
            self.canvas_users.append(user)
        self.api.cookies.clear()

    def _login(self, email: str) -> str:
        self.api.cookies.clear()
        answer = self.api.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        if answer.status_code != 200:
            raise RuntimeError(f"login failed: {answer.status_code} {answer.text}")
        return str(answer.cookies[SESSION_COOKIE])

    def _user_id(self, email: str) -> uuid.UUID:
        with self.container.db.connection() as conn:
            row = conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()
        assert row is not None
        return uuid.UUID(str(row[0]))

    def study_day(self, emails: list[str]) -> None:
        """Students log in, upload (a share hostile), sometimes delete a document, and log out."""
        share = self.args.uploads_per_week / 7
        for email in emails:
            if self.rng.random() >= share:
                continue
            self._login(email)
            kind = "hostile" if self.rng.random() < self.args.hostile else "good"
            name, data = self.rng.choice(documents()[kind])
            answer = self.api.post("/v1/documents/upload", files={"file": (name, data)})
            self.uploads += answer.status_code == 201
            if self.rng.random() < 0.1:
                listed = self.api.get("/v1/documents", params={"limit": 5}).json().get("items", [])
                if listed:
                    self.api.delete(f"/v1/documents/{listed[-1]['id']}")
            self.api.post("/v1/auth/logout")
            self.api.cookies.clear()

    def school_changes(self) -> None:
        """A week at school: two new assignments, two moved deadlines, two hand-ins."""
        now = self.clock.now()
        for _ in range(2):
            self.school.next_id += 1
            due = now + timedelta(days=self.rng.uniform(2, 9))
            self.stub.add_assignment(1, self.school.next_id, f"Problem set {self.school.next_id}", due)
            self.school.added[self.school.next_id] = due
        open_ids = [a for a, due in self.school.added.items() if due > now and a not in self.school.submitted_at]
        for assignment_id in self.rng.sample(open_ids, min(2, len(open_ids))):
            due = now + timedelta(days=self.rng.uniform(1, 6))
            self.stub.move_due_date(assignment_id, due)
            self.school.added[assignment_id] = due
        for assignment_id in self.rng.sample(open_ids, min(2, len(open_ids))):
            self.stub.set_submission(assignment_id, "submitted")
            self.school.submitted_at[assignment_id] = now

    def tick(self, hour: int) -> None:
        self.clock.advance(hours=1)
        run_timer_job(self.container, "reminders")
        run_timer_job(self.container, "canvas_schedule")
        if hour % 4 == 0:
            run_timer_job(self.container, "reconciler")
        if hour % 24 == 0:
            run_timer_job(self.container, "retention")
        if hour % 168 == 0:
            run_timer_job(self.container, "log_purge")
        time.sleep(self.args.tick_pause)
        self._note_sent()

    def _note_sent(self) -> None:
        with self.container.db.connection() as conn:
            rows = conn.execute(
                "SELECT id::text FROM notification_deliveries WHERE kind = 'reminder' AND status = 'sent'"
            ).fetchall()
        for (delivery_id,) in rows:
            self.sent_at.setdefault(delivery_id, self.clock.now())

    def settle(self, timeout_s: float) -> None:
        """Wait until no stage is queued or running and every group's pending list is empty."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and (self._not_final() or self._pending()):
            time.sleep(1)

    def _not_final(self) -> int:
        with self.container.db.connection() as conn:
            row = conn.execute("SELECT count(*) FROM document_stages WHERE status IN ('queued', 'running')").fetchone()
        return int(row[0]) if row else 0

    def _pending(self) -> int:
        return sum(self._stream(s)[1] for s in STREAMS)

    def _stream(self, stream: str) -> tuple[int, int, int]:
        redis, prefix = self.container.redis, self.container.settings.stream_prefix
        key = stream_key(prefix, stream)
        pending = 0
        if redis.exists(key):
            pending = sum(int(g["pending"]) for g in redis.xinfo_groups(key))
        return int(redis.xlen(key)), pending, int(redis.xlen(dead_key(prefix, stream)))

    def measure(self, week: int, started: float) -> Week:
        info = self.container.redis.info("memory")
        with self.container.db.connection() as conn:
            rows = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]
        streams = {s: self._stream(s) for s in (*STREAMS, *RESULT_STREAMS)}
        return Week(
            week=week,
            sim_date=self.clock.now().date().isoformat(),
            redis_mb=int(info["used_memory"]) / 1e6,
            rows=rows,
            streams=streams,
            not_final=self._not_final(),
            emails_for_submitted=self._emails_for_submitted(),
            missed_reminders=self._missed_reminders(),
            uploads=self.uploads,
            real_s=time.monotonic() - started,
            dead_reasons=self._dead_reasons(),
        )

    def _dead_reasons(self) -> dict[str, int]:
        redis, prefix = self.container.redis, self.container.settings.stream_prefix
        reasons: Counter[str] = Counter()
        for stream in STREAMS:
            entries: list[tuple[bytes, dict[bytes, bytes]]] = redis.xrange(dead_key(prefix, stream))  # type: ignore[assignment]
            for _, fields in entries:
                reason = f"{stream}: {fields.get(b'error_code', b'?').decode()}"
                reasons[reason] += 1
                self.dead_examples.setdefault(reason, fields.get(b"error", b"").decode()[:300])
        return dict(reasons)

    def _reminders(self) -> list[tuple[str, int]]:
        with self.container.db.connection() as conn:
            return [
                (str(r[0]), int(r[1]))
                for r in conn.execute(
                    "SELECT d.id, a.canvas_id FROM notification_deliveries d"
                    " JOIN assignments a ON a.id = d.assignment_id WHERE d.kind = 'reminder' AND d.status = 'sent'"
                ).fetchall()
            ]

    def _emails_for_submitted(self) -> int:
        bad = 0
        for delivery_id, canvas_id in self._reminders():
            handed_in = self.school.submitted_at.get(canvas_id)
            sent = self.sent_at.get(delivery_id)
            if handed_in is not None and sent is not None and sent > handed_in + KNOWLEDGE_LAG:
                bad += 1
        return bad

    def _missed_reminders(self) -> int:
        """Connected students times new assignments already due, unsubmitted, with no reminder sent."""
        now = self.clock.now()
        due_now = [a for a, due in self.school.added.items() if due <= now and a not in self.school.submitted_at]
        with self.container.db.connection() as conn:
            per_user = conn.execute(
                "SELECT a.canvas_id, count(DISTINCT d.user_id) FROM notification_deliveries d"
                " JOIN assignments a ON a.id = d.assignment_id WHERE d.kind = 'reminder' AND d.status = 'sent'"
                " AND a.canvas_id = ANY(%s) GROUP BY a.canvas_id",
                (due_now,),
            ).fetchall()
        counted = {int(c): int(n) for c, n in per_user}
        return sum(len(self.canvas_users) - counted.get(a, 0) for a in due_now)


def run(args: argparse.Namespace) -> list[Week]:
    start = datetime.now(UTC).replace(microsecond=0)
    clock = FixedClock(start)
    with (
        services() as stack,
        migrated_database(stack) as database_url,
        running_stub() as stub,
        tempfile.TemporaryDirectory(prefix="studyaid-soak-") as tmp,
    ):
        stack_env = {
            "POSTGRES_URL": database_url,
            "REDIS_URL": stack.redis_url,
            "AZURE_STORAGE_CONNECTION_STRING": stack.storage_connection_string,
        }
        env = settings_env(stack_env, stub, Path(tmp) / "outbox", prefix=f"soak{os.getpid()}:")
        container = Container(load_settings(env), clock=clock)
        container.blobs.ensure_containers()
        set_container(container)
        sim = Simulation(args, container, clock, stub)
        emails = sim.sign_up(args.users)
        sim.connect_canvas(emails[: args.canvas_users])
        workers = Workers(env, PROCESS_STREAMS)
        weeks: list[Week] = []
        started = time.monotonic()
        try:
            with clocked_drains(container):
                weeks.append(sim.measure(0, started))
                print(format_week(weeks[-1]), flush=True)
                for week in range(1, args.weeks + 1):
                    sim.school_changes()
                    for day in range(7):
                        sim.study_day(emails)
                        for hour in range(24):
                            sim.tick((week - 1) * 168 + day * 24 + hour + 1)
                        workers.kill_one(sim.rng)
                    sim.settle(args.settle_s)
                    weeks.append(sim.measure(week, started))
                    print(format_week(weeks[-1]), flush=True)
        finally:
            workers.stop()
            set_container(None)
            container.close()
        print(f"workers killed: {workers.kills}\ndead letters seen, one error each:\n{examples(sim.dead_examples)}")
        return weeks


def format_week(w: Week) -> str:
    streams = " ".join(f"{s}={n}/{p}/{d}" for s, (n, p, d) in w.streams.items())
    rows = " ".join(f"{t}={n}" for t, n in w.rows.items())
    return (
        f"week {w.week:2d} ({w.sim_date}) real {w.real_s:6.0f}s uploads {w.uploads} redis {w.redis_mb:.1f} MB"
        f" not-final {w.not_final} submitted-emails {w.emails_for_submitted} missed {w.missed_reminders}\n"
        f"  rows: {rows}\n  streams (len/pending/dead): {streams}\n  dead letters: {w.dead_reasons}"
    )


def report(args: argparse.Namespace, weeks: list[Week]) -> str:
    head = "| week | date | Redis MB | " + " | ".join(TABLES) + " | not final | emails for submitted | missed |"
    lines = [
        f"\n## Soak: a compressed semester ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {describe_checkout(ROOT)})\n",
        f"`python -m bench.soak --users {args.users} --weeks {args.weeks} --canvas-users {args.canvas_users}"
        f" --uploads-per-week {args.uploads_per_week} --hostile {args.hostile} --seed {args.seed}`; "
        f"{weeks[-1].uploads} uploads, {weeks[-1].real_s:.0f} s real time, one worker process SIGKILLed per"
        " simulated day. Rows per table:\n",
        head,
        "|" + "---|" * (len(TABLES) + 6),
    ]
    for w in weeks:
        cells = " | ".join(str(w.rows[t]) for t in TABLES)
        lines.append(
            f"| {w.week} | {w.sim_date} | {w.redis_mb:.1f} | {cells} | {w.not_final} |"
            f" {w.emails_for_submitted} | {w.missed_reminders} |"
        )
    lines += ["", "Streams per week (length / pending / dead):", ""]
    streams = list(weeks[0].streams)
    lines += ["| week | " + " | ".join(streams) + " |", "|" + "---|" * (len(streams) + 1)]
    for w in weeks:
        lines.append(f"| {w.week} | " + " | ".join("{}/{}/{}".format(*w.streams[s]) for s in streams) + " |")
    lines += ["", f"Dead letters at the end, by reason: {weeks[-1].dead_reasons or 'none'}"]
    return "\n".join(lines) + "\n"


def examples(sim_examples: dict[str, str]) -> str:
    return "\n".join(f"- {reason}: {error}" for reason, error in sorted(sim_examples.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--canvas-users", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--uploads-per-week", type=float, default=0.7, help="per student")
    parser.add_argument("--hostile", type=float, default=0.05, help="share of uploads that are hostile files")
    parser.add_argument("--tick-pause", type=float, default=0.02, help="real seconds after each simulated hour")
    parser.add_argument("--settle-s", type=float, default=300, help="at most this long to settle each week")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()
    weeks = run(args)
    text = report(args, weeks)
    print(text)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write(text)


if __name__ == "__main__":
    main()
