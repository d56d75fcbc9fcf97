"""Fakes for the AI context's use cases: plain classes that record what happened.

`FakeRuns` keeps a run's database side in fields (stage history, committed aids); `FakeQuota`
records what was asked and spent; `ScriptedGenerator` returns fixed aids or raises a given error.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shared.ai.contracts import AiRequest
from shared.ai.contracts.aids import Slide, StudyAids
from shared.documents.contracts import Structure
from shared.platform.errors import QuotaExceeded
from shared.platform.stages import Status
from shared.quota.contracts import METRICS, Metric, Usage


@dataclass
class FakeRuns:
    """One document, owned by `owner`; `deleted` makes the commit find it gone."""

    owner_id: uuid.UUID | None
    done: bool = False
    deleted: bool = False
    media: bool = True
    deck: tuple[str, list[Slide]] | None = None
    stages: list[tuple[Status, str | None]] = field(default_factory=list)
    committed: list[StudyAids] = field(default_factory=list)

    def owner(self, doc_id: uuid.UUID) -> uuid.UUID | None:
        del doc_id  # one document
        return self.owner_id

    def already_done(self, request: AiRequest) -> bool:
        del request
        return self.done

    def set_stage(
        self, doc_id: uuid.UUID, status: Status, *, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        del doc_id, error_message
        self.stages.append((status, error_code))

    def stored(self, request: AiRequest) -> tuple[str, list[Slide]] | None:
        del request
        if self.deck is not None:
            self.stages.append(("done", None))
        return self.deck

    def media_wanted(self, doc_id: uuid.UUID) -> bool:
        del doc_id
        return self.media

    def commit(
        self, request: AiRequest, aids: StudyAids, *, notes_path: str, slides_path: str, duration_ms: int
    ) -> bool:
        del request, notes_path, slides_path, duration_ms
        if self.deleted:
            return False
        if not self.done:
            self.committed.append(aids)
            self.stages.append(("done", None))
            self.done = True
        return True


@dataclass
class FakeQuota:
    """Allows up to `left` tokens; records each estimate checked and each amount spent."""

    left: int = 1_000_000
    required: list[int] = field(default_factory=list)
    spent: list[int] = field(default_factory=list)

    def require(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        del user_id, metric
        self.required.append(amount)
        if amount > self.left:
            raise QuotaExceeded("AI tokens: the daily quota is spent", resets_at="2026-03-03T00:00:00Z")

    def record(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        del user_id, metric
        self.spent.append(amount)

    def charge(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        self.require(user_id=user_id, metric=metric, amount=amount)
        self.record(user_id=user_id, metric=metric, amount=amount)

    def usage(self, *, user_id: uuid.UUID, metrics: tuple[Metric, ...] = METRICS) -> list[Usage]:
        del user_id, metrics
        return []


class ScriptedGenerator:
    """Returns `aids`, or raises `error`; records the structures it was given."""

    name = "scripted"

    def __init__(self, aids: StudyAids | None = None, *, error: Exception | None = None) -> None:
        self.aids = aids
        self.error = error
        self.seen: list[Structure] = []

    def generate(self, structure: Structure) -> StudyAids:
        self.seen.append(structure)
        if self.error is not None:
            raise self.error
        assert self.aids is not None, "a ScriptedGenerator needs aids or an error"
        return self.aids
