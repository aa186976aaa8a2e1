import keras
import pytest
from keras import layers

from going_deeper import (
    conv2d_params,
    conv_output_size,
    count_model_params,
    dense_params,
    layer_param_count,
    model_multiply_adds,
    parameter_table,
    print_parameter_table,
)


def test_dense_formula_on_the_seed_example():
    counts = [dense_params(784, 10), dense_params(10, 10), dense_params(10, 3)]
    assert counts == [7850, 110, 33] and sum(counts) == 7993


def test_conv_formula_on_the_seed_examples():
    assert conv2d_params(3, 3, 1, 10) == 100
    assert conv2d_params(3, 3, 10, 10) == 910
    assert dense_params(28 * 28 * 10, 3) == 23_523
    assert 100 + 910 + 23_523 == 24_533
    assert dense_params(28 * 28 * 15, 3) == 35_283
    assert conv2d_params(2, 2, 1, 10) == 50
    assert conv2d_params(5, 3, 2, 4) == 5 * 3 * 2 * 4 + 4


@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected",
    [
        (28, 2, 1, "valid", 27),
        (28, 3, 1, "valid", 26),
        (26, 2, 2, "valid", 13),
        (11, 2, 2, "valid", 5),
        (28, 3, 1, "same", 28),
        (28, 2, 2, "same", 14),
        (27, 2, 2, "same", 14),
        (4, 4, 1, "valid", 1),
    ],
)
def test_output_size(size, kernel, stride, padding, expected):
    assert conv_output_size(size, kernel, stride, padding) == expected


def test_output_size_rejects_unknown_padding():
    with pytest.raises(ValueError, match="'valid' or 'same'.*'equal'"):
        conv_output_size(28, 2, padding="equal")


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel, stride", [(2, 1), (3, 1), (3, 2), (5, 3)])
def test_output_size_agrees_with_keras(kernel, stride, padding):
    for size in (7, 28, 31):
        out = layers.Conv2D(1, kernel, strides=stride, padding=padding)(
            keras.Input((size, size, 1))
        )
        assert out.shape[1] == conv_output_size(size, kernel, stride, padding)
        pooled = layers.MaxPool2D(kernel, strides=stride, padding=padding)(
            keras.Input((size, size, 1))
        )
        assert pooled.shape[1] == conv_output_size(size, kernel, stride, padding)


def model_zoo():
    return [
        keras.Sequential(
            [keras.Input((784,)), layers.Dense(10), layers.Dense(10), layers.Dense(3)]
        ),
        keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(10, 3, padding="same"),
                layers.Conv2D(10, 3, padding="same"),
                layers.Flatten(),
                layers.Dense(10),
            ]
        ),
        keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(5, 3),
                layers.MaxPool2D(2),
                layers.Conv2D(15, 3),
                layers.MaxPool2D(2),
                layers.Flatten(),
                layers.Dropout(0.5),
                layers.Dense(10),
            ]
        ),
        keras.Sequential(
            [
                keras.Input((32, 24, 3)),
                layers.Conv2D(8, (5, 3), use_bias=False),
                layers.BatchNormalization(),
                layers.ReLU(),
                layers.Conv2D(4, 1, strides=2),
                layers.Flatten(),
                layers.Dense(7, use_bias=False),
            ]
        ),
    ]


@pytest.mark.parametrize("index", range(4))
def test_counts_agree_with_keras_layer_by_layer(index):
    model = model_zoo()[index]
    for layer in model.layers:
        assert layer_param_count(layer) == layer.count_params(), layer.name
    assert count_model_params(model) == model.count_params()


def test_the_seed_cnn_totals():
    _, cnn, pooled, _ = model_zoo()
    assert count_model_params(cnn) == 100 + 910 + dense_params(7840, 10) == 79_420
    assert count_model_params(pooled) == 50 + 690 + dense_params(375, 10) == 4_500


def test_unknown_layer_is_refused_not_guessed():
    model = keras.Sequential([keras.Input((10, 4)), layers.LSTM(3)])
    with pytest.raises(NotImplementedError, match="LSTM"):
        count_model_params(model)


def test_a_disagreement_with_keras_is_caught(monkeypatch):
    model = model_zoo()[0]
    monkeypatch.setattr(
        "going_deeper.counting.dense_params", lambda n_in, n_out: n_in * n_out
    )
    with pytest.raises(AssertionError, match="formula gives 7,840, Keras has 7,850"):
        count_model_params(model)


def test_parameter_table_rows_and_printout(capsys):
    model = model_zoo()[2]
    rows = parameter_table(model)
    assert rows[0][1:] == ("Conv2D", (None, 26, 26, 5), "3*3*1*5 + 5", 50, 50)
    assert rows[-1][3:] == ("375*10 + 10", 3760, 3760)
    print_parameter_table(model)
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["layer", "output", "shape", "arithmetic", "ours", "Keras"]
    assert out[-1].split() == ["total", "4,500", "4,500"]


def test_multiply_adds_of_the_shallow_and_deep_networks():
    shallow = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(10, 2),
            layers.Flatten(),
            layers.Dense(10),
        ]
    )
    deep = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(10, 2, padding="same"),
            layers.Conv2D(10, 2),
            layers.Flatten(),
            layers.Dense(10),
        ]
    )
    assert model_multiply_adds(shallow) == 27 * 27 * 10 * 2 * 2 + 7290 * 10
    assert (
        model_multiply_adds(deep) == 28 * 28 * 10 * 4 + 27 * 27 * 10 * 4 * 10 + 7290 * 10
    )
