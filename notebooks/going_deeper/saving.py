"""Where a trained model is kept: notebook 07, "Keeping the model: save and load".

A model is saved into a folder that git ignores and that is never the notebooks' own:
``build/models/`` of the course folder when the package runs from a clone of the course,
``~/going-deeper/models/`` when it is installed, or ``$GOING_DEEPER_MODELS`` when set.
"""

import os
from pathlib import Path

COURSE_FOLDER = Path(__file__).resolve().parents[2]  # in a clone: the repository


class ModelPathError(ValueError):
    """A model file name the course does not save to. Jupyter shows the message only."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31mModelPathError\x1b[0m: {self}"]


def models_dir():
    """The folder models are saved to (see the module's docstring)."""
    override = os.environ.get("GOING_DEEPER_MODELS")
    if override:
        return Path(override).expanduser()
    if (COURSE_FOLDER / "notebooks" / "going_deeper").is_dir():  # a clone of the course
        return COURSE_FOLDER / "build" / "models"
    return Path.home() / "going-deeper" / "models"


def model_path(name):
    """The path to save the model called ``name`` (a file name ending ``.keras``), with
    its folder created. Keras 3 saves a whole model to one ``.keras`` file."""
    name = str(name)
    if Path(name).name != name:
        raise ModelPathError(
            f"model_path({name!r}): give a file name only, such as 'final_cnn.keras'; "
            f"the folder is {models_dir()} (set GOING_DEEPER_MODELS for another)."
        )
    if not name.endswith(".keras"):
        raise ModelPathError(
            f"model_path({name!r}): Keras saves a whole model to a '.keras' file; "
            f"name it {Path(name).stem or 'model'}.keras."
        )
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
