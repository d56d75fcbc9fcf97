"""TextRank over sentences: a graph weighted by shared content words, ranked by power iteration."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

DAMPING = 0.85
ITERATIONS = 30
#: Words in more than this share of sentences link everything to everything; they are ignored.
MAX_WORD_SHARE = 0.25


def textrank(word_sets: Sequence[frozenset[str]]) -> list[float]:
    """A score per sentence (same order); deterministic for the same input."""
    n = len(word_sets)
    if n == 0:
        return []
    edges = _edges(word_sets)
    scores = [1.0 / n] * n
    for _ in range(ITERATIONS):
        scores = _step(scores, edges, n)
    return scores


def _edges(word_sets: Sequence[frozenset[str]]) -> dict[int, dict[int, float]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(word_sets):
        for word in words:
            postings[word].append(index)
    limit = max(2, int(len(word_sets) * MAX_WORD_SHARE))
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for ids in postings.values():
        if 1 < len(ids) <= limit:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    overlap[(a, b)] += 1
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), shared in overlap.items():
        weight = shared / (math.log(len(word_sets[a]) + 1) + math.log(len(word_sets[b]) + 1))
        edges[a][b] = weight
        edges[b][a] = weight
    return edges


def _step(scores: list[float], edges: dict[int, dict[int, float]], n: int) -> list[float]:
    out_weight = {node: sum(links.values()) for node, links in edges.items()}
    fresh = [(1 - DAMPING) / n] * n
    for node, links in edges.items():
        share = scores[node] / out_weight[node]
        for other, weight in links.items():
            fresh[other] += DAMPING * share * weight
    return fresh
