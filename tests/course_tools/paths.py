"""Where things are in the repository, and which notebooks make up the course."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
DATA_DIR = ROOT / "data"
BUILD_DIR = ROOT / "build"
# A course notebook's name starts with two digits: 00_welcome.ipynb, 01_shallow_cnn.ipynb
NOTEBOOK_NAME = re.compile(r"^\d\d_.+\.ipynb$")


class SeriesError(Exception):
    """A request the runner cannot carry out; the message says why and what to do."""


def series_notebooks(folder=NOTEBOOK_DIR, only=None):
    """The course notebooks, in order; ``only``: just those whose names contain these.

    An ``only`` that matches no notebook is an error, not an empty run.
    """
    everything = sorted(
        path for path in Path(folder).iterdir() if NOTEBOOK_NAME.match(path.name)
    )
    chosen = [
        path for path in everything if not only or any(key in path.name for key in only)
    ]
    if not chosen:
        names = ", ".join(path.name for path in everything) or "none"
        raise SeriesError(
            f"No notebook in {folder} matches {' '.join(only or [])!r}. "
            f"The notebooks are: {names}. Give part of a name, e.g. ONLY=01."
        )
    return chosen
