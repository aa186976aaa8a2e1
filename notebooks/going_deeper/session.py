"""Quiet TensorFlow start-up, seeding, and the one-line environment report."""

import contextlib
import logging
import os
import platform
import sys

# TensorFlow reads these when it is first imported: keep its C++ INFO/WARNING lines quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Keras' model.summary() follows COLUMNS: pin it so every run draws the same table.
SUMMARY_COLUMNS = 100
DEFAULT_SEED = 42


@contextlib.contextmanager
def silenced_c_stderr():
    """Send file descriptor 2 to /dev/null (C/C++ logs), keeping Python's own stderr."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real file descriptor (some embedded consoles)
        yield
        return
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow_quietly():
    """Import TensorFlow and touch its devices with C-level logging silenced.

    TensorFlow prints absl / oneDNN / CPU-feature lines straight to file descriptor 2 when it
    loads, whatever TF_CPP_MIN_LOG_LEVEL says. Jupyter shows them in red and stores them in
    outputs; ``pytest --nbval`` does not see them. Loading it here, silenced, keeps both clean.
    """
    with silenced_c_stderr():
        import tensorflow as tf

        tf.config.list_physical_devices()
    # Python-side TensorFlow warnings (e.g. "triggered tf.function retracing" when a lesson
    # builds several models) carry memory addresses: noise for students, diffs for nbval.
    tf.get_logger().setLevel(logging.ERROR)
    return tf


def gpu_names():
    import tensorflow as tf  # already loaded, quietly, when the package was imported

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def reset_keras(seed=DEFAULT_SEED):
    """Forget earlier models (layer names restart at conv2d, dense, ...) and seed everything.

    ``clear_session()`` also resets the seed state, so seeding comes after it. Computation
    goes back to float32 in case an earlier model used mixed precision.
    """
    import keras

    keras.backend.clear_session()
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(seed)


def environment_report():
    """One line: versions and the device Keras trains on."""
    import keras
    import tensorflow as tf  # already loaded, quietly, when the package was imported

    gpus = gpu_names()
    device = f"GPU ({len(gpus)}: {', '.join(gpus)})" if gpus else f"CPU ({os.cpu_count()} cores, no GPU found)"
    return (f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
            f"Keras {keras.__version__} | training on {device}")


def setup_notebook(seed=DEFAULT_SEED):
    """The first call of every notebook: fixed table width, seeds, and a report.

    TensorFlow was already loaded with its logs silenced when the package was imported.
    """
    os.environ["COLUMNS"] = str(SUMMARY_COLUMNS)
    reset_keras(seed)
    print(environment_report())
