"""The course outside the repository: the package with its MNIST files installs from a
built wheel, a notebook copied alone into an empty folder runs, and without the package
(or without the data) the first code cell stops with one line that says what to do.
"""

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.paths import NOTEBOOK_DIR, ROOT

NOTEBOOK = NOTEBOOK_DIR / "01_shallow_cnn.ipynb"

# Runs a notebook with the fresh environment's Python, so its kernel is that Python too.
RUN_NOTEBOOK = textwrap.dedent(
    """
    import sys, nbformat
    from nbclient import NotebookClient
    path = sys.argv[1]
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import going_deeper; print('package from', going_deeper.__file__)"))
    try:
        resources = {"metadata": {"path": sys.argv[2]}}
        NotebookClient(nb, timeout=900, resources=resources).execute()
    finally:
        nbformat.write(nb, path)
    """
)


def outside_env(tmp_path):
    """Environment variables with nothing that points back into the clone."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "GOING_DEEPER_DATA", "VIRTUAL_ENV")
    }
    env["HOME"] = str(tmp_path / "home")
    return env


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A new virtual environment that sees this environment's third-party packages
    (Keras, the backend, ipykernel, nbclient: a .pth file, so nothing is downloaded)
    but not the clone: the course package is not in it.
    """
    root = tmp_path_factory.mktemp("fresh")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / "env")], check=True
    )
    python = root / "env" / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    with open(os.path.join(target, "third_party.pth"), "w") as pth:
        pth.write("\n".join(dict.fromkeys(ours)) + "\n")
    return root, python


def run_copied_notebook(python, folder, env):
    folder.mkdir()
    copy = folder / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    done = subprocess.run(
        [python, "-c", RUN_NOTEBOOK, str(copy), str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    return done, nbformat.read(copy, as_version=4)


def error_outputs(nb):
    return [
        (index, output)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]


def test_without_the_package_the_first_cell_says_what_to_install(fresh_env, tmp_path):
    _, python = fresh_env
    done, nb = run_copied_notebook(python, tmp_path / "alone", outside_env(tmp_path))
    assert done.returncode != 0  # the run stops at the first cell
    errors = error_outputs(nb)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert [index for index, _ in errors] == [first_code]
    (line,) = errors[0][1].traceback  # one line, no traceback
    assert "No module named 'going_deeper'" in line
    assert "%pip install 'going-deeper[tensorflow] @ " in line
    assert "restart the kernel" in line


def test_without_the_data_the_first_cell_says_how_to_restore_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GOING_DEEPER_DATA", str(tmp_path / "empty"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    nb.cells = [first_code]
    resources = {"metadata": {"path": NOTEBOOK_DIR}}
    client = NotebookClient(nb, timeout=300, resources=resources)
    with pytest.raises(CellExecutionError):
        client.execute()
    (error,) = [o for o in first_code.outputs if o.output_type == "error"]
    (line,) = error.traceback
    assert line.startswith("DataFileError: MNIST file not found: ")
    assert f"GOING_DEEPER_DATA is set to {tmp_path / 'empty'}" in line


def test_the_wheel_carries_the_package_and_the_mnist_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "going_deeper/__init__.py" in names and "going_deeper/data.py" in names
    assert {
        f"going_deeper/data/{name}"
        for name in (
            "README.md",
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
        )
    } <= names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The students' wheel, built offline from the clone (hatchling is a maintainers'
    requirement, so no build environment is downloaded).
    """
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("going_deeper-*.whl")
    return built


def test_notebook_01_runs_from_an_empty_folder_with_the_installed_wheel(
    fresh_env, wheel, tmp_path
):
    root, python = fresh_env
    # --no-index: the package's own requirements must already be met, nothing downloads
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    done, nb = run_copied_notebook(python, tmp_path / "elsewhere", outside_env(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert error_outputs(nb) == []
    where = "".join(nb.cells[-1].outputs[0].text)
    assert where.startswith("package from " + str(root / "env"))
    assert str(ROOT) not in where
    floors = "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "Floor held" in floors and "Floor not" not in floors
