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
