"""The supported Pythons are written once, as requires-python in pyproject.toml; make and
CI read them from there (the Makefile's SUPPORTED, .ci/run through make)."""

import re
import subprocess
import tomllib

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tools.paths import ROOT


def supported_pythons():
    """The 3.x versions pyproject.toml's requires-python allows, oldest first."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    allowed = SpecifierSet(project["requires-python"])
    return [f"3.{minor}" for minor in range(40) if Version(f"3.{minor}") in allowed]


def test_make_reads_the_supported_pythons_from_pyproject():
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "supported-pythons"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == supported_pythons()
    assert "3.11" in supported_pythons()  # the Python of the project's own .venv


def test_ci_asks_make_for_the_other_python_instead_of_naming_versions():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make -s --no-print-directory supported-pythons" in ci
    assert not any(f"for version in {version}" in ci for version in supported_pythons())


# Where the documents name the whole range, as "3.11-3.13" or "3.11, 3.12 or 3.13": when
# requires-python changes, this test names each document still saying the old range.
DOCUMENTS = ["README.md", "docs/teaching.md", "docs/maintaining.md"]
DOCUMENTS += ["classroom/README.md"]
SPAN = re.compile(r"\b3\.\d+-3\.\d+\b")
LIST = re.compile(r"\b3\.\d+(?:, 3\.\d+)+,? (?:and|or) 3\.\d+\b")
VERSION = re.compile(r"3\.\d+")


def test_when_a_document_names_the_supported_pythons_then_it_names_all_of_them():
    expected = supported_pythons()
    wrong, seen = [], 0
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for pattern, says in ((SPAN, [expected[0], expected[-1]]), (LIST, expected)):
            for found in pattern.findall(text):
                seen += 1
                if VERSION.findall(found) != says:
                    wrong.append(f"{name}: {found!r}")
    assert seen >= 4  # the README, both guides and the class server's README name them
    assert wrong == [], f"the supported Pythons are {expected} (pyproject.toml): {wrong}"
