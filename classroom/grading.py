"""Graded assignments on the class hub: nbgrader with an exchange of each student's own.

nbgrader's shared file exchange lets any account read a submission or a feedback file
whose path it knows (a submission folder is mode 0777, its files 0644). Here every student
has an exchange of their own instead, ``GRADING/exchange/NAME/``, owned by their account
and the graders' group, mode 2770: the student and the instructors get in, nobody else.
nbgrader works inside it unchanged (``GRADING/exchange/NAME/exchange`` is the student's
``Exchange.root``). The instructors' commands (``nbgrader release_assignment``,
``collect``, ``release_feedback``, and the formgrader's buttons, which call the same) go
through the exchange classes below, which do the same for every student's exchange in
turn.

    GRADING/                      root, 0711: nobody can list it
      course/                     the nbgrader course folder: root and the graders'
                                  group, 2770 (source, submissions, gradebook, grades)
      exchange/                   root, 0711
        NAME/                     course-NAME and the graders' group, 2770
          exchange/going-deeper/  nbgrader's outbound, inbound and feedback folders

``GRADING`` is build/grading/ unless ``make hub`` is given another. Only nbgrader and
the standard library are imported here: the instructors' nbgrader loads this file by its
path (``exchange_classes``).
"""

import grp
import json
import os
import shutil
import subprocess
from pathlib import Path

GRADERS_GROUP = "going-deeper-graders"  # the instructors' accounts
COURSE_ID = "going-deeper"  # tools/assignments.py's
CELL_TIMEOUT = 120  # seconds per cell when autograding (tools/assignments.py's)


def ensure_group(members):
    """The graders' group, with exactly the instructors' accounts as its members."""
    try:
        grp.getgrnam(GRADERS_GROUP)
    except KeyError:
        subprocess.run(["groupadd", GRADERS_GROUP], check=True, capture_output=True)
    subprocess.run(
        ["gpasswd", "--members", ",".join(members), GRADERS_GROUP],
        check=True,
        capture_output=True,
    )
    return grp.getgrnam(GRADERS_GROUP).gr_gid


def _own(path, uid, gid, mode):
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def prepare(grading, students, instructors, assignments=None):
    """Make the folders above (as root): ``students`` and ``instructors`` are the pwd
    entries of their accounts. ``assignments``: a course folder `make assignments`
    wrote, copied in the first time (the gradebook is then the hub's own)."""
    grading = Path(grading)
    gid = ensure_group([entry.pw_name for entry in instructors])
    for folder in (grading, grading / "exchange"):
        folder.mkdir(parents=True, exist_ok=True)
        _own(folder, 0, 0, 0o711)
    course = grading / "course"
    if not (course / "source").exists() and assignments and Path(assignments).exists():
        shutil.copytree(assignments, course, dirs_exist_ok=True)
    course.mkdir(exist_ok=True)
    for path in [course, *course.rglob("*")]:
        if path.is_symlink():
            continue
        mode = os.stat(path).st_mode & 0o770
        os.chown(path, os.stat(path).st_uid, gid)
        # the graders' group may do what the owner may; nobody else anything
        os.chmod(path, (0o2770 if path.is_dir() else 0o660) | mode)
    os.chmod(course, 0o2770)
    for entry in students:
        own = grading / "exchange" / student_name(entry.pw_name)
        own.mkdir(exist_ok=True)
        _own(own, entry.pw_uid, gid, 0o2770)
        # nbgrader's Exchange.root: both sides write in it; the folder above keeps
        # everyone else out
        (own / "exchange").mkdir(exist_ok=True)
        _own(own / "exchange", entry.pw_uid, gid, 0o2777)
    return course


def student_name(account):
    """course-ada -> ada"""
    return account.split("-", 1)[1]


def exchange_root(grading, name):
    """Student ``name``'s Exchange.root."""
    return str(Path(grading) / "exchange" / name / "exchange")


def write_user_config(entry, grading, instructor, students):
    """~/.jupyter/ of one account: nbgrader's course and exchange; for a student,
    the formgrader and the assignment creator switched off."""
    folder = Path(entry.pw_dir) / ".jupyter"
    labconfig = folder / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    name = student_name(entry.pw_name)
    lines = [
        "# Written by `make hub` at each server start (classroom/grading.py).",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {COURSE_ID!r}",
    ]
    if instructor:
        here = Path(__file__).resolve()
        lines += [
            f"c.CourseDirectory.root = {str(Path(grading) / 'course')!r}",
            "c.CourseDirectory.groupshared = True",
            f"c.Execute.timeout = {CELL_TIMEOUT}",
            f"c.Exchange.root = {str(Path(grading) / 'exchange')!r}",
            "import importlib.util",
            "_spec = importlib.util.spec_from_file_location(",
            f"    'class_grading', {str(here)!r}",
            ")",
            "_grading = importlib.util.module_from_spec(_spec)",
            "_spec.loader.exec_module(_grading)",
            f"_grading.exchange_classes(c, {sorted(students)!r})",
        ]
        disabled = {}
    else:
        lines.append(f"c.Exchange.root = {exchange_root(grading, name)!r}")
        disabled = {
            "@jupyter/nbgrader:formgrader": True,
            "@jupyter/nbgrader:create-assignment": True,
        }
    files = {
        folder / "nbgrader_config.py": "\n".join(lines) + "\n",
        folder / "jupyter_server_config.json": json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {
                        "nbgrader.server_extensions.formgrader": instructor
                    }
                }
            },
            indent=1,
        ),
        labconfig / "page_config.json": json.dumps(
            {"disabledExtensions": disabled}, indent=1
        ),
    }
    for path, text in files.items():
        path.write_text(text)
    for path in [folder, labconfig, *files]:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def exchange_classes(c, students):
    """Point nbgrader's instructor commands at loops over the exchanges of ``students``
    (hub names; called from an instructor's nbgrader_config.py)."""
    from nbgrader.exchange.default import (
        ExchangeCollect,
        ExchangeReleaseAssignment,
        ExchangeReleaseFeedback,
    )

    def each(base):
        class ForEachStudent(base):
            """nbgrader's own command, once in every student's exchange."""

            def start(self):
                base_root = self.root
                try:
                    for name in students:
                        self.root = str(Path(base_root) / name / "exchange")
                        super().start()
                finally:
                    self.root = base_root

        ForEachStudent.__name__ = f"ClassExchange{base.__name__}"
        return ForEachStudent

    classes = {
        "release_assignment": each(ExchangeReleaseAssignment),
        "collect": each(ExchangeCollect),
        "release_feedback": each(ExchangeReleaseFeedback),
    }
    for action, cls in classes.items():
        setattr(c.ExchangeFactory, action, cls)
    return classes
