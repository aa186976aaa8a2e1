"""Comparing models fairly: over seeds, and class by class.

Over seeds (worked through in 02_going_deeper): a few training runs per model give a
few scores each, and ``compare_runs`` asks how often shuffling the labels "a" and "b"
over those scores gives a difference of means at least as large as the one measured.
That share is p: the chance of a difference this large if the two models trained alike.
It is not the chance the effect is real, nor its size; and with about 25 verdicts in
the course, about 1 in 20 comparisons of models that differ in nothing would still
read as detected at alpha 0.05, which is why the headline claims are declared before
they run and the rest are exploratory.

Class by class (worked through in 08_harder_data): a confusion matrix says which
classes a model mixes up.
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

EXACT_LIMIT = 200_000  # most relabellings enumerated one by one
MONTE_CARLO_DRAWS = 100_000  # random relabellings beyond that
MONTE_CARLO_SEED = 0
ALPHA = 0.05  # the course's threshold: detected at p <= ALPHA (exercise 03.3)


def _p_text(p):
    """``= 0.008``, or ``< 0.001`` for the smallest: what follows "p" in a line."""
    return "< 0.001" if p < 0.001 else "= " + f"{p:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Verdict:
    """One comparison of two models over their runs, from ``compare_runs``.

    ``difference`` is ``mean_a - mean_b``; ``p_value`` the share of relabellings of the
    runs whose difference of means is at least as large (either sign); ``min_p`` the
    smallest p these run counts can ever give; ``detected`` is ``p_value <= alpha``.
    ``str(verdict)`` is ``verdict.line()``; ``verdict.finding(effect)`` is the one-line
    "Finding: " sentence. Worked through in 02_going_deeper.
    """

    name_a: str
    name_b: str
    what: str
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    difference: float
    p_value: float
    min_p: float
    alpha: float
    detected: bool
    method: str = "exact permutation test"
    points: bool = True

    def _value(self, x, sign=""):
        return f"{100 * x:{sign}.2f}" if self.points else f"{x:{sign}.4f}"

    def _runs(self):
        if self.n_a == self.n_b:
            return f"{self.n_a} runs each"
        return f"{self.n_a} and {self.n_b} runs"

    def _never(self):
        """Why these runs can never be detected, or "" when they can."""
        if self.min_p <= self.alpha:
            return ""
        return (
            f"{self._runs()} can never reach p <= {self.alpha:g}: "
            f"min p {_p_text(self.min_p)}"
        )

    def line(self):
        """One line: the difference of means, p, and what p says at ``alpha``."""
        unit = " points" if self.points else ""
        if self.detected:
            conclusion = (
                f"a difference this large is unlikely by chance (alpha {self.alpha:g})"
            )
        else:
            conclusion = (
                "no evidence either way at these runs "
                f"({self._never() or f'alpha {self.alpha:g}'})"
            )
        return (
            f"{self.name_a} - {self.name_b}: {self.what} "
            f"{self._value(self.difference, '+')}{unit} "
            f"(mean {self._value(self.mean_a)} against {self._value(self.mean_b)} "
            f"over {self._runs()}); p {_p_text(self.p_value)} ({self.method}): "
            f"{conclusion}"
        )

    def __str__(self):
        return self.line()

    def finding(self, effect):
        """One sentence starting "Finding: ": ``effect`` (e.g. "dropout changed the
        train-validation gap"), by how much from ``name_b`` to ``name_a``, p, and whether
        that is detected at ``alpha``.
        """
        unit = " points" if self.points else ""
        if self.detected:
            outcome = f"detected at alpha {self.alpha:g}."
        else:
            never = f"; {self._never()}" if self._never() else ""
            outcome = f"not detected (no evidence either way{never})."
        return (
            f"Finding: {effect} by {self._value(self.difference, '+')}{unit} "
            f"({self._value(self.mean_b)} -> {self._value(self.mean_a)}), "
            f"p {_p_text(self.p_value)} over {self._runs()}: {outcome}"
        )


@lru_cache(maxsize=8)
def _labellings(n, k):
    """Every way to pick which ``k`` of ``n`` runs are called "a": one row each."""
    return np.array(list(combinations(range(n), k)), dtype=np.intp)


def _sums_of_a(values, n_a, total):
    """The sum of group "a" under every relabelling (exact) or random ones."""
    if total <= EXACT_LIMIT:
        return values[_labellings(len(values), n_a)].sum(axis=1)
    rng = np.random.default_rng(MONTE_CARLO_SEED)
    sums = []
    for start in range(0, MONTE_CARLO_DRAWS, 10_000):
        draws = min(10_000, MONTE_CARLO_DRAWS - start)
        shuffled = rng.permuted(np.tile(values, (draws, 1)), axis=1)
        sums.append(shuffled[:, :n_a].sum(axis=1))
    return np.concatenate(sums)


def smallest_p(n_a, n_b):
    """The smallest p the exact test can give for ``n_a`` and ``n_b`` runs: 2 / C(n_a +
    n_b, n_a) when they are equal (a labelling and its swap give the same difference), 1
    / C(n_a + n_b, n_a) otherwise."""
    return (2 if n_a == n_b else 1) / math.comb(n_a + n_b, n_a)


def fewest_runs(alpha=ALPHA):
    """The fewest runs of each of two models (as many of one as of the other) with which
    the exact test can reach ``p <= alpha`` at all: 4 at 0.05, 5 at 0.01 (notebook 07,
    exercise 07.3)."""
    return next(n for n in range(1, 100) if smallest_p(n, n) <= alpha)


def compare_runs(
    a, b, name_a, name_b, what="validation accuracy", alpha=ALPHA, points=True
):
    """Compare two models by their scores over runs (one score per seed, unpaired).

    The two-sided permutation test of the difference of means: p is the share of the
    ways to relabel the pooled runs as "a" and "b" (same counts) whose difference of
    means is at least as large as the one measured, either sign, the measured labelling
    included (ties within 1e-12, times the largest score when that is above 1). All
    C(n_a + n_b, n_a) relabellings are counted when that is at most 200,000 (exact);
    beyond that, 100,000 random relabellings with a fixed seed (Monte Carlo, p counted
    as (hits + 1) / (100,000 + 1)). Worked through in 02_going_deeper.

    ``min_p``, the smallest p these run counts can give, is 2 / C(n_a + n_b, n_a) when
    n_a == n_b (a labelling and its swap give the same difference: 0.1 for 3 + 3,
    0.0079 for 5 + 5), 1 / C(n_a + n_b, n_a) otherwise, and at least 1 / 100,001 under
    Monte Carlo; when it is above ``alpha`` no outcome of these runs can be detected,
    and the verdict says so. ``points=True`` shows scores in percentage points (x100,
    2 decimals), for accuracies and gaps; ``points=False`` shows them raw (4 decimals).
    """
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    if len(a) < 2 or len(b) < 2:
        raise ValueError(
            f"{name_a} has {len(a)} runs and {name_b} {len(b)}; compare at least 2 runs "
            "of each (one score per seed)."
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError(f"{name_a} or {name_b} has a score that is not a finite number.")
    n_a, n_b = len(a), len(b)
    values = np.concatenate([a, b])
    observed = a.mean() - b.mean()
    total = math.comb(n_a + n_b, n_a)
    sums = _sums_of_a(values, n_a, total)
    differences = sums / n_a - (values.sum() - sums) / n_b
    tolerance = 1e-12 * max(1.0, float(np.abs(values).max()))
    hits = int(np.count_nonzero(np.abs(differences) >= abs(observed) - tolerance))
    min_p = smallest_p(n_a, n_b)
    if total <= EXACT_LIMIT:
        p_value, method = hits / total, "exact permutation test"
    else:
        p_value = (hits + 1) / (MONTE_CARLO_DRAWS + 1)
        method = f"permutation test, {MONTE_CARLO_DRAWS:,} random relabellings"
        min_p = max(min_p, 1 / (MONTE_CARLO_DRAWS + 1))
    return Verdict(
        name_a=name_a,
        name_b=name_b,
        what=what,
        n_a=n_a,
        n_b=n_b,
        mean_a=float(a.mean()),
        mean_b=float(b.mean()),
        difference=float(observed),
        p_value=float(p_value),
        min_p=float(min_p),
        alpha=alpha,
        detected=bool(p_value <= alpha),
        method=method,
        points=points,
    )


def mean_range(values):
    """One line: mean, sample standard deviation ("sd", ddof=1: divided by n - 1, as a
    few seeds call for) and range of a model's scores over its seeds.
    """
    return (
        f"mean {np.mean(values):.4f}, sd {np.std(values, ddof=1):.4f}, "
        f"range {min(values):.4f} to {max(values):.4f}"
    )


def seed_verdict(scores, a, b, what="validation accuracy"):
    """One line comparing models ``a`` and ``b`` of ``scores`` (name -> one value per
    seed): ``str(compare_runs(scores[a], scores[b], a, b, what))``, the course's one rule.
    """
    return str(compare_runs(scores[a], scores[b], a, b, what))


def confusion_matrix(labels, predictions, n_classes=10):
    """``matrix[true, predicted]``: how many images of class ``true`` were predicted as
    ``predicted``. The diagonal holds the right answers; each row sums to the images of
    that class.
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(
            f"labels and predictions differ in shape: {labels.shape} and "
            f"{predictions.shape}; pass one predicted class per image (argmax)."
        )
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (labels.astype(int), predictions.astype(int)), 1)
    return matrix


def most_confused(matrix, k=3):
    """The ``k`` largest off-diagonal cells: ``[(true, predicted, count), ...]``, the
    most frequent mistake first (ties: lower classes first).
    """
    off = np.array(matrix, dtype=int)
    np.fill_diagonal(off, -1)
    order = np.argsort(-off, axis=None, kind="stable")[:k]
    rows, cols = np.unravel_index(order, off.shape)
    return [(int(r), int(c), int(off[r, c])) for r, c in zip(rows, cols, strict=True)]
