"""Quiet start-up of Keras and its backend, seeding, and the one-line environment
report.
"""

import contextlib
import importlib
import logging
import os
import platform
import sys

# TensorFlow reads this when it is first imported: keep its C++ INFO/WARNING lines
# quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Keras' model.summary() follows COLUMNS: pin it so every run draws the same table.
SUMMARY_COLUMNS = 100
DEFAULT_SEED = 42
BACKEND_MODULES = {
    "tensorflow": "tensorflow",
    "jax": "jax",
    "torch": "torch",
    "numpy": "numpy",
}


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


def import_keras_quietly():
    """Import Keras, and so its backend, with C-level logging silenced.

    TensorFlow prints absl / oneDNN / CPU-feature lines straight to file descriptor 2
    when it loads, whatever TF_CPP_MIN_LOG_LEVEL says. Jupyter shows them in red and
    stores them in outputs; ``pytest --nbval`` does not see them. Loading it here,
    silenced, keeps both clean. JAX and PyTorch load quietly, but go through the same
    door.
    """
    with silenced_c_stderr():
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.config.list_physical_devices()  # device discovery logs too
            # Python-side warnings ("triggered tf.function retracing") carry memory
            # addresses.
            tf.get_logger().setLevel(logging.ERROR)
    return keras


def backend_version(backend):
    return importlib.import_module(BACKEND_MODULES[backend]).__version__


def gpu_names():
    """The GPUs the active Keras backend trains on (empty on a CPU)."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return [device.name for device in tf.config.list_physical_devices("GPU")]
    if backend == "jax":
        import jax

        return [
            device.device_kind for device in jax.devices() if device.platform == "gpu"
        ]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return []


def reset_keras(seed=DEFAULT_SEED):
    """Forget earlier models (layer names restart at conv2d, dense, ...) and seed
    everything.

    ``clear_session()`` also resets the seed state, so seeding comes after it.
    """
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)


def environment_report():
    """One line: versions, the Keras backend and the device it trains on."""
    import keras

    backend = keras.backend.backend()
    gpus = gpu_names()
    device = (
        f"GPU ({len(gpus)}: {', '.join(gpus)})"
        if gpus
        else f"CPU ({os.cpu_count()} cores, no GPU found)"
    )
    return (
        f"Python {platform.python_version()} | Keras {keras.__version__} on {backend} "
        f"{backend_version(backend)} | training on {device}"
    )


def setup_notebook(seed=DEFAULT_SEED):
    """The first call of every notebook: the data is there, a fixed table width, seeds,
    and a report.

    Keras and its backend were already loaded, quietly, when the package was imported.
    """
    from .data import check_data_files

    check_data_files()
    os.environ["COLUMNS"] = str(SUMMARY_COLUMNS)
    reset_keras(seed)
    print(environment_report())
