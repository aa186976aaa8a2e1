"""Every exercise: the right answer passes, known mistakes are explained, the notebooks
agree.

For the "predict, then change the code" exercises Keras is the oracle: the test makes the
change the exercise asks for and the checker compares the prediction with the built model.
"""

import json

import keras
import numpy as np
import pytest
from keras import layers

from going_deeper.exercises import (
    CHANGE_EXERCISES,
    EXERCISES,
    change_feedback,
    check,
    check_change,
    feedback,
    solution,
)
from tools.paths import series_notebooks

IDS = sorted(EXERCISES)
CHANGE_IDS = sorted(CHANGE_EXERCISES)


@pytest.mark.parametrize("exercise_id", IDS)
def test_right_answer_passes(exercise_id, capsys):
    assert (
        check(exercise_id, EXERCISES[exercise_id].answer) is None
    )  # prints; no stray True/False
    assert capsys.readouterr().out.startswith("Right!")


@pytest.mark.parametrize(
    "exercise_id, wrong, why",
    [(ex_id, wrong, why) for ex_id in IDS for wrong, why in EXERCISES[ex_id].mistakes],
)
def test_known_mistakes_are_explained(exercise_id, wrong, why):
    right, message = feedback(exercise_id, wrong)
    assert not right and message == f"Not quite: {why}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_other_wrong_answers_are_refused(exercise_id):
    answer = EXERCISES[exercise_id].answer
    wrong = (
        [[cell + 1 for cell in row] for row in answer]
        if isinstance(answer, list) and isinstance(answer[0], list)
        else tuple(v + 1 for v in answer)
        if isinstance(answer, tuple)
        else answer + 1
    )
    right, message = feedback(exercise_id, wrong)
    assert not right and message.startswith("Not quite")


def test_unanswered_and_wrongly_typed_answers():
    assert feedback("01.1", None) == (
        False,
        "Exercise 01.1: write your answer in place of None, then run the cell again.",
    )
    right, message = feedback("01.2", 25)
    assert not right and "should be a list or tuple" in message
    right, message = feedback("03.1", "100416")
    assert not right and "should be a number" in message


def test_answers_in_other_forms_are_accepted():
    assert feedback("01.2", [25, 25, 10])[0]
    assert feedback("04.1", np.array([[7, 8], [9, 6]]))[0]
    assert feedback("03.1", 100_416.0)[0]
    assert not feedback("05.1", True)[0]


# The models of each "change the code" exercise, before and after the change it asks for.
def _model(*hidden):
    return keras.Sequential(
        [keras.Input((28, 28, 1)), *hidden, layers.Flatten(), layers.Dense(10)]
    )


def _final(rate, shape=(28, 28, 1)):
    def block(filters):
        return [
            layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPool2D(2),
        ]

    return keras.Sequential(
        [
            keras.Input(shape),
            *block(16),
            *block(32),
            *block(64),
            layers.Flatten(),
            layers.Dropout(rate),
            layers.Dense(10),
        ]
    )


BEFORE_AND_AFTER = {
    "01.3": lambda k: _model(layers.Conv2D(10, k)),
    "02.3": lambda k: _model(layers.Conv2D(10, 2, padding="same"), layers.Conv2D(10, k)),
    "03.3": lambda p: _model(
        layers.Conv2D(10, 3, padding=p), layers.Conv2D(10, 3, padding=p)
    ),
    "04.3": lambda p: _model(
        layers.Conv2D(5, 3, padding=p),
        layers.MaxPool2D(2),
        layers.Conv2D(15, 3, padding=p),
        layers.MaxPool2D(2),
    ),
    "05.3": _final,
    "06.3": lambda shape: _final(0.25, shape),
}
CHANGES = {
    "01.3": (2, 3),
    "02.3": (2, 3),
    "03.3": ("same", "valid"),
    "04.3": ("valid", "same"),
    "05.3": (0.25, 0.5),
    "06.3": ((28, 28, 1), (32, 32, 3)),
}


def test_every_change_exercise_has_a_model_pair():
    assert sorted(BEFORE_AND_AFTER) == CHANGE_IDS == sorted(CHANGES)


@pytest.mark.parametrize("exercise_id", CHANGE_IDS)
def test_change_exercise_asks_for_a_prediction_then_the_change(exercise_id):
    before, after = (
        BEFORE_AND_AFTER[exercise_id](value) for value in CHANGES[exercise_id]
    )
    right, message = change_feedback(exercise_id, None, before)
    assert not right and message.startswith(
        f"Exercise {exercise_id}: write your prediction in place of None"
    )
    right, message = change_feedback(
        exercise_id, CHANGE_EXERCISES[exercise_id].answer, before
    )
    assert (
        not right
        and message.startswith("Your prediction is")
        and "run the cell again" in message
    )


@pytest.mark.parametrize("exercise_id", CHANGE_IDS)
def test_right_prediction_matches_what_keras_builds(exercise_id, capsys):
    after = BEFORE_AND_AFTER[exercise_id](CHANGES[exercise_id][1])
    assert check_change(exercise_id, CHANGE_EXERCISES[exercise_id].answer, after) is None
    assert capsys.readouterr().out.startswith("Right! Keras built")


@pytest.mark.parametrize(
    "exercise_id, wrong, why",
    [
        (ex_id, wrong, why)
        for ex_id in CHANGE_IDS
        for wrong, why in CHANGE_EXERCISES[ex_id].mistakes
    ],
)
def test_change_exercise_mistakes_are_explained(exercise_id, wrong, why):
    after = BEFORE_AND_AFTER[exercise_id](CHANGES[exercise_id][1])
    right, message = change_feedback(exercise_id, wrong, after)
    assert not right and message.endswith(why) and "Keras built" in message


def test_change_exercise_other_wrong_predictions_show_what_keras_built():
    after = BEFORE_AND_AFTER["03.3"]("valid")
    right, message = change_feedback("03.3", 1, after)
    assert (
        not right
        and message
        == "Not quite: you predicted 1, Keras built 58620. Check each step again."
    )


def _exercise_cells():
    """(notebook name, index, cells) of every cell tagged `exercise`."""
    for path in series_notebooks():
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            if "exercise" in cell["metadata"].get("tags", []):
                yield path.name, i, cells


def test_each_exercise_appears_once_with_its_question_and_folded_solution():
    seen = {}
    for name, i, cells in _exercise_cells():
        source = "".join(cells[i]["source"])
        kind, ex_id = (
            ("change", source.split('check_change("')[1].split('"')[0])
            if "check_change(" in source
            else ("predict", source.split('check("')[1].split('"')[0])
        )
        exercise = (CHANGE_EXERCISES if kind == "change" else EXERCISES)[ex_id]
        assert ("prediction = None" if kind == "change" else "answer = None") in source
        assert name.startswith(ex_id[:2]) and ex_id not in seen
        folded = "".join(cells[i + 1]["source"])
        assert folded.startswith(f"<details><summary>Solution {ex_id}</summary>")
        assert solution(ex_id) in folded
        assert exercise.question.splitlines()[0] in "".join(cells[i - 1]["source"])
        outputs = "".join("".join(o.get("text", "")) for o in cells[i]["outputs"])
        assert (
            outputs.startswith(f"Exercise {ex_id}: write your")
            and outputs.count("\n") == 1
        )
        seen[ex_id] = name
    assert sorted(seen) == sorted(IDS + CHANGE_IDS)
    assert {name[:2] for ex_id, name in seen.items() if ex_id in CHANGE_EXERCISES} == {
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
    }
