"""`POST /v1/ask`: an answer from the caller's own material, every sentence citing its source."""

from __future__ import annotations

import uuid

from shared.platform.db import Conn
from shared.search.service import passages_for
from shared.study.adapters import ChatSetup
from shared.study.ask.embeddings import Embedder
from shared.study.ask.extractive import extractive_answer
from shared.study.ask.grounded import Refused, grounded_answer
from shared.study.ask.rerank import rerank
from shared.study.contracts import Answer, AskRequest
from shared.study.store import check_scope

PASSAGES = 8
CANDIDATES = 24  # full-text candidates reranked by meaning when embeddings are configured


def ask(
    conn: Conn,
    *,
    user_id: uuid.UUID,
    request: AskRequest,
    chat: ChatSetup | None = None,
    embedder: Embedder | None = None,
) -> Answer:
    """Retrieve, then answer extractively, or with `chat` when given (falling back when refused)."""
    check_scope(conn, user_id=user_id, course_id=request.course_id, doc_id=request.document_id)
    passages = passages_for(
        conn,
        user_id=user_id,
        text=request.question,
        limit=PASSAGES if embedder is None else CANDIDATES,
        course_id=request.course_id,
        document_id=request.document_id,
    )
    if embedder is not None:
        passages = rerank(
            conn, user_id=user_id, question=request.question, passages=passages, embedder=embedder, keep=PASSAGES
        )
    refused = None
    if chat is not None and passages:
        client, model, retry = chat
        try:
            sentences = grounded_answer(chat=client, retry=retry, question=request.question, passages=passages)
            return Answer(question=request.question, generator=model, found=True, sentences=sentences)
        except Refused as exc:
            refused = str(exc)
    sentences = extractive_answer(request.question, passages)
    return Answer(
        question=request.question, generator="local", found=bool(sentences), sentences=sentences, refused=refused
    )
