# JupyterHub's configuration for `make hub`: classroom.hub starts JupyterHub on this
# file from the repository's root, with the class file, the passwords file and the state
# folder (build/hub/) in its environment. Instructors: the teaching guide says what to
# change here for HTTPS and for an institution's sign-in.
import os
import sys
from pathlib import Path

from classroom.hub import (
    COURSE_FOLDER,
    make_authenticator_class,
    make_spawner_class,
    proxy_command,
    read_class,
)
from tools.course import read_course

c = get_config()  # noqa: F821 (JupyterHub provides it)
settings = read_class(os.environ["COURSE_CLASS_FILE"])
bin_dir = Path(sys.executable).parent

c.JupyterHub.bind_url = f"http://{settings.address}:{settings.port}"
# The proxy's API and the hub's own port sit just above the public one.
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.port + 1}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.port + 2}"
state_dir = Path(os.environ["COURSE_STATE_DIR"])  # build/hub/, readable by root only
c.JupyterHub.db_url = f"sqlite:///{state_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(proxy_command())]
c.ConfigurableHTTPProxy.pid_file = str(state_dir / "proxy.pid")
c.JupyterHub.cleanup_servers = True  # Ctrl-C stops every student's server too

# Sign-in: a name on the class list with that name's own password; instructors are admins.
c.JupyterHub.authenticator_class = make_authenticator_class()
c.ClassAuthenticator.passwords_file = os.environ["COURSE_PASSWORDS_FILE"]
c.Authenticator.admin_users = set(settings.instructors)
c.Authenticator.allowed_users = set(settings.students) | set(settings.instructors)

# Each student: their own Unix account, their own copy of the course, their limits.
c.JupyterHub.spawner_class = make_spawner_class()
c.StudentSpawner.branch = os.environ.get("COURSE_BRANCH", "main")
# Graded assignments (nbgrader): each person's role, and the folders classroom.hub made
# (classroom/grading.py): instructors grade, students fetch and submit.
c.StudentSpawner.grading_dir = os.environ.get("COURSE_GRADING_DIR", "")
c.StudentSpawner.students = list(settings.students)
c.StudentSpawner.instructors = list(settings.instructors)
c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
first = read_course().notebooks[0].file  # the course table's first notebook
c.Spawner.default_url = f"/lab/tree/{COURSE_FOLDER}/notebooks/{first}"
c.Spawner.notebook_dir = "~"
c.Spawner.mem_limit = settings.memory_limit
c.Spawner.cpu_limit = settings.cpu_limit
c.Spawner.env_keep = [
    "PATH",
    "LANG",
    "LC_ALL",
    "KERAS_BACKEND",
    "JUPYTERHUB_SINGLEUSER_APP",
]
# Copying the course and importing TensorFlow take a while on a busy machine.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 180
