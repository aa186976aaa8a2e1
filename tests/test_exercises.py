"""Every exercise: the right answer passes, known mistakes are explained, the notebooks
agree.

The "predict, then change the code" exercises are run in their notebooks' own cells, with
Keras as the oracle, by test_exercise_cells.py.
"""

import json
import re

import numpy as np
import pytest

from going_deeper.exercises import (
    CHANGE_EXERCISES,
    EXERCISES,
    check,
    feedback,
    solution,
)
from tools.course import read_course, series_notebooks
from tools.sync import as_markdown

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
        else answer + " or not"
        if isinstance(answer, str)
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
    right, message = feedback("04.1", "100416")
    assert not right and "should be a number" in message


def test_answers_in_other_forms_are_accepted():
    assert feedback("01.2", [25, 25, 10])[0]
    assert feedback("05.1", np.array([[7, 8], [9, 6]]))[0]
    assert feedback("04.1", 100_416.0)[0]
    assert not feedback("06.1", True)[0]
    assert feedback("06.1", " Validation")[0]  # a word: case and spaces aside


def test_when_a_word_is_expected_and_a_number_given_then_the_message_asks_for_a_word():
    right, message = feedback("06.1", 3)
    assert not right and "should be a word in quotes" in message


def test_when_a_shape_keeps_keras_batch_axis_then_the_message_says_to_drop_it():
    right, message = feedback("02.1", (None, 26, 26, 8))
    assert not right and "batch axis" in message
    right, message = feedback("02.1", (None, 24, 24, 8))  # wrong sizes too: no such hint
    assert not right and "batch axis" not in message


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
        assert as_markdown(solution(ex_id)) in folded
        assert as_markdown(exercise.question.splitlines()[0]) in "".join(
            cells[i - 1]["source"]
        )
        outputs = "".join("".join(o.get("text", "")) for o in cells[i]["outputs"])
        assert (
            outputs.startswith(f"Exercise {ex_id}: write your")
            and outputs.count("\n") == 1
        )
        seen[ex_id] = name
    assert sorted(seen) == sorted(IDS + CHANGE_IDS)
    # every notebook with exercises has a "change the code" one
    assert {name[:2] for ex_id, name in seen.items() if ex_id in CHANGE_EXERCISES} == {
        entry.number for entry in read_course().notebooks if entry.exercises
    }


@pytest.mark.parametrize("exercise_id", IDS + CHANGE_IDS)
def test_when_a_wrong_answer_is_not_a_known_mistake_then_the_exercise_hints(exercise_id):
    exercise = {**EXERCISES, **CHANGE_EXERCISES}[exercise_id]
    assert exercise.hint.strip(), f"exercise {exercise_id} has no hint"
    if exercise_id in EXERCISES:
        right, message = feedback(exercise_id, unforeseen(exercise.answer))
        assert not right and message.endswith(f"Hint: {exercise.hint}")


def unforeseen(answer):
    """A wrong answer of the right kind that no exercise lists as a known mistake."""
    if isinstance(answer, str):
        return "an answer nobody gives"
    if isinstance(answer, (list, tuple, np.ndarray)):
        return [unforeseen(part) for part in answer]
    return -7_919


def printed_forms(answer):
    """How an answer would read if a cell or the prose gave it away: a count of 100 or
    more as 1,234 or 1234, a shape as (13, 13, 8) or 13x13x8. Small numbers and words
    occur everywhere, so they are not searched for."""
    answer = answer.tolist() if isinstance(answer, np.ndarray) else answer
    if isinstance(answer, int) and not isinstance(answer, bool):
        return [f"{answer:,}", str(answer)] if answer >= 100 else []
    if isinstance(answer, (list, tuple)) and all(isinstance(n, int) for n in answer):
        return [str(tuple(answer)), "x".join(str(n) for n in answer)]
    if isinstance(answer, (list, tuple)):
        return [form for part in answer for form in printed_forms(part)]
    return []


def text_before_exercises(path):
    cells = json.loads(path.read_text())["cells"]
    text = []
    for cell in cells:
        source = "".join(cell["source"])
        if source.startswith("## Exercises"):
            break
        text.append(source)
        for output in cell.get("outputs", []):
            text.append("".join(output.get("text", "")))
            text.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


@pytest.mark.parametrize("exercise_id", IDS + CHANGE_IDS)
def test_when_a_notebook_is_read_up_to_its_exercises_then_no_answer_is_given_away(
    exercise_id,
):
    exercise = {**EXERCISES, **CHANGE_EXERCISES}[exercise_id]
    path = next(p for p in series_notebooks() if p.name.startswith(exercise_id[:2]))
    text = text_before_exercises(path)
    for form in printed_forms(exercise.answer):
        assert not re.search(rf"(?<![\d,]){re.escape(form)}(?![\d,])", text), (
            f"{path.name} shows {form}, the answer to exercise {exercise_id}, before its "
            "exercises: change the example or the exercise."
        )


def test_when_an_answer_is_printed_earlier_then_the_search_finds_it(tmp_path):
    path = tmp_path / "02_x.ipynb"
    cells = [
        {"cell_type": "code", "source": ["x"], "outputs": [{"text": "-> (13, 13, 8)"}]},
        {"cell_type": "markdown", "source": ["## Exercises"]},
    ]
    path.write_text(json.dumps({"cells": cells}))
    text = text_before_exercises(path)
    assert any(form in text for form in printed_forms((13, 13, 8)))
    assert not any(form in text for form in printed_forms(100_416))
