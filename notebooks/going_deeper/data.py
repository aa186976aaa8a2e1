"""MNIST and Fashion-MNIST from the course's own files: no download, checksums verified.

In a clone the files are the repository's data/ folder (Fashion-MNIST in
data/fashion-mnist/); an installed package (wheel or ``pip install`` of the course)
carries the same files in ``going_deeper/data/``.
"""

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

N_TRAIN_MAX = 60_000
N_TEST_MAX = 10_000
N_CLASSES = 10
# The course's validation set: the last 6,000 images of MNIST's training file, in every
# notebook. Models learn from the first 54,000 at most; the 10,000 test images are scored
# once per model, at the end. Worked through in 01_shallow_cnn.
N_VALIDATION = 6_000
N_FIT_MAX = N_TRAIN_MAX - N_VALIDATION

# sha256 of the decompressed IDX bytes (see data/README.md).
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    ),
    "train-labels-idx1-ubyte.gz": (
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    ),
}
# sha256 of the decompressed IDX bytes (see data/README.md).
FASHION_MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
    ),
    "train-labels-idx1-ubyte.gz": (
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
    ),
}
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
# name -> (what error messages call it, sub-folder of the data folder, files)
DATASETS = {
    "mnist": ("MNIST", "", MNIST_FILES),
    "fashion_mnist": ("Fashion-MNIST", "fashion-mnist", FASHION_MNIST_FILES),
}
PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"  # an installed package
REPOSITORY_DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # a clone
RESTORE_HINT = (
    "Restore it with `git checkout data/` (or copy the file back from the repository)."
)
REINSTALL_HINT = (
    "Reinstall the course package: pip install --force-reinstall <the course folder, "
    "its wheel or its git address>."
)


class DataFileError(RuntimeError):
    """A data file is missing or damaged; the message names it and how to restore it."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"DataFileError: {self}"]


def default_data_dir():
    """Where the MNIST files are: $GOING_DEEPER_DATA when set, else the installed
    package's data/, else the repository's data/ folder.
    """
    override = os.environ.get("GOING_DEEPER_DATA")
    if override:
        return Path(override)
    return PACKAGE_DATA_DIR if PACKAGE_DATA_DIR.is_dir() else REPOSITORY_DATA_DIR


def _override_hint(folder):
    return (
        f"GOING_DEEPER_DATA is set to {folder}, so that is the folder searched: unset it "
        "to use the course's own copy, or point it at a folder that holds the data files "
        "(a copy of the repository's data/)."
    )


def _restore_hint(path):
    resolved = Path(path).resolve()
    override = os.environ.get("GOING_DEEPER_DATA")
    # the variable first: a folder it names may lie anywhere, even inside the package
    if override and Path(override).resolve() in resolved.parents:
        return _override_hint(override)
    inside_package = PACKAGE_DATA_DIR in resolved.parents
    return REINSTALL_HINT if inside_package else RESTORE_HINT


def _require_file(path, label):
    if not path.is_file():
        raise DataFileError(f"{label} file not found: {path}. {_restore_hint(path)}")


def check_data_files(data_dir=None):
    """Stop with one clear message when an MNIST file is missing (set-up calls this,
    so a notebook says so in its first cell; checksums are verified when loading).
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    for name in MNIST_FILES:
        _require_file(folder / name, "MNIST")


def read_idx(path, expected_sha256, label="MNIST"):
    """Read one gzipped IDX file into a uint8 array after checking its checksum."""
    path = Path(path)
    _require_file(path, label)
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as err:
        raise DataFileError(
            f"{label} file is damaged and cannot be decompressed: {path} ({err}). "
            f"{_restore_hint(path)}"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        raise DataFileError(
            f"{label} file has the wrong checksum: {path} (sha256 of its contents is "
            f"{digest[:12]}..., expected {expected_sha256[:12]}...). "
            f"{_restore_hint(path)}"
        )
    # IDX header: two zero bytes, a type code (0x08 = uint8), the number of dimensions,
    # then one big-endian uint32 per dimension.
    n_dims = raw[3]
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n_dims).reshape(dims)


def _check_size(name, value, maximum):
    if value is None:
        return maximum
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not 1 <= value <= maximum
    ):
        raise ValueError(
            f"{name} must be a whole number from 1 to {maximum:,} (or None for all), "
            f"got {value!r}."
        )
    return int(value)


def load_dataset(name="mnist", n_train=None, n_test=None, data_dir=None):
    """Return ``(x_train, y_train), (x_test, y_test)`` of ``"mnist"`` or
    ``"fashion_mnist"``, like ``keras.datasets.mnist.load_data()``.

    Both have the same layout: images are uint8 arrays of shape (n, 28, 28), labels
    uint8 of shape (n,), 60,000 training and 10,000 test examples. ``n_train`` /
    ``n_test`` keep only the first n examples (None keeps all). ``data_dir`` is the
    folder that holds the four files (default: the course's own copy).
    """
    if name not in DATASETS:
        raise ValueError(
            f"Unknown data set {name!r}: the course ships 'mnist' and 'fashion_mnist' "
            "(CIFAR-10, if you have it: going_deeper.load_cifar10())."
        )
    label, subfolder, files = DATASETS[name]
    n_train = _check_size("n_train", n_train, N_TRAIN_MAX)
    n_test = _check_size("n_test", n_test, N_TEST_MAX)
    folder = Path(data_dir) if data_dir is not None else default_data_dir() / subfolder
    arrays = {file: read_idx(folder / file, sha, label) for file, sha in files.items()}
    x_train = arrays["train-images-idx3-ubyte.gz"][:n_train]
    y_train = arrays["train-labels-idx1-ubyte.gz"][:n_train]
    x_test = arrays["t10k-images-idx3-ubyte.gz"][:n_test]
    y_test = arrays["t10k-labels-idx1-ubyte.gz"][:n_test]
    return (x_train, y_train), (x_test, y_test)


def load_mnist(n_train=None, n_test=None, data_dir=None):
    """MNIST's ``(x_train, y_train), (x_test, y_test)``: ``load_dataset("mnist")``."""
    return load_dataset("mnist", n_train, n_test, data_dir)


def split_validation(images, labels, n_validation=N_VALIDATION):
    """Hold out the last ``n_validation`` examples:
    ``(train_x, train_y), (val_x, val_y)``.

    Worked through in 01_shallow_cnn: design choices are made on the validation images,
    so the test images still give an unbiased score at the end.
    """
    if not 0 < n_validation < len(images):
        raise ValueError(
            f"n_validation must be between 1 and {len(images) - 1:,} for "
            f"{len(images):,} images, got {n_validation!r}."
        )
    return (
        (images[:-n_validation], labels[:-n_validation]),
        (images[-n_validation:], labels[-n_validation:]),
    )


def dataset_splits(name="mnist", n_train=None):
    """The course's three splits of ``"mnist"`` or ``"fashion_mnist"``, ready for a model
    (float32 in [0, 1], channel axis added).

    ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``: the first ``n_train`` of
    the 54,000 training images (None: all of them), the fixed 6,000 validation images
    (the last of the training file) and the 10,000 test images. Loading from disk
    each time makes a notebook cell that calls it safe to run twice. Worked through in
    01_shallow_cnn (MNIST) and 08_harder_data (Fashion-MNIST).
    """
    n_train = _check_size("n_train", n_train, N_FIT_MAX)
    (images, labels), (test_images, test_labels) = load_dataset(name)
    (fit_images, fit_labels), (val_images, val_labels) = split_validation(images, labels)
    return (
        (to_model_input(fit_images[:n_train]), fit_labels[:n_train]),
        (to_model_input(val_images), val_labels),
        (to_model_input(test_images), test_labels),
    )


def mnist_splits(n_train=None):
    """MNIST's three splits: ``dataset_splits("mnist", n_train)``."""
    return dataset_splits("mnist", n_train)


def to_model_input(images):
    """Scale uint8 images to float32 in [0, 1] and add the channel axis:
    (n, 28, 28, 1).
    """
    return (np.asarray(images, dtype=np.float32) / 255.0)[..., np.newaxis]


def shift_images(images, right=0, down=0):
    """Move images ``right`` / ``down`` by whole pixels (negative: left / up), filling
    with 0.
    """
    images = np.asarray(images)
    shifted = np.zeros_like(images)
    height, width = images.shape[1:3]
    if abs(right) >= width or abs(down) >= height:
        return shifted
    src_rows = slice(max(0, -down), height - max(0, down))
    dst_rows = slice(max(0, down), height - max(0, -down))
    src_cols = slice(max(0, -right), width - max(0, right))
    dst_cols = slice(max(0, right), width - max(0, -right))
    shifted[:, dst_rows, dst_cols] = images[:, src_rows, src_cols]
    return shifted
