"""The headless runner: order, parameters, and a bad parameter that stops cleanly."""

import asyncio
import gc
import hashlib
import json
import logging
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from test_supported_pythons import supported_pythons

from tools import timings
from tools.course import read_course
from tools.paths import ROOT
from tools.series import (
    main,
    parse_value,
    quiet_nbclient_leftovers,
    refresh_in_place,
    run_series,
    series_notebooks,
)


def test_series_is_the_course_tables_notebooks_in_order():
    names = [path.name for path in series_notebooks()]
    assert names == [entry.file for entry in read_course().notebooks]


@pytest.mark.parametrize(
    "text, value", [("5", 5), ("-1", -1), ("2.5", 2.5), ("abc", "abc"), ("60_000", 60000)]
)
def test_parameter_values_are_parsed(text, value):
    assert parse_value(text) == value


def test_bad_parameter_stops_with_a_clear_message_and_loses_nothing(tmp_path, capsys):
    notebook = next(p for p in series_notebooks() if p.name.startswith("01_"))
    before = hashlib.sha256(notebook.read_bytes()).hexdigest()
    status = main(
        ["run", "--build", str(tmp_path), "--only", "01_", "-p", "epochs", "-1"]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "KnobError: epochs = -1 is out of range" in err
    assert "whole number from 1 to 100" in err
    assert "Traceback" not in err
    assert hashlib.sha256(notebook.read_bytes()).hexdigest() == before
    assert (
        tmp_path / notebook.name
    ).exists()  # the partly executed copy is kept for reading


def test_make_refuses_a_wrong_python_with_advice(tmp_path):
    done = subprocess.run(
        ["make", "-B", "setup", f"VENV={tmp_path / 'venv'}", "PYTHON=python3-no-such"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    *older, newest = supported_pythons()  # pyproject.toml's requires-python
    assert f"this course needs Python {', '.join(older)} or {newest}" in done.stderr
    assert f"PYTHON=/path/to/python{newest}" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_parameters_are_injected_and_used(tmp_path):
    status = main(
        [
            "run",
            "--build",
            str(tmp_path),
            "--only",
            "00_",
            "-p",
            "epochs",
            "1",
            "-p",
            "n_train",
            "1000",
        ]
    )
    assert status == 0
    executed = json.loads((tmp_path / "00_welcome.ipynb").read_text())
    injected = [
        c
        for c in executed["cells"]
        if "injected-parameters" in c["metadata"].get("tags", [])
    ]
    assert len(injected) == 1 and "epochs = 1" in "".join(injected[0]["source"])
    outputs = "".join(
        str(o)
        for c in executed["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
    )
    assert "Knobs OK: epochs = 1, n_train = 1,000" in outputs
    assert "training:   1,000 images" in outputs
    assert json.loads((tmp_path / "timings.json").read_text()).keys() == {
        "00_welcome.ipynb"
    }


def test_notebooks_run_with_no_network_at_all(tmp_path):
    """Nothing downloads at run time: run two notebooks in a network namespace with only
    loopback.
    """
    if (
        not (shutil.which("unshare") and shutil.which("ip"))
        or subprocess.run(["unshare", "-n", "true"]).returncode
    ):
        pytest.skip("cannot create a network namespace here (needs root and util-linux)")
    command = (
        f"ip link set lo up && {shlex.quote(sys.executable)} -m tools.series run "
        f"--build {shlex.quote(str(tmp_path))} --only 00_ 01_ -p epochs 1 -p n_train 1000"
    )
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", command],
        cwd=ROOT,
        env=TOOLS_ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 notebook(s) executed" in done.stdout


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path, capsys):
    status = main(["run", "--build", str(tmp_path / "out"), "-p", "epoch", "5"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Unknown parameter(s): epoch." in err and "epochs" in err
    assert not (tmp_path / "out").exists()


# The maintainers' tools run as `python -m tools...` from the repository's root.
TOOLS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_runner_and_renderer_import_no_keras_backend():
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import tools.series, tools.render",
        ],
        cwd=ROOT,
        env=TOOLS_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    imported = {
        line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
    }
    assert imported & {"keras", "tensorflow", "jax", "torch"} == set()
    assert "tools" in imported


def tiny_notebook(folder, name, *sources, tags_of=None):
    """A small notebook written to ``folder/name``: a parameters cell, then ``sources``.

    Every cell carries a stale stored output, as a notebook from the repository does.
    """
    cells = [new_code_cell("epochs = 1", metadata={"tags": ["parameters"]})]
    cells += [
        new_code_cell(source, metadata={"tags": (tags_of or {}).get(i, [])})
        for i, source in enumerate(sources)
    ]
    for cell in cells:
        cell.outputs = [new_output("stream", name="stdout", text="STALE\n")]
        cell.execution_count = 1
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        },
    )
    nbformat.write(notebook, folder / name)
    return folder / name


def outputs_of(path):
    return [
        "".join(o.text)
        for c in nbformat.read(path, as_version=4).cells
        for o in c.outputs
        if o.output_type == "stream"
    ]


def test_a_failing_cell_stops_the_run_and_leaves_nothing_stale(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    tiny_notebook(
        source, "00_tiny.ipynb", "print('ran', epochs)", "1 / 0", "print('after')"
    )
    status = run_series(tmp_path / "out", {"epochs": 3}, folder=source)
    assert status == 1
    assert "00_tiny.ipynb stopped: ZeroDivisionError" in capsys.readouterr().err
    assert outputs_of(tmp_path / "out" / "00_tiny.ipynb") == [
        "ran 3\n"
    ]  # no STALE after the failure


def test_a_cell_tagged_raises_exception_may_fail(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    tiny_notebook(
        source,
        "00_tiny.ipynb",
        "raise ValueError('meant')",
        "print('after')",
        tags_of={0: ["raises-exception"]},
    )
    assert run_series(tmp_path / "out", {}, folder=source) == 0
    assert outputs_of(tmp_path / "out" / "00_tiny.ipynb")[-1] == "after\n"


@pytest.mark.skipif(
    not os.path.exists("/proc/self/status"), reason="Linux's /proc reports peak memory"
)
def test_each_kernels_peak_memory_is_recorded_and_a_freed_peak_still_counts(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    tiny_notebook(source, "00_small.ipynb", "print('small')")
    # 300 MiB written byte by byte, then freed before the last cell: a sampler reading
    # the memory in use at the end would miss it, the high-water mark does not
    tiny_notebook(
        source, "01_large.ipynb", "block = b'x' * (300 * 2**20)", "del block", "1"
    )
    assert run_series(tmp_path / "out", {}, folder=source) == 0
    peaks = json.loads((tmp_path / "out" / "kernel_memory.json").read_text())
    assert set(peaks) == {"00_small.ipynb", "01_large.ipynb"}
    assert 20 < peaks["00_small.ipynb"] < 300
    assert peaks["01_large.ipynb"] > peaks["00_small.ipynb"] + 290


def test_only_that_matches_no_notebook_is_an_error(capsys):
    status = main(["run", "--build", "unused", "--only", "99"])
    err = capsys.readouterr().err
    assert status == 2
    assert "No notebook" in err and "matches '99'" in err and "00_welcome.ipynb" in err


def test_refresh_keeps_the_file_mode_and_replaces_only_after_success(tmp_path):
    good = tiny_notebook(tmp_path, "00_good.ipynb", "print('fresh')")
    bad = tiny_notebook(tmp_path, "01_bad.ipynb", "1 / 0")
    good.chmod(0o644)
    before = bad.read_bytes()
    assert refresh_in_place(tmp_path / "refresh", folder=tmp_path) == 1
    assert outputs_of(good) == ["fresh\n"] and good.stat().st_mode & 0o777 == 0o644
    assert bad.read_bytes() == before


def test_refresh_writes_the_timings_of_the_notebooks_it_renewed(tmp_path, capsys):
    tiny_notebook(tmp_path, "00_a.ipynb", "print('a')")
    tiny_notebook(tmp_path, "01_b.ipynb", "import time", "time.sleep(1)")
    assert refresh_in_place(tmp_path / "refresh", folder=tmp_path) == 0
    found = timings.read(tmp_path / "refresh")
    assert list(found) == ["00_a.ipynb", "01_b.ipynb"]
    # refresh runs the notebook as it is stored: no parameters cell is added, so the
    # indices are those of the notebook in the folder
    assert [cell["cell"] for cell in found["01_b.ipynb"]["cells"]] == [0, 1, 2]
    assert timings.slowest_cells(found, 1)[0]["first line"] == "time.sleep(1)"
    assert "01_b.ipynb cell 2: time.sleep(1)" in capsys.readouterr().out
    peaks = json.loads((tmp_path / "refresh" / "kernel_memory.json").read_text())
    assert set(peaks) == {"00_a.ipynb", "01_b.ipynb"}


def test_a_cell_that_sleeps_a_second_is_the_slowest_with_about_a_second(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    tiny_notebook(
        source,
        "00_tiny.ipynb",
        "import time",
        "\ntime.sleep(1)  # the slow one\nprint('slept')",
        "x = sum(range(1000))",
    )
    assert run_series(tmp_path / "out", {"epochs": 2}, folder=source) == 0
    found = timings.read(tmp_path / "out")
    assert list(found) == ["00_tiny.ipynb"]
    entry = found["00_tiny.ipynb"]
    assert set(entry) == {"seconds", "cells"}
    # the parameters cell, papermill's injected one, then the three above
    assert [cell["cell"] for cell in entry["cells"]] == [0, 1, 2, 3, 4]
    for cell in entry["cells"]:
        assert set(cell) == {"cell", "id", "first line", "seconds"}
        assert isinstance(cell["id"], str) and cell["seconds"] >= 0
    slowest = timings.slowest_cells(found, 1)[0]
    assert slowest["notebook"] == "00_tiny.ipynb" and slowest["cell"] == 3
    assert slowest["first line"] == "time.sleep(1)  # the slow one"
    assert 0.95 <= slowest["seconds"] < 3
    others = [cell["seconds"] for cell in entry["cells"] if cell["cell"] != 3]
    assert max(others) < 0.5
    assert entry["seconds"] >= sum(cell["seconds"] for cell in entry["cells"])
    assert timings.notebook_seconds(found) == {"00_tiny.ipynb": entry["seconds"]}
    out = capsys.readouterr().out
    report = out[out.index("Slowest") :].splitlines()
    assert report[0] == "Slowest 5 cell(s):"
    assert report[1].endswith("00_tiny.ipynb cell 3: time.sleep(1)  # the slow one")


def test_the_slowest_cells_come_from_every_notebook_slowest_first():
    def notebook(*seconds):
        cells = [
            {"cell": i, "id": f"c{i}", "first line": f"line {i}", "seconds": s}
            for i, s in enumerate(seconds)
        ]
        return timings.notebook_entry(sum(seconds) + 1, cells)

    found = {"00_a.ipynb": notebook(0.5, 3.0), "01_b.ipynb": notebook(2.0, 0.1, 4.0)}
    slowest = timings.slowest_cells(found, 3)
    assert [(cell["notebook"], cell["cell"]) for cell in slowest] == [
        ("01_b.ipynb", 2),
        ("00_a.ipynb", 1),
        ("01_b.ipynb", 0),
    ]
    assert timings.notebook_seconds(found) == {"00_a.ipynb": 4.5, "01_b.ipynb": 7.1}
    assert timings.slowest_report({"00_a.ipynb": notebook()}) == []


def test_ctrl_c_stops_the_run_with_one_line_and_keeps_the_partial_copy(tmp_path):
    ready = tmp_path / "asleep"
    tiny_notebook(
        tmp_path,
        "00_slow.ipynb",
        f"open({str(ready)!r}, 'w').close()",
        "import time\ntime.sleep(120)",
    )
    runner = subprocess.Popen(
        env=TOOLS_ENV,
        args=[
            sys.executable,
            "-m",
            "tools.series",
            "run",
            "--source",
            str(tmp_path),
            "--build",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert runner.stdout.readline().startswith("Running 00_slow.ipynb")
    for _ in range(
        600
    ):  # wait, at most a minute, until the kernel is in the sleeping cell
        if ready.exists():
            break
        time.sleep(0.1)
    time.sleep(0.5)
    os.killpg(
        runner.pid, signal.SIGINT
    )  # what Ctrl-C in a terminal does: the whole group
    out, err = runner.communicate(timeout=120)
    assert runner.returncode == 130, err
    assert err.strip().splitlines() == [
        f"Interrupted while running 00_slow.ipynb. The partly executed copy is "
        f"{tmp_path / 'out' / '00_slow.ipynb'}; notebooks/ is unchanged."
    ]
    assert (tmp_path / "out" / "00_slow.ipynb").exists()


def failed_task_reports(coroutine, caplog):
    """What asyncio logs about a task that failed and was never awaited."""

    async def leave_it_behind():
        asyncio.ensure_future(coroutine)
        await asyncio.sleep(0.01)

    caplog.clear()
    asyncio.run(leave_it_behind())
    gc.collect()  # the report is written when the task is collected
    return [r.getMessage() for r in caplog.records if r.name == "asyncio"]


def test_after_ctrl_c_nbclients_failed_kernel_poll_is_not_printed_but_other_errors_are(
    caplog, monkeypatch
):
    # What CI once printed after the one-line message: nbclient's poll task, woken
    # after the kernel was shut down, failing on `assert self.kc is not None`.
    class NotebookClient:
        kc = None

        async def _async_poll_kernel_alive(self):
            assert self.kc is not None

    async def a_real_bug():
        raise ValueError("a real bug")

    monkeypatch.setattr(logging.getLogger("asyncio"), "filters", [])
    before = failed_task_reports(NotebookClient()._async_poll_kernel_alive(), caplog)
    assert len(before) == 1 and "Task exception was never retrieved" in before[0]
    quiet_nbclient_leftovers()
    quiet_nbclient_leftovers()  # twice, as two interrupts would: still one filter
    assert len(logging.getLogger("asyncio").filters) == 1
    assert failed_task_reports(NotebookClient()._async_poll_kernel_alive(), caplog) == []
    assert "a real bug" in failed_task_reports(a_real_bug(), caplog)[0]


def test_when_timings_are_grouped_by_section_then_each_cell_counts_under_its_heading(
    tmp_path,
):
    nb = new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 09 · Title"),
            new_code_cell("import keras"),
            nbformat.v4.new_markdown_cell("## Training\n\nWhy we train."),
            new_code_cell("model.fit(...)"),
            new_code_cell("model.evaluate(...)"),
            nbformat.v4.new_markdown_cell("## Test set"),
            new_code_cell("model.evaluate(x_test)"),
        ]
    )
    nbformat.write(nb, tmp_path / "09_x.ipynb")
    ids = [cell.id for cell in nb.cells]
    run = {
        "09_x.ipynb": {
            "seconds": 20.0,
            "cells": [
                {"cell": 1, "id": ids[1], "first line": "import keras", "seconds": 2.0},
                {"cell": 2, "id": "papermill", "first line": "n = 1", "seconds": 5.0},
                {"cell": 3, "id": ids[3], "first line": "model.fit", "seconds": 10.0},
                {"cell": 4, "id": ids[4], "first line": "model.evaluate", "seconds": 1.5},
                {"cell": 6, "id": ids[6], "first line": "evaluate", "seconds": 0.5},
            ],
        }
    }
    assert timings.section_seconds(run, tmp_path) == {
        "09_x.ipynb": {"(opening)": 2.0, "Training": 11.5, "Test set": 0.5}
    }
    table = timings.sections_markdown(run, tmp_path)
    assert "| 09 | Training | 11.5 |" in table
