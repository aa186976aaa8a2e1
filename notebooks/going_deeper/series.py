"""Execute the notebook series headless: ``python -m going_deeper.series run|refresh``.

``run`` writes executed copies to a build folder, with parameters injected by papermill;
it never writes to notebooks/. ``refresh`` is the maintainer's command that re-executes the
notebooks in place to renew their stored outputs; a notebook is only replaced when its run
succeeded, so a failure loses nothing.
"""

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parents[1]
# Kernels inherit this: error messages that print a Python set (Keras' padding error does)
# then come out in the same order on every run.
KERNEL_ENV = {"PYTHONHASHSEED": "0"}
NOTEBOOK_NAME = re.compile(r"^\d\d_.+\.ipynb$")


def series_notebooks(folder=NOTEBOOK_DIR, only=None):
    """The course notebooks, in order (00_..., 01_..., ...); ``only``: names containing these."""
    return sorted(path for path in Path(folder).iterdir() if NOTEBOOK_NAME.match(path.name)
                  and (not only or any(key in path.name for key in only)))


def parse_value(text):
    """'5' -> 5, '0.5' -> 0.5, anything else stays a string (the notebook checks it)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def execute(notebook):
    """Run a notebook in a fresh kernel from the notebooks folder; return the error or None.

    Cells tagged ``raises-exception`` may fail (notebook 02 shows the seed lesson's padding
    error that way); any other error stops the run. papermill's own executor would report
    those expected errors as failures, so papermill only injects the parameters here.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(notebook, kernel_name="python3", timeout=1800, record_timing=False,
                            coalesce_streams=True, resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
                            # the kernel's own log: errors only (not its warning about local TCP)
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        client.execute()
    except CellExecutionError as err:
        return err
    return None


def _failure_message(path, err, output):
    return (f"\n{path.name} stopped: {err.ename}: {err.evalue}\n"
            f"The partly executed copy is {output}; notebooks/ is unchanged.")


def run_series(build_dir, parameters, only=None):
    """Execute each notebook into ``build_dir`` with its parameters; returns the exit status.

    Seconds per notebook go to ``build_dir/timings.json``.
    """
    import nbformat
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    build_dir = Path(build_dir)
    notebooks = series_notebooks(only=only)
    declared = {path: set(papermill.inspect_notebook(str(path))) for path in notebooks}
    unknown = set(parameters) - set().union(*declared.values())
    if unknown:
        known = ", ".join(sorted(set().union(*declared.values())))
        print(f"Unknown parameter(s): {', '.join(sorted(unknown))}. The notebooks' parameters are: {known}.",
              file=sys.stderr)
        return 2
    build_dir.mkdir(parents=True, exist_ok=True)
    timings = []
    for path in notebooks:
        output = build_dir / path.name
        given = {name: value for name, value in parameters.items() if name in declared[path]}
        print(f"Running {path.name} -> {output}" + (f" with {given}" if given else ""), flush=True)
        start = time.perf_counter()
        notebook = parameterize_notebook(load_notebook_node(str(path)), given, kernel_name="python3")
        error = execute(notebook)
        nbformat.write(notebook, output)
        if error is not None:
            print(_failure_message(path, error, output), file=sys.stderr)
            return 1
        timings.append((path.name, time.perf_counter() - start))
        print(f"  done in {timings[-1][1]:.1f} s", flush=True)
        (build_dir / "timings.json").write_text(json.dumps(dict(timings), indent=1) + "\n")
    total = sum(seconds for _, seconds in timings)
    print(f"\n{len(timings)} notebook(s) executed in {total:.1f} s; executed copies in {build_dir}/")
    return 0


def refresh_in_place(only=None):
    """Re-execute notebooks and rewrite their stored outputs (maintainers only)."""
    import nbformat

    for path in series_notebooks(only=only):
        print(f"Refreshing {path.name}", flush=True)
        notebook = nbformat.read(path, as_version=4)
        error = execute(notebook)
        if error is not None:
            print(f"{path.name} failed, left unchanged: {error.ename}: {error.evalue}", file=sys.stderr)
            return 1
        handle, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
        os.close(handle)
        nbformat.write(notebook, tmp)
        os.replace(tmp, path)
    return 0


def main(argv=None):
    os.environ.update(KERNEL_ENV)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "refresh"])
    parser.add_argument("--build", default="build/executed", help="folder for executed copies (run)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="papermill parameter, e.g. -p epochs 5 (run)")
    parser.add_argument("--only", nargs="*", help="run only notebooks whose names contain these")
    args = parser.parse_args(argv)
    if args.command == "run":
        parameters = {name: parse_value(value) for name, value in args.parameter}
        return run_series(args.build, parameters, args.only)
    if args.parameter:
        parser.error("refresh stores the notebooks' own defaults; parameters apply to run only")
    return refresh_in_place(args.only)


if __name__ == "__main__":
    sys.exit(main())
