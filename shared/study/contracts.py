"""Contracts of the study context: what the review, quiz, plan, settings and ask routes take and answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Rating = Literal["again", "hard", "good", "easy"]
CardState = Literal["learning", "review", "relearning"]
PageUnit = Literal["page", "slide"]


class SourceView(BaseModel):
    """Where an item comes from: the document, the section heading and its page or slide."""

    document_id: uuid.UUID
    document_title: str
    section: str
    page: int | None


class DueCard(BaseModel):
    card_id: str
    front: str
    back: str
    tags: list[str]
    state: CardState
    due: datetime
    reps: int
    lapses: int
    source: SourceView


class DuePage(BaseModel):
    cards: list[DueCard]
    total_due: int = Field(description="All cards due now under the same filters, not only this page")


class ReviewRequest(BaseModel):
    """One answer to one card. `review_id` makes a retried POST count once."""

    model_config = ConfigDict(extra="forbid")

    review_id: uuid.UUID
    document_id: uuid.UUID
    rating: Rating
    duration_ms: int = Field(ge=0, le=3_600_000, description="Time spent on the card")


class ReviewResult(BaseModel):
    review_id: uuid.UUID
    card_id: str
    rating: Rating
    state: CardState
    due: datetime
    reviewed_at: datetime
    replayed: bool = Field(description="True when this review_id was already counted")


class StudySettings(BaseModel):
    daily_minutes: int = Field(ge=5, le=600)
    digest: bool = Field(description="A daily email with the day's plan (never sent when notifications are off)")


class StudySettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # `"digest": 0` is not a yes or a no

    daily_minutes: int | None = Field(default=None, ge=5, le=600)
    digest: bool | None = None


class PlanItem(BaseModel):
    kind: Literal["reviews", "reading"]
    minutes: int
    document_id: uuid.UUID | None = None
    document_title: str | None = None
    card_count: int = 0
    assignment_id: uuid.UUID | None = None
    assignment_name: str | None = None
    due_at: datetime | None = None


class PlanDay(BaseModel):
    day: date
    minutes: int
    items: list[PlanItem]


class AtRisk(BaseModel):
    assignment_id: uuid.UUID
    assignment_name: str
    due_at: datetime
    minutes_short: int


class Plan(BaseModel):
    computed_at: datetime
    daily_minutes: int
    days: list[PlanDay]
    at_risk: list[AtRisk] = Field(description="Assignments whose reading does not fit the budget before they are due")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=3, max_length=500)
    course_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None

    @field_validator("question")
    @classmethod
    def _printable(cls, value: str) -> str:
        # Like a search query: control characters are no question (and PostgreSQL refuses NUL).
        if any((ord(char) < 32 and char not in "\t\n\r") or ord(char) == 127 for char in value):
            raise ValueError("the question contains control characters")
        return value


class AnswerCitation(BaseModel):
    document_id: uuid.UUID
    document_title: str
    section: str
    page: int | None
    unit: PageUnit | None


class AnswerSentence(BaseModel):
    text: str
    citations: list[AnswerCitation] = Field(min_length=1)


class Answer(BaseModel):
    question: str
    generator: str = Field(description="`local` (extractive) or the model that wrote the answer")
    found: bool = Field(description="False when nothing in the caller's material matches the question")
    sentences: list[AnswerSentence]
    refused: str | None = Field(
        default=None, description="Why a generated answer was refused (and the extractive one given instead)"
    )


QuestionKind = Literal["multiple_choice", "cloze"]


class QuizRequest(BaseModel):
    """A quiz over one document or every document of a course (exactly one of them)."""

    model_config = ConfigDict(extra="forbid")

    document_id: uuid.UUID | None = None
    course_id: uuid.UUID | None = None
    count: int = Field(default=10, ge=1, le=50)


class Question(BaseModel):
    id: str
    kind: QuestionKind
    prompt: str
    choices: list[str] | None = Field(description="Multiple choice only; answer with the choice's text")
    card_id: str | None
    source: SourceView


class StoredQuestion(Question):
    """A question as kept on the server: with its answer, never sent before grading."""

    answer: str


class Quiz(BaseModel):
    id: uuid.UUID
    generator: str
    created_at: datetime
    questions: list[Question]
    graded: bool


class QuizAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str = Field(min_length=1, max_length=20)
    answer: str = Field(max_length=2000)


class QuizSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[QuizAnswer] = Field(max_length=50)
    duration_ms: int = Field(default=0, ge=0, le=86_400_000)


class GradedQuestion(BaseModel):
    question_id: str
    correct: bool
    given: str | None
    answer: str
    source: SourceView
    next_due: datetime | None = Field(description="When the question's card is due again (it fed the scheduler)")


class QuizResult(BaseModel):
    quiz_id: uuid.UUID
    score: int
    total: int
    questions: list[GradedQuestion]
