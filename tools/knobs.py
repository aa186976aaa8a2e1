"""The notebooks' knobs as make variables: ``make run N_SMALL=500`` is ``-p n_small 500``.

A knob is a name that a notebook's ``parameters`` cell assigns; on make's command line it
is written in capitals. Before anything else runs, the Makefile calls
``python -m tools.knobs [--only "KEY ..."] [NAME ...]`` with the names on its command line
that it does not read itself, and reads one line back: ``ok EPOCHS:epochs ...`` (the
knobs of the notebooks ONLY selects), or ``Error: ...`` naming what is wrong and listing
the knobs.

Only the standard library: make runs this with the Python it was given, before set-up.
The runner (series.py) reads the same cells with papermill; tests/test_knobs.py holds the
two readings equal.
"""

import argparse
import ast
import difflib
import json
import shlex
import sys

from .course import series_notebooks
from .paths import NOTEBOOK_DIR, SeriesError


def declared(path):
    """The names the notebook's cell tagged ``parameters`` assigns, in order."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    names = []
    for cell in notebook["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def knobs(notebooks):
    """``{KNOB: (name, [notebook file names])}`` over ``notebooks``, in order of first
    use: the make variable, the parameter's own name, the notebooks that declare it.
    """
    found = {}
    for path in notebooks:
        for name in declared(path):
            found.setdefault(name.upper(), (name, []))[1].append(path.name)
    return found


def problem(names, only=None, folder=NOTEBOOK_DIR):
    """Why ``names`` (make variables) are not all knobs of the notebooks ``only``
    selects, in one line; None when they are.
    """
    everywhere = knobs(series_notebooks(folder))
    chosen = knobs(series_notebooks(folder, only)) if only else everywhere
    listed = f"The knobs: {', '.join(chosen)} (e.g. make run {next(iter(chosen))}=2)"
    for name in names:
        if name in chosen:
            continue
        if name in everywhere:
            selection = shlex.quote(" ".join(only))
            return (
                f"{name} is a knob of {', '.join(everywhere[name][1])} only, which "
                f"ONLY={selection} leaves out: it would change nothing. "
                f"{listed.replace('The knobs', 'The knobs of the notebooks it runs')}"
            )
        if name.upper() in everywhere:
            return f"{name} is written {name.upper()} on make's command line. {listed}"
        close = difflib.get_close_matches(name.upper(), everywhere, n=1)
        guess = f" (did you mean {close[0]}?)" if close else ""
        return (
            f"{name} is neither a notebook knob nor a setting of the Makefile{guess}. "
            f"{listed}"
        )
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.knobs", description=__doc__)
    parser.add_argument("names", nargs="*", help="make variables to check, e.g. EPOCHS")
    parser.add_argument("--only", default="", help='ONLY\'s value, e.g. "01 02"')
    args = parser.parse_args(argv)
    only = args.only.split() or None
    try:
        why = problem(args.names, only)
        chosen = knobs(series_notebooks(NOTEBOOK_DIR, only))
    except SeriesError as err:
        why = str(err)
    if why:
        print(f"Error: {why}")  # on stdout: make's $(shell ...) reads only that
        return 2
    print(" ".join(["ok"] + [f"{knob}:{name}" for knob, (name, _) in chosen.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
