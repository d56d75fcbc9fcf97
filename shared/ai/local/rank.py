"""TextRank over sentences: a graph weighted by shared content words, ranked by power iteration.

Each sentence keeps only its strongest links (`NEIGHBOURS`), which bounds the work on long
documents (a few thousand sentences) without changing which sentences come out on top.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Sequence

DAMPING = 0.85
#: The top of the ranking settles long before the scores do (top 40 identical to 50 iterations on the corpus).
MAX_ITERATIONS = 30
TOLERANCE = 1e-6
NEIGHBOURS = 12
#: Words in more than this share of sentences link everything to everything; they are ignored.
MAX_WORD_SHARE = 0.25

Links = list[list[tuple[int, float]]]
Incoming = list[tuple[Callable[[list[float]], tuple[float, ...]], tuple[float, ...]] | None]


def textrank(word_sets: Sequence[frozenset[str]]) -> list[float]:
    """A score per sentence (same order); deterministic for the same input."""
    n = len(word_sets)
    if n == 0:
        return []
    incoming = _incoming(_transitions(_edges(word_sets), n), n)
    scores = [1.0 / n] * n
    for _ in range(MAX_ITERATIONS):
        fresh = _step(scores, incoming, n)
        converged = sum(map(abs, map(operator.sub, fresh, scores))) < TOLERANCE
        scores = fresh
        if converged:
            break
    return scores


def _edges(word_sets: Sequence[frozenset[str]]) -> dict[tuple[int, int], float]:
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
    sizes = [math.log(len(words) + 1) for words in word_sets]
    return {(a, b): shared / (sizes[a] + sizes[b]) for (a, b), shared in overlap.items()}


def _transitions(edges: dict[tuple[int, int], float], n: int) -> Links:
    """Per node, its strongest neighbours with weights normalised to sum to one."""
    neighbours: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    for (a, b), weight in edges.items():
        neighbours[a].append((weight, b))
        neighbours[b].append((weight, a))
    links: Links = []
    for candidates in neighbours:
        strongest = sorted(candidates, reverse=True)[:NEIGHBOURS]  # as heapq.nlargest, but in C
        total = sum(weight for weight, _ in strongest)
        links.append([(other, weight / total) for weight, other in strongest])
    return links


def _incoming(links: Links, n: int) -> Incoming:
    """Per node, a getter of the scores of the nodes linking to it, and those links' weights.

    Each getter picks one extra index (weight 0) so it always returns a tuple; gathering with
    `itemgetter` and summing with `map` keeps the power iteration's inner loops in C."""
    sources: list[list[int]] = [[] for _ in range(n)]
    weights: list[list[float]] = [[] for _ in range(n)]
    for node, outgoing in enumerate(links):
        for other, weight in outgoing:
            sources[other].append(node)
            weights[other].append(weight)
    return [
        (operator.itemgetter(*ids, ids[0]), (*w, 0.0)) if ids else None for ids, w in zip(sources, weights, strict=True)
    ]


def _step(scores: list[float], incoming: Incoming, n: int) -> list[float]:
    base = (1 - DAMPING) / n
    return [
        base + DAMPING * sum(map(operator.mul, pick[0](scores), pick[1])) if pick is not None else base
        for pick in incoming
    ]
