"""The benchmark measures what notebook 07 teaches: its models may not drift apart."""

import json
import re

import keras
import nbformat
import pytest

from tools import bench_all, benchmark, performance
from tools.paths import NOTEBOOK_DIR

NOTEBOOK = NOTEBOOK_DIR / "07_final_model.ipynb"


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


def test_the_final_model_is_the_one_notebook_07_builds():
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


def run(seed, seconds, epoch, curve, test=0.99):
    """A made-up training run at ``seed``: 99% validation accuracy at ``epoch`` after
    ``seconds``, or never (None).
    """
    return {
        "seed": seed,
        "epochs to 99%": epoch,
        "seconds to 99%": seconds,
        "curve (epoch, s, validation acc)": [
            (i + 1, 10.0 * (i + 1), acc) for i, acc in enumerate(curve)
        ],
        "training seconds": 10.0 * len(curve),
        "test accuracy at the end": test,
    }


def made_up_report(quick=False, backend="tensorflow 2.21.0"):
    return {
        "date": "2026-11-25",
        "quick": quick,
        "machine": {
            "cores": 2,
            "cpu": "a CPU",
            "memory GiB": 23.5,
            "gpu": "none",
            "python": "3.11.7",
            "keras": "3.15.1",
            "backend": backend,
        },
        "notebooks": {"00_welcome.ipynb": 5.0, "01_shallow_cnn.ipynb": 30.0},
        "slowest cells": [
            {
                "notebook": "01_shallow_cnn.ipynb",
                "cell": 12,
                "id": "x1",
                "first line": "history = model.fit(x | y)",
                "seconds": 21.25,
            },
            {
                "notebook": "00_welcome.ipynb",
                "cell": 5,
                "id": "x3",
                "first line": "# " + "long comment " * 10,
                "seconds": 2.5,
            },
            {
                "notebook": "00_welcome.ipynb",
                "cell": 3,
                "id": "x2",
                "first line": "import keras",
                "seconds": 2.0,
            },
        ],
        "kernel peak MiB": {"00_welcome.ipynb": 512, "01_shallow_cnn.ipynb": 1894},
        "series seconds": 35.0,
        "peak memory MiB": 1900.0,
        "time to 99%": {
            "accuracy on": benchmark.VALIDATION,
            "seeds": [42, 43, 44],
            "final model": benchmark.summarise(
                "the final model",
                4,
                [
                    run(42, 30.0, 3, [0.97, 0.985, 0.9912, 0.9921], test=0.9915),
                    run(43, 20.0, 2, [0.98, 0.9901, 0.993, 0.994]),
                    run(44, None, None, [0.97, 0.98, 0.985, 0.989]),
                ],
            ),
            "keras-io recipe": benchmark.summarise(
                "the keras-io recipe",
                12,
                [
                    run(42, 40.0, 4, [0.97, 0.98, 0.985, 0.9903]),
                    run(43, 60.0, 6, [0.97, 0.98, 0.985, 0.989, 0.989, 0.991]),
                    run(44, 50.0, 5, [0.97, 0.98, 0.985, 0.989, 0.9902]),
                ],
            ),
        },
    }


def test_seeds_that_never_reach_99_are_counted_and_left_out_of_the_median():
    race = made_up_report()["time to 99%"]
    assert race["final model"]["reached"] == 2
    assert race["final model"]["median seconds to 99%"] == 25.0
    assert race["keras-io recipe"]["reached"] == 3
    assert race["keras-io recipe"]["median seconds to 99%"] == 50.0
    assert benchmark.ratio(race) == 0.5
    never = benchmark.summarise("never", 1, [run(42, None, None, [0.9])])
    assert never["reached"] == 0 and never["median seconds to 99%"] is None
    assert benchmark.ratio({**race, "final model": never}) is None


def test_the_markdown_report_names_the_machine_each_kernels_memory_and_the_ratio():
    text = benchmark.markdown(made_up_report())
    assert "2 cores (a CPU), 23.5 GiB, GPU: none" in text
    assert "| 01_shallow_cnn.ipynb | 30.0 | 1,894 |" in text
    assert "| **whole series** | **35.0** | |" in text
    # a | in a cell's first line would split the table's row
    assert "| 01_shallow_cnn.ipynb | 12 | `history = model.fit(x / y)` | 21.2 |" in text
    assert "| 00_welcome.ipynb | 3 | `import keras` | 2.0 |" in text
    long_line = (
        "| 00_welcome.ipynb | 5 | `# " + ("long comment " * 5)[:55] + "...` | 2.5 |"
    )
    assert long_line in text
    assert "99.0% validation accuracy (validation: the last 6,000" in text
    assert "seeds 42, 43, 44" in text
    assert (
        "| final model | 42 | 3 | 30.0 | 0.9700, 0.9850, 0.9912, 0.9921 | 0.9915 |"
        in text
    )
    assert "| final model | 44 | not reached | - |" in text
    assert "| the final model | 2 of 3 | 25.0 |" in text
    assert "| the keras-io recipe | 3 of 3 | 50.0 |" in text
    assert "Ratio final / keras-io recipe (medians): 0.50" in text
    assert "quick run" not in text


def test_a_quick_report_says_it_is_one():
    text = benchmark.markdown(made_up_report(quick=True))
    assert "**A quick run**" in text and "do not measure the course" in text
    assert "| **the run (quick: 01 only)** | **35.0** | |" in text


def test_backends_side_by_side_give_ratios_to_the_first_row():
    def report(backend, series, final, reference):
        def row(seconds):
            return {"median seconds to 99%": seconds}

        return {
            "date": "2026-11-25",
            "machine": {"backend": backend, "cpu": "a CPU", "cores": 2},
            "series seconds": series,
            "peak memory MiB": 1000.0,
            "time to 99%": {"final model": row(final), "keras-io recipe": row(reference)},
        }

    table = performance.side_by_side(
        [
            report("tensorflow 2.21.0", 100.0, 20.0, 40.0),
            report("jax 0.10.2", 50.0, 10.0, None),
            {"backend": "torch", "failed": True},
        ]
    )
    assert table.startswith("Measured 2026-11-25 on 2 cores (a CPU), one backend after")
    rows = table.splitlines()[-3:]
    assert (
        rows[0] == "| tensorflow 2.21.0 | 100.0 | 1000 | 20.0 | 40.0 | 0.50 | - | 1.00 |"
    )
    assert rows[1] == "| jax 0.10.2 | 50.0 | 1000 | 10.0 | - | - | - | 0.50 |"
    assert rows[2].startswith("| torch | failed |")


LOAD = {
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


def test_the_load_report_projects_students_per_server():
    text = performance.load_markdown(LOAD)
    assert "| 2 | FAILED | 31.0 | 950 |" in text
    assert "largest kernel peaked at 1000 MiB" in text
    assert "holds about 22 students" in text


def test_the_performance_document_and_its_json_say_the_same(tmp_path):
    doc = performance.document(
        [made_up_report(), {"backend": "torch", "failed": True}],
        [LOAD, {**LOAD, "notebook": "08", "students per 24 GiB server": 11}],
        False,
        "2026-11-25",
    )
    md, js = performance.write(doc, tmp_path / "docs")
    assert (md.name, js.name) == ("performance.md", "performance.json")
    text = md.read_text()
    # the JSON is all the markdown is written from
    assert performance.markdown(json.loads(js.read_text())) == text
    assert json.loads(js.read_text())["backends"][0]["notebooks"] == {
        "00_welcome.ipynb": 5.0,
        "01_shallow_cnn.ipynb": 30.0,
    }
    assert text.startswith("# Measured performance\n")
    assert "on 2026-11-25 on 2 cores (a CPU), 23.5 GiB of memory, GPU: none" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Backends side by side",
        "## tensorflow 2.21.0",
        "## torch",
        "## Load run",
    ]
    assert (
        "| tensorflow 2.21.0 | 35.0 | 1900 | 25.0 | 50.0 | 0.50 | 2.50 | 1.00 |" in text
    )
    assert "| 01_shallow_cnn.ipynb | 30.0 | 1,894 |" in text
    assert "Ratio final / keras-io recipe (medians): 0.50" in text
    assert "The bench failed on this backend" in text
    assert "holds about 22 students" in text
    assert "2 students ran notebook 08 at once" in text
    assert "holds about 11 students" in text
    assert "quick run" not in text.lower()


def test_a_quick_performance_document_says_so_and_has_no_load_run(tmp_path):
    doc = performance.document([made_up_report(quick=True)], None, True, "2026-11-25")
    text = performance.write(doc, tmp_path)[0].read_text()
    assert text.splitlines()[2].startswith("**A quick run** (`make bench QUICK=1`)")
    assert text.count("A quick run") == 1  # once for the document, not per backend
    assert "None: a quick run has no load run." in text
    assert json.loads((tmp_path / "performance.json").read_text())["quick"] is True
    full = performance.markdown(
        performance.document([made_up_report()], None, False, "x")
    )
    assert "None in this run (`LOAD=0`)." in full


def test_a_backend_without_its_environment_is_named_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(bench_all, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="make setup KERAS_BACKEND=jax"):
        bench_all.environment_python("jax")


def test_the_final_model_trains_for_notebook_05s_default_epochs_and_batch():
    cell = next(source for source in notebook_code() if "final_epochs = " in source)
    default = int(re.search(r"^final_epochs = (\d+)", cell, re.M).group(1))
    batch = int(re.search(r"^final_batch_size = (\d+)", cell, re.M).group(1))
    assert (default, batch) == (benchmark.FINAL_EPOCHS, benchmark.FINAL_BATCH_SIZE)


def test_the_final_models_adam_betas_are_the_ones_notebook_05_uses():
    cell = next(source for source in notebook_code() if "CosineDecay(" in source)
    found = tuple(
        float(re.search(rf"{name}=([0-9.]+)", cell).group(1))
        for name in ("beta_1", "beta_2")
    )
    assert found == benchmark.BETAS


def test_when_the_keras_io_epoch_is_known_then_the_final_time_reads_in_its_epochs():
    report = made_up_report()["time to 99%"]
    # the keras-io runs' first epochs took 10 s each; the final model's median is 25 s
    assert benchmark.reference_epoch_seconds(report) == 10.0
    assert benchmark.in_reference_epochs(report) == 2.5
    assert "2.50 such epochs" in benchmark.markdown(made_up_report())


def test_when_another_notebook_peaks_highest_then_the_load_run_adds_it():
    report = {
        "kernel peak MiB": {"01_shallow_cnn.ipynb": 937, "08_harder_data.ipynb": 1600}
    }
    assert bench_all.load_notebooks(report) == ["01", "08"]


def test_when_01_peaks_highest_or_no_series_ran_then_the_load_run_is_01_alone():
    assert bench_all.load_notebooks({"kernel peak MiB": {"01_shallow_cnn.ipynb": 9}}) == [
        "01"
    ]
    assert bench_all.load_notebooks({}) == ["01"]
