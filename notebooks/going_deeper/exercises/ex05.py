"""Notebook 05's exercises: max pooling by hand, pooling's output sizes, and what a
comparison of pooled and unpooled networks cannot hold equal."""

import numpy as np

from ..counting import conv2d_params, conv_output_size, dense_params
from ..pooling import max_pool2d
from .engine import ChangeExercise, Exercise, layers_of, output_shape, register

# The total of exercise 05.3: the pooled CNN (5 and 15 filters) with padding='same'.
SAME_POOLED_CNN_PARAMS = (
    conv2d_params(3, 3, 1, 5) + conv2d_params(3, 3, 5, 15) + dense_params(7 * 7 * 15, 10)
)

POOLING_IMAGE = np.array([[1, 7, 2, 0], [3, 4, 8, 1], [0, 2, 5, 6], [9, 1, 3, 4]])

EXERCISES = {
    "05.1": Exercise(
        question=(
            "2x2 max pooling, stride 2, of this 4x4 image: what 2x2 result?\n\n"
            f"```\n{POOLING_IMAGE}\n```"
        ),
        answer=max_pool2d(POOLING_IMAGE).tolist(),
        solution=(
            f"The largest value of each 2x2 block: {max_pool2d(POOLING_IMAGE).tolist()}."
        ),
        mistakes=[
            (
                [[3.75, 2.75], [3.0, 4.5]],
                "that is average pooling; max pooling keeps the largest value.",
            )
        ],
        hint=(
            "split the image into four 2x2 blocks that do not overlap; keep "
            "each block's largest number."
        ),
    ),
    "05.2": Exercise(
        question=(
            "MaxPool2D(pool_size=3, strides=2) on a 13x13 feature map: "
            "what side length comes out?"
        ),
        answer=conv_output_size(13, 3, 2),
        solution=f"(13 - 3) // 2 + 1 = {conv_output_size(13, 3, 2)}.",
        mistakes=[
            (
                conv_output_size(13, 3, 2, padding="same"),
                "that would be padding='same'; "
                "the default 'valid' drops windows that do not fit.",
            ),
            (5, "count the window positions: (13 - 3) // 2 + 1."),
        ],
        hint="the output-size formula with no padding: floor((n - pool) / stride) + 1.",
    ),
    "05.4": Exercise(
        question=(
            "At the defaults, pooling cost some validation accuracy. A classmate "
            "concludes that pooling throws away what the network needs. Which other "
            'explanation do these runs leave open: `"fewer parameters"`, '
            '`"fewer epochs"` or `"smaller batches"`? Answer with the words, in quotes.'
        ),
        answer="fewer parameters",
        solution=(
            "Fewer parameters: pooling shrinks the maps that reach `Flatten`, so the "
            "`Dense` layer after it has far fewer weights. The comparison measured "
            "pooling together with that smaller `Dense` layer, and either could cost "
            "the accuracy. Telling them apart takes a third network whose `Dense` layer "
            "reads as few values without pooling (a convolution with stride 2, say), "
            "which changes something else in turn: when a change brings another with it, "
            "a fair report names both."
        ),
        mistakes=[
            (
                "fewer epochs",
                "both networks trained for the same epochs on the same images: the "
                "comparison held that equal.",
            ),
            (
                "smaller batches",
                "both networks trained with the same batch size: the comparison held "
                "that equal.",
            ),
        ],
        hint="which of the three did the comparison not hold equal between the two "
        "networks?",
    ),
}


def _before_flatten(model):
    return model.layers[model.layers.index(layers_of(model, "Flatten")[0]) - 1]


CHANGE_EXERCISES = {
    "05.3": ChangeExercise(
        question=(
            "Give both Conv2D layers of the pooled CNN below padding='same'. "
            "Predict: the shape that reaches Flatten (height, width, channels) "
            "and the total parameters."
        ),
        change='add padding="same" to both Conv2D layers',
        changed=lambda m: all(
            layer.padding == "same" for layer in layers_of(m, "Conv2D")
        ),
        observe=lambda m: (output_shape(_before_flatten(m)), m.count_params()),
        answer=((7, 7, 15), SAME_POOLED_CNN_PARAMS),
        solution=(
            "28 -> 28 (conv) -> 14 (pool) -> 14 (conv) -> 7 (pool): (7, 7, 15), "
            "so Flatten gives 735 values and Dense has "
            f"735*10 + 10 = {dense_params(7 * 7 * 15, 10):,}. Total 50 + 690 + "
            f"{dense_params(7 * 7 * 15, 10):,} = "
            f"{SAME_POOLED_CNN_PARAMS:,}."
        ),
        edit=('activation="relu")', 'activation="relu", padding="same")'),
        mistakes=[
            (
                ((5, 5, 15), 4_500),
                "that is the network before the change; make the change first.",
            ),
            (
                ((7, 7, 15), 735 * 10 + 50 + 690),
                "you left out the Dense layer's 10 biases.",
            ),
        ],
        note=(
            "Write your prediction in place of `None`, then make the change where the "
            "comments say\n`# change this line`, and run the cell: the checker compares "
            "your prediction with what Keras\nbuilt."
        ),
        hint="'same' keeps each convolution's size; only the pooling layers halve it.",
    ),
}

register("05", EXERCISES, CHANGE_EXERCISES)
