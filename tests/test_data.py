import gzip
import shutil

import numpy as np
import pytest

from going_deeper import (
    N_VALIDATION,
    DataFileError,
    load_mnist,
    mnist_splits,
    shift_images,
    split_validation,
    to_model_input,
)
from going_deeper.data import MNIST_FILES, default_data_dir


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def test_shapes_and_types_match_keras_layout(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert y_train.shape == (60_000,) and y_test.shape == (10_000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_published_facts_of_mnist(mnist):
    (x_train, y_train), (_, y_test) = mnist
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y_train).tolist() == [
        5923,
        6742,
        5958,
        6131,
        5842,
        5421,
        5918,
        6265,
        5851,
        5949,
    ]
    assert np.bincount(y_test).tolist() == [
        980,
        1135,
        1032,
        1010,
        982,
        892,
        958,
        1028,
        974,
        1009,
    ]
    assert x_train.min() == 0 and x_train.max() == 255


def test_subset_keeps_the_first_images(mnist):
    (x_small, y_small), (x_test_small, _) = load_mnist(n_train=100, n_test=50)
    (x_train, y_train), (x_test, _) = mnist
    assert x_small.shape == (100, 28, 28) and x_test_small.shape == (50, 28, 28)
    assert np.array_equal(x_small, x_train[:100]) and np.array_equal(
        y_small, y_train[:100]
    )
    assert np.array_equal(x_test_small, x_test[:50])


@pytest.mark.parametrize("bad", [0, -5, 60_001, 1.5, "100", True])
def test_subset_size_out_of_range_is_refused(bad):
    with pytest.raises(
        ValueError, match="n_train must be a whole number from 1 to 60,000"
    ):
        load_mnist(n_train=bad)


@pytest.fixture
def data_copy(tmp_path):
    for name in MNIST_FILES:
        shutil.copy(default_data_dir() / name, tmp_path / name)
    return tmp_path


def test_copy_of_data_folder_loads(data_copy):
    (x_train, _), _ = load_mnist(n_train=10, data_dir=data_copy)
    assert x_train.shape == (10, 28, 28)


def test_environment_variable_points_at_another_folder(data_copy, monkeypatch):
    monkeypatch.setenv("GOING_DEEPER_DATA", str(data_copy))
    assert default_data_dir() == data_copy
    (target := data_copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataFileError, match=str(target)):
        load_mnist()


@pytest.mark.parametrize("subfolder", ["", "fashion-mnist"])
def test_when_the_variable_names_a_folder_without_the_files_then_the_error_names_it(
    tmp_path, monkeypatch, subfolder
):
    from going_deeper import load_dataset

    monkeypatch.setenv("GOING_DEEPER_DATA", str(tmp_path))
    name = "fashion_mnist" if subfolder else "mnist"
    with pytest.raises(DataFileError) as err:
        load_dataset(name)
    message = str(err.value)
    assert str(tmp_path / subfolder / "train-images-idx3-ubyte.gz") in message
    assert f"GOING_DEEPER_DATA is set to {tmp_path}, so that is the folder searched" in (
        message
    )
    assert "unset it" in message and "point it at a folder that holds the data" in message
    assert "git checkout" not in message and "\n" not in message


def test_missing_file_names_it_and_how_to_restore(data_copy):
    (data_copy / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataFileError) as err:
        load_mnist(data_dir=data_copy)
    assert "train-labels-idx1-ubyte.gz" in str(err.value)
    assert "not found" in str(err.value)
    assert "git checkout data/" in str(err.value)


def test_an_installed_package_reads_its_own_copy_and_says_reinstall(
    data_copy, monkeypatch
):
    import going_deeper.data as data

    monkeypatch.delenv("GOING_DEEPER_DATA", raising=False)
    monkeypatch.setattr(data, "PACKAGE_DATA_DIR", data_copy)
    assert default_data_dir() == data_copy
    (data_copy / "t10k-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    with pytest.raises(DataFileError) as err:
        load_mnist()
    assert "Reinstall the course package" in str(err.value)
    assert "git checkout" not in str(err.value)


def test_set_up_stops_with_one_line_when_a_file_is_missing(data_copy, monkeypatch):
    from going_deeper.data import check_data_files

    (data_copy / "train-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DataFileError) as err:
        check_data_files(data_copy)
    assert err.value._render_traceback_() == [f"DataFileError: {err.value}"]
    assert "train-images-idx3-ubyte.gz" in str(err.value)


def test_truncated_file_is_reported_not_a_reshape_error(data_copy):
    path = data_copy / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(DataFileError) as err:
        load_mnist(data_dir=data_copy)
    assert "train-images-idx3-ubyte.gz" in str(err.value)
    assert "damaged" in str(err.value) and "git checkout data/" in str(err.value)


def test_file_that_is_not_gzip_is_reported(data_copy):
    (data_copy / "t10k-images-idx3-ubyte.gz").write_bytes(b"this is not a gzip file")
    with pytest.raises(
        DataFileError, match="t10k-images-idx3-ubyte.gz.*git checkout data/"
    ):
        load_mnist(data_dir=data_copy)


def test_wrong_checksum_is_reported(data_copy):
    path = data_copy / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[-1] = (raw[-1] + 1) % 10  # one label changed: still a valid file, wrong contents
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataFileError) as err:
        load_mnist(data_dir=data_copy)
    assert "t10k-labels-idx1-ubyte.gz" in str(err.value)
    assert "wrong checksum" in str(err.value) and "git checkout data/" in str(err.value)


def test_to_model_input_scales_and_adds_channel():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    ready = to_model_input(images)
    assert ready.shape == (1, 2, 2, 1) and ready.dtype == np.float32
    assert ready.min() == 0.0 and ready.max() == 1.0
    assert ready[0, 1, 0, 0] == pytest.approx(0.2)


def test_shift_images_moves_and_fills_with_zeros():
    images = np.arange(1, 10).reshape(1, 3, 3)
    assert shift_images(images, right=1)[0].tolist() == [[0, 1, 2], [0, 4, 5], [0, 7, 8]]
    assert shift_images(images, right=-1)[0].tolist() == [[2, 3, 0], [5, 6, 0], [8, 9, 0]]
    assert shift_images(images, down=1)[0].tolist() == [[0, 0, 0], [1, 2, 3], [4, 5, 6]]
    assert shift_images(images, down=-2, right=2)[0].tolist() == [
        [0, 0, 7],
        [0, 0, 0],
        [0, 0, 0],
    ]
    assert not shift_images(images, right=3).any()
    channels = np.ones((2, 3, 3, 1))
    assert shift_images(channels, right=1).shape == (2, 3, 3, 1)


def test_validation_is_the_last_6000_training_images(mnist):
    (x_train, y_train), _ = mnist
    (fit_x, fit_y), (val_x, val_y) = split_validation(x_train, y_train)
    assert len(fit_x) == 54_000 and len(val_x) == N_VALIDATION == 6_000
    assert np.array_equal(val_x, x_train[-6_000:]) and np.array_equal(
        fit_y, y_train[:54_000]
    )
    assert (
        np.bincount(val_y, minlength=10).min() > 400
    )  # every digit is in the validation set


def test_split_validation_refuses_a_split_that_leaves_nothing():
    with pytest.raises(ValueError, match="n_validation must be between 1 and 9"):
        split_validation(np.zeros((10, 2)), np.zeros(10), n_validation=10)


def test_mnist_splits_are_model_ready_and_never_overlap(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    (fit_x, fit_y), (val_x, val_y), (test_x, test_y) = mnist_splits(n_train=1_000)
    assert fit_x.shape == (1_000, 28, 28, 1) and val_x.shape == (6_000, 28, 28, 1)
    assert test_x.shape == (10_000, 28, 28, 1) and fit_x.dtype == np.float32
    assert np.array_equal(fit_x, to_model_input(x_train[:1_000]))
    assert np.array_equal(val_x, to_model_input(x_train[-6_000:]))
    assert np.array_equal(test_y, y_test)


def test_mnist_splits_refuse_more_than_54000_training_images():
    with pytest.raises(
        ValueError, match="n_train must be a whole number from 1 to 54,000"
    ):
        mnist_splits(n_train=60_000)
