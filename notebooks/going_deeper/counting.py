"""Parameter and shape arithmetic, spelled out, to check against what Keras reports."""

import math


def dense_params(n_in, n_out):
    """A Dense layer: one weight per input-output pair, plus one bias per output."""
    return n_in * n_out + n_out


def conv2d_params(k_h, k_w, c_in, c_out):
    """A Conv2D layer: one k_h x k_w x c_in kernel per filter, plus one bias per
    filter.
    """
    return k_h * k_w * c_in * c_out + c_out


def conv_output_size(size, kernel, stride=1, padding="valid"):
    """Output length along one axis of a convolution or pooling window."""
    if padding == "valid":
        return (size - kernel) // stride + 1
    if padding == "same":
        return math.ceil(size / stride)
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")


PARAMETER_FREE_LAYERS = {
    "Flatten",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "Dropout",
    "Activation",
    "ReLU",
    "Rescaling",
    "InputLayer",
}


def layer_param_formula(layer):
    """One layer's parameters from its shapes: ``(arithmetic as text, count)``.

    Handles the layers of this course (Conv2D, Dense, BatchNormalization and the
    parameter-free ones); anything else raises rather than guessing.
    """
    kind = type(layer).__name__
    if kind == "Conv2D":
        (k_h, k_w), c_in, c_out = layer.kernel_size, layer.input.shape[-1], layer.filters
        if layer.use_bias:
            return f"{k_h}*{k_w}*{c_in}*{c_out} + {c_out}", conv2d_params(
                k_h, k_w, c_in, c_out
            )
        return f"{k_h}*{k_w}*{c_in}*{c_out}", k_h * k_w * c_in * c_out
    if kind == "Dense":
        n_in, n_out = layer.input.shape[-1], layer.units
        if layer.use_bias:
            return f"{n_in}*{n_out} + {n_out}", dense_params(n_in, n_out)
        return f"{n_in}*{n_out}", n_in * n_out
    if kind == "BatchNormalization":
        channels = layer.input.shape[-1]  # gamma, beta, moving mean, moving variance
        return f"4*{channels}", 4 * channels
    if kind in PARAMETER_FREE_LAYERS:
        return "0", 0
    raise NotImplementedError(f"no parameter formula for a {kind} layer.")


def layer_param_count(layer):
    """One layer's parameter count from its shapes and the formulas above."""
    return layer_param_formula(layer)[1]


def layer_multiply_adds(layer):
    """Multiply-adds one image costs in a layer: the compute that depth adds.

    Conv2D: every output value is one k_h x k_w x c_in dot product. Dense: one n_in dot
    product per unit. Other layers do no multiply-adds worth counting.
    """
    kind = type(layer).__name__
    if kind == "Conv2D":
        _, out_h, out_w, c_out = layer.output.shape
        k_h, k_w = layer.kernel_size
        return out_h * out_w * c_out * k_h * k_w * layer.input.shape[-1]
    if kind == "Dense":
        return layer.input.shape[-1] * layer.units
    return 0


def model_multiply_adds(model):
    return sum(layer_multiply_adds(layer) for layer in model.layers)


def parameter_table(model):
    """One row per layer: (name, type, output shape, arithmetic, our count, Keras'
    count).
    """
    return [
        (
            layer.name,
            type(layer).__name__,
            tuple(layer.output.shape),
            *layer_param_formula(layer),
            layer.count_params(),
        )
        for layer in model.layers
    ]


def _checked_table(model):
    """The parameter table and its total, after checking every count against Keras."""
    rows = parameter_table(model)
    for name, kind, _, _, ours, keras_count in rows:
        if ours != keras_count:
            raise AssertionError(
                f"layer {name} ({kind}): formula gives {ours:,}, "
                f"Keras has {keras_count:,}"
            )
    total = sum(row[4] for row in rows)
    if total != model.count_params():
        raise AssertionError(
            f"total {total:,} != model.count_params() {model.count_params():,}"
        )
    return rows, total


def count_model_params(model):
    """Total parameters of a built Sequential model, layer by layer from shapes.

    Raises AssertionError if any layer disagrees with Keras, so a notebook that calls
    this has checked its arithmetic against the library.
    """
    return _checked_table(model)[1]


def print_parameter_table(model):
    """Print each layer's arithmetic and count next to Keras' own, then the checked
    total.
    """
    rows, total = _checked_table(model)
    cells = [
        (f"{name} ({kind})", str(shape), formula, f"{ours:,}", f"{theirs:,}")
        for name, kind, shape, formula, ours, theirs in rows
    ]
    cells.append(("total", "", "", f"{total:,}", f"{model.count_params():,}"))
    header = ("layer", "output shape", "arithmetic", "ours", "Keras")
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(5)]
    for row in [header, *cells]:
        print(
            "  ".join(
                cell.ljust(w) if i < 3 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
