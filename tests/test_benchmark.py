"""The benchmark measures what notebook 05 teaches: its models may not drift apart."""

import re

import keras
import nbformat
import pytest

from tools import bench_all, benchmark
from tools.paths import NOTEBOOK_DIR

NOTEBOOK = NOTEBOOK_DIR / "05_conclusion.ipynb"


def notebook_code():
    return [
        c.source
        for c in nbformat.read(NOTEBOOK, as_version=4).cells
        if c.cell_type == "code"
    ]


def layer_configs(layer_list):
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), *layer_list])
    configs = [layer.get_config() for layer in model.layers]
    for config in configs:
        config.pop("name", None)
    return configs


def test_the_final_model_is_the_one_notebook_05_builds():
    cell = next(source for source in notebook_code() if "def final_cnn" in source)
    namespace = {"layers": keras.layers, "N_CLASSES": 10, "series_models": {}}
    exec(cell, namespace)  # noqa: S102 - our own notebook's cell
    assert layer_configs(namespace["final_cnn"]()) == layer_configs(
        benchmark.final_cnn_layers()
    )


def test_the_learning_rate_schedule_is_the_one_notebook_05_uses():
    cell = next(source for source in notebook_code() if "CosineDecay(" in source)
    found = {
        name: float(re.search(rf"{name}=([0-9.e-]+)", cell).group(1))
        for name in ("initial_learning_rate", "warmup_target")
    }
    assert found == {
        "initial_learning_rate": benchmark.START_RATE,
        "warmup_target": benchmark.PEAK_RATE,
    }
    assert f"warmup_steps = steps // {benchmark.WARMUP_SHARE}" in cell


def test_the_markdown_report_names_the_machine_each_kernels_memory_and_the_ratio():
    row = {
        "epochs to 99%": 3,
        "seconds to 99%": 20.0,
        "curve (epoch, s, test acc)": [(3, 20.0, 0.991)],
    }
    report = {
        "date": "2026-11-25",
        "machine": {
            "cores": 2,
            "cpu": "a CPU",
            "gpu": "none",
            "python": "3.11.7",
            "keras": "3.15.1",
            "backend": "tensorflow 2.21.0",
        },
        "notebooks": {"00_welcome.ipynb": 5.0, "01_shallow_cnn.ipynb": 30.0},
        "kernel peak MiB": {"00_welcome.ipynb": 512, "01_shallow_cnn.ipynb": 1894},
        "series seconds": 35.0,
        "peak memory MiB": 1900.0,
        "time to 99%": {
            "final model": row,
            "keras-io recipe": {**row, "seconds to 99%": 40.0},
        },
    }
    text = benchmark.markdown(report)
    assert (
        "2 cores (a CPU), GPU: none" in text
        and "Ratio final / keras-io recipe: 0.50" in text
    )
    assert "| 01_shallow_cnn.ipynb | 30.0 | 1,894 |" in text
    assert "| **whole series** | **35.0** | |" in text


def test_backends_side_by_side_give_ratios_to_the_first_row():
    def report(backend, series, final, reference):
        def row(seconds):
            return {"seconds to 99%": seconds}

        return {
            "machine": {"backend": backend, "cpu": "a CPU"},
            "series seconds": series,
            "peak memory MiB": 1000.0,
            "time to 99%": {"final model": row(final), "keras-io recipe": row(reference)},
        }

    table = bench_all.side_by_side(
        [
            report("tensorflow 2.21.0", 100.0, 20.0, 40.0),
            report("jax 0.10.2", 50.0, 10.0, None),
            {"backend": "torch", "failed": True},
        ]
    )
    rows = table.splitlines()[-3:]
    assert rows[0] == "| tensorflow 2.21.0 | 100.0 | 1000 | 20.0 | 40.0 | 0.50 | 1.00 |"
    assert rows[1] == "| jax 0.10.2 | 50.0 | 1000 | 10.0 | - | - | 0.50 |"
    assert rows[2].startswith("| torch | failed |")


def test_the_load_report_projects_students_per_server():
    load = {
        "notebook": "01",
        "backend": "tensorflow",
        "students": 2,
        "cores": 2,
        "machine memory GiB": 24.0,
        "per student": [
            {"ok": True, "seconds": 30.0, "peak MiB": 900},
            {"ok": False, "seconds": 31.0, "peak MiB": 950},
        ],
        "memory added per student MiB": 700,
        "largest kernel MiB": 1000,
        "students per 24 GiB server": 22,
        "core-seconds per student": 31.0,
    }
    text = bench_all.load_markdown(load)
    assert "| 2 | FAILED | 31.0 | 950 |" in text
    assert "largest kernel peaked at 1000 MiB" in text
    assert "holds about 22 students" in text


def test_a_backend_without_its_environment_is_named_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(bench_all, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="make setup KERAS_BACKEND=jax"):
        bench_all.environment_python("jax")


def test_the_final_model_trains_for_notebook_05s_default_epochs():
    cell = next(source for source in notebook_code() if "final_epochs = " in source)
    default = int(re.search(r"^final_epochs = (\d+)", cell, re.M).group(1))
    assert default == benchmark.FINAL_EPOCHS
