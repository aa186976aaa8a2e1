import keras
import numpy as np
import pytest

from going_deeper import convolve2d, max_pool2d

SEED_IMAGE = np.array(
    [
        [1, 3, 2, 4, 1, 0],
        [5, 2, 1, 0, 3, 2],
        [4, 1, 0, 5, 2, 1],
        [2, 6, 3, 1, 4, 0],
    ]
)


def keras_max_pool(image, window, stride):
    batch = np.asarray(image, dtype=np.float32)
    batch = batch[np.newaxis, ..., np.newaxis] if batch.ndim == 2 else batch[np.newaxis]
    pooled = keras.layers.MaxPool2D(pool_size=window, strides=stride, padding="valid")(
        batch
    )
    pooled = keras.ops.convert_to_numpy(pooled)[0]
    return pooled[..., 0] if np.ndim(image) == 2 else pooled


def test_the_seed_example():
    assert max_pool2d(SEED_IMAGE).tolist() == [[5, 4, 3], [6, 5, 4]]
    assert max_pool2d(SEED_IMAGE).dtype == SEED_IMAGE.dtype


@pytest.mark.parametrize("shape", [(4, 6), (28, 28), (11, 11), (7, 13), (9, 5, 3)])
@pytest.mark.parametrize(
    "window, stride", [(2, None), (3, None), (3, 1), (2, 3), ((2, 3), (1, 2))]
)
def test_equals_keras_maxpool2d(shape, window, stride):
    image = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    ours = max_pool2d(image, window, stride)
    assert ours.shape == keras_max_pool(image, window, stride or window).shape
    assert np.array_equal(ours, keras_max_pool(image, window, stride or window))


def test_window_as_large_as_the_image_gives_one_value():
    assert max_pool2d(SEED_IMAGE, window=(4, 6)).tolist() == [[6]]


def test_window_larger_than_the_image_is_refused():
    with pytest.raises(ValueError, match="a 5x5 window does not fit in a 4x6 image"):
        max_pool2d(SEED_IMAGE, window=5)


@pytest.mark.parametrize("window, stride", [(0, None), (2, 0), (1.5, None), (-2, None)])
def test_bad_window_or_stride_is_refused(window, stride):
    with pytest.raises(ValueError, match="positive whole number"):
        max_pool2d(SEED_IMAGE, window, stride)


@pytest.mark.parametrize("shape", [(5,), (1, 2, 3, 4)])
def test_wrong_number_of_dimensions_is_refused(shape):
    with pytest.raises(ValueError, match="2-D .* or 3-D"):
        max_pool2d(np.zeros(shape))


def keras_convolve(image, kernel):
    layer = keras.layers.Conv2D(1, kernel_size=kernel.shape, use_bias=False)
    layer.build((None, *image.shape, 1))
    layer.set_weights([kernel[:, :, np.newaxis, np.newaxis].astype(np.float32)])
    out = layer(image[np.newaxis, :, :, np.newaxis].astype(np.float32))
    return keras.ops.convert_to_numpy(out)[0, :, :, 0]


@pytest.mark.parametrize(
    "image_shape, kernel_shape",
    [
        ((6, 6), (3, 3)),
        ((28, 28), (2, 2)),
        ((7, 9), (3, 2)),
        ((5, 5), (5, 5)),
        ((4, 6), (1, 1)),
    ],
)
def test_numpy_convolution_equals_conv2d_with_the_same_weights(image_shape, kernel_shape):
    rng = np.random.default_rng(0)
    image, kernel = rng.random(image_shape), rng.normal(size=kernel_shape)
    np.testing.assert_allclose(
        convolve2d(image, kernel), keras_convolve(image, kernel), rtol=1e-5, atol=1e-5
    )


def test_convolution_is_not_flipped_like_keras():
    image = np.zeros((3, 3))
    image[0, 0] = 1
    kernel = np.arange(4.0).reshape(2, 2)
    assert convolve2d(image, kernel)[0, 0] == kernel[0, 0]


@pytest.mark.parametrize(
    "image, kernel, message",
    [
        (np.zeros((3, 3, 1)), np.ones((2, 2)), "must be 2-D"),
        (np.zeros((3, 3)), np.ones((4, 2)), "does not fit"),
    ],
)
def test_convolution_refuses_bad_shapes(image, kernel, message):
    with pytest.raises(ValueError, match=message):
        convolve2d(image, kernel)
