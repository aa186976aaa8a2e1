"""The course table, notebooks/course.toml: the notebooks in order, and what each holds.

Everything that lists the notebooks reads it (``series_notebooks`` below, the tests,
``make sync``). A bad table stops with one line naming the file, the entry and the fix.
"""

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .paths import NOTEBOOK_DIR, NOTEBOOK_NAME, SeriesError

COURSE_FILE = "course.toml"  # in the notebooks' folder
FIELDS = {  # field: (type, what it holds), as the head of course.toml explains
    "number": (str, 'two digits, "00" for the first notebook'),
    "file": (str, "the notebook's file name, starting with its number"),
    "title": (str, "the title, as in its H1 and the navigation"),
    "question": (str, "the question it answers, one sentence"),
    "minutes": (int, "teaching minutes (a declared estimate)"),
    "knobs": (dict, "its parameters cell's knobs and their defaults"),
    "exercises": (list, 'its exercise ids, e.g. ["01.1", "01.2"]'),
    "contents": (str, "what you learn, for notebook 00's contents"),
    "learn": (str, "what you learn, for the README"),
    "run_live": (str, "what to run live, for the teaching guide"),
    "knobs_to_turn": (str, "the knobs to turn, for the teaching guide"),
}
KNOB_FIELDS = {"meaning": str}
KINDS = {str: "text", int: "whole number", dict: "table", list: "list"}


class CourseError(SeriesError):
    """The course table is malformed or disagrees with the notebooks' folder."""


@dataclass(frozen=True)
class Notebook:
    number: str
    file: str
    title: str
    question: str
    minutes: int
    knobs: dict
    exercises: list
    contents: str
    learn: str
    run_live: str
    knobs_to_turn: str

    @property
    def heading(self):
        """``00 · Welcome and set-up``: the H1 (after "# ") and the navigation's link."""
        return f"{self.number} · {self.title}"


@dataclass(frozen=True)
class Course:
    path: Path
    notebooks: list  # of Notebook, in order
    knobs: dict  # knob: {"meaning": ...}, in the knob table's order

    def notebook(self, number):
        """The entry numbered ``number`` ("07")."""
        for entry in self.notebooks:
            if entry.number == number:
                return entry
        raise CourseError(
            f"{self.path}: no notebook numbered {number!r}; the table has "
            f"{', '.join(e.number for e in self.notebooks)}."
        )


def _entry(path, index, raw, knobs):
    name = f"notebook {raw.get('number', f'entry {index + 1}')!s}"

    def fail(what):
        raise CourseError(f"{path}: {name}: {what}")

    missing = [key for key in FIELDS if key not in raw]
    if missing:
        fail(f"missing {', '.join(missing)}; add {FIELDS[missing[0]][1]}.")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        fail(f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}.")
    for key, (kind, meaning) in FIELDS.items():
        if not isinstance(raw[key], kind) or isinstance(raw[key], bool):
            fail(f"{key} = {raw[key]!r} is not a {KINDS[kind]}; give {meaning}.")
    if raw["number"] != f"{index:02d}":
        fail(f'entries are numbered in order: entry {index + 1} is "{index:02d}".')
    if not re.fullmatch(rf"{raw['number']}_[\w-]+\.ipynb", raw["file"]):
        fail(f"file {raw['file']!r} must be named {raw['number']}_NAME.ipynb.")
    for knob, default in raw["knobs"].items():
        if knob not in knobs:
            fail(f"knob {knob!r} is not declared; add a [knobs.{knob}] section.")
        if not isinstance(default, int) or isinstance(default, bool):
            fail(f"knob {knob} = {default!r}: a default is a whole number.")
    for ex_id in raw["exercises"]:
        if not re.fullmatch(rf"{raw['number']}\.\d+", str(ex_id)):
            fail(f"exercise {ex_id!r} must be numbered {raw['number']}.N.")
    return Notebook(**raw)


def read_course(folder=NOTEBOOK_DIR):
    """The course table of ``folder``; a bad table is a CourseError naming the entry."""
    path = Path(folder) / COURSE_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path} is missing: it lists the notebooks.") from None
    except tomllib.TOMLDecodeError as err:
        raise CourseError(f"{path}: not valid TOML ({err}); fix that line.") from None
    knobs = table.get("knobs", {})
    for knob, fields in knobs.items():
        bad = sorted(set(fields) - set(KNOB_FIELDS)) or [
            key for key in fields if not isinstance(fields[key], KNOB_FIELDS[key])
        ]
        if "meaning" not in fields or bad:
            raise CourseError(
                f'{path}: [knobs.{knob}]: give meaning = "..." (text), nothing else.'
            )
    entries = table.get("notebook")
    if not isinstance(entries, list) or not entries:
        raise CourseError(f"{path}: no [[notebook]] entries; add one per notebook.")
    notebooks = [_entry(path, i, raw, knobs) for i, raw in enumerate(entries)]
    files = [entry.file for entry in notebooks]
    ids = [ex_id for entry in notebooks for ex_id in entry.exercises]
    for listed, what in ((files, "file"), (ids, "exercise")):
        twice = sorted({item for item in listed if listed.count(item) > 1})
        if twice:
            raise CourseError(f"{path}: {what} {twice[0]!r} is listed twice; keep one.")
    return Course(path, notebooks, knobs)


def main(argv=None):
    """``python -m tools.course numbers [--except 07]``: the numbers, in order."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.course")
    parser.add_argument("what", choices=["numbers"])
    parser.add_argument("--except", dest="left_out", nargs="*", default=[])
    args = parser.parse_args(argv)
    try:
        numbers = [entry.number for entry in read_course().notebooks]
    except CourseError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    unknown = sorted(set(args.left_out) - set(numbers))
    if unknown:
        print(
            f"Error: no notebook numbered {unknown[0]} in the course table.",
            file=sys.stderr,
        )
        return 2
    print(" ".join(number for number in numbers if number not in args.left_out))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def series_notebooks(folder=NOTEBOOK_DIR, only=None):
    """The course notebooks, in order; ``only``: just those whose names contain these.

    The order and the list are the course table's (notebooks/course.toml): a notebook file
    the table does not list, or an entry whose file is missing, is an error. A folder
    without a table (a test's scratch folder) lists its numbered notebooks by name. An
    ``only`` that matches no notebook is an error, not an empty run.
    """
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
