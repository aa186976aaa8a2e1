"""CIFAR-10 for students who have it: the course ships none (it is on neither the package
index nor Debian), so this reads the "CIFAR-10 python version" that the student
downloaded, or that Keras left in its cache.

The archive ``cifar-10-python.tar.gz`` holds a folder ``cifar-10-batches-py/`` with five
training batches (``data_batch_1`` ... ``data_batch_5``) and ``test_batch``: pickled
dictionaries whose ``b"data"`` is a (10000, 3072) uint8 array (the red, green and blue
planes of each 32x32 image, one after the other) and whose ``b"labels"`` is a list of
10,000 class numbers.
"""

import io
import os
import pickle
import tarfile
from pathlib import Path

import numpy as np

from .data import DataFileError

CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
ARCHIVE_NAME = "cifar-10-python.tar.gz"
FOLDER_NAME = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
DOWNLOAD_HINT = (
    "This course does not ship CIFAR-10. Download the 'CIFAR-10 python version' "
    f"({ARCHIVE_NAME}, 163 MB) from https://www.cs.toronto.edu/~kriz/cifar.html and "
    f'pass its path: load_cifar10("/path/to/{ARCHIVE_NAME}").'
)
# What a CIFAR batch may ask the unpickler to build: numpy arrays, nothing else (a pickle
# can run code; a damaged or tampered file must not).
ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused to build {module}.{name}")


def keras_cache_candidates():
    """Where Keras' ``cifar10.load_data()`` leaves the data ($KERAS_HOME or ~/.keras)."""
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "datasets"
    return [
        home / "cifar-10-batches-py-target_extracted" / FOLDER_NAME,  # Keras 3
        home / FOLDER_NAME,  # older Keras
        home / "cifar-10-batches-py-target",  # the archive, before extraction
        home / ARCHIVE_NAME,
    ]


def _read_batches(source, names):
    """The bytes of each named batch file, from a folder or from the archive."""
    source = Path(source)
    if source.is_dir():
        folder = source / FOLDER_NAME if (source / FOLDER_NAME).is_dir() else source
        missing = [name for name in names if not (folder / name).is_file()]
        if missing:
            raise DataFileError(
                f"CIFAR-10 batch {missing[0]} not found in {folder}. {DOWNLOAD_HINT}"
            )
        return {name: (folder / name).read_bytes() for name in names}
    try:
        with tarfile.open(source, "r:*") as archive:
            members = {Path(m.name).name: m for m in archive.getmembers() if m.isfile()}
            missing = [name for name in names if name not in members]
            if missing:
                raise DataFileError(
                    f"CIFAR-10 archive {source} has no {FOLDER_NAME}/{missing[0]}: it is "
                    f"not the python version. {DOWNLOAD_HINT}"
                )
            return {name: archive.extractfile(members[name]).read() for name in names}
    except (OSError, EOFError, tarfile.TarError) as err:
        raise DataFileError(
            f"CIFAR-10 archive cannot be read: {source} ({err}). {DOWNLOAD_HINT}"
        ) from None


def _parse_batch(raw, name, source):
    try:
        batch = _ArraysOnly(io.BytesIO(raw), encoding="bytes").load()
        data = np.asarray(batch[b"data"], dtype=np.uint8)
        labels = np.asarray(batch[b"labels"], dtype=np.uint8)
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError) as err:
        raise DataFileError(
            f"CIFAR-10 batch {name} in {source} is damaged or not a CIFAR batch ({err}). "
            f"{DOWNLOAD_HINT}"
        ) from None
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(labels) != len(data):
        raise DataFileError(
            f"CIFAR-10 batch {name} in {source} has data of shape {data.shape} and "
            f"{len(labels)} labels; expected (n, 3072) and n. {DOWNLOAD_HINT}"
        )
    # Each row is 1,024 red values, then 1,024 green, then 1,024 blue: to (n, 32, 32, 3).
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, labels


def load_cifar10(path=None):
    """Return ``(x_train, y_train), (x_test, y_test)`` of CIFAR-10, channels last.

    Images are uint8 arrays of shape (n, 32, 32, 3), labels uint8 of shape (n,) (50,000
    and 10,000 in the real data set). ``path``: the archive ``cifar-10-python.tar.gz``,
    its extracted ``cifar-10-batches-py`` folder, or a folder holding that one; None looks
    in Keras' cache. The parameters of a convolution on colour images (three input
    channels) are counted in 04_how_many_parameters.
    """
    if path is None:
        candidates = keras_cache_candidates()
        found = [p for p in candidates if p.exists()]
        if not found:
            places = ", ".join(str(p) for p in candidates)
            raise DataFileError(
                f"CIFAR-10 not found; looked in {places}. {DOWNLOAD_HINT}"
            )
        path = found[0]
    elif not Path(path).exists():
        raise DataFileError(f"CIFAR-10 not found: {path} does not exist. {DOWNLOAD_HINT}")
    raw = _read_batches(path, (*TRAIN_BATCHES, TEST_BATCH))
    train = [_parse_batch(raw[name], name, path) for name in TRAIN_BATCHES]
    x_test, y_test = _parse_batch(raw[TEST_BATCH], TEST_BATCH, path)
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return (x_train, y_train), (x_test, y_test)
