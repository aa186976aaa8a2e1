"""`make hub`'s class file and passwords: what is accepted, and one clear line for the
rest (the hub itself is tested in test_hub.py)."""

import os
import shutil
import subprocess

import pytest

from classroom.hub import (
    CLASS_FILE,
    ClassListError,
    ControlGroup,
    account,
    class_passwords,
    main,
    parse_memory,
    pull_error,
    read_class,
)
from tools.paths import ROOT


def class_file(tmp_path, text):
    path = tmp_path / "class.toml"
    path.write_text(text)
    return path


def test_the_repositorys_class_file_is_valid_and_names_students_and_an_instructor():
    settings = read_class(CLASS_FILE)
    assert settings.students and settings.instructors
    assert settings.memory_bytes == parse_memory(settings.memory_limit) > 2**30


def test_memory_limits_use_jupyterhubs_units():
    assert parse_memory("3G") == 3 * 1024**3
    assert parse_memory("512M") == 512 * 1024**2
    assert parse_memory("1.5G") == int(1.5 * 1024**3)


@pytest.mark.parametrize(
    "text, says",
    [
        ('students = ["Ada"]', "'Ada'; a name is 1-24 lower-case letters"),
        ('students = ["ada", "ada"]', "'ada' is listed twice"),
        ('students = ["ada"]\ninstructors = ["ada"]', "'ada' is listed twice"),
        ('students = "ada"', 'students must be a list, e.g. students = ["ada"]'),
        ("students = []", "students is empty"),
        ('students = ["ada"]\nport = 0', "port = 0; give a number from 1 to 65533"),
        ('students = ["ada"]\nport = 65535', "(the hub also uses the next two)"),
        ('students = ["ada"]\nmemory_limit = "lots"', "memory_limit = 'lots'"),
        ('students = ["ada"]\nmemory_limit = "0"', "is below 256M"),
        ('students = ["ada"]\ncpu_limit = 0', "cpu_limit = 0; give a number of cores"),
        ('students = ["ada"]\ncpu_limit = true', "cpu_limit = True; give a number"),
        ('students = ["ada"]\naddress = "room 4"', "address = 'room 4'; give an IP"),
        ('students = ["ada"]\nstudent = ["bob"]', "unknown setting(s) student"),
        ("students = [", "is not valid TOML"),
    ],
)
def test_a_bad_class_file_is_one_line_naming_the_entry_and_the_fix(tmp_path, text, says):
    with pytest.raises(ClassListError) as err:
        read_class(class_file(tmp_path, text))
    assert says in str(err.value) and "\n" not in str(err.value)


def test_a_missing_class_file_says_where_to_copy_it_from(tmp_path):
    with pytest.raises(ClassListError, match="copy class.toml from the repository"):
        read_class(tmp_path / "class.toml")


def test_check_prints_the_class_and_exits_0_or_one_error_line_and_2(tmp_path, capsys):
    assert main(["check", "--class-file", str(CLASS_FILE)]) == 0
    assert "fine" in capsys.readouterr().out
    bad = class_file(tmp_path, 'students = ["Ada"]')
    assert main(["check", "--class-file", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"Error: {bad}: students has 'Ada'")


def test_each_person_gets_a_password_of_their_own_kept_across_starts_in_a_private_file(
    tmp_path,
):
    settings = read_class(
        class_file(tmp_path, 'students = ["ada", "grace"]\ninstructors = ["teacher"]')
    )
    path = tmp_path / "state" / "passwords.toml"
    first = class_passwords(settings, path)
    assert set(first) == {"ada", "grace", "teacher"}
    assert len(set(first.values())) == 3 and min(map(len, first.values())) >= 8
    assert path.stat().st_mode & 0o777 == 0o600
    settings.students.append("alan")  # a student joins: the others keep theirs
    again = class_passwords(settings, path)
    assert {name: again[name] for name in first} == first and "alan" in again


def test_a_hand_set_password_under_8_characters_is_refused_naming_whose(tmp_path):
    settings = read_class(class_file(tmp_path, 'students = ["ada"]'))
    path = tmp_path / "passwords.toml"
    path.write_text('ada = "abc"\n')
    with pytest.raises(ClassListError, match="password of ada is shorter than 8"):
        class_passwords(settings, path)


def test_every_student_runs_as_an_account_of_their_own_with_the_course_prefix():
    assert account("ada") == "course-ada" != account("grace")


def test_limits_become_control_group_files_or_nothing_when_the_machine_refuses(
    tmp_path,
):
    v1 = tmp_path / "v1"
    (v1 / "memory").mkdir(parents=True)
    (v1 / "cpu").mkdir()
    (v1 / "memory" / "cgroup.procs").touch()  # what marks a mounted controller
    group = ControlGroup("ada", root=v1)
    assert group.create(3 * 2**30, 1.5)
    memory = v1 / "memory" / "going-deeper-hub" / "ada"
    assert (memory / "memory.limit_in_bytes").read_text() == str(3 * 2**30)
    cpu = v1 / "cpu" / "going-deeper-hub" / "ada"
    assert (cpu / "cpu.cfs_quota_us").read_text() == "150000"
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cgroup.controllers").write_text("cpu memory")
    assert ControlGroup("ada", root=v2).create(2**30, 1.0)
    assert (v2 / "going-deeper-hub" / "ada" / "cpu.max").read_text() == "100000 100000"
    assert not ControlGroup("ada", root=tmp_path / "none").create(2**30, 1.0)
    refused = tmp_path / "refused"
    (refused / "memory").mkdir(parents=True)
    (refused / "memory" / "cgroup.procs").touch()
    (refused / "cpu").write_text("not a folder")  # a write that fails: nothing used
    group = ControlGroup("ada", root=refused)
    assert not group.create(2**30, 1.0) and group.procs == []


def test_a_failed_pull_is_reported_by_gits_own_lines_not_the_traceback():
    output = (
        "Traceback (most recent call last):\n  File pull.py, line 85\n"
        "fatal: detected dubious ownership in repository at '/srv/course/.git'\n"
        "subprocess.CalledProcessError: Command 'git ls-remote' returned 128.\n"
    )
    assert pull_error(output) == (
        "fatal: detected dubious ownership in repository at '/srv/course/.git'"
    )
    assert pull_error("Traceback\nBranchExistError: main\n") == "BranchExistError: main"


@pytest.mark.parametrize("npm", ["npm", "no-such-npm"])
@pytest.mark.parametrize("ci", ["", "1"])
def test_make_test_sets_the_hub_up_only_where_the_class_test_runs(npm, ci):
    if npm == "npm" and shutil.which("npm") is None:
        pytest.skip("no npm on this machine")
    # -n prints what make would run, -B as if nothing were installed yet
    plan = subprocess.run(
        ["make", "-n", "-B", "test", f"NPM={npm}", f"CI={ci}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    runs_class_test = os.geteuid() == 0 and (npm == "npm" or ci == "1")
    assert ("classroom/requirements.txt" in plan) == runs_class_test
