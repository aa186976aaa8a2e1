"""The house: tests/ holds only tests, nothing but pytest's configuration puts anything on
the import path, and the product works from a clone without tests/."""

import re
import shutil
import subprocess
import sys

import pytest

from tools.paths import ROOT

PRODUCT = ["tools", "classroom", "notebooks/going_deeper", "Makefile", ".ci/run"]
# Code that edits the import path: an assignment to PYTHONPATH (shell or Python), or a
# change to sys.path.
PATH_EDIT = re.compile(
    r"PYTHONPATH\s*=|[\"']PYTHONPATH[\"']\s*:|sys\.path\.(insert|append|extend)|sys\.path\s*[+=]"
)


def tracked(*paths):
    listed = subprocess.run(
        ["git", "ls-files", "--", *paths], cwd=ROOT, capture_output=True, text=True
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed.stdout.splitlines()]


def test_tests_folder_holds_only_tests_their_helpers_and_nbvals_settings():
    kinds = {
        path.name
        for path in tracked("tests")
        if not (path.name.startswith("test_") and path.suffix == ".py")
    }
    helpers = {"conftest.py", "outputs.py", "accessibility.py", "nbval_sanitize.cfg"}
    assert kinds <= helpers, kinds


def test_nothing_outside_tests_imports_from_tests_or_names_it_on_a_path():
    offenders = [
        str(path.relative_to(ROOT))
        for path in tracked(*PRODUCT)
        if path.suffix in ("", ".py", ".toml")
        and re.search(r"^\s*(from|import) tests\b|[\"']tests/", path.read_text(), re.M)
    ]
    assert offenders == []


def test_only_pytests_configuration_puts_anything_on_the_import_path():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in tracked("*.py", "Makefile", ".ci/run", "*.toml", "*.cfg", "*.ipynb")
        if path.name != "test_layout.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PATH_EDIT.search(line)
    ]
    assert offenders == []
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'pythonpath = ["notebooks", "."]' in pyproject


def test_without_tests_the_runner_renderer_and_class_check_still_work(tmp_path):
    """A clone with tests/ deleted: run notebook 01 (a short budget), render the site
    and the slides, check the class file."""
    clone = tmp_path / "clone"
    for path in tracked("."):
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests":
            continue
        (clone / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, clone / relative)
    commands = [
        ["-m", "classroom.hub", "check"],
        ["-m", "tools.render", "html", "--out", str(tmp_path / "site")],
        ["-m", "tools.render", "slides", "--out", str(tmp_path / "slides")],
        ["-m", "tools.series", "run", "--only", "01", "--build", str(tmp_path / "run")]
        + ["-p", "epochs", "1", "-p", "n_train", "500"],
    ]
    for command in commands:
        done = subprocess.run(
            [sys.executable, *command],
            cwd=clone,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "run" / "01_shallow_cnn.ipynb").exists()
