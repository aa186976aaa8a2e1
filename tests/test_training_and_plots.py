import keras
import matplotlib.figure
import numpy as np
import pytest

from going_deeper import (accuracy, compile_classifier, layer_outputs, load_mnist, predict_classes,
                          reset_keras, to_model_input, train, training_steps)
from going_deeper import plots


@pytest.fixture(scope="module")
def trained():
    (x, y), (x_test, y_test) = load_mnist(n_train=1_000, n_test=500)
    x, x_test = to_model_input(x), to_model_input(x_test)
    reset_keras(0)
    model = compile_classifier(keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu", name="conv"),
        keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]))
    history = train(model, x, y, epochs=2, batch_size=100, validation_data=(x_test, y_test), verbose=0)
    return model, history, x_test, y_test


def test_train_records_curves_and_epoch_seconds(trained):
    _, history, _, _ = trained
    assert len(history.epoch_seconds) == 2 and all(s > 0 for s in history.epoch_seconds)
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history.history)


def test_accuracy_matches_predictions(trained):
    model, _, x_test, y_test = trained
    predicted = predict_classes(model, x_test)
    assert predicted.shape == (500,)
    assert accuracy(model, x_test, y_test) == pytest.approx(np.mean(predicted == y_test))
    assert accuracy(model, x_test, y_test) > 0.5  # learned something in two epochs


def test_layer_outputs_shapes(trained):
    model, _, x_test, _ = trained
    (maps,) = layer_outputs(model, x_test[:3], ["conv"])
    assert maps.shape == (3, 26, 26, 4)
    conv, flat = layer_outputs(model, x_test[:2], ["conv", model.layers[1].name])
    assert conv.shape == (2, 26, 26, 4) and flat.shape == (2, 26 * 26 * 4)


def test_plots_return_figures(trained):
    model, history, x_test, y_test = trained
    figures = [
        plots.plot_digits(x_test[:12], y_test[:12]),
        plots.plot_digits(x_test[:3], y_test[:3], predict_classes(model, x_test[:3])),
        plots.plot_digits([np.zeros((28, 28)), np.zeros((14, 14))], labels=["28x28", "14x14"]),
        plots.plot_class_balance(y_test),
        plots.plot_history({"a": history, "b": history.history}),
        plots.plot_feature_maps(np.random.rand(26, 26, 4)),
        plots.plot_filters(model.layers[0].get_weights()[0]),
        plots.plot_parameter_split([model]),
        plots.plot_results({"a": {"parameters": 100, "test accuracy": 0.9},
                            "b": {"parameters": 100, "test accuracy": 0.9},
                            "c": {"parameters": 1000, "test accuracy": 0.95}}),
    ]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    assert len(figures[0].axes) == 12
    assert len(figures[4].axes) == 2
    assert [t.get_text() for t in figures[2].axes[0].texts] == [] and figures[2].axes[1].get_title() == "14x14"
    labels = figures[-1].axes[0].texts
    assert [t.get_text() for t in labels] == ["a", "b", "c"]
    assert labels[0].xyann != labels[1].xyann  # same parameter count: labels stacked, not overprinted


def test_training_steps_counts_weight_updates():
    assert training_steps(3, 12_000, 128) == 3 * 94
    assert training_steps(1, 60_000) == 469
    assert training_steps(3, 12_000, 512) < training_steps(3, 12_000, 128)
