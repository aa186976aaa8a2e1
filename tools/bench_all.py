"""`make bench`: the benchmark on every backend side by side, and a classroom load run.

``python -m tools.bench_all --backends tensorflow jax torch --load 3``

* For each backend, ``tools.benchmark`` runs in that backend's environment (.venv,
  .venv-jax, .venv-torch; ``make setup KERAS_BACKEND=...`` makes them) with
  ``KERAS_BACKEND`` set, one after the other on the same machine; its report goes to
  ``<out>/<backend>/``, and one table puts them side by side (``<out>/backends.md``,
  ``.json``), ratios against TensorFlow included.
* The load run starts N kernels on the same notebook at once, as a class would, and
  reports each student's wall time and peak kernel memory, the machine's peak memory in
  use, and what that projects to for a larger server (``<out>/load.md``, ``.json``). It
  runs twice: on notebook 01, the first lab, and on the notebook whose kernel peaked
  highest in the first backend's series (the one that decides a server's size).
* All of it goes into one document, ``docs/performance.md``, and the figures it was
  written from into ``docs/performance.json`` (tools/performance.py).

``--quick`` checks the bench itself in about a minute: each backend's quick run
(``tools.benchmark --quick``) and no load run.

This module loads no Keras backend itself: the measuring happens in child processes.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import performance
from .paths import BUILD_DIR, ROOT

BACKENDS = ("tensorflow", "jax", "torch")
LOAD_NOTEBOOK = "01"
GIB = 1024**3


def environment_python(backend):
    venv = ".venv" if backend == "tensorflow" else f".venv-{backend}"
    python = ROOT / venv / "bin" / "python"
    if not python.exists():
        raise SystemExit(
            f"No environment for {backend}: run `make setup KERAS_BACKEND={backend}` "
            f"first (it creates {venv}/)."
        )
    return python


def tools_env(backend):
    return {**os.environ, "KERAS_BACKEND": backend}


def bench_backend(backend, out, skip, options=()):
    """Run the single-backend benchmark in that backend's environment; its report.

    ``options``: more of ``tools.benchmark``'s arguments (``--quick``, ``--seeds N``).
    """
    target = out / backend
    command = [environment_python(backend), "-m", "tools.benchmark"]
    command += ["--out", str(target)] + (["--skip", *skip] if skip else [])
    command += list(options)
    print(f"=== {backend}", flush=True)
    if subprocess.run(command, cwd=ROOT, env=tools_env(backend)).returncode != 0:
        return {"backend": backend, "failed": True}
    return json.loads((target / "benchmark.json").read_text())


# The load run.
def _memory_in_use():
    """Bytes of memory in use on the machine (MemTotal - MemAvailable)."""
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        info[key] = int(value.split()[0]) * 1024
    return info["MemTotal"] - info["MemAvailable"], info["MemTotal"]


# One student: the course's runner on the notebook, timed by the benchmark's run_child;
# the last line printed is "status seconds peak-MiB" (peak of the largest process the
# runner started: the kernel).
STUDENT = """
import sys
from tools.benchmark import run_child
seconds, status, peak_mib = run_child(sys.argv[1:])
print(f"{status} {seconds:.1f} {peak_mib:.0f}")
"""


def heaviest_notebook(report):
    """The notebook (its number, "08") whose kernel peaked highest in a backend's
    series, or None when the report has no series.
    """
    peaks = report.get("kernel peak MiB") or {}
    if not peaks:
        return None
    return max(peaks, key=lambda name: peaks[name])[:2]


def load_notebooks(report):
    """The load run's notebooks: 01, then the heaviest when it is another one."""
    heaviest = heaviest_notebook(report)
    return [LOAD_NOTEBOOK] + ([heaviest] if heaviest not in (None, LOAD_NOTEBOOK) else [])


def load_run(n_students, backend, out, notebook=LOAD_NOTEBOOK):
    python = environment_python(backend)
    runner = [python, "-m", "tools.series", "run", "--only", notebook]
    baseline, total = _memory_in_use()
    # Each student's output goes to a file: a pipe nobody reads until the end could fill
    # and stall the run.
    logs = [out / "load" / notebook / f"s{i}.log" for i in range(n_students)]
    logs[0].parent.mkdir(parents=True, exist_ok=True)
    students = []
    for i, log in enumerate(logs):
        build = str(out / "load" / notebook / f"s{i}")
        with open(log, "w") as stdout:
            students.append(
                subprocess.Popen(
                    [python, "-c", STUDENT, *runner, "--build", build],
                    cwd=ROOT,
                    env=tools_env(backend),
                    stdout=stdout,
                    stderr=subprocess.DEVNULL,
                )
            )
    start, peak_in_use = time.perf_counter(), baseline
    while any(student.poll() is None for student in students):
        peak_in_use = max(peak_in_use, _memory_in_use()[0])
        time.sleep(0.5)
    wall = time.perf_counter() - start
    rows = []
    for log in logs:
        # the runner prints its progress first; the last line is the student's figures
        status, seconds, peak_mib = log.read_text().splitlines()[-1].split()
        rows.append(
            {"ok": status == "0", "seconds": float(seconds), "peak MiB": int(peak_mib)}
        )
    added = (peak_in_use - baseline) / n_students
    largest = max(row["peak MiB"] for row in rows) * 2**20
    # Resident memory counts the shared libraries in every kernel, and the machine-wide
    # figure counts whatever else ran meanwhile: project with the larger of the two.
    per_student = max(added, largest)
    return {
        "notebook": notebook,
        "backend": backend,
        "students": n_students,
        "cores": os.cpu_count(),
        "wall seconds": round(wall, 1),
        "per student": rows,
        "largest kernel MiB": round(largest / 2**20),
        "memory added per student MiB": round(added / 2**20),
        "machine memory GiB": round(total / GIB, 1),
        # A 24 GiB server, keeping 2 GiB for the system and the hub.
        "students per 24 GiB server": int((24 - 2) * GIB // max(per_student, 1)),
        "core-seconds per student": round(wall * os.cpu_count() / n_students, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR / "bench")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--skip", nargs="*", default=[], choices=["series", "race"])
    parser.add_argument(
        "--load", type=int, default=0, metavar="N", help="N students at once (0: none)"
    )
    parser.add_argument("--seeds", type=int, metavar="N", help="seeds of each recipe")
    parser.add_argument(
        "--quick", action="store_true", help="check the bench: quick runs, no load run"
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=ROOT / "docs",
        help="folder of performance.md and performance.json",
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    options = (["--quick"] if args.quick else []) + (
        ["--seeds", str(args.seeds)] if args.seeds else []
    )
    reports = [
        bench_backend(backend, out, args.skip, options) for backend in args.backends
    ]
    table = performance.side_by_side(reports)
    (out / "backends.json").write_text(json.dumps(reports, indent=1) + "\n")
    (out / "backends.md").write_text(table)
    print("\n" + table)
    load = None
    if args.load and args.quick:
        print(f"a quick run has no load run (--load {args.load} left out)", flush=True)
    elif args.load:
        load = []
        for notebook in load_notebooks(reports[0]):
            print(f"=== load run: {args.load} students on {notebook} at once", flush=True)
            load.append(load_run(args.load, args.backends[0], out, notebook))
            print(performance.load_markdown(load[-1]))
        (out / "load.json").write_text(json.dumps(load, indent=1) + "\n")
        (out / "load.md").write_text("\n".join(map(performance.load_markdown, load)))
    doc = performance.document(reports, load, args.quick, time.strftime("%Y-%m-%d"))
    written = performance.write(doc, args.docs)
    print(f"written to {out}/ and {', '.join(str(path) for path in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
