import subprocess
import sys

import papermill
import pytest

from going_deeper import KnobError, check_knob, check_knobs
from tools.course import series_notebooks
from tools.knobs import declared, knobs
from tools.paths import ROOT


def test_good_values_are_confirmed_in_one_line(capsys):
    assert check_knobs(epochs=3, n_train=12_000, seed=0, batch_size=128) is None
    assert capsys.readouterr().out == (
        "Knobs OK: epochs = 3, n_train = 12,000, seed = 0, batch_size = 128\n"
    )


def test_a_good_value_passes_through():
    assert check_knob("n_train", 54_000) == 54_000


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("epochs", -1, "epochs = -1 is out of range"),
        ("epochs", 0, "epochs = 0 is out of range"),
        ("n_train", 60_001, "n_train = 60001 is out of range"),
        ("n_train", 2.5, "n_train = 2.5 is not a whole number"),
        ("seed", "abc", "seed = 'abc' is not a whole number"),
        ("batch_size", True, "batch_size = True is not a whole number"),
    ],
)
def test_bad_values_name_the_knob_and_its_range(name, value, expected):
    with pytest.raises(KnobError) as err:
        check_knob(name, value)
    assert expected in str(err.value)
    assert f"Set {name} to a whole number from" in str(err.value)
    assert f"-p {name} VALUE" in str(err.value)


def test_range_is_spelled_out():
    with pytest.raises(KnobError, match="from 100 to 54,000"):
        check_knobs(n_train=10)


def test_jupyter_shows_one_line_not_a_traceback():
    err = KnobError("epochs = -1 is out of range.")
    lines = err._render_traceback_()
    assert len(lines) == 1 and "KnobError" in lines[0] and "epochs = -1" in lines[0]


# make run's knobs: every name a notebook's parameters cell assigns, in capitals. The
# plans come from make -n, which prints what it would run and runs nothing.
def make_plan(*arguments):
    return subprocess.run(
        # --no-print-directory: under make test (a make inside make) make prints
        # "Entering directory" lines that are no plan.
        ["make", "-n", "--no-print-directory", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def runner_command(done):
    (command,) = [line for line in done.stdout.splitlines() if "tools.series run" in line]
    return command


def runner_parameters():
    """{name: notebooks} as the runner reads them (papermill)."""
    found = {}
    for path in series_notebooks():
        for name in papermill.inspect_notebook(str(path)):
            found.setdefault(name, []).append(path.name)
    return found


def test_the_knobs_are_the_names_the_runner_reads_from_the_parameters_cells():
    assert {path.name: declared(path) for path in series_notebooks()} == {
        path.name: list(papermill.inspect_notebook(str(path)))
        for path in series_notebooks()
    }
    assert {knob: files for knob, (_, files) in knobs(series_notebooks()).items()} == {
        name.upper(): files for name, files in runner_parameters().items()
    }


def test_make_run_passes_every_knob_of_every_notebook_to_the_runner():
    names = runner_parameters()
    assert "n_small" in names  # the one the teaching guide turns, in 02 only
    done = make_plan("run", *(f"{name.upper()}=7" for name in names))
    assert done.returncode == 0, done.stderr
    for name in names:
        assert f"-p {name} 7" in runner_command(done)
    command = runner_command(make_plan("run", "N_SMALL=500"))
    assert command.split("-p", 1)[1].split() == ["n_small", "500"]


ALL_KNOBS = "The knobs: EPOCHS, N_TRAIN, SEED, BATCH_SIZE, N_SMALL, FINAL_EPOCHS"


@pytest.mark.parametrize(
    "arguments, says",
    [
        (["run", "EPOCH=2"], "EPOCH is neither a notebook knob nor a setting of the"),
        (["run", "EPOCH=2"], f"(did you mean EPOCHS?). {ALL_KNOBS}"),
        (
            ["run", "epochs=2"],
            f"epochs is written EPOCHS on make's command line. {ALL_KNOBS}",
        ),
        (
            ["run", "ONLY=01", "N_SMALL=500"],
            "N_SMALL is a knob of 02_going_deeper.ipynb only",
        ),
        (
            ["run", "ONLY=01", "N_SMALL=500"],
            "The knobs of the notebooks it runs: EPOCHS, N_TRAIN, SEED, BATCH_SIZE (",
        ),
        (["test", "EPOCHS=2"], "EPOCHS: notebook knobs, which only make run takes"),
        (["run", "SEEDS=3"], "SEEDS: settings of make bench only (make bench SEEDS=...)"),
        (["test", "QUICK=1"], "QUICK: settings of make bench only"),
    ],
)
def test_a_variable_that_is_no_knob_stops_make_before_anything_runs(arguments, says):
    done = make_plan(*arguments)
    assert done.returncode == 2
    assert says in done.stderr and done.stderr.count("\n") == 1
    assert done.stdout == ""  # nothing planned, not even the set-up


def test_the_makefiles_own_settings_are_not_taken_for_knobs():
    own = ["ONLY=01", "KERAS_BACKEND=tensorflow", f"PYTHON={sys.executable}"]
    own += ["VENV=.venv", "CI=", "NPM=npm"]
    done = make_plan("run", "EPOCHS=1", *own)
    assert done.returncode == 0, done.stderr
    bench = ["LOAD=0", "QUICK=0", "BENCH_SKIP=race", "BENCH_BACKENDS=jax", "SEEDS=2"]
    assert make_plan("bench", *bench).returncode == 0
    assert "-p epochs 1" in runner_command(done) and "--only 01" in runner_command(done)
