"""Convolution and max pooling written with NumPy, to compare with Conv2D and
MaxPool2D.
"""

import numpy as np

from .counting import conv_output_size


def max_pool2d(image, window=2, stride=None):
    """Max-pool a (height, width) or (height, width, channels) array.

    Like ``MaxPool2D(pool_size=window, strides=stride, padding="valid")``: each output
    cell is the largest value of one window; windows start every ``stride`` pixels
    (``stride`` defaults to ``window``) and rows or columns left over are dropped.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(
            f"image must be 2-D (height, width) or 3-D (height, width, channels), "
            f"got shape {image.shape}."
        )
    win_h, win_w = (window, window) if np.isscalar(window) else window
    stride = window if stride is None else stride
    step_h, step_w = (stride, stride) if np.isscalar(stride) else stride
    for name, value in (
        ("window", win_h),
        ("window", win_w),
        ("stride", step_h),
        ("stride", step_w),
    ):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    height, width = image.shape[:2]
    if win_h > height or win_w > width:
        raise ValueError(
            f"a {win_h}x{win_w} window does not fit in a {height}x{width} image: "
            f"use a window no larger than the image."
        )
    out_h = conv_output_size(height, win_h, step_h)
    out_w = conv_output_size(width, win_w, step_w)
    result = np.empty((out_h, out_w) + image.shape[2:], dtype=image.dtype)
    for row in range(out_h):
        for col in range(out_w):
            top, left = row * step_h, col * step_w
            patch = image[top : top + win_h, left : left + win_w]
            result[row, col] = patch.max(axis=(0, 1))
    return result


def convolve2d(image, kernel):
    """Slide a (k_h, k_w) kernel over a (height, width) image: ``Conv2D`` with one
    filter.

    Like Keras, this is cross-correlation (the kernel is not flipped), with 'valid'
    padding and stride 1, no bias and no activation. Worked through in 02_going_deeper.
    """
    image, kernel = (
        np.asarray(image, dtype=np.float64),
        np.asarray(kernel, dtype=np.float64),
    )
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"image and kernel must be 2-D, got shapes {image.shape} and {kernel.shape}."
        )
    k_h, k_w = kernel.shape
    if k_h > image.shape[0] or k_w > image.shape[1]:
        raise ValueError(
            f"a {k_h}x{k_w} kernel does not fit in a "
            f"{image.shape[0]}x{image.shape[1]} image."
        )
    out_h, out_w = (
        conv_output_size(image.shape[0], k_h),
        conv_output_size(image.shape[1], k_w),
    )
    result = np.empty((out_h, out_w))
    for row in range(out_h):
        for col in range(out_w):
            result[row, col] = np.sum(image[row : row + k_h, col : col + k_w] * kernel)
    return result
