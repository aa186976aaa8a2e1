"""The notebooks' own exercise cells, run: each prints what it should.

Every cell tagged ``exercise`` is read from the real notebook and run with the right
answer in place of ``None``, with each known mistake, and unchanged (it must print its
stored output). For the "predict, then change the code" exercises, the change is the
exercise's own ``edit``, applied to the cell's lines marked ``# change this line``: the
model the checker sees is the notebook's, changed as the exercise says.

A cell needs a few names of its notebook's earlier cells: Keras, its layers and
``N_CLASSES`` are given here; a helper the model uses (``conv_block``) comes from the
notebook's own cell that defines it.
"""

import ast
import builtins
import contextlib
import io

import keras
import nbformat
import pytest
from keras import layers

from going_deeper import N_CLASSES
from going_deeper.exercises import CHANGE_EXERCISES, EXERCISES
from tools.course import series_notebooks
from tools.sync import EXERCISE_CALL

MARK = "# change this line"


def exercise_cells():
    """(exercise id, the notebook's cells, the exercise cell's index) of every one."""
    for path in series_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            if "exercise" in cell.metadata.get("tags", []):
                yield EXERCISE_CALL.findall(cell.source)[0], cells, i


CELLS = {exercise_id: (cells, i) for exercise_id, cells, i in exercise_cells()}


def used_names(source):
    tree = ast.parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def namespace(cells, index):
    """What the cell reads from earlier cells, given here or by the cell defining it."""
    given = {"keras": keras, "layers": layers, "N_CLASSES": N_CLASSES}
    for name in sorted(used_names(cells[index].source) - set(given) - set(dir(builtins))):
        definer = next(
            (
                cell
                for cell in cells[:index]
                if cell.cell_type == "code"
                and any(
                    isinstance(node, ast.FunctionDef) and node.name == name
                    for node in ast.parse(cell.source).body
                )
            ),
            None,
        )
        if definer is not None:
            exec(definer.source, given)
    return given


def run(cells, index, source):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, namespace(cells, index))
    return out.getvalue()


def with_value(source, name, value):
    line = f"{name} = None"
    assert source.count(line) == 1, f"the cell has no single `{line}`"
    return source.replace(line, f"{name} = {value!r}")


def stored_output(cell):
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_predict_cell_says_right_wrong_or_why(exercise_id):
    cells, i = CELLS[exercise_id]
    exercise, source = EXERCISES[exercise_id], cells[i].source
    assert run(cells, i, source) == stored_output(cells[i])
    right = run(cells, i, with_value(source, "answer", exercise.answer))
    assert right == f"Right! {exercise.solution}\n"
    for wrong, why in exercise.mistakes:
        assert run(cells, i, with_value(source, "answer", wrong)) == f"Not quite: {why}\n"


def changed(source, edit):
    """The cell with the exercise's edit made on each line marked MARK."""
    old, new = edit
    lines = source.splitlines()
    marked = [n for n, line in enumerate(lines) if line.rstrip().endswith(MARK)]
    assert marked, f"no line marked `{MARK}`"
    for n in marked:
        assert old in lines[n], f"the marked line {lines[n]!r} holds no {old!r}"
        lines[n] = lines[n].replace(old, new)
    return "\n".join(lines)


@pytest.mark.parametrize("exercise_id", sorted(CHANGE_EXERCISES))
def test_a_change_cell_compares_the_prediction_with_the_changed_model(exercise_id):
    cells, i = CELLS[exercise_id]
    exercise, source = CHANGE_EXERCISES[exercise_id], cells[i].source
    answer = exercise.answer
    assert run(cells, i, source) == stored_output(cells[i])
    unchanged = run(cells, i, with_value(source, "prediction", answer))
    assert unchanged == (
        f"Your prediction is {answer!r}. Now {exercise.change}, and run the cell again.\n"
    )
    edited = changed(source, exercise.edit)
    right = run(cells, i, with_value(edited, "prediction", answer))
    assert right == f"Right! Keras built {answer!r}. {exercise.solution}\n"
    for wrong, why in exercise.mistakes:
        message = run(cells, i, with_value(edited, "prediction", wrong))
        assert message == f"Not quite: Keras built {answer!r}; {why}\n"
    other = run(cells, i, with_value(edited, "prediction", -1))
    hint = f" Hint: {exercise.hint}" if exercise.hint else " Check each step again."
    assert other == f"Not quite: you predicted -1, Keras built {answer!r}.{hint}\n"


def test_every_exercise_has_its_cell():
    assert sorted(CELLS) == sorted({**EXERCISES, **CHANGE_EXERCISES})
