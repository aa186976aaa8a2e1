"""Where things are in the repository (the course table, which lists the notebooks, is
read by tools/course.py, which imports this module and is not imported by it)."""

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
