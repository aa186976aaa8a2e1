"""The headless runner: order, parameters, and a bad parameter that stops cleanly."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from going_deeper.series import main, parse_value, series_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_series_is_the_numbered_notebooks_in_order():
    names = [path.name for path in series_notebooks()]
    assert names == sorted(names) and len(names) == 6
    assert names[0].startswith("00_") and names[-1].startswith("05_")


@pytest.mark.parametrize("text, value", [("5", 5), ("-1", -1), ("2.5", 2.5), ("abc", "abc"), ("60_000", 60000)])
def test_parameter_values_are_parsed(text, value):
    assert parse_value(text) == value


def test_bad_parameter_stops_with_a_clear_message_and_loses_nothing(tmp_path, capsys):
    notebook = next(p for p in series_notebooks() if p.name.startswith("01_"))
    before = hashlib.sha256(notebook.read_bytes()).hexdigest()
    status = main(["run", "--build", str(tmp_path), "--only", "01_", "-p", "epochs", "-1"])
    err = capsys.readouterr().err
    assert status == 1
    assert "KnobError: epochs = -1 is out of range" in err
    assert "whole number from 1 to 100" in err
    assert "Traceback" not in err
    assert hashlib.sha256(notebook.read_bytes()).hexdigest() == before
    assert (tmp_path / notebook.name).exists()  # the partly executed copy is kept for reading


def test_make_refuses_a_wrong_python_with_advice(tmp_path):
    done = subprocess.run(["make", "-B", "setup", f"VENV={tmp_path / 'venv'}", "PYTHON=python3-no-such"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "this course needs Python 3.11" in done.stderr
    assert "PYTHON=/path/to/python3.11" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_parameters_are_injected_and_used(tmp_path):
    status = main(["run", "--build", str(tmp_path), "--only", "00_", "-p", "epochs", "1", "-p", "n_train", "1000"])
    assert status == 0
    executed = json.loads((tmp_path / "00_welcome.ipynb").read_text())
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and "epochs = 1" in "".join(injected[0]["source"])
    outputs = "".join(str(o) for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"])
    assert "'epochs': 1, 'n_train': 1000" in outputs and "(1000, 28, 28) uint8" in outputs
    assert json.loads((tmp_path / "timings.json").read_text()).keys() == {"00_welcome.ipynb"}


def test_notebooks_run_with_no_network_at_all(tmp_path):
    """Nothing downloads at run time: run two notebooks in a network namespace with only loopback."""
    if not (shutil.which("unshare") and shutil.which("ip")) or subprocess.run(["unshare", "-n", "true"]).returncode:
        pytest.skip("cannot create a network namespace here (needs root and util-linux)")
    command = (f"ip link set lo up && {sys.executable} -m going_deeper.series run --build {tmp_path} "
               "--only 00_ 01_ -p epochs 1 -p n_train 1000")
    done = subprocess.run(["unshare", "-n", "sh", "-c", command], cwd=ROOT / "notebooks", capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 notebook(s) executed" in done.stdout


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path, capsys):
    status = main(["run", "--build", str(tmp_path / "out"), "-p", "epoch", "5"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Unknown parameter(s): epoch." in err and "epochs" in err
    assert not (tmp_path / "out").exists()
