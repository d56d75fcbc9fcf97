"""The `ai.request` use case with fakes: what it writes, publishes and records, and how it fails."""

from __future__ import annotations

import uuid

import pytest

from shared.ai import paths
from shared.ai.contracts import AiRequest, AiResult
from shared.ai.contracts.aids import StudyAids, Usage
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.ai.local.generator import LocalGenerator
from shared.ai.use_cases.generate import estimated_tokens, generate_study_aids
from shared.media.contracts import MediaRequest
from shared.platform.blobs_memory import MemoryBlobStore
from shared.platform.errors import InvalidArgument, QuotaExceeded, Unavailable
from shared.platform.streams import MemoryPublisher
from tests.support.ai_docs import lecture
from tests.support.fakes_ai import FakeQuota, FakeRuns, ScriptedGenerator

USER = uuid.UUID("00000000-0000-4000-8000-000000000001")
DOC = uuid.UUID("00000000-0000-4000-8000-0000000000d1")
REQUEST = AiRequest(doc_id=DOC, user_id=USER)


def _aids() -> StudyAids:
    aids = LocalGenerator().generate(lecture(pages=3))
    return aids.model_copy(update={"usage": Usage(model="m", prompt_tokens=700, completion_tokens=300)})


def _ingested() -> MemoryBlobStore:
    blobs = MemoryBlobStore()
    blobs.ensure_containers()
    structure = lecture(pages=3).model_dump_json().encode()
    blobs.put(
        container="derived", path=paths.structure_path(USER, DOC), data=structure, content_type="application/json"
    )
    return blobs


def _run(
    generator: ScriptedGenerator,
    *,
    runs: FakeRuns | None = None,
    blobs: MemoryBlobStore | None = None,
    quota: FakeQuota | None = None,
) -> tuple[FakeRuns, MemoryBlobStore, MemoryPublisher, FakeQuota]:
    runs = runs or FakeRuns(owner_id=USER)
    blobs = blobs or _ingested()
    quota = quota or FakeQuota()
    publisher = MemoryPublisher()
    generate_study_aids(request=REQUEST, runs=runs, blobs=blobs, publisher=publisher, generator=generator, quota=quota)
    return runs, blobs, publisher, quota


def _derived(blobs: MemoryBlobStore) -> set[str]:
    return {path for container, path in blobs.blobs if container == "derived"}


def test_a_run_writes_the_markdown_commits_the_aids_and_publishes_result_and_narration() -> None:
    aids = _aids()
    runs, blobs, publisher, quota = _run(ScriptedGenerator(aids))
    assert runs.committed == [aids]
    assert runs.stages == [("running", None), ("done", None)]
    assert _derived(blobs) == {
        paths.structure_path(USER, DOC),
        paths.notes_path(USER, DOC),
        paths.slides_path(USER, DOC),
    }
    assert blobs.get(container="derived", path=paths.slides_path(USER, DOC)).decode().count("\n---\n") >= 1
    result, media = publisher.published
    assert isinstance(result, AiResult) and result.status == "done" and result.generator == aids.generator
    assert isinstance(media, MediaRequest) and [s.title for s in media.slides] == [s.title for s in aids.slides]
    assert quota.required == [estimated_tokens(lecture(pages=3))]
    assert quota.spent == [1_000]


def test_a_course_without_media_gets_no_narration_request() -> None:
    _, _, publisher, _ = _run(ScriptedGenerator(_aids()), runs=FakeRuns(owner_id=USER, media=False))
    assert [type(m) for m in publisher.published] == [AiResult]


def test_a_generator_failure_is_permanent_recorded_and_published() -> None:
    runs = FakeRuns(owner_id=USER)
    publisher = MemoryPublisher()
    generator = ScriptedGenerator(error=GenerationFailed("NO_TEXT", "the document has no sentences"))
    with pytest.raises(InvalidArgument, match="no sentences"):
        generate_study_aids(
            request=REQUEST, runs=runs, blobs=_ingested(), publisher=publisher, generator=generator, quota=FakeQuota()
        )
    assert runs.stages == [("running", None), ("failed", "NO_TEXT")]
    assert runs.committed == []
    (result,) = publisher.published
    assert isinstance(result, AiResult) and (result.status, result.error_code) == ("failed", "NO_TEXT")


def test_a_spent_quota_refuses_before_the_generator_runs() -> None:
    runs, publisher, generator = FakeRuns(owner_id=USER), MemoryPublisher(), ScriptedGenerator(_aids())
    quota = FakeQuota(left=10)
    with pytest.raises(QuotaExceeded):
        generate_study_aids(
            request=REQUEST, runs=runs, blobs=_ingested(), publisher=publisher, generator=generator, quota=quota
        )
    assert generator.seen == []
    assert runs.stages[-1] == ("failed", "QUOTA_EXCEEDED")
    assert quota.spent == []
    (result,) = publisher.published
    assert isinstance(result, AiResult) and result.error_code == "QUOTA_EXCEEDED"


def test_a_provider_outage_is_retried_by_the_queue_and_publishes_nothing() -> None:
    runs, publisher = FakeRuns(owner_id=USER), MemoryPublisher()
    generator = ScriptedGenerator(error=ProviderUnavailable("429 past the retry budget"))
    with pytest.raises(Unavailable):
        generate_study_aids(
            request=REQUEST, runs=runs, blobs=_ingested(), publisher=publisher, generator=generator, quota=FakeQuota()
        )
    assert runs.stages[-1] == ("failed", "UNAVAILABLE")
    assert publisher.published == []


def test_a_missing_structure_fails_with_its_own_code() -> None:
    empty = MemoryBlobStore()
    empty.ensure_containers()
    runs, publisher = FakeRuns(owner_id=USER), MemoryPublisher()
    with pytest.raises(InvalidArgument, match="ingest the document first"):
        generate_study_aids(
            request=REQUEST,
            runs=runs,
            blobs=empty,
            publisher=publisher,
            generator=ScriptedGenerator(_aids()),
            quota=FakeQuota(),
        )
    assert runs.stages[-1] == ("failed", "NO_STRUCTURE")


def test_a_redelivery_republishes_the_stored_deck_without_generating() -> None:
    aids = _aids()
    runs = FakeRuns(owner_id=USER, done=True, deck=(aids.generator, aids.slides))
    generator = ScriptedGenerator(aids)
    runs, _, publisher, quota = _run(generator, runs=runs)
    assert generator.seen == [] and quota.required == [] and runs.committed == []
    assert runs.stages == [("done", None)]
    assert [type(m) for m in publisher.published] == [AiResult, MediaRequest]


def test_a_request_naming_someone_elses_document_is_refused_untouched() -> None:
    runs, publisher, generator = FakeRuns(owner_id=uuid.uuid4()), MemoryPublisher(), ScriptedGenerator(_aids())
    with pytest.raises(InvalidArgument, match="does not exist"):
        generate_study_aids(
            request=REQUEST, runs=runs, blobs=_ingested(), publisher=publisher, generator=generator, quota=FakeQuota()
        )
    assert runs.stages == [] and generator.seen == [] and publisher.published == []


def test_a_document_deleted_mid_run_leaves_no_files_and_no_result() -> None:
    runs, blobs, publisher, _ = _run(ScriptedGenerator(_aids()), runs=FakeRuns(owner_id=USER, deleted=True))
    assert _derived(blobs) == set()
    assert runs.committed == [] and publisher.published == []
