"""Execute the notebook series headless: ``python -m tools.series run|refresh``.

``run`` writes executed copies to a build folder, with parameters injected by papermill;
it never writes to notebooks/. ``refresh`` is the maintainer's command that re-executes
the notebooks in place to renew their stored outputs; a notebook is only replaced when its
run succeeded, so a failure loses nothing. Both write the seconds of each notebook and of
each code cell (``timings.json``, see tools/timings.py) and each kernel's peak memory
(``kernel_memory.json``) to their build folder, and print the slowest cells at the end.
"""

import argparse
import ast
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from . import timings as cell_timings
from .course import series_notebooks
from .paths import NOTEBOOK_DIR, SeriesError

# Kernels inherit this: error messages that print a Python set (Keras' padding error does)
# then come out in the same order on every run.
KERNEL_ENV = {"PYTHONHASHSEED": "0"}


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped a run; the runner says so in one line."""


class _NbclientLeftovers(logging.Filter):
    """Drop asyncio's report of nbclient's kernel-alive poll failing after Ctrl-C.

    nbclient (0.10) polls the kernel every second; when the poll wakes after its own
    Ctrl-C handler has shut the kernel down, it fails on ``assert self.kc is not None``,
    and asyncio prints that task's 12-line traceback when it is garbage-collected, after
    our one-line message. Whether it wakes in that window is timing: CI saw it once in
    many runs. Other asyncio errors still print.
    """

    def filter(self, record):
        return "_async_poll_kernel_alive" not in record.getMessage()


def quiet_nbclient_leftovers():
    """Installed once a run is interrupted; see ``_NbclientLeftovers``."""
    log = logging.getLogger("asyncio")
    if not any(isinstance(f, _NbclientLeftovers) for f in log.filters):
        log.addFilter(_NbclientLeftovers())


def clear_outputs(notebook):
    """Forget stored outputs, so a run that stops part-way shows nothing stale after the
    stop.
    """
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def parse_value(text):
    """'5' -> 5, '0.5' -> 0.5, anything else stays a string (the notebook checks it)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def kernel_peak_mib(pid):
    """The largest resident memory a running process has had so far, in MiB, or None.

    Linux keeps that high-water mark itself (``VmHWM`` in /proc/PID/status), so nothing
    is sampled and no short peak is missed; elsewhere it is not measured.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # the file gives kB
    return None


def execute(notebook, folder=NOTEBOOK_DIR, memory=None, cells=None):
    """Run a notebook in a fresh kernel from the notebooks folder; return the error or
    None.

    Given a dict as ``memory``, puts the kernel's peak resident memory into it (``"peak
    MiB"``, read after each cell; None where it cannot be read). Given a list as
    ``cells``, appends each code cell's timing entry to it (tools/timings.py): seconds
    from sending the cell to the kernel until its reply and outputs are in.

    Cells tagged ``raises-exception`` may fail; any other error stops the run. (The
    course's own notebooks catch their deliberate errors in the cell, so that "Run all"
    works in every front end; the tag is honoured for notebooks that use it.) papermill's
    executor would report such cells as failures, so papermill only injects parameters.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    started = {}

    def note_start(cell_index, **_):
        started[cell_index] = time.perf_counter()

    def note_done(cell, cell_index, **_):
        # the clock first: reading the kernel's memory is not the cell's time
        seconds = time.perf_counter() - started.pop(cell_index)
        if cells is not None:
            cells.append(cell_timings.cell_entry(cell, cell_index, seconds))
        if memory is not None:
            pid = getattr(client.km.provisioner, "pid", None)
            memory["peak MiB"] = kernel_peak_mib(pid) if pid else None

    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=1800,
        record_timing=False,
        coalesce_streams=True,
        resources={"metadata": {"path": str(folder)}},
        # The kernel's own log stays quiet: its warning about local TCP, and
        # after Ctrl-C its complaint about closed sockets. Errors in cells
        # come back as messages, not through this log.
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        on_cell_execute=note_start,
        on_cell_executed=note_done,
    )
    try:
        client.execute()
    except CellExecutionError as err:
        if err.ename == "KeyboardInterrupt":
            # Ctrl-C in a terminal reaches the kernel too
            raise Interrupted() from None
        return err
    except BaseException:
        # While it runs, nbclient handles Ctrl-C itself: it shuts the kernel down, and
        # then fails with a dead kernel and errors while cleaning up (75 lines of
        # traceback). Its handler leaves this attribute behind, which tells that story
        # apart from a crash.
        if getattr(client, "_async_cleanup_kernel_future", None) is not None:
            raise Interrupted() from None
        raise
    return None


class Record:
    """What a run keeps in its build folder, rewritten after each notebook, so that a
    run that stops part-way keeps the figures of the notebooks that finished.
    """

    def __init__(self, build_dir):
        self.build_dir = Path(build_dir)
        self.timings, self.peaks = {}, {}

    def add(self, name, seconds, cells, memory):
        """One notebook's seconds, its cells' timing entries, and its ``memory`` dict
        from ``execute``; returns the line the runner prints for it.
        """
        self.timings[name] = cell_timings.notebook_entry(seconds, cells)
        peak = memory.get("peak MiB")
        self.peaks[name] = None if peak is None else round(peak)
        self.build_dir.mkdir(parents=True, exist_ok=True)
        cell_timings.write(self.build_dir, self.timings)
        (self.build_dir / "kernel_memory.json").write_text(
            json.dumps(self.peaks, indent=1) + "\n"
        )
        peak_note = "" if peak is None else f", kernel peak {peak:,.0f} MiB"
        return f"  done in {seconds:.1f} s{peak_note}"

    def summary(self, what, where):
        total = sum(cell_timings.notebook_seconds(self.timings).values())
        lines = [f"\n{len(self.timings)} notebook(s) {what} in {total:.1f} s; {where}"]
        lines += cell_timings.slowest_report(self.timings)
        lines.append(f"Seconds per cell: {self.build_dir / 'timings.json'}")
        return "\n".join(lines)


def _failure_message(path, err, output):
    return (
        f"\n{path.name} stopped: {err.ename}: {err.evalue}\n"
        f"The partly executed copy is {output}; notebooks/ is unchanged."
    )


def run_series(build_dir, parameters, only=None, folder=NOTEBOOK_DIR):
    """Execute each notebook into ``build_dir`` with its parameters; returns the exit
    status.

    Seconds per notebook and per code cell go to ``build_dir/timings.json``, each
    kernel's peak resident memory in MiB to ``build_dir/kernel_memory.json``.
    """
    import nbformat
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    build_dir = Path(build_dir)
    notebooks = series_notebooks(folder, only)
    declared = {path: set(papermill.inspect_notebook(str(path))) for path in notebooks}
    unknown = set(parameters) - set().union(*declared.values())
    if unknown:
        known = ", ".join(sorted(set().union(*declared.values())))
        print(
            f"Unknown parameter(s): {', '.join(sorted(unknown))}. "
            f"The notebooks' parameters are: {known}.",
            file=sys.stderr,
        )
        return 2
    build_dir.mkdir(parents=True, exist_ok=True)
    record = Record(build_dir)
    for path in notebooks:
        output = build_dir / path.name
        given = {
            name: value for name, value in parameters.items() if name in declared[path]
        }
        print(
            f"Running {path.name} -> {output}" + (f" with {given}" if given else ""),
            flush=True,
        )
        start = time.perf_counter()
        notebook = parameterize_notebook(
            clear_outputs(load_notebook_node(str(path))), given, kernel_name="python3"
        )
        memory, cells = {}, []
        try:
            error = execute(notebook, folder, memory, cells)
        except (Interrupted, KeyboardInterrupt):
            quiet_nbclient_leftovers()
            nbformat.write(notebook, output)
            print(
                f"\nInterrupted while running {path.name}. "
                f"The partly executed copy is {output}; notebooks/ is unchanged.",
                file=sys.stderr,
            )
            return 130
        nbformat.write(notebook, output)
        if error is not None:
            print(_failure_message(path, error, output), file=sys.stderr)
            return 1
        line = record.add(path.name, time.perf_counter() - start, cells, memory)
        print(line, flush=True)
    print(record.summary("executed", f"executed copies in {build_dir}/"))
    return 0


def refresh_in_place(build_dir, only=None, folder=NOTEBOOK_DIR):
    """Re-execute notebooks and rewrite their stored outputs (maintainers only).

    A notebook is replaced only when its whole run succeeded, and keeps its file mode.
    The timings and kernel peaks go to ``build_dir``, as ``run_series`` writes them.
    """
    import nbformat

    record = Record(build_dir)
    for path in series_notebooks(folder, only):
        print(f"Refreshing {path.name}", flush=True)
        start = time.perf_counter()
        notebook = clear_outputs(nbformat.read(path, as_version=4))
        memory, cells = {}, []
        try:
            error = execute(notebook, folder, memory, cells)
        except (Interrupted, KeyboardInterrupt):
            quiet_nbclient_leftovers()
            print(
                f"\nInterrupted while refreshing {path.name}; it is left unchanged.",
                file=sys.stderr,
            )
            return 130
        if error is not None:
            print(
                f"{path.name} failed, left unchanged: {error.ename}: {error.evalue}",
                file=sys.stderr,
            )
            return 1
        handle, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
        os.close(handle)
        nbformat.write(notebook, tmp)
        # mkstemp makes 0600; keep the notebook's mode
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
        line = record.add(path.name, time.perf_counter() - start, cells, memory)
        print(line, flush=True)
    print(record.summary("refreshed", "stored outputs renewed in place"))
    return 0


def main(argv=None):
    os.environ.update(KERNEL_ENV)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "refresh"])
    parser.add_argument(
        "--build",
        help="folder for the executed copies and timings (run: build/executed), or for "
        "the timings (refresh: build/refresh)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter, e.g. -p epochs 5 (run)",
    )
    parser.add_argument(
        "--only", nargs="*", help="run only notebooks whose names contain these"
    )
    parser.add_argument(
        "--source", type=Path, default=NOTEBOOK_DIR, help="folder of the notebooks"
    )
    args = parser.parse_args(argv)
    if args.command == "refresh" and args.parameter:
        parser.error(
            "refresh stores the notebooks' own defaults; parameters apply to run only"
        )
    build = args.build or f"build/{'executed' if args.command == 'run' else 'refresh'}"
    try:
        if args.command == "run":
            parameters = {name: parse_value(value) for name, value in args.parameter}
            return run_series(build, parameters, args.only, args.source)
        return refresh_in_place(build, args.only, args.source)
    except SeriesError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    except (Interrupted, KeyboardInterrupt):
        # between notebooks, or while papermill reads them
        print("\nInterrupted; notebooks/ is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
