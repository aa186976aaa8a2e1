"""Comparing models fairly: over seeds, and class by class.

A difference between two models counts only when their ranges over the seeds do not
overlap (worked through in 02_going_deeper; 04_pooling writes ``seed_verdict``); a
confusion matrix says which classes a model mixes up (worked through in 06_harder_data).
"""

import numpy as np


def mean_range(values):
    """One line: mean, standard deviation and range of a model's scores over its seeds."""
    return (
        f"mean {np.mean(values):.4f}, std {np.std(values):.4f}, "
        f"range {min(values):.4f} to {max(values):.4f}"
    )


def seed_verdict(scores, a, b, what="validation accuracy"):
    """One line comparing models ``a`` and ``b`` of ``scores`` (name -> one value per
    seed): the difference of their means, and whether their ranges overlap.
    """
    difference = np.mean(scores[a]) - np.mean(scores[b])
    if min(scores[a]) <= max(scores[b]) and min(scores[b]) <= max(scores[a]):
        verdict = "the ranges overlap: within seed-to-seed noise"
    else:
        verdict = f"the ranges do not overlap: higher for {a if difference > 0 else b}"
    return (
        f"{a} - {b}: {difference:+.4f} mean {what}; {verdict} "
        f"({len(scores[a])} seeds each)"
    )


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
