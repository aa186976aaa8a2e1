"""Exercises with checkers: predict a count or a shape, and be told whether and why not.

Two kinds. *Predict*: write a count or a shape, and the checker says whether it is right::

    answer = None   # your prediction
    check("01.1", answer)

*Predict, then change the code and observe*: write a prediction, change the model in the
cell as the exercise asks, run it, and the checker compares the prediction with what Keras
built::

    prediction = None   # your prediction
    check_change("01.3", prediction, model)

Every expected answer is computed with the course's own formulas, so the checker, the
solution text and the notebooks cannot disagree.

The engine (what an exercise holds, the checkers) is engine.py; each notebook's exercises
are a module of their own, ex01.py for notebook 01 and so on, found here by their names.
"""

import importlib
import pkgutil
import re

from .engine import (
    CHANGE_EXERCISES,
    EXERCISES,
    ChangeExercise,
    Exercise,
    change_feedback,
    check,
    check_change,
    feedback,
    solution,
)

# Each notebook's module registers its exercises with the engine as it is imported.
NOTEBOOK_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(__path__)
    if re.fullmatch(r"ex\d\d", info.name)
)
for _name in NOTEBOOK_MODULES:
    importlib.import_module(f"{__name__}.{_name}")

__all__ = [
    "CHANGE_EXERCISES",
    "EXERCISES",
    "NOTEBOOK_MODULES",
    "ChangeExercise",
    "Exercise",
    "change_feedback",
    "check",
    "check_change",
    "feedback",
    "solution",
]
