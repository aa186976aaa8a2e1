"""`make hub`: serve the course to a class through JupyterHub on this machine.

* The class list, address and per-student limits come from ``class.toml``.
* Sign-in: each name on the list has a password of its own, made up the first time the
  hub sees the name and kept in ``build/hub/passwords.toml`` (readable by root only); a
  name that is not on the list, or another person's password, is refused.
* Each student runs as their own Unix account ``course-NAME`` (home folder mode 0700), so
  no student can read another's files; JupyterHub lets each one reach only their own
  server.
* Each server starts with the student's own copy of the course, pulled from this
  repository by nbgitpuller, which keeps the student's edits on every later start.
* Memory and CPU limits per student are enforced with a control group when the machine
  lets the hub create one; otherwise the hub's log warns at each server start.
* Graded assignments (nbgrader): the course folder `make assignments` wrote is copied to
  ``build/grading/course/`` (the graders' group only), each student gets an exchange of
  their own, and each server is configured for its role (classroom/grading.py).

Creating accounts needs root, as on a class server (The Littlest JupyterHub does the
same); ``python -m classroom.hub check`` (from the repository's root) only validates
``class.toml``.
"""

import argparse
import ipaddress
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tools.paths import BUILD_DIR, ROOT

CLASS_FILE = Path(__file__).with_name("class.toml")
CONFIG_FILE = Path(__file__).with_name("jupyterhub_config.py")
STATE_DIR = BUILD_DIR / "hub"
ACCOUNT_PREFIX = "course-"
COURSE_FOLDER = "going-deeper"  # in each student's home
NAME = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
CGROUP_PARENT = "going-deeper-hub"
GRADING_DIR = BUILD_DIR / "grading"  # nbgrader's course folder and the exchanges
ASSIGNMENTS_DIR = BUILD_DIR / "assignments"  # what `make assignments` writes


class ClassListError(Exception):
    """class.toml cannot be used; the message names the entry and the fix."""


@dataclass
class ClassSettings:
    students: list
    instructors: list
    address: str
    port: int
    memory_limit: str
    cpu_limit: float

    @property
    def memory_bytes(self):
        return parse_memory(self.memory_limit)


def parse_memory(text):
    """'3G' -> 3 * 1024**3; '512M' -> 512 * 1024**2 (JupyterHub's units)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)", str(text).strip().upper())
    if not match:
        raise ClassListError(
            f"memory_limit = {text!r}: give a number with K, M, G or T (G is GiB), "
            f'e.g. "3G".'
        )
    number, unit = match.groups()
    size = int(float(number) * 1024 ** " KMGT".index(unit or " "))
    if size < 2**28:
        raise ClassListError(
            f"memory_limit = {text!r} is below 256M; the largest notebooks need about "
            f"2G (see docs/teaching.md)."
        )
    return size


def read_class(path=CLASS_FILE):
    """Read and check the class list; every problem is one ClassListError line."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ClassListError(
            f"{path} is missing: copy class.toml from the repository and list your "
            f"students in it."
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise ClassListError(
            f"{path} is not valid TOML ({err}); fix that line."
        ) from None
    known = {"students", "instructors", "address", "port", "memory_limit", "cpu_limit"}
    unknown = set(raw) - known
    if unknown:
        raise ClassListError(
            f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"the settings are {', '.join(sorted(known))}."
        )
    people = {}
    for role in ("students", "instructors"):
        names = raw.get(role, [])
        if not isinstance(names, list):
            raise ClassListError(f'{path}: {role} must be a list, e.g. {role} = ["ada"].')
        for name in names:
            if not isinstance(name, str) or not NAME.match(name):
                raise ClassListError(
                    f"{path}: {role} has {name!r}; a name is 1-24 lower-case letters, "
                    f"digits or '-', starting with a letter."
                )
            if name in people:
                raise ClassListError(f"{path}: {name!r} is listed twice.")
            people[name] = role
    if not raw.get("students"):
        raise ClassListError(f"{path}: students is empty; list at least one name.")
    port = raw.get("port", 8000)
    if type(port) is not int or not 1 <= port <= 65533:
        raise ClassListError(
            f"{path}: port = {port!r}; give a number from 1 to 65533 (the hub also "
            f"uses the next two)."
        )
    cpus = raw.get("cpu_limit", 1.0)
    if type(cpus) not in (int, float) or cpus <= 0:
        raise ClassListError(
            f"{path}: cpu_limit = {cpus!r}; give a number of cores above 0, e.g. 1 "
            f"or 0.5."
        )
    address = raw.get("address", "127.0.0.1")
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ClassListError(
            f'{path}: address = {address!r}; give an IP address: "127.0.0.1" for this '
            f'machine only, "0.0.0.0" for every network it is on.'
        ) from None
    settings = ClassSettings(
        students=list(raw["students"]),
        instructors=list(raw.get("instructors", [])),
        address=address,
        port=port,
        memory_limit=str(raw.get("memory_limit", "3G")),
        cpu_limit=float(cpus),
    )
    parse_memory(settings.memory_limit)  # a bad unit stops here, with its fix
    return settings


def account(name):
    """The Unix account a hub user runs as: hub name 'ada' -> 'course-ada'."""
    return ACCOUNT_PREFIX + name


def ensure_account(name):
    """Create the student's Unix account with a private home, once."""
    import pwd

    user = account(name)
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", user],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(user)
    os.chmod(entry.pw_dir, 0o700)  # other students cannot list or read it
    return entry


def allow_repository(entry, repository):
    """Let the student's git read this repository, which another account owns (git
    refuses that otherwise: "dubious ownership"), through their own ~/.gitconfig."""
    config = Path(entry.pw_dir) / ".gitconfig"
    lines = f"[safe]\n\tdirectory = {repository.resolve()}/.git\n"
    if lines not in (config.read_text() if config.exists() else ""):
        with open(config, "a") as handle:
            handle.write(lines)
        os.chown(config, entry.pw_uid, entry.pw_gid)


def pull_command(repository, branch, entry):
    """nbgitpuller's command line, run as the student: clone the first time, then
    merge the repository's changes and keep the student's own edits."""
    return [
        str(Path(sys.executable).parent / "gitpuller"),
        repository,
        branch,
        str(Path(entry.pw_dir) / COURSE_FOLDER),
    ]


def pull_error(output):
    """git's own lines from a failed pull ('fatal: ...', 'error: ...'), which
    nbgitpuller's traceback buries; its last line when git said nothing."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    said = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return " ".join(said) if said else (lines[-1] if lines else "no output")


class ControlGroup:
    """Memory and CPU limits for one student's processes, in cgroup v2 or v1.

    ``create`` returns False (and changes nothing) when the machine does not let this
    process make control groups (a container, no root).
    """

    def __init__(self, name, root=Path("/sys/fs/cgroup")):
        self.name, self.root = name, Path(root)
        self.procs = []

    def create(self, memory_bytes, cpus):
        period = 100_000
        try:
            if (self.root / "cgroup.controllers").exists():  # v2
                parent = self.root / CGROUP_PARENT
                parent.mkdir(exist_ok=True)
                (parent / "cgroup.subtree_control").write_text("+memory +cpu")
                group = parent / self.name
                group.mkdir(exist_ok=True)
                (group / "memory.max").write_text(str(memory_bytes))
                (group / "cpu.max").write_text(f"{int(cpus * period)} {period}")
                self.procs = [group / "cgroup.procs"]
            elif (self.root / "memory" / "cgroup.procs").exists():  # v1
                memory = self.root / "memory" / CGROUP_PARENT / self.name
                cpu = self.root / "cpu" / CGROUP_PARENT / self.name
                for group in (memory, cpu):
                    group.parent.mkdir(exist_ok=True)
                    group.mkdir(exist_ok=True)
                (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
                (cpu / "cpu.cfs_period_us").write_text(str(period))
                (cpu / "cpu.cfs_quota_us").write_text(str(int(cpus * period)))
                self.procs = [memory / "cgroup.procs", cpu / "cgroup.procs"]
            # neither: no control groups here, nothing to write
        except OSError:
            self.procs = []
        return bool(self.procs)

    def join(self):
        """Move the calling process (and so its future children) into the group."""
        for procs in self.procs:
            with open(procs, "w") as handle:
                handle.write(str(os.getpid()))


def make_spawner_class():
    """The spawner, on JupyterHub's LocalProcessSpawner (imported only in the hub)."""
    from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
    from traitlets import List, Unicode

    from classroom.grading import write_user_config

    class StudentSpawner(LocalProcessSpawner):
        """Runs hub user NAME as Unix account course-NAME, in their own course copy."""

        repository = Unicode(str(ROOT), config=True, help="git URL or folder to pull")
        branch = Unicode("main", config=True, help="branch of the repository to pull")
        grading_dir = Unicode("", config=True, help="nbgrader's folders (grading.py)")
        students = List(Unicode(), config=True, help="the class list's students")
        instructors = List(Unicode(), config=True, help="the class list's instructors")

        def make_preexec_fn(self, name):
            setuid = set_user_setuid(account(name))
            group = self.control_group

            def preexec():
                group.join()  # while still root
                setuid()

            return preexec

        def user_env(self, env):
            import pwd

            entry = pwd.getpwnam(account(self.user.name))
            env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL=entry.pw_shell)
            # this environment's commands first: nbgrader, and the alembic it runs
            bin_dir = str(Path(sys.executable).parent)
            env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", os.defpath)])
            return env

        async def start(self):
            import asyncio

            entry = ensure_account(self.user.name)
            self.control_group = ControlGroup(self.user.name)
            if not self.control_group.create(self.mem_limit, self.cpu_limit):
                self.log.warning(
                    "Limits for %s are not enforced: this machine does not let the hub "
                    "create control groups.",
                    self.user.name,
                )
            if Path(self.repository).is_dir():
                allow_repository(entry, Path(self.repository))
            if self.grading_dir:
                write_user_config(
                    entry,
                    self.grading_dir,
                    self.user.name in self.instructors,
                    self.students,
                )
            env = self.user_env({"PATH": os.environ["PATH"], "LANG": "C.UTF-8"})
            pull = await asyncio.to_thread(
                subprocess.run,
                pull_command(self.repository, self.branch, entry),
                env=env,
                cwd=entry.pw_dir,
                preexec_fn=set_user_setuid(entry.pw_name),
                capture_output=True,
                text=True,
            )
            if pull.returncode != 0:
                raise RuntimeError(
                    f"Copying the course for {self.user.name} failed: "
                    f"{pull_error(pull.stderr + pull.stdout)}"
                )
            return await super().start()

    return StudentSpawner


def proxy_command():
    """configurable-http-proxy, installed by `make hub` beside the environment."""
    venv = Path(sys.executable).parent.parent
    return venv / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def class_passwords(settings, path):
    """Every listed person's password: kept from ``path`` when it has one, otherwise made
    up (12 characters) and added. The file is rewritten for the current list, mode 0600.
    """
    path = Path(path)
    try:
        known = tomllib.loads(path.read_text()) if path.exists() else {}
    except tomllib.TOMLDecodeError as err:
        raise ClassListError(
            f"{path} is not valid TOML ({err}); fix it, or delete it to make new "
            f"passwords for everyone."
        ) from None
    people = [*settings.students, *settings.instructors]
    chosen = {name: str(known.get(name) or secrets.token_urlsafe(9)) for name in people}
    short = [name for name, password in chosen.items() if len(password) < 8]
    if short:
        raise ClassListError(
            f"{path}: the password of {', '.join(short)} is shorter than 8 characters; "
            f"give a longer one, or delete the line to get a new one made."
        )
    lines = [
        "# make hub: each person's password. Hand each their own; keep this file private."
    ]
    lines += [f"{name} = {json.dumps(password)}" for name, password in chosen.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return chosen


def make_authenticator_class():
    """Per-person passwords from the passwords file (imported only in the hub)."""
    from hmac import compare_digest

    from jupyterhub.auth import Authenticator
    from traitlets import Unicode

    class ClassAuthenticator(Authenticator):
        """Signs in a listed name with that name's own password."""

        passwords_file = Unicode(config=True, help="TOML file: name = password")

        async def authenticate(self, handler, data):
            name = self.normalize_username(data["username"])
            known = tomllib.loads(Path(self.passwords_file).read_text())
            expected = known.get(name)
            if expected and compare_digest(data["password"], str(expected)):
                return {"name": name, "admin": name in self.admin_users}
            return None

    return ClassAuthenticator


def closed_folders():
    """Folders on the way to the course's Python or to this repository that other
    accounts cannot enter: the students' servers could not start."""
    needed = [Path(sys.executable), Path(sys.executable).resolve(), ROOT]
    closed = set()
    for path in needed:
        for folder in [path, *path.parents] if path.is_dir() else path.parents:
            if not folder.stat().st_mode & 0o001:
                closed.add(folder)
    return sorted(closed)


def current_branch():
    result = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"],
        capture_output=True,
        text=True,
    )
    branch = result.stdout.strip()
    return branch if result.returncode == 0 and branch != "HEAD" else "main"


def serve(
    class_file=CLASS_FILE,
    state_dir=STATE_DIR,
    config_file=CONFIG_FILE,
    grading_dir=GRADING_DIR,
    assignments=ASSIGNMENTS_DIR,
):
    """Run JupyterHub in the foreground until Ctrl-C; returns its exit status.

    ``config_file``: JupyterHub's configuration, this folder's jupyterhub_config.py
    unless a caller (the class test) gives one that loads it and adds to it.
    ``grading_dir``: nbgrader's course folder and the students' exchanges, made here;
    ``assignments``: the course folder `make assignments` wrote, copied in once.
    """
    settings = read_class(class_file)
    if os.geteuid() != 0:
        raise ClassListError(
            "make hub creates a Unix account per student, which needs root: run "
            "`sudo make hub` on the class server (or use The Littlest JupyterHub, "
            "see docs/teaching.md)."
        )
    if not proxy_command().exists():
        raise ClassListError(
            f"{proxy_command()} is missing: `make hub` installs it with npm (Node.js "
            f"with npm; tested with Node 20)."
        )
    closed = closed_folders()
    if closed:
        names = " ".join(str(folder) for folder in closed)
        raise ClassListError(
            f"The students' accounts cannot reach the course's Python or the repository: "
            f"{names} is closed to other accounts. Open it for passing through (not for "
            f"listing) with `chmod o+x {names}`, or build the environment from a Python "
            f"outside it: `make hub PYTHON=/usr/bin/python3.11 VENV=.venv-hub`."
        )
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o700)  # the hub's database, cookie secret and the passwords
    passwords_file = state_dir / "passwords.toml"
    class_passwords(settings, passwords_file)
    # Every account now, so that an assignment released before a student's first
    # sign-in reaches their exchange too.
    from classroom.grading import prepare

    students = [ensure_account(name) for name in settings.students]
    instructors = [ensure_account(name) for name in settings.instructors]
    prepare(grading_dir, students, instructors, assignments)
    env = dict(
        os.environ,
        COURSE_CLASS_FILE=str(Path(class_file).resolve()),
        COURSE_BRANCH=current_branch(),
        COURSE_PASSWORDS_FILE=str(passwords_file.resolve()),
        COURSE_STATE_DIR=str(state_dir.resolve()),
        COURSE_GRADING_DIR=str(Path(grading_dir).resolve()),
    )
    url = f"http://{settings.address}:{settings.port}"
    print(
        f"Serving {len(settings.students)} students at {url}"
        + (
            " (this machine's every address: give students its name)"
            if settings.address == "0.0.0.0"
            else ""
        )
        + f". Each person's password is in {passwords_file}.\n"
        f"Ctrl-C stops the hub and every student's server (their files stay in "
        f"/home/{ACCOUNT_PREFIX}NAME).",
        flush=True,
    )
    # From the repository's root, as a module: that puts classroom/ on the hub's import
    # path for its configuration, and nothing else does.
    command = [sys.executable, "-m", "jupyterhub", "-f", str(Path(config_file).resolve())]
    hub = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        return hub.wait()
    except KeyboardInterrupt:
        # the terminal's Ctrl-C reached the hub too; it stops the servers and the proxy
        try:
            return hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.send_signal(signal.SIGTERM)
            return hub.wait()
    finally:
        print("\nThe hub has stopped.", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve", "check"])
    parser.add_argument("--class-file", type=Path, default=CLASS_FILE)
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR)
    parser.add_argument("--config-file", type=Path, default=CONFIG_FILE)
    parser.add_argument("--grading-dir", type=Path, default=GRADING_DIR)
    parser.add_argument("--assignments", type=Path, default=ASSIGNMENTS_DIR)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            settings = read_class(args.class_file)
            print(
                f"{args.class_file}: {len(settings.students)} students, "
                f"{len(settings.instructors)} instructors; fine."
            )
            return 0
        code = serve(
            args.class_file,
            args.state_dir,
            args.config_file,
            args.grading_dir,
            args.assignments,
        )
        return 0 if code in (0, -signal.SIGINT, 130) else code
    except ClassListError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
