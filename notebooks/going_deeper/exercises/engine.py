"""The exercises' engine: what an exercise holds, the registry, and the checkers.

The exercises themselves live one module per notebook (ex01.py ...), which register them
here as the package loads.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Exercise:
    question: str  # markdown: the notebook's question cell says it under its heading
    answer: object
    solution: str
    mistakes: list = field(default_factory=list)  # (wrong answer, why it is wrong)
    hint: str = ""
    note: str = ""  # markdown: a paragraph the notebook shows below the question


@dataclass
class ChangeExercise:
    """Predict what a change to a model does, make the change, and compare with Keras."""

    question: str
    change: str  # the change to make, as an instruction
    changed: Callable  # model -> True once the change has been made
    observe: Callable  # model -> what Keras built, in the answer's form
    answer: object  # what the change gives, from the course's formulas
    solution: str
    # The change as text: (what each line marked `# change this line` holds, what it
    # holds once changed). The tests apply it to the notebook's own cell.
    edit: tuple
    mistakes: list = field(default_factory=list)
    hint: str = ""
    note: str = ""


# The note of a change exercise whose cell marks the line to change (06.2, 07.2, 08.3).
MARKED_LINE_NOTE = (
    "Write your prediction in place of `None`, then make the change on the line marked\n"
    "`# change this line`, and run the cell: the checker compares your prediction with "
    "what Keras\nbuilt."
)

EXERCISES = {}  # id: Exercise, from every notebook's module
CHANGE_EXERCISES = {}  # id: ChangeExercise


def register(number, exercises=None, change_exercises=None):
    """Add notebook ``number``'s exercises ("01": ids "01.1" ...) to the registry."""
    for registry, new in (
        (EXERCISES, exercises or {}),
        (CHANGE_EXERCISES, change_exercises or {}),
    ):
        for exercise_id, exercise in new.items():
            if not exercise_id.startswith(f"{number}.") or exercise_id in {
                **EXERCISES,
                **CHANGE_EXERCISES,
            }:
                raise ValueError(
                    f"Exercise {exercise_id} in ex{number}.py: ids there are "
                    f"{number}.N, each used once."
                )
            registry[exercise_id] = exercise


def layers_of(model, kind):
    return [layer for layer in model.layers if type(layer).__name__ == kind]


def output_shape(layer):
    return tuple(layer.output.shape[1:])


def receptive_field(model):
    return 1 + sum(layer.kernel_size[0] - 1 for layer in layers_of(model, "Conv2D"))


def _normalise(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _same(a, b):
    a, b = _normalise(a), _normalise(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-9
    if isinstance(a, str) and isinstance(b, str):  # a word: case and spaces aside
        return a.strip().lower() == b.strip().lower()
    return False


def _batch_axis_added(answer, expected):
    """True for the right shape with Keras' batch axis in front: (None, 26, 26, 8)."""
    given, expected = _normalise(answer), _normalise(expected)
    return (
        isinstance(given, list)
        and isinstance(expected, list)
        and given[:1] == [None]
        and _same(given[1:], expected)
    )


BATCH_AXIS = (
    "the sizes are right, but leave out Keras' batch axis (the None in front): "
    "(height, width, channels)."
)


def feedback(exercise_id, answer):
    """``(right, message)`` for an answer to one exercise."""
    exercise = EXERCISES[exercise_id]
    if answer is None:
        return (
            False,
            f"Exercise {exercise_id}: write your answer in place of None, "
            "then run the cell again.",
        )
    if _same(answer, exercise.answer):
        return True, f"Right! {exercise.solution}"
    if _batch_axis_added(answer, exercise.answer):
        return False, f"Not quite: {BATCH_AXIS}"
    for wrong, why in exercise.mistakes:
        if _same(answer, wrong):
            return False, f"Not quite: {why}"
    expected_kind = type(_normalise(exercise.answer))
    if not isinstance(_normalise(answer), expected_kind) and not (
        expected_kind in (int, float) and isinstance(_normalise(answer), (int, float))
    ):
        shape = {list: "a list or tuple", str: "a word in quotes"}.get(
            expected_kind, "a number"
        )
        return False, f"Not quite: the answer should be {shape}, you gave {answer!r}."
    return False, "Not quite." + (
        f" Hint: {exercise.hint}" if exercise.hint else " Check each step again."
    )


def check(exercise_id, answer):
    """Print whether ``answer`` is right and, if not, why. Returns nothing."""
    print(feedback(exercise_id, answer)[1])


def change_feedback(exercise_id, prediction, model):
    """``(right, message)`` for a "predict, then change the code" exercise."""
    exercise = CHANGE_EXERCISES[exercise_id]
    if prediction is None:
        return False, (
            f"Exercise {exercise_id}: write your prediction in place of None, then "
            f"{exercise.change} and run the cell again."
        )
    if not exercise.changed(model):
        return (
            False,
            f"Your prediction is {prediction!r}. "
            f"Now {exercise.change}, and run the cell again.",
        )
    built = exercise.observe(model)
    if not _same(built, exercise.answer):
        # the course's formulas disagree with Keras: a bug
        raise AssertionError(
            f"Exercise {exercise_id}: Keras built {built!r}, the course expected "
            f"{exercise.answer!r}."
        )
    if _same(prediction, built):
        return True, f"Right! Keras built {built!r}. {exercise.solution}"
    if _batch_axis_added(prediction, built):
        return False, f"Not quite: Keras built {built!r}; {BATCH_AXIS}"
    for wrong, why in exercise.mistakes:
        if _same(prediction, wrong):
            return False, f"Not quite: Keras built {built!r}; {why}"
    return False, (
        f"Not quite: you predicted {prediction!r}, Keras built {built!r}."
        + (f" Hint: {exercise.hint}" if exercise.hint else " Check each step again.")
    )


def check_change(exercise_id, prediction, model):
    """Print how ``prediction`` compares with what Keras built for the changed
    ``model``.
    """
    print(change_feedback(exercise_id, prediction, model)[1])


def solution(exercise_id):
    """The worked solution (shown in the notebooks inside a collapsed block)."""
    return {**EXERCISES, **CHANGE_EXERCISES}[exercise_id].solution
