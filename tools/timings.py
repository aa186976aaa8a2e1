"""Seconds per notebook and per code cell: the runner's ``timings.json``.

One entry per notebook, in the order they ran::

    {"01_shallow_cnn.ipynb": {"seconds": 22.7, "cells": [
        {"cell": 3, "id": "a1b2", "first line": "model.fit(...)", "seconds": 12.4}, ...]}}

``seconds`` is the notebook's wall time (fresh kernel, parameters and writing the copy
included), so it is more than the sum of its cells. ``cell`` is the code cell's position
among all cells of the notebook that was run (for ``make run``, the executed copy, which
has papermill's parameters cell added), ``id`` its nbformat cell id. A reader that wants
only the notebook totals calls ``notebook_seconds``.
"""

import json
from pathlib import Path


def first_line(source):
    """The first non-blank line of a cell's source, as a table shows it."""
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def cell_entry(cell, index, seconds):
    return {
        "cell": index,
        "id": cell.get("id"),
        "first line": first_line(cell.source),
        "seconds": round(seconds, 2),
    }


def notebook_entry(seconds, cells):
    return {"seconds": round(seconds, 2), "cells": cells}


def notebook_seconds(timings):
    """``{notebook: seconds}``: what ``timings.json`` held before it kept cells."""
    return {name: entry["seconds"] for name, entry in timings.items()}


def slowest_cells(timings, n=5):
    """The ``n`` slowest code cells of all notebooks, slowest first, each a cell entry
    with its ``notebook`` added.
    """
    cells = [
        {"notebook": name, **cell}
        for name, entry in timings.items()
        for cell in entry["cells"]
    ]
    return sorted(cells, key=lambda cell: -cell["seconds"])[:n]


def slowest_report(timings, n=5):
    """Lines for the end of a run: the slowest cells, or nothing when none ran."""
    cells = slowest_cells(timings, n)
    if not cells:
        return []
    lines = [f"Slowest {len(cells)} cell(s):"]
    lines += [
        f"  {cell['seconds']:7.1f} s  {cell['notebook']} cell {cell['cell']}: "
        f"{cell['first line'][:60]}"
        for cell in cells
    ]
    return lines


def write(folder, timings):
    Path(folder, "timings.json").write_text(json.dumps(timings, indent=1) + "\n")


def read(folder):
    return json.loads(Path(folder, "timings.json").read_text())


def sections(notebook):
    """``{cell id: section}``: each cell's ``## `` heading in ``notebook`` (a dict as
    nbformat reads it), "(opening)" before the first one.
    """
    section, found = "(opening)", {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith("## "):
            section = first_line(source)[3:].strip()
        found[cell.get("id")] = section
    return found


def section_seconds(timings, notebook_dir):
    """``{notebook: {section: seconds}}``, in the notebooks' order, summing the code
    cells of each ``## `` section of the course's own notebook (cells are matched by
    id, so papermill's added parameters cell counts nowhere).
    """
    table = {}
    for name, entry in timings.items():
        notebook = json.loads(Path(notebook_dir, name).read_text())
        where = sections(notebook)
        totals = dict.fromkeys(where.values(), 0.0)  # in order, each once
        for cell in entry["cells"]:
            if cell["id"] in where:
                totals[where[cell["id"]]] += cell["seconds"]
        table[name] = {section: round(s, 1) for section, s in totals.items()}
    return table


def sections_markdown(timings, notebook_dir):
    """The teaching guide's table: run seconds per section of every notebook."""
    lines = ["| notebook | section | run (s) |", "| --- | --- | ---: |"]
    for name, by_section in section_seconds(timings, notebook_dir).items():
        lines += [
            f"| {name[:2]} | {section} | {seconds:.1f} |"
            for section, seconds in by_section.items()
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    from .paths import BUILD_DIR, NOTEBOOK_DIR

    parser = argparse.ArgumentParser(
        description="Run seconds per section of each notebook, from a run's timings.json."
    )
    parser.add_argument("folder", nargs="?", default=str(BUILD_DIR / "executed"))
    print(sections_markdown(read(parser.parse_args().folder), NOTEBOOK_DIR))
