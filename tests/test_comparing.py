"""Comparing models over seeds and class by class (notebooks 02, 04, 05 and 06)."""

import numpy as np
import pytest

from going_deeper import confusion_matrix, mean_range, most_confused, seed_verdict


def test_mean_range_gives_mean_spread_and_range():
    assert mean_range([0.9, 0.92, 0.94]) == (
        "mean 0.9200, std 0.0163, range 0.9000 to 0.9400"
    )


def test_overlapping_ranges_are_called_noise():
    scores = {"a": [0.90, 0.93], "b": [0.92, 0.95]}
    line = seed_verdict(scores, "a", "b")
    assert line.startswith("a - b: -0.0200 mean validation accuracy;")
    assert "within seed-to-seed noise (2 seeds each)" in line


def test_separate_ranges_name_the_higher_model_whichever_side_it_is_on():
    scores = {"a": [0.90, 0.91], "b": [0.95, 0.96]}
    assert "higher for b" in seed_verdict(scores, "a", "b")
    assert "higher for b" in seed_verdict(scores, "b", "a", "gap")
    assert "mean gap" in seed_verdict(scores, "b", "a", "gap")


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    labels = [0, 0, 1, 1, 1, 2]
    predictions = [0, 1, 1, 1, 2, 2]
    matrix = confusion_matrix(labels, predictions, n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 2, 1], [0, 0, 1]]
    assert matrix.sum() == len(labels) and np.trace(matrix) == 4


def test_confusion_matrix_refuses_mismatched_shapes_with_the_fix():
    with pytest.raises(ValueError, match="one predicted class per image"):
        confusion_matrix([0, 1, 2], np.zeros((3, 10)))


def test_most_confused_lists_the_largest_mistakes_first_and_skips_the_diagonal():
    matrix = np.array([[50, 3, 9], [7, 40, 0], [9, 1, 60]])
    assert most_confused(matrix, k=3) == [(0, 2, 9), (2, 0, 9), (1, 0, 7)]
