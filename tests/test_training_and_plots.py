import keras
import matplotlib.figure
import numpy as np
import pytest

from going_deeper import (
    Budget,
    EpochTimer,
    FloorError,
    ReusedModels,
    StepTimer,
    check_floor,
    mnist_splits,
    plots,
    reset_keras,
    training_steps,
)


@pytest.fixture(scope="module")
def trained():
    (x, y), (x_val, y_val), _ = mnist_splits(n_train=1_000)
    reset_keras(0)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3, activation="relu", name="conv"),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    timer = EpochTimer()
    history = model.fit(
        x,
        y,
        epochs=2,
        batch_size=100,
        validation_data=(x_val[:500], y_val[:500]),
        verbose=0,
        callbacks=[timer],
    )
    return model, history, timer, x_val[:500], y_val[:500]


def test_epoch_timer_records_one_positive_time_per_epoch(trained):
    _, history, timer, _, _ = trained
    assert len(timer.seconds) == 2 and all(s > 0 for s in timer.seconds)
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history.history)


def test_plots_return_closed_figures(trained):
    model, history, _, x_val, y_val = trained
    predicted = np.argmax(model.predict(x_val[:3], verbose=0), axis=1)
    figures = [
        plots.plot_digits(x_val[:12], y_val[:12]),
        plots.plot_digits(x_val[:3], y_val[:3], predicted),
        plots.plot_digits(
            [np.zeros((28, 28)), np.zeros((14, 14))], labels=["28x28", "14x14"]
        ),
        plots.plot_class_balance(y_val),
        plots.plot_history({"a": history, "b": history.history}),
        plots.plot_feature_maps(np.random.rand(26, 26, 4) - 0.5),
        plots.plot_filters(model.layers[0].get_weights()[0]),
        plots.plot_parameter_split([model]),
        plots.plot_results(
            {
                "a": {"parameters": 100, "test accuracy": 0.9},
                "b": {"parameters": 100, "test accuracy": 0.9},
                "c": {"parameters": 1000, "test accuracy": 0.95},
            }
        ),
        plots.plot_seed_spread({"a": [0.9, 0.91, 0.92], "b": [0.93, 0.94, 0.95]}),
    ]
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    assert len(figures[0].axes) == 12
    assert len(figures[4].axes) == 2
    assert [t.get_text() for t in figures[2].axes[0].texts] == [] and figures[2].axes[
        1
    ].get_title() == "14x14"
    labels = figures[8].axes[0].texts
    assert [t.get_text() for t in labels] == ["a", "b", "c"]
    assert (
        labels[0].xyann != labels[1].xyann
    )  # same parameter count: labels stacked, not overprinted
    assert "validation" in " ".join(
        t.get_text() for t in figures[4].axes[1].get_legend().get_texts()
    )


def test_feature_maps_share_one_symmetric_diverging_scale_with_a_colour_bar():
    maps = np.stack([np.full((4, 4), -1.0), np.full((4, 4), 3.0)], axis=-1)
    figure = plots.plot_feature_maps(maps)
    images = [ax.images[0] for ax in figure.axes if ax.images]
    assert len(images) == 2
    assert all(image.get_clim() == (-3.0, 3.0) for image in images)
    assert all(image.get_cmap().name == "RdBu_r" for image in images)
    assert len(figure.axes) == 3  # two panels and the colour bar
    named = plots.plot_feature_maps(maps, titles=["vertical", "horizontal"], panel_size=3)
    assert [ax.get_title() for ax in named.axes[:2]] == ["vertical", "horizontal"]
    assert named.get_size_inches()[0] > figure.get_size_inches()[0]


def test_training_steps_counts_weight_updates():
    assert training_steps(3, 12_000, 128) == 3 * 94
    assert training_steps(1, 60_000) == 469
    assert training_steps(3, 12_000, 512) < training_steps(3, 12_000, 128)


def test_a_budgets_steps_are_the_weight_updates_keras_makes():
    # Keras as the oracle: the optimizer counts its own updates; 250 images in batches
    # of 100 are three per epoch, the last one partial.
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((250, 3)), np.zeros(250), epochs=2, batch_size=100, verbose=0)
    budget = Budget(epochs=2, images=250, batch_size=100)
    assert budget.steps == int(model.optimizer.iterations) == 6
    assert training_steps(2, 250, 100) == budget.steps
    assert Budget(3, 12_000).batch_size == 128


def test_a_budget_trains_at_least_another_only_on_as_many_images_and_updates():
    default = Budget(2, 54_000, 128)
    assert Budget(2, 54_000, 128).trains_at_least(default)
    assert Budget(3, 54_000, 128).trains_at_least(default)
    assert Budget(2, 54_000, 64).trains_at_least(default)  # smaller batches: more updates
    assert not Budget(2, 54_000, 256).trains_at_least(default)  # fewer updates
    assert not Budget(9, 100, 1).trains_at_least(default)  # 900 updates, 100 images
    assert Budget(3, 12_000, 128).trains_at_least((3, 12_000, 128))  # a tuple too
    assert Budget.of((3, 12_000, 128)) == Budget(3, 12_000, 128)


def test_a_budget_prints_as_the_notebooks_tables_print_it():
    budget = Budget(3, 12_000, 128)
    assert str(budget) == f"{budget}" == "12,000 images x 3 epochs"
    assert f"{budget:>26}|" == "  12,000 images x 3 epochs|"
    assert budget.described() == "12,000 images x 3 epochs, batch 128: 282 weight updates"


def test_a_floor_takes_budgets_as_it_takes_tuples(capsys):
    check_floor("accuracy", 0.95, 0.9, Budget(3, 12_000, 128), set_at=(3, 12_000, 128))
    check_floor("accuracy", 0.95, 0.9, (3, 12_000, 128), set_at=Budget(3, 12_000, 128))
    first, second = capsys.readouterr().out.splitlines()
    held = "Floor held: accuracy >= 0.90 (282 weight updates; the floor assumes 282 or "
    assert first == second == held + "more)."


def test_a_floor_is_checked_at_its_budget_or_more(capsys):
    check_floor(
        "validation accuracy", 0.95, 0.9, run=(3, 12_000, 128), set_at=(3, 12_000, 128)
    )
    assert capsys.readouterr().out == (
        "Floor held: validation accuracy >= 0.90 "
        "(282 weight updates; the floor assumes 282 or more).\n"
    )
    check_floor(
        "validation accuracy", 0.95, 0.9, run=(5, 12_000, 128), set_at=(3, 12_000, 128)
    )
    assert capsys.readouterr().out.startswith("Floor held")


def test_a_floor_is_not_checked_with_less_training_and_says_why(capsys):
    check_floor(
        "validation accuracy", 0.5, 0.9, run=(3, 12_000, 512), set_at=(3, 12_000, 128)
    )
    out = capsys.readouterr().out
    assert out.startswith("Floor not checked: this run made 72 weight updates")
    assert "12,000 images x 3 epochs, batch 128: 282 weight updates" in out


def test_a_floor_is_not_checked_on_fewer_images_even_with_more_weight_updates(capsys):
    # 100 images seen 9 times at batch 1 is 900 weight updates, more than
    # the floor's 844, but not more training: no 100 images reach the floor.
    check_floor(
        "validation accuracy", 0.5, 0.93, run=(9, 100, 1), set_at=(2, 54_000, 128)
    )
    out = capsys.readouterr().out
    assert out.startswith("Floor not checked: this run trained on 100 images")
    assert "54,000 images x 2 epochs, batch 128: 844 weight updates" in out


def test_a_failed_floor_raises_with_the_value_and_the_budget():
    with pytest.raises(
        FloorError, match=r"validation accuracy is 0\.8500, below its floor of 0\.90"
    ):
        check_floor(
            "validation accuracy",
            0.85,
            0.9,
            run=(3, 12_000, 128),
            set_at=(3, 12_000, 128),
        )
    assert "FloorError" in FloorError("x")._render_traceback_()[0]


def test_confusion_plot_writes_every_count_and_names_the_classes():
    matrix = np.array([[5, 1, 0], [2, 7, 0], [0, 0, 9]])
    figure = plots.plot_confusion(matrix, ["shirt", "coat", "bag"], title="t")
    ax = figure.axes[0]
    assert isinstance(figure, matplotlib.figure.Figure) and not plt_open(figure)
    assert [t.get_text() for t in ax.texts] == [str(n) for n in matrix.flat]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["shirt", "coat", "bag"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_results_compared_draw_one_marker_per_data_set_and_label_each_model_once():
    results = {
        "a": {"parameters": 100, "MNIST": 0.9, "Fashion": 0.8},
        "b": {"parameters": 1000, "MNIST": 0.95, "Fashion": 0.85},
    }
    figure = plots.plot_results_compared(results, ["MNIST", "Fashion"])
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["MNIST", "Fashion"]
    assert not plt_open(figure)


def plt_open(figure):
    import matplotlib.pyplot as plt

    return figure.number in plt.get_fignums()


def test_when_a_model_trains_then_the_step_timer_holds_one_time_per_weight_update():
    (x, y), _, _ = mnist_splits(n_train=300)
    reset_keras(0)
    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    timer = StepTimer()
    model.fit(x, y, epochs=2, batch_size=100, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == training_steps(2, 300, 100) == 6
    assert all(seconds > 0 for seconds in timer.seconds)


def _seeded_model(seed, dropout=0.5):
    reset_keras(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(2, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def _trained_weights(model, images, labels):
    model.fit(images, labels, epochs=2, batch_size=16, verbose=0)
    return model.get_weights()


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="on JAX and PyTorch a new model's first fit draws one more shuffle",
)
def test_when_a_model_is_reused_for_another_seed_then_it_trains_as_a_new_model_would():
    rng = np.random.default_rng(0)
    images = rng.random((64, 8, 8, 1), dtype=np.float32)
    labels = rng.integers(0, 3, 64)
    models = ReusedModels()
    first = models.fresh("net", _seeded_model(1))
    _trained_weights(first, images, labels)  # traced, trained, its optimizer moved on
    reused = models.fresh("net", _seeded_model(2))
    assert reused is first
    expected = _trained_weights(_seeded_model(2), images, labels)  # Keras: the oracle
    for got, want in zip(_trained_weights(reused, images, labels), expected, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.skipif(
    keras.backend.backend() == "torch", reason="PyTorch gets the new model itself"
)
def test_when_a_reused_model_is_given_then_it_starts_from_the_new_models_state():
    models = ReusedModels()
    first = models.fresh("net", _seeded_model(1))
    first.fit(np.zeros((16, 8, 8, 1)), np.zeros(16), verbose=0)
    new = _seeded_model(2)
    reused = models.fresh("net", new)
    for got, want in zip(reused.variables, new.variables, strict=True):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(got), keras.ops.convert_to_numpy(want)
        )
    assert int(keras.ops.convert_to_numpy(reused.optimizer.iterations)) == 0


@pytest.mark.skipif(
    keras.backend.backend() == "torch", reason="PyTorch gets the new model itself"
)
def test_when_a_key_names_another_network_then_the_error_says_to_give_each_its_own():
    models = ReusedModels()
    models.fresh("net", _seeded_model(1))
    reset_keras(1)
    other = keras.Sequential(
        [keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(3)]
    )
    other.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="'net' already names another network"):
        models.fresh("net", other)
