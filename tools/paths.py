"""Where things are in the repository, and which notebooks make up the course."""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
DATA_DIR = ROOT / "data"
BUILD_DIR = ROOT / "build"
# A course notebook's name starts with two digits: 00_welcome.ipynb, 01_shallow_cnn.ipynb
NOTEBOOK_NAME = re.compile(r"^\d\d_.+\.ipynb$")


def import_students_package():
    """The students' package ``going_deeper``, from notebooks/ in this clone.

    A notebook's kernel finds it beside the notebook; the tools that train (the bench,
    ``make results``) load the same files by their path instead, so that nothing puts
    notebooks/ on the import path. Importing it loads Keras and the backend quietly.
    """
    if "going_deeper" not in sys.modules:
        folder = NOTEBOOK_DIR / "going_deeper"
        spec = importlib.util.spec_from_file_location(
            "going_deeper",
            folder / "__init__.py",
            submodule_search_locations=[str(folder)],
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["going_deeper"] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules["going_deeper"]
            raise
    return sys.modules["going_deeper"]


class SeriesError(Exception):
    """A request the runner cannot carry out; the message says why and what to do."""


def series_notebooks(folder=NOTEBOOK_DIR, only=None):
    """The course notebooks, in order; ``only``: just those whose names contain these.

    The order and the list are the course table's (notebooks/course.toml): a notebook file
    the table does not list, or an entry whose file is missing, is an error. A folder
    without a table (a test's scratch folder) lists its numbered notebooks by name. An
    ``only`` that matches no notebook is an error, not an empty run.
    """
    # Imported here: tools.course imports this module for NOTEBOOK_DIR and SeriesError.
    from .course import COURSE_FILE, read_course

    folder = Path(folder)
    found = sorted(path for path in folder.iterdir() if NOTEBOOK_NAME.match(path.name))
    if (folder / COURSE_FILE).is_file():
        course = read_course(folder)
        everything = [folder / entry.file for entry in course.notebooks]
        missing = [path.name for path in everything if not path.is_file()]
        if missing:
            raise SeriesError(
                f"{course.path} lists {missing[0]}, which is not in {folder}: "
                "restore the notebook or remove its entry."
            )
        extra = [path.name for path in found if path not in everything]
        if extra:
            raise SeriesError(
                f"{folder / extra[0]} is not in the course table {course.path}: "
                "add a [[notebook]] entry for it, or move it out of the folder."
            )
    else:
        everything = found
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
