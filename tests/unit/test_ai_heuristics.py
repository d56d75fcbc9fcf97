"""The local generator's judgement with small inputs: statements vs fragments, key terms, grounding."""

from __future__ import annotations

import pytest

from shared.ai.contracts.aids import Citation
from shared.ai.language.grounding import SUPPORTED, stems, support
from shared.ai.language.statements import as_statement, fragment_reason, is_statement
from shared.ai.language.text import Sentence, content_words
from shared.ai.local.keyterms import term_problem
from shared.ai.local.terms import key_terms


@pytest.mark.parametrize(
    "text",
    [
        "A heuristic is a function that estimates the cost from a node to the nearest goal.",
        "Graph search keeps track of visited nodes, so we do not visit the same node twice.",
        "Consistent heuristics satisfy the triangle inequality along every arc.",
        "It returns the shallowest goal first.",
        "Attention weighs the values of every token.",  # an -s verb not in the list, before an article
    ],
)
def test_complete_statements_pass(text: str) -> None:
    assert fragment_reason(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A “black box”, any data structure that supports:", "no full stop at the end"),
        ("5 variables, 5 constraints.", "mostly numbers"),
        ("Variables and constraints.", "too short"),
        ("Training a neural network with momentum.", "no verb"),
        ("the frontier holds the paths still to explore.", "does not start like a sentence"),
        ("How many outputs will the network need?", "a question"),
        ("Problem 3.7 Consider fitting the model using a least squares loss.", "an exercise"),
        ("Show that the loss is convex in the parameters.", "an exercise"),
        ("The cost is defined by the (sum of the.", "unbalanced brackets or quotes"),
        ("Halts if: If there is a path to a goal, it finds one.", "ends mid-phrase"),
        ("If is consistent, then A* graph search finds the shortest path.", "garbled"),
        ("The value of lets us limit space and parallelism.", "garbled"),
        ("Theorem: whenever A* expands a node , the optimal path has been found.", "garbled"),
        (" ".join(["The search"] + ["then expands the node"] * 12) + ".", "too long for one statement"),
    ],
)
def test_fragments_are_named(text: str, reason: str) -> None:
    found = fragment_reason(text)
    assert found is not None and found.startswith(reason)


def test_a_slide_line_missing_only_its_full_stop_becomes_a_statement() -> None:
    assert as_statement("Random restarts help hill climbing escape local maxima") == (
        "Random restarts help hill climbing escape local maxima."
    )
    assert as_statement("Local maxima, ridges and plateaux") is None  # no verb: a list of nouns
    assert as_statement("An implementation of random steps:") is None  # a lead-in stays a lead-in
    assert is_statement("Random restarts help hill climbing escape local maxima.")


def test_a_model_sentence_with_an_unknown_verb_passes_without_the_verb_test() -> None:
    assert fragment_reason("Convolutions tie weights across positions.") == "no verb"
    assert fragment_reason("Convolutions tie weights across positions.", verb=False) is None


@pytest.mark.parametrize(
    ("term", "uses", "problem"),
    [
        ("Chapter 7", 5, "a number or numbered label"),
        ("5", 9, "a number or numbered label"),
        ("Words", 6, "too generic"),
        ("the frontier", 4, "starts or ends with a stop word"),
        ("search finds", 3, "ends with a verb"),
        ("admissible heuristic", 1, "does not recur"),
        ("Regularization where ϵi", 3, "not a noun phrase"),
        ("f[x] loss", 3, "not a noun phrase"),
    ],
)
def test_terms_that_are_not_worth_learning(term: str, uses: int, problem: str) -> None:
    assert term_problem(term, uses=uses) == problem


def test_a_heading_used_once_is_not_a_term_but_a_defined_term_is() -> None:
    assert term_problem("Iterative deepening", uses=1, headings={"iterative deepening"}) == "a heading"
    assert term_problem("Iterative deepening", uses=1, defined=True) is None
    assert term_problem("admissible heuristic", uses=3) is None
    assert term_problem("A* search", uses=3) is None and term_problem("L2 regularization", uses=2) is None


def _sentence(text: str, position: int) -> Sentence:
    return Sentence(text, 0, position, Citation(section="S", page=1), content_words(text))


def test_key_terms_skip_numbers_labels_and_verbs() -> None:
    texts = [
        "Chapter 7 covers the admissible heuristic in 5 variables.",
        "An admissible heuristic never overestimates; chapter 7 has 5 variables.",
        "Each admissible heuristic returns a bound, and search returns a path.",
    ]
    terms = key_terms([_sentence(t, i) for i, t in enumerate(texts)])
    assert "admissible heuristic" in terms
    assert not {"chapter", "chapter 7", "returns", "5 variables", "heuristic returns"} & set(terms)


def test_support_is_the_share_of_content_words_on_the_page() -> None:
    page = stems("Admissible heuristics never overestimate the true cost to a goal.")
    assert support("An admissible heuristic never overestimates the cost.", page) == 1.0
    assert support("Heuristics are learned by gradient descent.", page) < SUPPORTED
    assert support("It is.", page) == 0.0  # nothing a page could support


def test_slide_lines_run_together_are_not_a_statement() -> None:
    text = "Uniform-cost search expand the node with the lowest path cost cost from start node to complete."
    assert fragment_reason(text) == "garbled (a lost formula or slide lines run together)"
