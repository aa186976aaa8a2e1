"""Comparing models over seeds and class by class (notebooks 02, 05, 06 and 07)."""

import dataclasses
import math

import numpy as np
import pytest

from going_deeper import (
    Verdict,
    compare_runs,
    comparing,
    confusion_matrix,
    mean_range,
    most_confused,
    seed_verdict,
)

# With p <= alpha as the rule, the false-positive rate is at most alpha; over 2,000
# simulated comparisons its estimate has a standard error of about 0.005, so 0.015
# allows three of them. For 5 + 5 runs the exact test's rate is 2 * 6 / 252 = 0.048.
FALSE_POSITIVE_TOLERANCE = 0.015


def test_when_mean_range_is_given_scores_then_it_uses_the_sample_sd():
    values = [0.9, 0.92, 0.94]
    line = mean_range(values)
    assert line == "mean 0.9200, sd 0.0200, range 0.9000 to 0.9400"
    assert f"sd {np.std(values, ddof=1):.4f}" in line
    assert f"{np.std(values):.4f}" not in line


def test_when_three_runs_are_fully_separated_then_p_is_exactly_one_tenth():
    verdict = compare_runs([1, 2, 3], [4, 5, 6], "a", "b")
    assert verdict.p_value == pytest.approx(0.1)
    assert verdict.min_p == pytest.approx(0.1)
    assert verdict.difference == pytest.approx(-3)
    assert not verdict.detected


def test_when_five_runs_are_fully_separated_then_p_is_two_in_252():
    verdict = compare_runs(
        [0.91, 0.92, 0.93, 0.94, 0.95], [0.96, 0.97, 0.98, 0.99, 1.0], "a", "b"
    )
    assert verdict.p_value == pytest.approx(2 / 252)
    assert verdict.min_p == pytest.approx(2 / 252)
    assert verdict.detected


def test_when_a_case_is_counted_by_hand_then_p_matches():
    # [1, 2] vs [3, 5]: |difference| 2.5; of the 6 relabellings, {1,2}/{3,5} and its
    # swap reach 2.5, {1,3}/{2,5} gives 1.5, {1,5}/{2,3} gives 0.5 (and their swaps).
    assert compare_runs([1, 2], [3, 5], "a", "b").p_value == pytest.approx(2 / 6)
    # Unequal counts, [0, 0] vs [0, 10, 20]: |difference| 10. Of the C(5, 2) = 10 ways
    # to call two of the five runs "a", the 3 pairs of zeros give -10 and {10, 20} gives
    # 15; {0, 10} (3 ways) gives -1.67 and {0, 20} (3 ways) 6.67. So 4 of 10.
    assert compare_runs([0, 0], [0, 10, 20], "a", "b").p_value == pytest.approx(4 / 10)


def test_when_a_and_b_are_swapped_then_p_is_the_same_and_the_difference_negated():
    a, b = [0.91, 0.93, 0.92, 0.95], [0.94, 0.96, 0.93]
    forward, backward = compare_runs(a, b, "a", "b"), compare_runs(b, a, "b", "a")
    assert forward.p_value == backward.p_value
    assert forward.difference == pytest.approx(-backward.difference)


def test_when_the_runs_are_equal_then_p_is_one():
    verdict = compare_runs([0.9, 0.9, 0.9], [0.9, 0.9, 0.9], "a", "b")
    assert verdict.p_value == 1.0 and not verdict.detected
    assert compare_runs([1, 2, 3], [3, 2, 1], "a", "b").p_value == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("n_a", "n_b", "min_p"),
    [(2, 2, 2 / 6), (3, 3, 0.1), (5, 5, 2 / 252), (3, 5, 1 / 56), (2, 3, 1 / 10)],
)
def test_when_the_run_counts_are_known_then_min_p_is_the_smallest_reachable(
    n_a, n_b, min_p
):
    a, b = np.arange(n_a, dtype=float) ** 2, 100 + np.arange(n_b, dtype=float) ** 3
    verdict = compare_runs(a, b, "a", "b")
    assert verdict.min_p == pytest.approx(min_p)
    assert verdict.p_value == pytest.approx(min_p)  # fully separated, skewed: reached


def test_when_models_train_alike_then_few_comparisons_are_detected():
    rng = np.random.default_rng(2024)
    runs = rng.normal(0.9, 0.01, size=(2_000, 2, 5))
    detected = np.mean([compare_runs(a, b, "a", "b").detected for a, b in runs])
    assert 0.02 < detected <= 0.05 + FALSE_POSITIVE_TOLERANCE


def test_when_the_shift_is_three_standard_deviations_then_most_are_detected():
    rng = np.random.default_rng(7)
    runs = rng.normal(0.0, 1.0, size=(500, 2, 5))
    detected = np.mean([compare_runs(a + 3, b, "a", "b").detected for a, b in runs])
    assert detected > 0.8


def test_when_there_are_too_many_relabellings_then_a_seeded_monte_carlo_runs(monkeypatch):
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 12), rng.normal(0.3, 1, 12)
    assert math.comb(24, 12) > comparing.EXACT_LIMIT
    verdict = compare_runs(a, b, "a", "b")
    assert verdict.method == "permutation test, 100,000 random relabellings"
    assert verdict.method in str(verdict)
    assert verdict.p_value == compare_runs(a, b, "a", "b").p_value  # seeded
    # Close to the exact p: C(24, 12) = 2,704,156 relabellings are too many to count
    # here, so compare on 7 + 7 runs (3,432): counted, then sampled (limit lowered).
    small_a, small_b = a[:7], b[:7] + 0.8
    exact = compare_runs(small_a, small_b, "a", "b")
    monkeypatch.setattr(comparing, "EXACT_LIMIT", 100)
    sampled = compare_runs(small_a, small_b, "a", "b")
    assert exact.method == "exact permutation test" and sampled.method != exact.method
    assert sampled.p_value == pytest.approx(exact.p_value, abs=0.01)


def dropout_gap_verdict():
    """Five gaps with dropout against five without, fully separated: p = 2/252."""
    return compare_runs(
        [0.030, 0.034, 0.035, 0.036, 0.038],
        [0.050, 0.053, 0.055, 0.057, 0.061],
        "dropout 0.5",
        "no dropout",
        "gap",
    )


def test_when_a_difference_is_detected_then_the_line_says_it_in_points():
    verdict = dropout_gap_verdict()
    assert (
        str(verdict)
        == verdict.line()
        == (
            "dropout 0.5 - no dropout: gap -2.06 points (mean 3.46 against 5.52 over "
            "5 runs each); p = 0.008 (exact permutation test): a difference this large "
            "is unlikely by chance (alpha 0.05)"
        )
    )
    raw = dataclasses.replace(verdict, points=False)
    assert "gap -0.0206 (mean 0.0346 against 0.0552" in str(raw)


def test_when_nothing_is_detected_then_the_line_says_no_evidence_either_way():
    verdict = compare_runs([0.90, 0.93, 0.91, 0.94], [0.92, 0.95, 0.90, 0.93], "a", "b")
    assert not verdict.detected
    assert "no evidence either way at these runs (alpha 0.05)" in str(verdict)
    assert "no difference" not in str(verdict)


def test_when_min_p_is_above_alpha_then_the_verdict_says_it_can_never_be_detected():
    verdict = compare_runs([0.90, 0.91, 0.92], [0.95, 0.96, 0.97], "a", "b")
    assert verdict.min_p > verdict.alpha
    assert str(verdict).endswith(
        "no evidence either way at these runs "
        "(3 runs each can never reach p <= 0.05: min p = 0.1)"
    )
    assert "can never reach p <= 0.05" in verdict.finding("a changed accuracy")


def test_when_a_finding_is_written_then_it_has_the_p_value_and_the_run_counts():
    verdict = dropout_gap_verdict()
    assert verdict.finding("dropout changed the train-validation gap") == (
        "Finding: dropout changed the train-validation gap by -2.06 points "
        "(5.52 -> 3.46), p = 0.008 over 5 runs each: detected at alpha 0.05."
    )
    unclear = compare_runs(
        [0.90, 0.93, 0.91, 0.94, 0.92], [0.91, 0.92, 0.90, 0.92, 0.89], "a", "b"
    )
    sentence = unclear.finding("a changed validation accuracy")
    assert sentence.startswith("Finding: a changed validation accuracy by ")
    assert unclear.p_value == pytest.approx(80 / 252)
    assert "by +1.20 points (90.80 -> 92.00), p = 0.317 over 5 runs each" in sentence
    assert sentence.endswith("not detected (no evidence either way).")
    assert "\n" not in sentence


def test_when_runs_are_too_few_then_compare_runs_says_how_many_it_needs():
    with pytest.raises(ValueError, match="at least 2 runs"):
        compare_runs([0.9], [0.8, 0.85], "a", "b")


def test_when_a_verdict_is_made_then_it_is_frozen():
    verdict = compare_runs([1, 2], [3, 4], "a", "b")
    assert isinstance(verdict, Verdict)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.p_value = 0.0


def test_when_seed_verdict_is_called_then_it_is_the_one_rule():
    scores = {"a": [0.90, 0.93, 0.91], "b": [0.92, 0.95, 0.96]}
    assert seed_verdict(scores, "a", "b") == str(
        compare_runs(scores["a"], scores["b"], "a", "b")
    )
    assert seed_verdict(scores, "b", "a", "gap").startswith("b - a: gap +")


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


def test_when_p_is_below_a_thousandth_then_the_line_says_p_below_not_p_equals():
    verdict = compare_runs(list(range(20)), [x + 100 for x in range(20)], "a", "b")
    assert "p < 0.001" in verdict.line() and "p = <" not in verdict.line()
    assert "p < 0.001" in verdict.finding("a changed it")
