"""`make sync`: write every copy of the course table and of the exercises from its source.

From notebooks/course.toml: each notebook's navigation cells (tagged ``nav``, top and
bottom) and its H1 line, notebook 00's contents table, and the tables between marker
comments in the markdown files of MARKDOWN_FILES. From the exercise modules
(notebooks/going_deeper/exercises/): each exercise's question cell and folded solution.
Only markdown cells and markdown files change: no code cell, so no stored output.

    python -m tools.sync           # write what has drifted
    python -m tools.sync --check   # print a diff of each drifted copy; exit 1 if any
"""

import argparse
import ast
import difflib
import importlib
import os
import re
import sys
from collections import Counter
from pathlib import Path

from .course import CourseError, read_course, series_notebooks
from .paths import ROOT, import_students_package

# Markdown files with marked tables, from the repository's root: the style of their
# course table. A listed file that does not exist (yet) is skipped.
MARKDOWN_FILES = {
    "README.md": "series",
    "docs/teaching.md": "teaching",
}
COURSE_BLOCK, KNOB_BLOCK = "course-table", "knob-table"
EXERCISE_CALL = re.compile(r'check(?:_change)?\("(\d\d\.\d+)"')


def marked(block, text, where):
    """The (start, end) offsets of the text between ``block``'s markers, or None."""
    start, end = f"<!-- {block}:start -->", f"<!-- {block}:end -->"
    if text.count(start) != text.count(end) or text.count(start) > 1:
        raise CourseError(
            f"{where}: {block} needs one {start} line and one {end} line after it."
        )
    if start not in text:
        return None
    first, last = text.index(start) + len(start), text.index(end)
    if last < first:
        raise CourseError(f"{where}: {end} comes before {start}; swap them.")
    return first, last


def replace_block(block, text, table, where):
    span = marked(block, text, where)
    if span is None:
        return text
    return f"{text[: span[0]]}\n{table}\n{text[span[1] :]}"


def table(header, rows):
    lines = [f"| {' | '.join(header)} |", f"| {' | '.join('---' for _ in header)} |"]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in rows])


def link(entry, text, notebooks, here):
    """A markdown link to the notebook, relative to the folder ``here``."""
    return f"[{text}]({Path(os.path.relpath(notebooks / entry.file, here)).as_posix()})"


def what_you_learn(course, field, notebooks, here):
    return table(
        ["#", "notebook", "what you learn"],
        [
            [e.number, link(e, e.title, notebooks, here), getattr(e, field)]
            for e in course.notebooks
        ],
    )


def teaching_table(course):
    return table(
        ["notebook", "its question", "teach for (estimate)", "run live", "knobs to turn"],
        [
            [e.heading, e.question, f"{e.minutes} min", e.run_live, e.knobs_to_turn]
            for e in course.notebooks
        ],
    )


def in_words(numbers):
    return (
        numbers[0]
        if len(numbers) == 1
        else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    )


def knob_table(course, ranges):
    rows = []
    for knob, about in course.knobs.items():
        if knob not in ranges:
            raise CourseError(
                f"{course.path}: [knobs.{knob}] has no range in going_deeper/knobs.py; "
                "add it to KNOB_RANGES or remove the knob."
            )
        defaults = [
            (e.number, e.knobs[knob]) for e in course.notebooks if knob in e.knobs
        ]
        where = [number for number, _ in defaults]
        only = "" if len(where) == len(course.notebooks) else f" ({in_words(where)} only)"
        usual = Counter(value for _, value in defaults).most_common(1)[0][0]
        others = {}  # value: the notebooks that use it, in the course's order
        for number, value in defaults:
            if value != usual:
                others.setdefault(value, []).append(number)
        default = f"{usual:,}" + (
            " ("
            + ", ".join(f"{value:,} in {in_words(ns)}" for value, ns in others.items())
            + ")"
            if others
            else ""
        )
        low, high = ranges[knob][:2]
        rows.append(
            [
                f"`{knob.upper()}`",  # make run's variable: the knob in capitals
                f"`{knob}`{only}: {about['meaning']}",
                default,
                f"{low:,} to {high:,}",
            ]
        )
    return table(["variable", "knob", "default", "range"], rows)


def nav_line(course, index):
    entries = course.notebooks
    before = (
        f"[← {entries[index - 1].heading}]({entries[index - 1].file})"
        if index
        else "← (start)"
    )
    after = (
        f"[{entries[index + 1].heading} →]({entries[index + 1].file})"
        if index + 1 < len(entries)
        else "(end) →"
    )
    return f"{before} | [Contents]({entries[0].file}#Contents) | {after}"


def parameters(nb, name):
    """The knobs of the notebook's ``parameters`` cell, as it sets them."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise CourseError(f"{name}: needs exactly one cell tagged parameters.")
    return {
        target.id: ast.literal_eval(statement.value)
        for statement in ast.parse(cells[0].source).body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }


# A "*" between two terms (2*2*1*16) outside `code`: Markdown would read the stars as
# emphasis and drop them ("2<em>2</em>1..."), and a screen reader would say "2 2 1 16".
PRODUCT_STAR = re.compile(r"(?<=[0-9A-Za-z_)])\*(?=[0-9A-Za-z_(])")
CODE_SPAN = re.compile(r"(`[^`]*`)")


def as_markdown(text):
    """An exercise's text (written for the checker's printed messages) for a Markdown
    cell: each product's "*" becomes " × ", code spans left as they are."""
    parts = CODE_SPAN.split(text)
    return "".join(
        part if i % 2 else PRODUCT_STAR.sub(" × ", part) for i, part in enumerate(parts)
    )


def question_cell(exercise_id, exercise, change):
    kind = " (predict, then change the code)" if change else ""
    note = f"\n\n{exercise.note}" if exercise.note else ""
    text = as_markdown(f"{exercise.question}{note}")
    return f"### Exercise {exercise_id}{kind}\n\n{text}"


def solution_cell(exercise_id, exercise):
    return (
        f"<details><summary>Solution {exercise_id}</summary>\n\n"
        f"{as_markdown(exercise.solution)}\n\n</details>"
    )


def tags(cell):
    return cell.metadata.get("tags", [])


def expected_notebook(nb, name, course, index, exercises):
    """{cell index: (what it is, the source it should have)} for notebook ``index``."""
    entry, cells = course.notebooks[index], nb.cells
    where = f"notebooks/{name}"
    found = parameters(nb, where)
    if found != entry.knobs:
        raise CourseError(
            f"{where}: its parameters cell sets {found}, but {course.path.name} says "
            f"{entry.knobs} for notebook {entry.number}; make them agree."
        )
    want = {}
    navigation = [c for c in cells if "nav" in tags(c)]
    if (
        not cells
        or "nav" not in tags(cells[0])
        or "nav" not in tags(cells[-1])
        or any(c.cell_type != "markdown" for c in navigation)
    ):
        raise CourseError(
            f"{where}: its first and last cells must be markdown cells tagged nav."
        )
    for i, cell in enumerate(cells):
        if "nav" in tags(cell):
            want[i] = ("nav", nav_line(course, index))
    heading = next(
        (
            i
            for i, c in enumerate(cells)
            if c.cell_type == "markdown" and c.source[:2] == "# "
        ),
        None,
    )
    if heading is None:
        raise CourseError(f"{where}: no heading cell (one starting with '# ').")
    rest = cells[heading].source.partition("\n")
    want[heading] = ("H1", f"# {entry.heading}" + rest[1] + rest[2])
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            source = want.get(i, (None, cell.source))[1]
            contents = what_you_learn(course, "contents", Path(), Path())
            new = replace_block(COURSE_BLOCK, source, contents, f"{where} cell {i}")
            if new != source:
                want[i] = ("contents" if i != heading else "H1, contents", new)
    asked = []
    for i, cell in enumerate(cells):
        if "exercise" not in tags(cell):
            continue
        ids = EXERCISE_CALL.findall(cell.source)
        if len(ids) != 1 or not 0 < i < len(cells) - 1:
            raise CourseError(f"{where} cell {i}: an exercise cell calls one checker.")
        exercise_id = ids[0]
        change = exercise_id in exercises.CHANGE_EXERCISES
        exercise = (exercises.CHANGE_EXERCISES if change else exercises.EXERCISES).get(
            exercise_id
        )
        if exercise is None:
            raise CourseError(
                f"{where} cell {i}: exercise {exercise_id} is in no module of "
                f"going_deeper/exercises/; add it to ex{exercise_id[:2]}.py."
            )
        before, after = cells[i - 1], cells[i + 1]
        if (
            not before.source.startswith("### Exercise")
            or "solution" not in tags(after)
            or {before.cell_type, after.cell_type} != {"markdown"}
        ):
            raise CourseError(
                f"{where} cell {i}: exercise {exercise_id} needs its question cell "
                "(### Exercise ...) before it and a cell tagged solution after it."
            )
        want[i - 1] = (
            f"question {exercise_id}",
            question_cell(exercise_id, exercise, change),
        )
        want[i + 1] = (f"solution {exercise_id}", solution_cell(exercise_id, exercise))
        asked.append(exercise_id)
    if asked != entry.exercises:
        raise CourseError(
            f"{where}: its exercise cells are {asked}, but {course.path.name} lists "
            f"{entry.exercises} for notebook {entry.number}; make them agree."
        )
    return want


def unified(old, new, label):
    lines = difflib.unified_diff(
        (old + "\n").splitlines(keepends=True),
        (new + "\n").splitlines(keepends=True),
        fromfile=f"{label} (now)",
        tofile=f"{label} (from the course table)",
    )
    return "".join(lines)


def sync(root=ROOT, write=True):
    """Bring every copy in line; returns a unified diff per drifted copy."""
    import nbformat

    root = Path(root)
    notebooks = root / "notebooks"
    course = read_course(notebooks)
    paths = series_notebooks(notebooks)  # every file in the table, and no other
    import_students_package()
    exercises = importlib.import_module("going_deeper.exercises")
    ranges = importlib.import_module("going_deeper.knobs").KNOB_RANGES
    listed = [ex_id for entry in course.notebooks for ex_id in entry.exercises]
    written = sorted({**exercises.EXERCISES, **exercises.CHANGE_EXERCISES})
    if sorted(listed) != written:
        raise CourseError(
            f"{course.path}: the table lists exercises {sorted(listed)}, the exercise "
            f"modules hold {written}; make them agree."
        )
    diffs = []
    for index, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for i, (what, source) in expected_notebook(
            nb, path.name, course, index, exercises
        ).items():
            if nb.cells[i].source != source:
                label = f"notebooks/{path.name} cell {i} ({what})"
                diffs.append(unified(nb.cells[i].source, source, label))
                nb.cells[i].source, changed = source, True
        if changed and write:
            nbformat.write(nb, path)
    for name, style in MARKDOWN_FILES.items():
        path = root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        course_table = (
            teaching_table(course)
            if style == "teaching"
            else what_you_learn(course, "learn", notebooks, path.parent)
        )
        new = replace_block(COURSE_BLOCK, text, course_table, name)
        new = replace_block(KNOB_BLOCK, new, knob_table(course, ranges), name)
        if new != text:
            diffs.append(unified(text, new, name))
            if write:
                path.write_text(new, encoding="utf-8")
    return diffs


def copies(n):
    return f"{n} cop{'y' if n == 1 else 'ies'}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.sync", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a copy drifted"
    )
    parser.add_argument("--root", default=ROOT, help="the repository (default: this one)")
    args = parser.parse_args(argv)
    try:
        diffs = sync(args.root, write=not args.check)
    except CourseError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    for diff in diffs:
        print(diff)
    if args.check and diffs:
        print(
            f"{copies(len(diffs))} differ from notebooks/course.toml and the exercise "
            "modules: run `make sync`.",
            file=sys.stderr,
        )
        return 1
    if args.check:
        print("Every copy agrees with notebooks/course.toml and the exercise modules.")
    else:
        print(f"Wrote {copies(len(diffs))}." if diffs else "Nothing to change.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
