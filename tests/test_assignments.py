"""Graded assignments (`make assignments`, tools/assignments.py), built from a clean copy
of the repository: the graded variants' answers stay on the instructor's side, and
nbgrader grades submissions with them, without a hub (as an instructor who uploads the
release folder to a learning platform does on their own machine)."""

import csv
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import uuid

import nbformat
import pytest

from tools.paths import BUILD_DIR, ROOT

pytest.importorskip("nbgrader", reason="pip install -r classroom/requirements.txt")

from tools.assignments import GRADED, graded_answers  # noqa: E402

ASSIGNMENT = "01_shallow_cnn"


def copied_checkout(target):
    """The repository as a clean clone would hold it (committed and new files, nothing
    git ignores), with none of build/."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in listed.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.fixture(scope="module")
def clone():
    """A clean copy with its assignments built, in build/ (not in /tmp, which other
    accounts cannot enter)."""
    BUILD_DIR.mkdir(exist_ok=True)
    folder = BUILD_DIR / f"assignments-test-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    os.chmod(folder, 0o755)
    copied_checkout(folder)
    done = subprocess.run(
        [sys.executable, "-m", "tools.assignments"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def forms(answer):
    """How an answer could be written down: each number of 1,000 or more, with and
    without thousands' commas, and a list answer whole, as a list or a tuple."""
    found = set()

    def numbers(value):
        if isinstance(value, list):
            for item in value:
                numbers(item)
        elif isinstance(value, int) and value >= 1000:
            found.update({str(value), f"{value:,}"})

    numbers(answer)
    if isinstance(answer, list):
        listed = json.dumps(answer)  # [[2, 3], 4] and ((2, 3), 4)
        found |= {listed, listed.replace("[", "(").replace("]", ")")}
    return sorted(found)


def test_when_built_then_each_notebook_from_01_is_an_assignment_with_points_and_a_release(
    clone,
):
    course = clone / "build" / "assignments"
    names = sorted(path.name for path in (course / "release").iterdir())
    assert names == [
        "01_shallow_cnn",
        "02_going_deeper",
        "03_receptive_fields",
        "04_how_many_parameters",
        "05_pooling",
        "06_dropout",
        "07_final_model",
        "08_harder_data",
    ]
    for name in names:
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", 4)
        text = "\n".join(cell.source for cell in release.cells)
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
        exercises, points = {
            "04_how_many_parameters": (4, 9),
            "05_pooling": (4, 9),
            "06_dropout": (2, 5),
            "08_harder_data": (4, 9),
        }.get(name, (3, 7))
        assert text.count("answer = None") == exercises
        assert re.search(rf"{exercises} exercises, {points} points", text)
        assert len(re.findall(r"### Exercise \d\d\.\d.*, [23] points", text)) == exercises
    assert os.stat(course / "source").st_mode & 0o077 == 0
    assert os.stat(course / "gradebook.db").st_mode & 0o077 == 0


PROBE = r"""
import importlib, json, os, pkgutil, re, sys, types, dataclasses

answers, forms, clone = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
found, unreadable, imported = [], [], []


def normal(value):
    if isinstance(value, (list, tuple)):
        return [normal(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except Exception:
            return None
    return value


def values(obj, seen, depth=0):
    # every value reachable from a module: containers, instances, constants of code
    if id(obj) in seen or depth > 6:
        return
    seen.add(id(obj))
    yield obj
    if isinstance(obj, dict):
        items = list(obj.values()) + list(obj.keys())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = list(obj)
    elif isinstance(obj, types.FunctionType):
        items = [obj.__code__, obj.__defaults__ or (), obj.__closure__ or ()]
    elif isinstance(obj, types.CodeType):
        items = list(obj.co_consts)
    elif isinstance(obj, types.CellType):
        try:
            items = [obj.cell_contents]
        except ValueError:
            items = []
    elif dataclasses.is_dataclass(obj) or isinstance(obj, type):
        items = list(vars(obj).values())
    else:
        items = []
    for item in items:
        if isinstance(item, types.ModuleType):
            continue
        yield from values(item, seen, depth + 1)


# A kernel starts in notebooks/: the students' package; then everything in the clone.
os.chdir(os.path.join(clone, "notebooks"))
modules = []
for package in ("going_deeper",):
    root = importlib.import_module(package)
    modules.append(root)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        modules.append(importlib.import_module(info.name))
os.chdir(clone)
for package in ("tools", "classroom"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        try:
            modules.append(importlib.import_module(info.name))
        except Exception as err:
            imported.append(f"{info.name}: {type(err).__name__}")
seen = set()
for module in modules:
    for value in values(vars(module), seen):
        value = normal(value)
        for ex_id, answer in answers.items():
            big = isinstance(answer, int) and answer >= 1000
            if (big or isinstance(answer, list)) and value == answer:
                found.append(f"{module.__name__}: {ex_id}")
        if isinstance(value, str):
            for form in forms:
                if form in value:
                    found.append(f"{module.__name__}: text {form}")

patterns = [
    re.compile(r"(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)") for form in forms
]
files = 0
for folder, dirs, names in os.walk(clone):
    for name in dirs:
        if not os.access(os.path.join(folder, name), os.R_OK | os.X_OK):
            unreadable.append(os.path.relpath(os.path.join(folder, name), clone))
    for name in names:
        path = os.path.join(folder, name)
        try:
            data = open(path, "rb").read()
        except OSError:
            unreadable.append(os.path.relpath(path, clone))
            continue
        files += 1
        binary = b"\0" in data[:8192]
        text = data.decode("latin-1")
        for form, pattern in zip(forms, patterns):
            if binary and len(form) < 6:
                continue
            if pattern.search(text):
                found.append(f"{os.path.relpath(path, clone)}: {form}")
print(json.dumps({"found": found, "unreadable": unreadable, "files": files,
                  "modules": len(modules), "not_imported": imported}))
"""


@pytest.fixture
def student_account():
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            raise RuntimeError("CI runs this test as root")
        pytest.skip("reading as a student's account needs root (CI has it)")
    name = f"gd-probe-{uuid.uuid4().hex[:6]}"
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    yield pwd.getpwnam(name)
    subprocess.run(["userdel", name], capture_output=True)


def test_when_a_student_account_imports_and_reads_all_it_can_then_no_graded_answer_shows(
    clone, student_account
):
    from classroom.hub import closed_folders

    if closed_folders():
        pytest.skip(f"{closed_folders()} is closed to other accounts (chmod o+x)")
    answers = graded_answers()
    assert sorted(answers) == sorted(GRADED)
    every_form = sorted({form for answer in answers.values() for form in forms(answer)})
    course = clone / "build" / "assignments"
    # the search finds what it looks for: the instructors' source holds every answer
    source = "".join(p.read_text() for p in (course / "source").rglob("*.ipynb"))
    for answer in answers.values():  # (a word answer cannot be searched for)
        assert not forms(answer) or any(form in source for form in forms(answer))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(answers), json.dumps(every_form)]
        + [str(clone)],
        cwd=clone,
        user=student_account.pw_uid,
        group=student_account.pw_gid,
        extra_groups=[],
        env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["found"] == [], report["found"]
    assert "build/assignments/source" in report["unreadable"]
    assert "build/assignments/gradebook.db" in report["unreadable"]
    assert report["files"] > 100 and report["modules"] > 10


def fill(notebook, answers, wrong=(), blank=False):
    """A student's work: each answer cell set to the graded answer, or one wrong."""
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer_") and not blank:
            ex_id = grade_id[len("answer_") :].replace("_", ".")
            value = answers[ex_id]
            if ex_id in wrong:
                value = json.loads(json.dumps(value).replace("1", "2", 1))
            cell.source = f"answer = {value!r}"
    return notebook


def test_when_three_submissions_are_autograded_without_a_hub_then_full_partial_zero(
    clone, tmp_path
):
    """The instructor's own machine: the release folder went out through a learning
    platform; three notebooks came back; nbgrader autograde and the grades CSV."""
    course = tmp_path / "course"
    shutil.copytree(clone / "build" / "assignments", course)
    answers = graded_answers()
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    work = {
        "ada": fill(nbformat.read(release, 4), answers),
        "grace": fill(nbformat.read(release, 4), answers, wrong={"01.1"}),
        "alan": fill(nbformat.read(release, 4), answers, blank=True),
    }
    for student, notebook in work.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    path = f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"
    for command in (
        ["autograde", ASSIGNMENT, "--create"],
        ["export", "--to", "grades.csv"],
        ["generate_feedback", ASSIGNMENT],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", *command],
            cwd=course,
            env=dict(os.environ, PATH=path),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(course / "grades.csv") as handle:
        rows = {
            row["student_id"]: row
            for row in csv.DictReader(handle)
            if row["assignment"] == ASSIGNMENT
        }
    scores = {name: float(rows[name]["score"]) for name in work}
    assert scores == {"ada": 7.0, "grace": 5.0, "alan": 0.0}
    assert {rows[name]["max_score"] for name in work} == {"7.0"}
    for name in work:
        html = course / "feedback" / name / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.exists()
