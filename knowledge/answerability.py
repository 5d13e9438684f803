"""Answerability: features of a ranking that tell how likely its first article answers the question.

A score threshold means something else on every knowledge base, and the self-chosen ones missed both ways on
sets the team does not have. One way out is a logistic model over what the ranking shows about one question,
fitted across many knowledge bases: the first article's score, its lead over the runner-up, how far it stands
out from the next ones, the lexical confidence of that article (before any rerank) and whether the lexical
ranking put it first too, the share of the question's idf its phrasings hold, how long the question is, and the
share of its words the knowledge base does not know.

``benchmarks/answerability_train.py`` fits such a model and measures it leave-one-knowledge-base-out against the
self-calibration (knowledge.calibration). Measured on 2026-12-07 it did not beat the calibration (docs/judgement.md,
section 2), so the bot does not use it: the decision stays the calibrated thresholds. The features stay here so the
measurement can be repeated as the ranking changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from knowledge.model import Hit
from knowledge.query import Query

FEATURES = ("score", "gap", "standout", "lexical", "lexical_first", "coverage", "length", "unknown")
PEERS = 4  # ``standout``: the first score above the mean of this many next ones

Model = tuple[float, tuple[float, ...]]  # intercept, one weight per FEATURES


@dataclass(frozen=True)
class Evidence:
    """What the ranking knew besides the final hits: per candidate its lexical confidence (before any rerank and
    the lead) and the share of the question's idf its phrasings hold, and the lexical ranking's first."""

    lexical: Mapping[str, float] = field(default_factory=dict)
    coverage: Mapping[str, float] = field(default_factory=dict)
    lexical_first: str | None = None


def features(q: Query, hits: Sequence[Hit], evidence: Evidence) -> tuple[float, ...]:
    """The FEATURES of a ranking (``hits`` best first, the lead already in the first score)."""
    if not hits:
        return (0.0,) * len(FEATURES)
    first = hits[0]
    scores = [h.score for h in hits[1:1 + PEERS]]
    runner_up = scores[0] if scores else 0.0
    rest = sum(scores) / len(scores) if scores else 0.0
    words = len(q.groups)
    unknown = sum(1 for _, _, known in q.groups if not known) / words if words else 0.0
    aid = first.article.id
    return (first.score, first.score - runner_up, first.score - rest, evidence.lexical.get(aid, 0.0),
            1.0 if evidence.lexical_first == aid else 0.0, evidence.coverage.get(aid, 0.0),
            math.log1p(words), unknown)


def probability(x: Sequence[float], model: Model) -> float:
    """P(the first article is right) under ``model`` for the features ``x``."""
    intercept, weights = model
    z = intercept + sum(w * v for w, v in zip(weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
