"""Notebook 01's exercises: the shallow CNN's parameters and output shapes."""

from ..counting import conv2d_params, conv_output_size, dense_params
from .engine import ChangeExercise, Exercise, layers_of, output_shape, register

EXERCISES = {
    "01.1": Exercise(
        question=(
            "The shallow CNN with 16 filters instead of 10: how many parameters in total?"
        ),
        answer=conv2d_params(2, 2, 1, 16) + dense_params(27 * 27 * 16, 10),
        solution=(
            f"Conv2D: 2*2*1*16 + 16 = {conv2d_params(2, 2, 1, 16):,}. "
            "The maps are still 27x27, now 16 deep, "
            f"so Flatten gives 27*27*16 = {27 * 27 * 16:,} values and Dense has "
            f"{27 * 27 * 16:,}*10 + 10 = {dense_params(27 * 27 * 16, 10):,}. Total "
            f"{conv2d_params(2, 2, 1, 16) + dense_params(27 * 27 * 16, 10):,}."
        ),
        mistakes=[
            (
                2 * 2 * 16 + 27 * 27 * 16 * 10,
                "you left out the biases: one per filter and one per output unit.",
            ),
            (
                conv2d_params(2, 2, 1, 16) + dense_params(28 * 28 * 16, 10),
                "with 'valid' padding a 2x2 kernel gives 27x27 maps, not 28x28.",
            ),
            (
                dense_params(27 * 27 * 16, 10),
                "that is the Dense layer alone; add the Conv2D layer's parameters.",
            ),
        ],
        hint="count the Conv2D layer and the Dense layer separately, then add them.",
    ),
    "01.2": Exercise(
        question=(
            "Conv2D(10, kernel_size=4) on a 28x28x1 image, default padding: "
            "what output shape (height, width, channels)?"
        ),
        answer=(conv_output_size(28, 4), conv_output_size(28, 4), 10),
        solution=(
            f"'valid' padding: 28 - 4 + 1 = {conv_output_size(28, 4)} on each side, "
            "one channel per filter: "
            f"({conv_output_size(28, 4)}, {conv_output_size(28, 4)}, 10)."
        ),
        mistakes=[
            ((24, 24, 10), "a k x k kernel shrinks each side by k - 1, not by k."),
            ((28, 28, 10), "that would be padding='same'; the default is 'valid'."),
            ((25, 25, 1), "the output has one channel per filter."),
        ],
        hint=(
            "'valid' padding: the kernel fits at 28 - kernel + 1 positions per "
            "side; channels = filters."
        ),
    ),
}

CHANGE_EXERCISES = {
    "01.3": ChangeExercise(
        question=(
            "Change the kernel of the shallow CNN below from 2x2 to 3x3. "
            "Predict, before you run it: the output shape of the Conv2D layer "
            "(height, width, channels) and the model's total parameters."
        ),
        change="set kernel_size=3 in the Conv2D layer",
        changed=lambda m: layers_of(m, "Conv2D")[0].kernel_size == (3, 3),
        observe=lambda m: (output_shape(layers_of(m, "Conv2D")[0]), m.count_params()),
        answer=(
            (26, 26, 10),
            conv2d_params(3, 3, 1, 10) + dense_params(26 * 26 * 10, 10),
        ),
        solution=(
            "28 - 3 + 1 = 26, so (26, 26, 10); "
            f"Conv2D 3*3*1*10 + 10 = {conv2d_params(3, 3, 1, 10)}, "
            f"Dense 26*26*10*10 + 10 = {dense_params(26 * 26 * 10, 10):,}; total "
            f"{conv2d_params(3, 3, 1, 10) + dense_params(26 * 26 * 10, 10):,}. "
            "A bigger kernel has more weights but leaves smaller maps, "
            "so the whole model gets smaller."
        ),
        edit=("kernel_size=2", "kernel_size=3"),
        mistakes=[
            (
                (
                    (28, 28, 10),
                    conv2d_params(3, 3, 1, 10) + dense_params(28 * 28 * 10, 10),
                ),
                "the default padding is 'valid': a 3x3 kernel shrinks each side by 2.",
            ),
            (
                ((26, 26, 10), 3 * 3 * 10 + 26 * 26 * 10 * 10),
                "you left out the biases: one per filter and one per output unit.",
            ),
        ],
        hint=(
            "output side = 28 - kernel + 1; then Conv2D and Dense parameters separately."
        ),
    ),
}

register("01", EXERCISES, CHANGE_EXERCISES)
