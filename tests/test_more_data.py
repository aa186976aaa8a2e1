"""Fashion-MNIST (shipped, read by the same loader as MNIST) and CIFAR-10 (read when the
student has it; tested on a small archive in the same format that the test builds).
"""

import io
import pickle
import shutil
import tarfile

import numpy as np
import pytest

from going_deeper import (
    CIFAR10_CLASSES,
    FASHION_MNIST_CLASSES,
    DataFileError,
    dataset_splits,
    load_cifar10,
    load_dataset,
    load_mnist,
)
from going_deeper.data import FASHION_MNIST_FILES, default_data_dir


@pytest.fixture(scope="module")
def fashion():
    return load_dataset("fashion_mnist")


def test_fashion_mnist_matches_its_published_facts(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert list(y_train[:10]) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert list(y_test[:10]) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(y_train).tolist() == [6_000] * 10
    assert np.bincount(y_test).tolist() == [1_000] * 10
    assert len(FASHION_MNIST_CLASSES) == 10 and FASHION_MNIST_CLASSES[9] == "Ankle boot"


def test_fashion_mnist_is_not_mnist(fashion):
    (mnist_images, _), _ = load_mnist(n_train=100)
    assert not np.array_equal(fashion[0][0][:100], mnist_images)
    assert load_dataset("mnist", n_train=5)[0][0].shape == (5, 28, 28)


def test_fashion_splits_are_the_course_splits_of_its_own_files(fashion):
    (x, y), (x_val, y_val), (x_test, y_test) = dataset_splits("fashion_mnist", 100)
    (images, labels), (test_images, test_labels) = fashion
    assert x.shape == (100, 28, 28, 1) and x.dtype == np.float32 and x.max() <= 1.0
    assert np.array_equal(y, labels[:100]) and np.array_equal(y_val, labels[-6_000:])
    assert np.allclose(x_val[..., 0] * 255, images[-6_000:], atol=1e-3)
    assert np.array_equal(y_test, test_labels) and x_test.shape == (10_000, 28, 28, 1)


def test_a_damaged_fashion_file_is_named_with_the_fix(tmp_path):
    for name in FASHION_MNIST_FILES:
        shutil.copy(default_data_dir() / "fashion-mnist" / name, tmp_path / name)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b damaged")
    with pytest.raises(DataFileError) as err:
        load_dataset("fashion_mnist", data_dir=tmp_path)
    message = str(err.value)
    assert message.startswith("Fashion-MNIST file is damaged")
    assert "t10k-labels-idx1-ubyte.gz" in message and "git checkout data/" in message


def test_an_unknown_data_set_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'mnist' and 'fashion_mnist'.*load_cifar10"):
        load_dataset("cifar10")


# CIFAR-10: a small archive in the format of cifar-10-python.tar.gz
def cifar_batch(n, first_label):
    """n images whose red, green and blue planes are filled with 1, 2 and 3 plus the
    image's number (so the channel order is checkable), and labels from first_label.
    """
    data = np.zeros((n, 3, 32, 32), dtype=np.uint8)
    for i in range(n):
        for channel in range(3):
            data[i, channel] = channel + 1 + i
    labels = [(first_label + i) % 10 for i in range(n)]
    return {
        b"batch_label": b"a test batch",
        b"labels": labels,
        b"data": data.reshape(n, -1),
    }


def write_archive(path, batches):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in batches.items():
            raw = content if isinstance(content, bytes) else pickle.dumps(content)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))


@pytest.fixture
def small_cifar(tmp_path):
    batches = {f"data_batch_{i}": cifar_batch(4, i) for i in range(1, 6)}
    batches["test_batch"] = cifar_batch(3, 7)
    path = tmp_path / "cifar-10-python.tar.gz"
    write_archive(path, batches)
    return path, batches


def test_cifar10_is_read_from_the_archive_channels_last(small_cifar):
    path, _ = small_cifar
    (x_train, y_train), (x_test, y_test) = load_cifar10(path)
    assert x_train.shape == (20, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert x_train[0, 5, 7].tolist() == [1, 2, 3]  # red, green, blue of image 0
    assert x_train[6, 0, 0].tolist() == [3, 4, 5]  # image 2 of the second batch
    assert y_train[:5].tolist() == [1, 2, 3, 4, 2]
    assert y_test.tolist() == [7, 8, 9]
    assert CIFAR10_CLASSES[0] == "airplane" and len(CIFAR10_CLASSES) == 10


def test_cifar10_is_read_from_the_extracted_folder_and_from_keras_cache(
    small_cifar, tmp_path, monkeypatch
):
    path, _ = small_cifar
    with tarfile.open(path) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    from_archive = load_cifar10(path)
    for folder in (tmp_path / "unpacked", tmp_path / "unpacked" / "cifar-10-batches-py"):
        assert np.array_equal(load_cifar10(folder)[0][0], from_archive[0][0])
    cache = tmp_path / "keras" / "datasets" / "cifar-10-batches-py-target_extracted"
    shutil.copytree(tmp_path / "unpacked", cache)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert np.array_equal(load_cifar10()[1][1], from_archive[1][1])


def test_without_cifar10_the_error_says_where_it_looked_and_what_to_download(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty"))
    with pytest.raises(DataFileError) as err:
        load_cifar10()
    message = str(err.value)
    assert "CIFAR-10 not found; looked in" in message and str(tmp_path) in message
    assert "https://www.cs.toronto.edu/~kriz/cifar.html" in message
    assert err.value._render_traceback_() == [f"DataFileError: {message}"]
    with pytest.raises(DataFileError, match="does not exist"):
        load_cifar10(tmp_path / "nowhere.tar.gz")


def test_a_damaged_cifar_archive_or_batch_is_named(small_cifar, tmp_path):
    path, batches = small_cifar
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DataFileError, match="archive cannot be read"):
        load_cifar10(broken)
    no_test = tmp_path / "no_test.tar.gz"
    write_archive(no_test, {k: v for k, v in batches.items() if k != "test_batch"})
    with pytest.raises(DataFileError, match="no cifar-10-batches-py/test_batch"):
        load_cifar10(no_test)
    bad_shape = tmp_path / "bad_shape.tar.gz"
    write_archive(
        bad_shape,
        {**batches, "data_batch_3": {b"data": np.zeros((4, 10)), b"labels": [0] * 4}},
    )
    with pytest.raises(DataFileError, match="data_batch_3 .* shape"):
        load_cifar10(bad_shape)


class RunsCode:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_tampered_batch_cannot_run_code(small_cifar, tmp_path, capsys):
    _, batches = small_cifar
    tampered = tmp_path / "tampered.tar.gz"
    write_archive(tampered, {**batches, "data_batch_1": pickle.dumps(RunsCode())})
    with pytest.raises(DataFileError, match="data_batch_1 .* damaged or not a CIFAR"):
        load_cifar10(tampered)
    assert "this must never run" not in capsys.readouterr().out
