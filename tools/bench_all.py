"""`make bench`: the benchmark on every backend side by side, and a classroom load run.

``python -m tools.bench_all --backends tensorflow jax torch --load 3``

* For each backend, ``tools.benchmark`` runs in that backend's environment (.venv,
  .venv-jax, .venv-torch; ``make setup KERAS_BACKEND=...`` makes them) with
  ``KERAS_BACKEND`` set, one after the other on the same machine; its report goes to
  ``<out>/<backend>/``, and one table puts them side by side (``<out>/backends.md``,
  ``.json``), ratios against TensorFlow included.
* The load run starts N kernels on the same notebook at once, as a class would, and
  reports each student's wall time and peak kernel memory, the machine's peak memory in
  use, and what that projects to for a larger server (``<out>/load.md``, ``.json``).

This module loads no Keras backend itself: the measuring happens in child processes.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

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


def bench_backend(backend, out, skip):
    """Run the single-backend benchmark in that backend's environment; its report."""
    target = out / backend
    command = [environment_python(backend), "-m", "tools.benchmark"]
    command += ["--out", str(target)] + (["--skip", *skip] if skip else [])
    print(f"=== {backend}", flush=True)
    if subprocess.run(command, cwd=ROOT, env=tools_env(backend)).returncode != 0:
        return {"backend": backend, "failed": True}
    return json.loads((target / "benchmark.json").read_text())


def _seconds_to_99(report, model):
    row = report.get("time to 99%", {}).get(model, {})
    return row.get("seconds to 99%")


def side_by_side(reports):
    """One markdown table, a row per backend; ratios are to the first backend."""
    first = reports[0]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores "
        f"({first.get('machine', {}).get('cpu', platform.machine())}), one backend after "
        "the other.",
        "",
        "| backend | series (s) | peak memory (MiB) | final model: s to 99% | keras-io "
        "recipe: s to 99% | final / keras-io | series / first row |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def shown(value, fmt="{:.1f}"):
        return "-" if value is None else fmt.format(value)

    for report in reports:
        if report.get("failed"):
            lines.append(f"| {report['backend']} | failed | | | | | |")
            continue
        final = _seconds_to_99(report, "final model")
        reference = _seconds_to_99(report, "keras-io recipe")
        series = report.get("series seconds")
        base = first.get("series seconds")
        lines.append(
            f"| {report['machine']['backend']} | {shown(series)} | "
            f"{shown(report.get('peak memory MiB'), '{:.0f}')} | {shown(final)} | "
            f"{shown(reference)} | "
            f"{shown(final / reference if final and reference else None, '{:.2f}')} | "
            f"{shown(series / base if series and base else None, '{:.2f}')} |"
        )
    return "\n".join(lines) + "\n"


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


def load_run(n_students, backend, out, notebook=LOAD_NOTEBOOK):
    python = environment_python(backend)
    runner = [python, "-m", "tools.series", "run", "--only", notebook]
    baseline, total = _memory_in_use()
    # Each student's output goes to a file: a pipe nobody reads until the end could fill
    # and stall the run.
    logs = [out / "load" / f"s{i}.log" for i in range(n_students)]
    logs[0].parent.mkdir(parents=True, exist_ok=True)
    students = []
    for i, log in enumerate(logs):
        build = str(out / "load" / f"s{i}")
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


def load_markdown(load):
    lines = [
        f"Load run: {load['students']} students ran notebook {load['notebook']} at once "
        f"({load['backend']}, {load['cores']} cores, {load['machine memory GiB']} GiB).",
        "",
        "| student | finished | wall time (s) | peak kernel memory (MiB) |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| {i + 1} | {'yes' if row['ok'] else 'FAILED'} | {row['seconds']:.1f} | "
        f"{row['peak MiB']} |"
        for i, row in enumerate(load["per student"])
    ]
    lines += [
        "",
        f"Memory in use rose by {load['memory added per student MiB']} MiB per student, "
        f"and the largest kernel peaked at {load['largest kernel MiB']} MiB; counting "
        "the larger of the two, a 24 GiB server (2 GiB kept for the system) holds about "
        f"{load['students per 24 GiB server']} students running this notebook at once. "
        f"Each student cost about {load['core-seconds per student']} core-seconds here, "
        "so a server of C cores serves N of them in about that times N / C seconds.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR / "bench")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--skip", nargs="*", default=[], choices=["series", "race"])
    parser.add_argument(
        "--load", type=int, default=0, metavar="N", help="N students at once (0: none)"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    reports = [bench_backend(backend, out, args.skip) for backend in args.backends]
    table = side_by_side(reports)
    (out / "backends.json").write_text(json.dumps(reports, indent=1) + "\n")
    (out / "backends.md").write_text(table)
    print("\n" + table)
    if args.load:
        print(f"=== load run: {args.load} students at once ...", flush=True)
        load = load_run(args.load, args.backends[0], out)
        (out / "load.json").write_text(json.dumps(load, indent=1) + "\n")
        (out / "load.md").write_text(load_markdown(load))
        print(load_markdown(load))
    print(f"written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
