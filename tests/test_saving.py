"""Where notebook 07 saves its model: a git-ignored folder, never beside the notebooks."""

import subprocess

import keras
import numpy as np
import pytest

from going_deeper import ModelPathError, model_path, models_dir, saving
from tools.paths import NOTEBOOK_DIR, ROOT


def test_when_run_from_the_clone_then_models_go_to_build_models_which_git_ignores(
    monkeypatch,
):
    monkeypatch.delenv("GOING_DEEPER_MODELS", raising=False)
    folder = models_dir()
    assert folder == ROOT / "build" / "models"
    assert NOTEBOOK_DIR not in folder.parents
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(folder / "final_cnn_seed42.keras")], cwd=ROOT
    )
    assert ignored.returncode == 0, "git would track a saved model"


def test_when_installed_outside_a_clone_then_models_go_under_the_home_folder(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("GOING_DEEPER_MODELS", raising=False)
    monkeypatch.setattr(saving, "COURSE_FOLDER", tmp_path / "site-packages")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert models_dir() == tmp_path / "going-deeper" / "models"


def test_when_the_variable_is_set_then_it_names_the_folder_and_it_is_created(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("GOING_DEEPER_MODELS", str(tmp_path / "mine"))
    path = model_path("final_cnn.keras")
    assert path == tmp_path / "mine" / "final_cnn.keras"
    assert path.parent.is_dir()


@pytest.mark.parametrize(
    "name, says",
    [("final_cnn.h5", "final_cnn.keras"), ("../notebooks/m.keras", "file name only")],
)
def test_when_the_name_is_not_a_keras_file_name_then_the_error_says_the_fix(
    monkeypatch, tmp_path, name, says
):
    monkeypatch.setenv("GOING_DEEPER_MODELS", str(tmp_path))
    with pytest.raises(ModelPathError, match=says):
        model_path(name)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_when_a_model_is_saved_there_then_it_loads_back_with_the_same_predictions(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("GOING_DEEPER_MODELS", str(tmp_path))
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(shape=(6, 6, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten()]
    )
    path = model_path("tiny.keras")
    model.save(path)
    images = np.random.default_rng(0).random((4, 6, 6, 1), dtype=np.float32)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(images, verbose=0), model.predict(images, verbose=0)
    )
