"""Exercises with checkers: predict a count or a shape, and be told whether and why not.

Two kinds. *Predict*: write a count or a shape, and the checker says whether it is right::

    answer = None   # your prediction
    check("01.1", answer)

*Predict, then change the code and observe*: write a prediction, change the model in the
cell as the exercise asks, run it, and the checker compares the prediction with what Keras
built::

    prediction = None   # your prediction
    check_change("01.3", prediction, model)

Every expected answer is computed with the course's own formulas, so the checker, the
solution text and the notebooks cannot disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .counting import conv2d_params, conv_output_size, dense_params
from .pooling import max_pool2d


@dataclass
class Exercise:
    question: str
    answer: object
    solution: str
    mistakes: list = field(default_factory=list)  # (wrong answer, why it is wrong)
    hint: str = ""


@dataclass
class ChangeExercise:
    """Predict what a change to a model does, make the change, and compare with Keras."""

    question: str
    change: str  # the change to make, as an instruction
    changed: Callable  # model -> True once the change has been made
    observe: Callable  # model -> what Keras built, in the answer's form
    answer: object  # what the change gives, from the course's formulas
    solution: str
    mistakes: list = field(default_factory=list)
    hint: str = ""


def _layers(model, kind):
    return [layer for layer in model.layers if type(layer).__name__ == kind]


def _shape(layer):
    return tuple(layer.output.shape[1:])


def _receptive_field(model):
    return 1 + sum(layer.kernel_size[0] - 1 for layer in _layers(model, "Conv2D"))


FINAL_MODEL_PARAMS = (
    conv2d_params(3, 3, 1, 16)
    - 16
    + 4 * 16
    + conv2d_params(3, 3, 16, 32)
    - 32
    + 4 * 32
    + conv2d_params(3, 3, 32, 64)
    - 64
    + 4 * 64
    + dense_params(3 * 3 * 64, 10)
)
# The same model on 32x32 colour images (CIFAR-10): 3 input channels, and 4x4x64 maps
# before Flatten.
# The first convolution's extra weights for two more channels (its bias cancels out).
COLOUR_FIRST_CONV_EXTRA = conv2d_params(3, 3, 3, 16) - conv2d_params(3, 3, 1, 16)
COLOUR_FINAL_MODEL_PARAMS = (
    FINAL_MODEL_PARAMS
    + COLOUR_FIRST_CONV_EXTRA
    + dense_params(4 * 4 * 64, 10)
    - dense_params(3 * 3 * 64, 10)
)

# The totals of exercises 03.3 and 04.3: the CNN with two 'valid' 3x3 layers (10 filters
# each), and the pooled CNN (5 and 15 filters) with padding='same'.
VALID_CNN_PARAMS = (
    conv2d_params(3, 3, 1, 10)
    + conv2d_params(3, 3, 10, 10)
    + dense_params(24 * 24 * 10, 10)
)
SAME_POOLED_CNN_PARAMS = (
    conv2d_params(3, 3, 1, 5) + conv2d_params(3, 3, 5, 15) + dense_params(7 * 7 * 15, 10)
)

POOLING_IMAGE = np.array([[1, 7, 2, 0], [3, 4, 8, 1], [0, 2, 5, 6], [9, 1, 3, 4]])

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
    ),
    "02.1": Exercise(
        question=(
            "Conv2D(8, kernel_size=3, padding='same') followed by "
            "Conv2D(8, kernel_size=3) on a 28x28x1 image: "
            "what output shape after the second layer?"
        ),
        answer=(26, 26, 8),
        solution=(
            "The first layer keeps 28x28 ('same'); "
            "the second ('valid') gives 28 - 3 + 1 = 26: (26, 26, 8)."
        ),
        mistakes=[
            ((24, 24, 8), "the first layer uses padding='same', so it keeps 28x28."),
            ((28, 28, 8), "the second layer has the default 'valid' padding."),
        ],
    ),
    "02.2": Exercise(
        question=(
            "Three stacked 3x3 convolutions (stride 1): "
            "how many pixels wide is the patch one unit of the third layer sees?"
        ),
        answer=1 + 3 * (3 - 1),
        solution=(
            "Each layer adds kernel size - 1 = 2 pixels: "
            f"1 + 2 + 2 + 2 = {1 + 3 * (3 - 1)}."
        ),
        mistakes=[
            (
                9,
                "the fields overlap: each layer adds kernel size - 1, "
                "it does not multiply.",
            ),
            (
                27,
                "the fields overlap: each layer adds kernel size - 1, "
                "it does not multiply.",
            ),
        ],
    ),
    "03.1": Exercise(
        question=(
            "A Dense(64) layer reading a flattened 7x7x32 feature map: "
            "how many parameters?"
        ),
        answer=dense_params(7 * 7 * 32, 64),
        solution=(
            f"7*7*32 = {7 * 7 * 32:,} inputs; "
            f"{7 * 7 * 32:,}*64 + 64 = {dense_params(7 * 7 * 32, 64):,}."
        ),
        mistakes=[(7 * 7 * 32 * 64, "you left out the 64 biases, one per unit.")],
        hint="flatten first: how many numbers does the Dense layer read?",
    ),
    "03.2": Exercise(
        question=(
            "Conv2D(32, kernel_size=5) on a colour image (3 channels): "
            "how many parameters? Does the image size matter?"
        ),
        answer=conv2d_params(5, 5, 3, 32),
        solution=(
            f"5*5*3*32 + 32 = {conv2d_params(5, 5, 3, 32):,}, whatever the image size."
        ),
        mistakes=[
            (
                conv2d_params(5, 5, 1, 32),
                "a colour image has 3 input channels; each filter spans all of them.",
            ),
            (5 * 5 * 3 * 32, "you left out the 32 biases, one per filter."),
        ],
    ),
    "04.1": Exercise(
        question=(
            f"2x2 max pooling, stride 2, of this 4x4 image: what 2x2 result?\n"
            f"{POOLING_IMAGE}"
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
    ),
    "04.2": Exercise(
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
    ),
    "05.1": Exercise(
        question=(
            "BatchNormalization after a Conv2D with 48 filters: how many parameters?"
        ),
        answer=4 * 48,
        solution=(
            "4 per channel (scale, shift, running mean, running variance): "
            f"4*48 = {4 * 48}."
        ),
        mistakes=[
            (
                2 * 48,
                "only the scale and shift are trained, but Keras also counts the "
                "running mean and variance it keeps: 4 per channel.",
            )
        ],
    ),
    "05.2": Exercise(
        question=(
            "In the final model, the last block gets 128 filters instead of 64: "
            "how many parameters does the output Dense layer have now?"
        ),
        answer=dense_params(3 * 3 * 128, 10),
        solution=(
            f"Flatten gives 3*3*128 = {3 * 3 * 128:,} values; {3 * 3 * 128:,}*10 + 10 = "
            f"{dense_params(3 * 3 * 128, 10):,}."
        ),
        mistakes=[
            (
                dense_params(3 * 3 * 64, 10),
                "that is the Dense layer of the unchanged model; the filters of "
                "the last block set the depth of what Flatten hands on.",
            ),
            (
                dense_params(7 * 7 * 128, 10),
                "the last block ends with pooling: 7x7 becomes 3x3.",
            ),
        ],
    ),
    "06.1": Exercise(
        question=(
            "A Dense layer with 10 outputs reads a CIFAR-10 image (32x32 pixels, 3 "
            "colour channels) flattened: how many parameters?"
        ),
        answer=dense_params(32 * 32 * 3, 10),
        solution=(
            f"Flatten gives 32*32*3 = {32 * 32 * 3:,} values, one per pixel and channel; "
            f"{32 * 32 * 3:,}*10 + 10 = {dense_params(32 * 32 * 3, 10):,}."
        ),
        mistakes=[
            (
                dense_params(32 * 32, 10),
                "a colour pixel is 3 values (red, green, blue): Flatten hands on "
                "32*32*3 of them.",
            ),
            (32 * 32 * 3 * 10, "you left out the Dense layer's 10 biases."),
        ],
    ),
    "06.2": Exercise(
        question=(
            "The final model trained on Fashion-MNIST (28x28 grey images, 10 classes) "
            "instead of MNIST: how many parameters does its output Dense layer have?"
        ),
        answer=dense_params(3 * 3 * 64, 10),
        solution=(
            f"The same as on MNIST, 576*10 + 10 = {dense_params(3 * 3 * 64, 10):,}: the "
            "images have the same shape and there are 10 classes again. Parameters "
            "depend on the shapes, not on what the images show."
        ),
        mistakes=[
            (
                3 * 3 * 64 * 10,
                "you left out the Dense layer's 10 biases.",
            ),
        ],
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
        changed=lambda m: _layers(m, "Conv2D")[0].kernel_size == (3, 3),
        observe=lambda m: (_shape(_layers(m, "Conv2D")[0]), m.count_params()),
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
    "02.3": ChangeExercise(
        question=(
            "Give the second Conv2D layer of the deep CNN below a 3x3 kernel. "
            "Predict: how many pixels wide is the patch one unit of that layer sees, "
            "and what is its output shape?"
        ),
        change="set kernel_size=3 in the second Conv2D layer",
        changed=lambda m: _layers(m, "Conv2D")[1].kernel_size == (3, 3),
        observe=lambda m: (_receptive_field(m), _shape(_layers(m, "Conv2D")[1])),
        answer=(1 + (2 - 1) + (3 - 1), (26, 26, 10)),
        solution=(
            "The receptive field grows by kernel size - 1 per layer: "
            "1 + 1 + 2 = 4 pixels. The first layer keeps 28x28 ('same'); "
            "the second ('valid') gives 28 - 3 + 1 = 26: (26, 26, 10)."
        ),
        mistakes=[
            (
                (3, (27, 27, 10)),
                "that is the network before the change; make the change first.",
            ),
            (
                (5, (26, 26, 10)),
                "the fields overlap: each layer adds kernel size - 1, so 1 + 1 + 2.",
            ),
            ((4, (28, 28, 10)), "the second layer has the default 'valid' padding."),
        ],
    ),
    "03.3": ChangeExercise(
        question=(
            "In the 10/10-filter CNN below, change both Conv2D layers "
            "from padding='same' to 'valid'. Predict its total parameters."
        ),
        change='set padding="valid" in both Conv2D layers',
        changed=lambda m: all(layer.padding == "valid" for layer in _layers(m, "Conv2D")),
        observe=lambda m: m.count_params(),
        answer=VALID_CNN_PARAMS,
        solution=(
            f"The convolutions keep their {conv2d_params(3, 3, 1, 10)} "
            f"and {conv2d_params(3, 3, 10, 10)} parameters "
            "(they do not depend on the image size); "
            "the maps shrink 28 -> 26 -> 24, so Dense "
            f"has 24*24*10*10 + 10 = {dense_params(24 * 24 * 10, 10):,}. Total "
            f"{VALID_CNN_PARAMS:,}."
        ),
        mistakes=[
            (
                conv2d_params(3, 3, 1, 10)
                + conv2d_params(3, 3, 10, 10)
                + dense_params(26 * 26 * 10, 10),
                "both layers shrink the maps: 28 -> 26 -> 24, not just the first.",
            ),
            (
                conv2d_params(3, 3, 1, 10)
                + conv2d_params(3, 3, 10, 10)
                + dense_params(28 * 28 * 10, 10),
                "that is the 'same' network; "
                "'valid' shrinks each side by 2 per 3x3 layer.",
            ),
        ],
    ),
    "04.3": ChangeExercise(
        question=(
            "Give both Conv2D layers of the pooled CNN below padding='same'. "
            "Predict: the shape that reaches Flatten (height, width, channels) "
            "and the total parameters."
        ),
        change='add padding="same" to both Conv2D layers',
        changed=lambda m: all(layer.padding == "same" for layer in _layers(m, "Conv2D")),
        observe=lambda m: (
            _shape(m.layers[m.layers.index(_layers(m, "Flatten")[0]) - 1]),
            m.count_params(),
        ),
        answer=((7, 7, 15), SAME_POOLED_CNN_PARAMS),
        solution=(
            "28 -> 28 (conv) -> 14 (pool) -> 14 (conv) -> 7 (pool): (7, 7, 15), "
            "so Flatten gives 735 values and Dense has "
            f"735*10 + 10 = {dense_params(7 * 7 * 15, 10):,}. Total 50 + 690 + "
            f"{dense_params(7 * 7 * 15, 10):,} = "
            f"{SAME_POOLED_CNN_PARAMS:,}."
        ),
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
    ),
    "05.3": ChangeExercise(
        question=(
            "Change the final model's Dropout(0.25) to Dropout(0.5) below. "
            "Predict its total parameters."
        ),
        change="set the Dropout rate to 0.5",
        changed=lambda m: [layer.rate for layer in _layers(m, "Dropout")] == [0.5],
        observe=lambda m: m.count_params(),
        answer=FINAL_MODEL_PARAMS,
        solution=(
            f"Still {FINAL_MODEL_PARAMS:,}: dropout switches a random half of its inputs "
            "off at each training step and does nothing at prediction time. "
            "It has no parameters and removes none."
        ),
        mistakes=[
            (
                FINAL_MODEL_PARAMS // 2,
                "dropout switches units off during training only; it has no "
                "parameters and removes none.",
            )
        ],
    ),
    "06.3": ChangeExercise(
        question=(
            "Give the final model CIFAR-10's colour images: change its input to "
            "`keras.Input(shape=(32, 32, 3))` below. Predict its total parameters."
        ),
        change="set the input shape to (32, 32, 3)",
        changed=lambda m: tuple(m.inputs[0].shape[1:]) == (32, 32, 3),
        observe=lambda m: m.count_params(),
        answer=COLOUR_FINAL_MODEL_PARAMS,
        solution=(
            "Two layers change. The first convolution gets 3 input channels: "
            f"3*3*3*16 = {3 * 3 * 3 * 16} weights instead of {3 * 3 * 1 * 16}. And 32x32 "
            "halves three times to 4x4 (not 3x3), so Flatten hands on 4*4*64 = 1,024 "
            f"values and Dense has 1,024*10 + 10 = {dense_params(4 * 4 * 64, 10):,}. "
            f"Total {COLOUR_FINAL_MODEL_PARAMS:,}."
        ),
        mistakes=[
            (
                FINAL_MODEL_PARAMS + COLOUR_FIRST_CONV_EXTRA,
                "you counted the three channels in the first convolution, but the "
                "image is larger too: 32x32 pools down to 4x4, so Dense gets "
                "4*4*64 inputs.",
            ),
            (
                FINAL_MODEL_PARAMS,
                "that is the model before the change; make the change first.",
            ),
        ],
    ),
}


def _normalise(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _same(a, b):
    a, b = _normalise(a), _normalise(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-9
    return False


def feedback(exercise_id, answer):
    """``(right, message)`` for an answer to one exercise."""
    exercise = EXERCISES[exercise_id]
    if answer is None:
        return (
            False,
            f"Exercise {exercise_id}: write your answer in place of None, "
            "then run the cell again.",
        )
    if _same(answer, exercise.answer):
        return True, f"Right! {exercise.solution}"
    for wrong, why in exercise.mistakes:
        if _same(answer, wrong):
            return False, f"Not quite: {why}"
    expected_kind = type(_normalise(exercise.answer))
    if not isinstance(_normalise(answer), expected_kind) and not (
        expected_kind in (int, float) and isinstance(_normalise(answer), (int, float))
    ):
        shape = "a list or tuple" if expected_kind is list else "a number"
        return False, f"Not quite: the answer should be {shape}, you gave {answer!r}."
    return False, "Not quite." + (
        f" Hint: {exercise.hint}" if exercise.hint else " Check each step again."
    )


def check(exercise_id, answer):
    """Print whether ``answer`` is right and, if not, why. Returns nothing."""
    print(feedback(exercise_id, answer)[1])


def change_feedback(exercise_id, prediction, model):
    """``(right, message)`` for a "predict, then change the code" exercise."""
    exercise = CHANGE_EXERCISES[exercise_id]
    if prediction is None:
        return False, (
            f"Exercise {exercise_id}: write your prediction in place of None, then "
            f"{exercise.change} and run the cell again."
        )
    if not exercise.changed(model):
        return (
            False,
            f"Your prediction is {prediction!r}. "
            f"Now {exercise.change}, and run the cell again.",
        )
    built = exercise.observe(model)
    if not _same(built, exercise.answer):
        # the course's formulas disagree with Keras: a bug
        raise AssertionError(
            f"Exercise {exercise_id}: Keras built {built!r}, the course expected "
            f"{exercise.answer!r}."
        )
    if _same(prediction, built):
        return True, f"Right! Keras built {built!r}. {exercise.solution}"
    for wrong, why in exercise.mistakes:
        if _same(prediction, wrong):
            return False, f"Not quite: Keras built {built!r}; {why}"
    return False, (
        f"Not quite: you predicted {prediction!r}, Keras built {built!r}."
        + (f" Hint: {exercise.hint}" if exercise.hint else " Check each step again.")
    )


def check_change(exercise_id, prediction, model):
    """Print how ``prediction`` compares with what Keras built for the changed
    ``model``.
    """
    print(change_feedback(exercise_id, prediction, model)[1])


def solution(exercise_id):
    """The worked solution (shown in the notebooks inside a collapsed block)."""
    return {**EXERCISES, **CHANGE_EXERCISES}[exercise_id].solution
