"""The LLM generator: one structured-output request per chunk of sections, validated, then merged."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from shared.ai.adapters import ChatClient, Completion
from shared.ai.adapters.retry import RetryPolicy, call_with_retries
from shared.ai.adapters.schema import response_format
from shared.ai.contracts.aids import StudyAids, Usage
from shared.ai.errors import GenerationFailed
from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk, chunk_structure, estimate_tokens, within_budget
from shared.ai.llm.merge import merge_chunks
from shared.ai.llm.parallel import ordered_map
from shared.ai.llm.prompt import SYSTEM, chunk_messages, correction, unsupported
from shared.ai.llm.validate import InvalidOutput, parse_answer
from shared.ai.llm.verify import failing_items, without
from shared.documents.contracts import Structure


@dataclass(frozen=True)
class Checked:
    answer: ChunkAids
    dropped: int


class OpenAiGenerator:
    def __init__(
        self,
        *,
        chat: ChatClient,
        model: str,
        chunk_tokens: int,
        document_budget: int,
        max_output_tokens: int,
        invalid_retries: int,
        retry: RetryPolicy,
        parallel: int = 1,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = model
        self.chat = chat
        self.chunk_tokens = chunk_tokens
        self.document_budget = document_budget
        self.max_output_tokens = max_output_tokens
        self.invalid_retries = invalid_retries
        self.retry = retry
        self.parallel = parallel
        self.sleep = sleep
        self._lock = threading.Lock()
        self.format = response_format(ChunkAids)

    def generate(self, structure: Structure) -> StudyAids:
        chunks = chunk_structure(structure, budget=self.chunk_tokens)
        if not chunks:
            raise GenerationFailed("NO_TEXT", "the document has no text to make study aids from")
        # Planned up front (requests run in parallel): the prompt and a full answer per request.
        per_request = estimate_tokens(SYSTEM) + self.max_output_tokens
        planned = within_budget(chunks, budget=self.document_budget, per_request=per_request)
        usage = Usage(model=self.name, truncated=len(planned) < len(chunks))

        def answer(item: tuple[int, Chunk]) -> tuple[Chunk, Checked]:
            index, chunk = item
            return chunk, self._checked(structure.title, chunk, index, len(planned), usage)

        checked = ordered_map(answer, list(enumerate(planned, start=1)), workers=self.parallel)
        answers = [(chunk, c.answer) for chunk, c in checked]
        aids = merge_chunks(title=structure.title, answers=answers, model=self.name, usage=usage)
        aids.notes.truncated = usage.truncated
        aids.notes.unsupported_dropped = sum(c.dropped for _, c in checked)
        return aids

    def _checked(self, title: str, chunk: Chunk, index: int, total: int, usage: Usage) -> Checked:
        """A valid answer whose items the cited sections support: one re-ask naming the failing
        items, then whatever still fails is left out (and counted)."""
        messages = chunk_messages(title=title, chunk=chunk, index=index, total=total)
        answer, messages = self._answer(messages, chunk, index, total, usage)
        failing = failing_items(answer, chunk)
        if failing:
            messages = [*messages, unsupported([f.describe() for f in failing])]
            try:
                answer, _ = self._answer(messages, chunk, index, total, usage)
            except GenerationFailed as exc:
                if exc.code != "INVALID_OUTPUT":
                    raise
                # The re-ask only came back invalid: keep the first answer, minus what fails.
            failing = failing_items(answer, chunk)
        return Checked(without(answer, failing), len(failing))

    def _answer(
        self, messages: list[dict[str, str]], chunk: Chunk, index: int, total: int, usage: Usage
    ) -> tuple[ChunkAids, list[dict[str, str]]]:
        """A valid answer and the conversation ending with it."""
        problem = "no answer"
        for _ in range(self.invalid_retries + 1):
            completion = self._complete(messages, usage)
            reply = {"role": "assistant", "content": completion.content or ""}
            try:
                return parse_answer(_content(completion), chunk), [*messages, reply]
            except InvalidOutput as exc:
                with self._lock:
                    usage.invalid_outputs += 1
                problem = str(exc)
                messages = [*messages, reply, correction(problem)]
        pages = sorted({p.source.page for p in chunk.parts if p.source.page is not None})
        where = f"part {index} of {total}" + (f" (pages {pages[0]}-{pages[-1]})" if pages else "")
        attempts = self.invalid_retries + 1
        raise GenerationFailed(
            "INVALID_OUTPUT", f"{self.name} gave invalid output {attempts} times for {where}: {problem}"
        )

    def _complete(self, messages: list[dict[str, str]], usage: Usage) -> Completion:
        def call() -> Completion:
            return self.chat.complete(messages=messages, response_format=self.format, max_tokens=self.max_output_tokens)

        completion, retries = call_with_retries(call, policy=self.retry, sleep=self.sleep)
        with self._lock:
            usage.requests += 1 + retries
            usage.retries += retries
            usage.prompt_tokens += completion.prompt_tokens
            usage.completion_tokens += completion.completion_tokens
        return completion


def _content(completion: Completion) -> str | None:
    if completion.refusal:
        raise InvalidOutput(f"the model refused: {completion.refusal}")
    if completion.finish_reason == "length":
        raise InvalidOutput("the answer was cut off at the output token limit")
    return completion.content
