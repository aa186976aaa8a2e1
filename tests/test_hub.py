"""A class on `make hub`: a real JupyterHub, its proxy, and three students' servers.

The hub starts from ``classroom.hub`` with a class file of its own (three students with
names no one else uses, free ports, a temporary state folder); each student signs in,
gets a server with their own copy of the course, and runs every cell of notebook 01 in
their own kernel, all at once. Then: separate copies, private files, no way into another
server, wrong password and unknown name refused, edits kept across a server restart.
Then a graded assignment (nbgrader): released, fetched, answered and submitted through
the hub, collected, autograded and returned as feedback, each student's work private.
Time and peak memory per student go to build/hub-test/class.json (docs/teaching.md
quotes it).

Needs root (the hub creates a Unix account per student) and `make hub`'s installs; CI
has both. The accounts, homes and control groups are removed afterwards.
"""

import json
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from classroom.hub import (
    ACCOUNT_PREFIX,
    CGROUP_PARENT,
    CONFIG_FILE,
    COURSE_FOLDER,
    closed_folders,
    proxy_command,
)
from tools.paths import BUILD_DIR, NOTEBOOK_DIR, ROOT

requests = pytest.importorskip("requests")
websocket = pytest.importorskip("websocket")

if os.geteuid() != 0 or not proxy_command().exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI runs the class test as root, after `make hub`'s installs")
    pytest.skip(
        "the class test needs root and `make hub`'s installs (CI has both)",
        allow_module_level=True,
    )
if closed_folders() and not os.environ.get("CI"):
    # The students' accounts could not start a server. Opening a folder of the user's
    # is theirs to decide (.ci/run does it on CI's machine): say so and skip.
    pytest.skip(
        f"the students' accounts cannot reach the course's Python or the repository "
        f"({' '.join(map(str, closed_folders()))} is closed to other accounts); "
        f"run `chmod o+x` on it, or make test with a Python outside it "
        f"(PYTHON=/usr/bin/python3.11 VENV=.venv-hub)",
        allow_module_level=True,
    )

NOTEBOOK = f"{COURSE_FOLDER}/notebooks/01_shallow_cnn.ipynb"
TAG = uuid.uuid4().hex[:6]
STUDENTS = [f"s{TAG}-{n}" for n in ("ada", "grace", "alan")]
INSTRUCTOR = f"s{TAG}-teacher"
REPORT = BUILD_DIR / "hub-test" / "class.json"


def free_ports(count=3):
    """A port with the next ``count - 1`` free as well (proxy API, hub)."""
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + count > 65535:
            continue
        try:
            for offset in range(1, count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError("no three free ports in a row")


class Hub:
    def __init__(self, url, token):
        self.url, self.token = url, token

    def api(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def start_server(self, name, timeout=600):
        response = self.api("POST", f"/users/{name}/server")
        assert response.status_code in (201, 202), response.text
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{name}").json()["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{name}'s server did not start in {timeout} s")

    def stop_server(self, name, timeout=120):
        response = self.api("DELETE", f"/users/{name}/server")
        assert response.status_code in (202, 204), response.text
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.api("GET", f"/users/{name}").json()["servers"]:
                return
            time.sleep(1)
        raise AssertionError(f"{name}'s server did not stop in {timeout} s")

    def login(self, name, password):
        """Sign in through the login form; True when the hub let the person in."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        response = session.post(
            f"{self.url}/hub/login",
            data={
                "username": name,
                "password": password,
                "_xsrf": session.cookies.get("_xsrf", ""),
            },
            allow_redirects=False,
            timeout=30,
        )
        # in: a redirect onwards; refused: the login page again, with 403
        return response.status_code == 302


class Student:
    """One student's token, on their own server's REST and kernel APIs."""

    def __init__(self, hub, name, token):
        self.hub, self.name, self.token = hub, name, token
        self.base = f"{hub.url}/user/{name}"

    def server(self, method, path, owner=None, **kwargs):
        base = f"{self.hub.url}/user/{owner or self.name}"
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{base}/api{path}", headers=headers, timeout=60, **kwargs
        )

    def notebook(self):
        response = self.server("GET", f"/contents/{NOTEBOOK}")
        assert response.status_code == 200, response.text
        return nbformat.from_dict(response.json()["content"])

    def save(self, notebook):
        body = {"type": "notebook", "format": "json", "content": notebook}
        response = self.server("PUT", f"/contents/{NOTEBOOK}", json=body)
        assert response.status_code in (200, 201), response.text

    def run_cells(self, sources, path=NOTEBOOK, timeout=900):
        """Run code in a new kernel beside the notebook; the errors, one per cell."""
        kernel = self.server("POST", "/kernels", json={"name": "python3", "path": path})
        assert kernel.status_code == 201, kernel.text
        kernel_id = kernel.json()["id"]
        url = self.base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        channel = websocket.create_connection(
            url, header=[f"Authorization: token {self.token}"], timeout=timeout
        )
        errors, self.details = [], []
        try:
            for source in sources:
                msg_id = uuid.uuid4().hex
                channel.send(
                    json.dumps(
                        {
                            "header": {
                                "msg_id": msg_id,
                                "username": self.name,
                                "session": kernel_id,
                                "msg_type": "execute_request",
                                "version": "5.3",
                            },
                            "parent_header": {},
                            "metadata": {},
                            "channel": "shell",
                            "content": {
                                "code": source,
                                "silent": False,
                                "store_history": True,
                                "user_expressions": {},
                                "allow_stdin": False,
                                "stop_on_error": True,
                            },
                        }
                    )
                )
                while True:
                    message = json.loads(channel.recv())
                    if message.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    if message["msg_type"] == "error":
                        errors.append(message["content"]["ename"])
                        self.details.append(message["content"]["evalue"])
                    if message["msg_type"] == "execute_reply":
                        break
        finally:
            channel.close()
            self.server("DELETE", f"/kernels/{kernel_id}")
        return errors


def peak_memory_by_account(accounts, stop, peaks):
    """Sample the resident memory of each account's processes until ``stop`` is set."""
    import psutil

    uids = {pwd.getpwnam(account).pw_uid: account for account in accounts}
    while not stop.is_set():
        totals = dict.fromkeys(accounts, 0)
        for process in psutil.process_iter(["uids", "memory_info"]):
            info = process.info
            if info["uids"] and info["uids"].real in uids and info["memory_info"]:
                totals[uids[info["uids"].real]] += info["memory_info"].rss
        for account, total in totals.items():
            peaks[account] = max(peaks.get(account, 0), total)
        stop.wait(0.5)


def limits(name):
    """The student's control group (cgroup v1, as on this machine, or v2): its limits,
    its peak memory and its processes; None where the hub could not make one."""
    v2 = Path("/sys/fs/cgroup") / CGROUP_PARENT / name
    memory = Path("/sys/fs/cgroup/memory") / CGROUP_PARENT / name
    cpu = Path("/sys/fs/cgroup/cpu") / CGROUP_PARENT / name
    if (v2 / "memory.max").exists():
        quota, period = (v2 / "cpu.max").read_text().split()
        peak = v2 / "memory.peak"
        return {
            "memory_bytes": int((v2 / "memory.max").read_text()),
            "cpus": int(quota) / int(period),
            "peak_mib": round(int(peak.read_text()) / 2**20) if peak.exists() else None,
            "pids": {int(p) for p in (v2 / "cgroup.procs").read_text().split()},
        }
    if (memory / "memory.limit_in_bytes").exists():
        return {
            "memory_bytes": int((memory / "memory.limit_in_bytes").read_text()),
            "cpus": int((cpu / "cpu.cfs_quota_us").read_text())
            / int((cpu / "cpu.cfs_period_us").read_text()),
            "peak_mib": round(
                int((memory / "memory.max_usage_in_bytes").read_text()) / 2**20
            ),
            "pids": {int(p) for p in (memory / "cgroup.procs").read_text().split()},
        }
    return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    port = free_ports()
    class_file = folder / "class.toml"
    class_file.write_text(
        f"students = {json.dumps(STUDENTS)}\ninstructors = [{json.dumps(INSTRUCTOR)}]\n"
        f'address = "127.0.0.1"\nport = {port}\n'
        'memory_limit = "3G"\ncpu_limit = 1.0\n'
    )
    token = secrets.token_hex(32)
    # The class test signs in through a service token of its own: a configuration that
    # loads the class server's and adds the service, so the real one carries no test hook.
    config_file = folder / "jupyterhub_test_config.py"
    config_file.write_text(
        f"load_subconfig({str(CONFIG_FILE)!r})  # noqa: F821\n"
        f"c.JupyterHub.services = [{{'name': 'class-test', 'api_token': {token!r}}}]\n"
        "c.JupyterHub.load_roles = [{'name': 'class-test', 'services': ['class-test'], "
        "'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers']}]\n"
    )
    # the graded assignment of notebook 01, built as `make assignments` builds it, and
    # nbgrader's folders where the students' accounts can pass through (not /tmp)
    assignments = BUILD_DIR / "hub-test" / f"assignments-{TAG}"
    grading = BUILD_DIR / "hub-test" / f"grading-{TAG}"
    built = subprocess.run(
        [sys.executable, "-m", "tools.assignments", "--out", str(assignments)]
        + ["--only", "01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    env = dict(os.environ)
    log = open(folder / "hub.log", "w")  # noqa: SIM115 (open while the hub runs)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "classroom.hub",
            "serve",
            "--class-file",
            str(class_file),
            "--state-dir",
            str(folder / "state"),
            "--config-file",
            str(config_file),
            "--grading-dir",
            str(grading),
            "--assignments",
            str(assignments),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{url}/hub/api", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError((folder / "hub.log").read_text()[-3000:])
        time.sleep(0.5)
    hub = Hub(url, token)
    hub.passwords = tomllib.loads((folder / "state" / "passwords.toml").read_text())
    hub.grading = grading
    yield hub, process, folder
    if process.poll() is None:
        os.killpg(process.pid, 2)  # Ctrl-C
        process.wait(timeout=120)
    log.close()
    shutil.rmtree(assignments, ignore_errors=True)
    shutil.rmtree(grading, ignore_errors=True)
    for name in [*STUDENTS, INSTRUCTOR]:
        subprocess.run(
            ["userdel", "--remove", ACCOUNT_PREFIX + name], capture_output=True
        )
        for controller in ("", "memory/", "cpu/"):
            group = Path(f"/sys/fs/cgroup/{controller}{CGROUP_PARENT}/{name}")
            if group.exists():
                group.rmdir()  # empty once the servers have stopped


@pytest.fixture(scope="module")
def class_run(hub):
    """Every student signs in, starts a server and runs notebook 01, all at once."""
    hub, _, _ = hub
    for name in STUDENTS:
        assert hub.login(name, hub.passwords[name]), f"{name} could not sign in"
    students = {}
    for name in STUDENTS:
        response = hub.api("POST", f"/users/{name}/tokens", json={"note": "class test"})
        assert response.status_code == 201, response.text
        students[name] = Student(hub, name, response.json()["token"])

    start = time.monotonic()
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        list(pool.map(hub.start_server, STUDENTS))
    start_seconds = time.monotonic() - start

    accounts = [ACCOUNT_PREFIX + name for name in STUDENTS]
    stop, peaks = threading.Event(), {}
    sampler = threading.Thread(
        target=peak_memory_by_account, args=(accounts, stop, peaks), daemon=True
    )
    sampler.start()

    def run_notebook(student):
        began = time.monotonic()
        notebook = student.notebook()
        sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        errors = student.run_cells(sources)
        return errors, time.monotonic() - began, len(sources)

    start = time.monotonic()
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        runs = dict(zip(STUDENTS, pool.map(run_notebook, students.values()), strict=True))
    wall = time.monotonic() - start
    stop.set()
    sampler.join()

    report = {
        "limits_enforced": all(limits(name) for name in STUDENTS),
        "students": len(STUDENTS),
        "notebook": "01_shallow_cnn.ipynb",
        "servers_started_seconds": round(start_seconds, 1),
        "all_notebooks_seconds": round(wall, 1),
        "per_student": {
            name: {
                "seconds": round(runs[name][1], 1),
                "peak_memory_mib": round(peaks.get(ACCOUNT_PREFIX + name, 0) / 2**20),
                "peak_memory_mib_control_group": (limits(name) or {}).get("peak_mib"),
                "cells": runs[name][2],
            }
            for name in STUDENTS
        },
        "cpus": os.cpu_count(),
        "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    return students, runs, report


def test_every_student_runs_notebook_01_in_their_own_kernel_without_an_error(class_run):
    _, runs, report = class_run
    assert {name: errors for name, (errors, _, _) in runs.items()} == {
        name: [] for name in STUDENTS
    }
    expected = sum(
        cell.cell_type == "code"
        for cell in nbformat.read(NOTEBOOK_DIR / "01_shallow_cnn.ipynb", 4).cells
    )
    assert all(cells == expected for _, _, cells in runs.values())
    assert all(entry["peak_memory_mib"] > 100 for entry in report["per_student"].values())


def test_each_students_server_and_kernels_run_inside_their_memory_and_cpu_limits(
    class_run,
):
    import psutil

    students, _, report = class_run
    if not report["limits_enforced"]:
        pytest.skip("this machine does not let the hub make control groups")
    for name in STUDENTS:
        group = limits(name)
        assert group["memory_bytes"] == 3 * 2**30 and group["cpus"] == 1.0
        uid = pwd.getpwnam(ACCOUNT_PREFIX + name).pw_uid
        processes = {
            p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uid
        }
        assert processes and processes <= group["pids"]
    # a kernel started now lands in the student's group too
    ada = students[STUDENTS[0]]
    inside = f"{CGROUP_PARENT}/{ada.name}"
    assert ada.run_cells([f"assert {inside!r} in open('/proc/self/cgroup').read()"]) == []


def test_each_student_has_a_separate_copy_owned_by_their_own_account(class_run):
    students, _, _ = class_run
    ada, grace = students[STUDENTS[0]], students[STUDENTS[1]]
    notebook = ada.notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell(f"note by {ada.name}"))
    ada.save(notebook)
    assert ada.notebook().cells[-1].source == f"note by {ada.name}"
    assert all("note by" not in cell.source for cell in grace.notebook().cells)
    for name in STUDENTS:
        home = Path(pwd.getpwnam(ACCOUNT_PREFIX + name).pw_dir)
        copy = home / NOTEBOOK
        assert copy.stat().st_uid == pwd.getpwnam(ACCOUNT_PREFIX + name).pw_uid
        assert home.stat().st_mode & 0o077 == 0  # nobody else may enter


def test_a_student_can_neither_read_another_students_files_nor_reach_their_server(
    class_run,
):
    students, _, _ = class_run
    ada, grace = students[STUDENTS[0]], students[STUDENTS[1]]
    home = pwd.getpwnam(ACCOUNT_PREFIX + grace.name).pw_dir
    errors = ada.run_cells([f"open({home + '/' + NOTEBOOK!r}).read()"])
    assert errors == ["PermissionError"]
    for method, path in [("GET", f"/contents/{NOTEBOOK}"), ("GET", "/kernels")]:
        response = ada.server(method, path, owner=grace.name)
        assert response.status_code in (403, 404), response.status_code
    assert ada.hub.api("GET", f"/users/{grace.name}", token=ada.token).status_code in (
        403,
        404,
    )


def test_another_persons_password_and_a_name_not_on_the_class_list_are_refused(hub):
    hub, _, _ = hub
    ada, grace = STUDENTS[:2]
    assert len({hub.passwords[name] for name in [*STUDENTS, INSTRUCTOR]}) == 4
    assert not hub.login(ada, hub.passwords[grace])  # no signing in as a classmate
    assert not hub.login(ada, hub.passwords[ada] + "x")
    assert not hub.login(f"s{TAG}-stranger", hub.passwords[ada])
    assert hub.login(ada, hub.passwords[ada])  # the right pair still works


def test_an_instructor_signs_in_with_their_own_password_as_the_hubs_admin(hub):
    hub, _, _ = hub
    assert hub.login(INSTRUCTOR, hub.passwords[INSTRUCTOR])
    assert hub.api("GET", f"/users/{INSTRUCTOR}").json()["admin"] is True
    assert hub.api("GET", f"/users/{STUDENTS[0]}").json()["admin"] is False


def test_a_students_edits_survive_a_server_restart(class_run):
    students, _, _ = class_run
    ada = students[STUDENTS[0]]
    notebook = ada.notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("kept over a restart"))
    ada.save(notebook)
    ada.hub.stop_server(ada.name)
    ada.hub.start_server(ada.name)  # nbgitpuller pulls again, and keeps the edit
    assert ada.notebook().cells[-1].source == "kept over a restart"


GRADED_ASSIGNMENT = "01_shallow_cnn"  # built by the hub fixture, as `make assignments`


def assignments_call(person, action):
    """The student's nbgrader extension (what the Assignments tab calls), through the
    hub with their own token."""
    from classroom.grading import COURSE_ID

    url = f"{person.base}/assignments/{action}"
    data = {"course_id": COURSE_ID, "assignment_id": GRADED_ASSIGNMENT}
    headers = {"Authorization": f"token {person.token}"}
    response = requests.post(url, headers=headers, data=data, timeout=600)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not (isinstance(body, dict) and body.get("success") is False), body
    return body


def instructor_runs(instructor, course, *commands):
    """nbgrader commands in the instructor's own kernel, as their account, from the
    course folder (as in a terminal of their JupyterLab)."""
    code = (
        "import subprocess, sys\n"
        f"for args in {[list(c) for c in commands]!r}:\n"
        "    done = subprocess.run([sys.executable, '-m', 'nbgrader', *args],\n"
        f"        cwd={str(course)!r}, capture_output=True, text=True)\n"
        "    if done.returncode:\n"
        "        raise RuntimeError(' '.join(args) + done.stdout[-2000:] + done.stderr)\n"
    )
    assert instructor.run_cells([code]) == [], instructor.details


@pytest.fixture(scope="module")
def graded_run(hub):
    """The instructor releases assignment 01; three students fetch it through the hub,
    answer (all right, one mistake, blank) and submit; the instructor collects,
    autogrades, exports the grades and releases feedback; the students fetch it."""
    import nbformat

    from tools.assignments import graded_answers

    hub, _, _ = hub
    people = {}
    for name in [*STUDENTS, INSTRUCTOR]:
        response = hub.api("POST", f"/users/{name}/tokens", json={"note": "grading"})
        assert response.status_code == 201, response.text
        people[name] = Student(hub, name, response.json()["token"])

    def ensure_server(name):
        if (
            not hub.api("GET", f"/users/{name}")
            .json()["servers"]
            .get("", {})
            .get("ready")
        ):
            hub.start_server(name)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(ensure_server, people))
    instructor, course = people[INSTRUCTOR], hub.grading / "course"
    instructor_runs(instructor, course, ["release_assignment", GRADED_ASSIGNMENT])

    answers = graded_answers()
    path = f"{GRADED_ASSIGNMENT}/{GRADED_ASSIGNMENT}.ipynb"
    wrong = {STUDENTS[1]: "01.1"}  # grace makes one mistake; alan leaves it blank
    for name in STUDENTS:
        student = people[name]
        assignments_call(student, "fetch")
        response = student.server("GET", f"/contents/{path}")
        assert response.status_code == 200, response.text
        notebook = nbformat.from_dict(response.json()["content"])
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.startswith("answer_") and name != STUDENTS[2]:
                ex_id = grade_id[len("answer_") :].replace("_", ".")
                value = answers[ex_id]
                if wrong.get(name) == ex_id:
                    value = value + 1
                cell.source = f"answer = {value!r}"
        body = {"type": "notebook", "format": "json", "content": notebook}
        response = student.server("PUT", f"/contents/{path}", json=body)
        assert response.status_code in (200, 201), response.text
        assignments_call(student, "submit")

    instructor_runs(
        instructor,
        course,
        ["collect", GRADED_ASSIGNMENT],
        ["autograde", GRADED_ASSIGNMENT],
        ["generate_feedback", GRADED_ASSIGNMENT],
        ["release_feedback", GRADED_ASSIGNMENT],
        ["export", "--to", "grades.csv"],
    )
    for name in STUDENTS:
        assignments_call(people[name], "fetch_feedback")
    return people


def account_of(name):
    return ACCOUNT_PREFIX + name


def test_graded_assignment_gives_full_partial_and_zero_points_in_the_gradebook(
    graded_run,
):
    import csv

    hub_grading = graded_run[INSTRUCTOR].hub.grading
    with open(hub_grading / "course" / "grades.csv") as handle:
        rows = {
            row["student_id"]: row
            for row in csv.DictReader(handle)
            if row["assignment"] == GRADED_ASSIGNMENT
        }
    scores = {name: float(rows[account_of(name)]["score"]) for name in STUDENTS}
    assert scores == dict(zip(STUDENTS, [7.0, 5.0, 0.0], strict=True))
    # autograding ran the students' code as the instructor's own account, not root
    instructor_uid = pwd.getpwnam(account_of(INSTRUCTOR)).pw_uid
    for name in STUDENTS:
        graded = hub_grading / "course" / "autograded" / account_of(name)
        notebook = graded / GRADED_ASSIGNMENT / f"{GRADED_ASSIGNMENT}.ipynb"
        assert notebook.stat().st_uid == instructor_uid


def test_each_student_gets_their_own_feedback_through_the_hub(graded_run):
    for name, score in zip(STUDENTS, ["7.0", "5.0", "0.0"], strict=True):
        student = graded_run[name]
        listing = student.server("GET", f"/contents/{GRADED_ASSIGNMENT}/feedback")
        assert listing.status_code == 200, listing.text
        (stamp,) = [entry["path"] for entry in listing.json()["content"]]
        html = student.server("GET", f"/contents/{stamp}/{GRADED_ASSIGNMENT}.html")
        assert html.status_code == 200
        assert f"(Score: {score} / 7.0)" in html.json()["content"]


def test_a_student_cannot_read_another_students_submission_feedback_or_the_grades(
    graded_run,
):
    ada, grace = graded_run[STUDENTS[0]], graded_run[STUDENTS[1]]
    grading = ada.hub.grading
    exchange = grading / "exchange" / ada.name / "exchange"
    submitted = next(exchange.rglob(f"inbound/*/{GRADED_ASSIGNMENT}.ipynb"))
    released = next(exchange.rglob("feedback/*.html"))
    home = Path(pwd.getpwnam(account_of(ada.name)).pw_dir)
    fetched = next(home.rglob(f"{GRADED_ASSIGNMENT}/feedback/*/*.html"))
    targets = [
        submitted,
        released,
        fetched,
        grading / "course" / "gradebook.db",
        grading / "course" / "grades.csv",
        grading / "course" / "submitted" / account_of(ada.name),
    ]
    errors = grace.run_cells([f"open({str(path)!r}, 'rb').read()" for path in targets])
    assert errors == ["PermissionError"] * len(targets), grace.details
    # the exchanges cannot be listed either, nor can the course folder
    listing = [
        f"import os; os.listdir({str(grading / d)!r})" for d in ("exchange", "course")
    ]
    assert grace.run_cells(listing) == ["PermissionError"] * 2
    # ... while the instructor reads the submission and the gradebook
    instructor = graded_run[INSTRUCTOR]
    assert instructor.run_cells([f"open({str(submitted)!r}).read()"]) == []
    assert grace.run_cells(["import os; os.listdir(os.path.expanduser('~'))"]) == []


def test_ctrl_c_stops_the_hub_its_proxy_and_every_students_server(hub, class_run):
    hub, process, folder = hub
    accounts = {pwd.getpwnam(ACCOUNT_PREFIX + n).pw_uid for n in STUDENTS}
    proxy_pid = int((folder / "state" / "proxy.pid").read_text())
    os.killpg(process.pid, 2)  # what Ctrl-C in the terminal sends
    assert process.wait(timeout=120) == 0, (folder / "hub.log").read_text()[-3000:]
    import psutil

    time.sleep(1)
    left = [
        p.pid
        for p in psutil.process_iter(["uids"])
        if p.info["uids"] and p.info["uids"].real in accounts
    ]
    assert left == []
    assert not psutil.pid_exists(proxy_pid)
    assert re.search(r"The hub has stopped", (folder / "hub.log").read_text())
    shutil.rmtree(folder / "state", ignore_errors=True)
