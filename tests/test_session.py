import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from going_deeper import environment_report, reset_keras
from going_deeper.session import BACKEND_MODULES, backend_version, silenced_c_stderr
from tools.paths import NOTEBOOK_DIR as NOTEBOOKS

BACKEND = keras.backend.backend()
BACKEND_MODULE = BACKEND_MODULES[BACKEND]


def run_python(code):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=NOTEBOOKS,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_importing_the_package_prints_nothing_on_stderr():
    # TensorFlow's absl / oneDNN / CPU-feature lines go to file descriptor 2 at import
    # time; the other backends go through the same door.
    done = run_python(
        f"import going_deeper, keras, {BACKEND_MODULE}; "
        "keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])"
        ".predict(__import__('numpy').ones((1, 4)), verbose=0)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_setup_notebook_prints_one_report_line():
    done = run_python("from going_deeper import setup_notebook; setup_notebook()")
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert (
        len(lines) == 1
        and lines[0].startswith("Python 3.")
        and f"Keras 3.15.1 on {BACKEND} {backend_version(BACKEND)}" in lines[0]
    )
    assert "training on CPU" in lines[0] or "training on GPU" in lines[0]


def test_setup_notebook_pins_the_summary_width():
    done = run_python(
        "import os; from going_deeper import setup_notebook; setup_notebook(); "
        "print(os.environ['COLUMNS'])"
    )
    assert done.stdout.splitlines()[-1] == "100"


def test_silenced_c_stderr_hides_file_descriptor_2_only(capfd):
    with silenced_c_stderr():
        os.write(2, b"from C\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_reset_keras_restarts_names_and_seeds():
    def build():
        reset_keras(7)
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])

    first, second = build(), build()
    assert first.layers[0].name == second.layers[0].name == "dense"
    assert np.array_equal(first.get_weights()[0], second.get_weights()[0])
    reset_keras(8)
    third = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert not np.array_equal(first.get_weights()[0], third.get_weights()[0])


def test_environment_report_names_versions_backend_and_device():
    report = environment_report()
    assert (
        f"Keras {keras.__version__} on {BACKEND} " in report and "training on" in report
    )


def test_the_package_loads_no_backend_but_the_active_one():
    done = run_python(
        "import sys, going_deeper, keras; "
        "print(keras.backend.backend(), "
        "sorted({'tensorflow', 'jax', 'torch'} & set(sys.modules)))"
    )
    backend, loaded = done.stdout.split(" ", 1)
    assert done.returncode == 0, done.stderr
    assert loaded.strip() in ("[]", f"['{backend}']")


@pytest.mark.skipif(BACKEND == "tensorflow", reason="TensorFlow is the backend here")
def test_under_another_backend_the_package_imports_no_tensorflow():
    # Run in the JAX and PyTorch environments, which have no TensorFlow: the package must
    # not reach for it.
    done = run_python(
        "import sys, going_deeper; print('tensorflow' in sys.modules or "
        "any(name.startswith('tensorflow.') for name in sys.modules))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
