"""Fair admission to stage streams against real Redis: one user's backlog never holds up another's."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from shared.container import Container
from shared.platform.consumer import StreamConsumer
from shared.platform.drain import DrainLimits, DrainReport, StageHandler, drain
from shared.platform.errors import InvalidArgument
from shared.platform.lanes import FairLanes, in_bulk_context
from shared.platform.messages import Message
from shared.platform.streams import PARKED, StreamPublisher, dead_key, stream_key

STREAM = "fair.request"
NEXT = "fair.next"
GROUP = "fair:group"
WINDOW = 2


class Work(Message):
    stream: ClassVar[str] = STREAM

    user_id: str
    n: int
    backfill: bool = False
    fail: bool = False

    def spec_fields(self) -> dict[str, str]:
        return {"user_id": self.user_id}

    def is_bulk(self) -> bool:
        return self.backfill


class NextWork(Message):
    stream: ClassVar[str] = NEXT

    user_id: str
    n: int

    def spec_fields(self) -> dict[str, str]:
        return {"user_id": self.user_id}


@dataclass
class Lane:
    container: Container
    prefix: str
    publisher: StreamPublisher
    lanes: FairLanes
    done: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def consumer(self, stream: str = STREAM) -> StreamConsumer:
        return StreamConsumer(
            self.container.redis,
            key=stream_key(self.prefix, stream),
            dead_key=dead_key(self.prefix, stream),
            group=GROUP,
            consumer="c1",
            visibility_timeout_ms=60_000,
            lanes=self.lanes,
        )

    def record(self, message: Message) -> None:
        if not isinstance(message, Work | NextWork):
            raise TypeError(type(message).__name__)
        if isinstance(message, Work) and message.fail:
            raise InvalidArgument("this one is bad input")
        with self.lock:
            self.done.append((message.user_id, message.n))

    def drain(self, handle: Callable[[Message], None] | None = None, *, budget_s: float = 1.5) -> DrainReport:
        handler = StageHandler(STREAM, Work, handle or self.record)
        return drain(self.consumer(), handler, DrainLimits(budget_s=budget_s, max_deliveries=3, block_ms=50))

    def raw(self, stream: str) -> list[dict[bytes, bytes]]:
        entries: Any = self.container.redis.xrange(stream_key(self.prefix, stream))
        return [fields for _id, fields in entries]


@pytest.fixture
def lane(container: Container) -> Iterator[Lane]:
    prefix = f"{container.settings.stream_prefix}{uuid.uuid4().hex[:6]}:"
    lanes = FairLanes(container.redis, window=WINDOW, bulk_window=1)
    publisher = StreamPublisher(container.redis, prefix=prefix, lanes=lanes, fair=(STREAM, NEXT))
    yield Lane(container, prefix, publisher, lanes)
    keys = list(container.redis.scan_iter(match=f"{prefix}*"))
    if keys:
        container.redis.delete(*keys)


def _positions(done: list[tuple[str, int]]) -> dict[str, int]:
    first: dict[str, int] = {}
    for position, (user, _n) in enumerate(done):
        first.setdefault(user, position)
    return first


def test_one_users_backlog_holds_each_other_users_item_behind_a_bounded_number(lane: Lane) -> None:
    heavy = "heavy"
    parked = [lane.publisher.publish(Work(user_id=heavy, n=i)) for i in range(200)]
    assert parked.count(PARKED) == 200 - WINDOW  # only the window is in the stream
    others = [f"other{i}" for i in range(10)]
    for user in others:
        lane.publisher.publish(Work(user_id=user, n=0))

    lane.drain()

    assert len(lane.done) == 210
    assert [n for user, n in lane.done if user == heavy] == list(range(200))  # a user's own order holds
    first = _positions(lane.done)
    bound = WINDOW * 11 + 2  # the window of every user, plus what the drain holds in hand
    assert max(first[user] for user in others) < bound, lane.done[:bound]
    assert lane.container.redis.hlen(stream_key(lane.prefix, STREAM) + ".fair") == 0  # counts settle to zero


def test_an_upload_goes_ahead_of_a_backfill(lane: Lane) -> None:
    for i in range(50):
        lane.publisher.publish(Work(user_id="backfiller", n=i, backfill=True))
    lane.publisher.publish(Work(user_id="backfiller", n=100))  # the same user's own upload
    lane.publisher.publish(Work(user_id="student", n=0))

    lane.drain()

    assert len(lane.done) == 52
    assert _positions(lane.done)["student"] <= 2  # behind at most the one backfill item admitted
    order = [n for user, n in lane.done if user == "backfiller"]
    assert order.index(100) <= 1  # the backfiller's upload jumps its own backfill
    assert len(lane.raw(STREAM)) == 0  # trimmed: everything was acknowledged


def test_work_taken_from_a_backfill_stays_bulk_in_the_next_stage(lane: Lane) -> None:
    seen: list[bool] = []

    def forward(message: Message) -> None:
        if not isinstance(message, Work):
            raise TypeError(type(message).__name__)
        seen.append(in_bulk_context())
        lane.publisher.publish(NextWork(user_id=message.user_id, n=message.n))

    lane.publisher.publish(Work(user_id="u", n=1, backfill=True))
    lane.publisher.publish(Work(user_id="v", n=2))
    lane.drain(forward, budget_s=0.5)

    assert sorted(seen) == [False, True]
    lanes = {fields[b"user_id"]: fields.get(b"lane") for fields in lane.raw(NEXT)}
    assert lanes == {b"u": b"bulk", b"v": None}


def test_a_dead_lettered_entry_lets_the_users_next_item_in(lane: Lane) -> None:
    lane.publisher.publish(Work(user_id="u", n=0, fail=True))
    for i in range(1, 5):
        lane.publisher.publish(Work(user_id="u", n=i))

    report = lane.drain(budget_s=0.8)

    assert (report.dead, report.acked) == (1, 4)
    assert [n for _u, n in lane.done] == [1, 2, 3, 4]
    dead: Any = lane.container.redis.xrange(dead_key(lane.prefix, STREAM))
    assert len(dead) == 1


def test_a_message_republished_while_it_waits_is_parked_once(lane: Lane) -> None:
    for i in range(WINDOW):
        lane.publisher.publish(Work(user_id="u", n=i))
    waiting = Work(user_id="u", n=99)
    for _ in range(3):  # the reconciler finds the document still queued, again and again
        assert lane.publisher.publish(waiting) == PARKED
    key = stream_key(lane.prefix, STREAM)
    assert lane.container.redis.llen(f"{key}.parked:u") == 1

    lane.drain(budget_s=0.8)

    assert [n for _u, n in lane.done] == [0, 1, 99]
    assert lane.container.redis.scard(f"{key}.parked.ids") == 0


def test_parked_work_is_let_in_when_the_counts_have_drifted(lane: Lane) -> None:
    key = stream_key(lane.prefix, STREAM)
    for i in range(3):
        lane.publisher.publish(Work(user_id="u", n=i))
    lane.consumer().ensure_group()
    lane.container.redis.delete(key)  # the admitted entries are lost; their counts stay
    lane.consumer().ensure_group()

    lane.drain(budget_s=0.8)

    assert [n for _u, n in lane.done] == [2]


def test_streams_outside_the_fair_set_are_plain_appends(lane: Lane) -> None:
    plain = StreamPublisher(lane.container.redis, prefix=lane.prefix, lanes=lane.lanes, fair=())
    ids = [plain.publish(Work(user_id="u", n=i)) for i in range(5)]
    assert PARKED not in ids
    assert len(lane.raw(STREAM)) == 5


def test_work_parked_before_fair_share_was_turned_off_is_still_let_in(lane: Lane) -> None:
    for i in range(5):
        lane.publisher.publish(Work(user_id="u", n=i))  # two in the stream, three parked
    plain = StreamPublisher(lane.container.redis, prefix=lane.prefix)  # FAIR_SHARE=false from here on
    plain.publish(Work(user_id="u", n=5))

    lane.drain(budget_s=0.8)

    assert sorted(n for _u, n in lane.done) == [0, 1, 2, 3, 4, 5]
    counts: Any = lane.container.redis.hgetall(stream_key(lane.prefix, STREAM) + ".fair")
    assert counts == {}  # every count settled back to nothing
