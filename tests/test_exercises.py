"""Every exercise: the right answer passes, known mistakes are explained, the notebooks agree."""

import json
from pathlib import Path

import numpy as np
import pytest

from going_deeper.exercises import EXERCISES, check, feedback, solution

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
IDS = sorted(EXERCISES)


@pytest.mark.parametrize("exercise_id", IDS)
def test_right_answer_passes(exercise_id, capsys):
    assert check(exercise_id, EXERCISES[exercise_id].answer) is True
    assert capsys.readouterr().out.startswith("Right!")


@pytest.mark.parametrize("exercise_id, wrong, why", [
    (ex_id, wrong, why) for ex_id in IDS for wrong, why in EXERCISES[ex_id].mistakes])
def test_known_mistakes_are_explained(exercise_id, wrong, why):
    right, message = feedback(exercise_id, wrong)
    assert not right and message == f"Not quite: {why}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_other_wrong_answers_are_refused(exercise_id):
    answer = EXERCISES[exercise_id].answer
    wrong = [[cell + 1 for cell in row] for row in answer] if isinstance(answer, list) and isinstance(answer[0], list) \
        else tuple(v + 1 for v in answer) if isinstance(answer, tuple) else answer + 1
    right, message = feedback(exercise_id, wrong)
    assert not right and message.startswith("Not quite")


def test_unanswered_and_wrongly_typed_answers():
    assert feedback("01.1", None) == (False, "Exercise 01.1: write your answer in place of None, then run the cell again.")
    right, message = feedback("01.2", 25)
    assert not right and "should be a list or tuple" in message
    right, message = feedback("03.1", "100416")
    assert not right and "should be a number" in message


def test_answers_in_other_forms_are_accepted():
    assert feedback("01.2", [25, 25, 10])[0]
    assert feedback("04.1", np.array([[7, 8], [9, 6]]))[0]
    assert feedback("03.1", 100_416.0)[0]
    assert not feedback("05.1", True)[0]


def test_each_exercise_appears_once_with_its_solution_folded():
    seen = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            source = "".join(cell["source"])
            if "exercise" in cell["metadata"].get("tags", []):
                ex_id = source.split('check("')[1].split('"')[0]
                assert "answer = None" in source
                assert path.name.startswith(ex_id[:2])
                folded = "".join(cells[i + 1]["source"])
                assert folded.startswith(f"<details><summary>Solution {ex_id}</summary>")
                assert solution(ex_id) in folded
                assert EXERCISES[ex_id].question.splitlines()[0] in "".join(cells[i - 1]["source"])
                outputs = "".join("".join(o.get("text", "")) for o in cell["outputs"])
                assert outputs == f"Exercise {ex_id}: write your answer in place of None, then run the cell again.\n"
                seen[ex_id] = path.name
    assert sorted(seen) == IDS
    assert {name[:2] for name in seen.values()} == {"01", "02", "03", "04", "05"}
