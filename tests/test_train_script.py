"""notebooks/train_final_model.py: notebook 07's final model, from the command line."""

import importlib.util
import re
import subprocess
import sys

import pytest

from tools import benchmark
from tools.paths import NOTEBOOK_DIR, ROOT

SCRIPT = NOTEBOOK_DIR / "train_final_model.py"
FLOOR = 0.98  # notebook 07's floor for its final model at the default budget


def run_script(*args):
    # Python puts the script's own folder, notebooks/, on the import path: going_deeper
    # imports from there, as it does for a student who runs it.
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def load_script():
    spec = importlib.util.spec_from_file_location("train_final_model", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_when_run_at_its_defaults_then_it_reaches_the_floor_saves_and_reloads(tmp_path):
    out = tmp_path / "models" / "final.keras"
    done = run_script("--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    accuracy = float(re.search(r"^validation accuracy (0\.\d+)$", done.stdout, re.M)[1])
    assert accuracy >= FLOOR, done.stdout
    assert "trained 2 of 2 epoch(s)" in done.stdout or "stopped early" in done.stdout
    assert out.is_file()
    assert "loaded back, it predicts the same" in done.stdout
    assert re.search(r"^test accuracy 0\.\d+ \(scored once", done.stdout, re.M)


@pytest.mark.parametrize(
    "args, says",
    [
        (["--out", "final.h5"], "must end in .keras"),
        (["--out", str(NOTEBOOK_DIR / "final.keras")], "not inside notebooks/"),
        (["--epochs", "0"], "must be a whole number of at least 1"),
    ],
)
def test_when_given_bad_input_then_it_stops_saying_what_to_change(args, says):
    done = run_script(*args)
    assert done.returncode != 0
    assert says in done.stderr
    assert not (NOTEBOOK_DIR / "final.keras").exists()


def test_when_the_model_file_exists_then_it_is_kept_unless_told_to_overwrite(tmp_path):
    out = tmp_path / "final.keras"
    out.write_text("a student's earlier model")
    done = run_script("--out", str(out))
    assert done.returncode != 0 and "--overwrite" in done.stderr
    assert out.read_text() == "a student's earlier model"


def test_when_built_then_the_script_trains_the_model_the_bench_times():
    import keras

    script = load_script().final_cnn()
    bench = keras.Sequential(
        [keras.Input(shape=(28, 28, 1)), *benchmark.final_cnn_layers()]
    )

    def configs(model):
        return [
            {k: v for k, v in layer.get_config().items() if k != "name"}
            for layer in model.layers
        ]

    assert configs(script) == configs(bench)
    assert script.count_params() == bench.count_params()
