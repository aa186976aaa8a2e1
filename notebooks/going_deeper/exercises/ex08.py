"""Notebook 08's exercises: colour images, another data set of the same shape, and how
the measure decides whether an effect grew."""

from ..counting import conv2d_params, dense_params
from .engine import MARKED_LINE_NOTE, ChangeExercise, Exercise, register
from .ex07 import FINAL_MODEL_PARAMS

# The final model on 32x32 colour images (CIFAR-10): 3 input channels, and
# 32 -> 28 -> 14 -> 12 -> 6, so 6x6x32 values reach Flatten instead of 5x5x32.
# The first convolution's extra weights for two more channels (its bias cancels out).
COLOUR_FIRST_CONV_EXTRA = conv2d_params(5, 5, 3, 16) - conv2d_params(5, 5, 1, 16)
COLOUR_FINAL_MODEL_PARAMS = (
    FINAL_MODEL_PARAMS
    + COLOUR_FIRST_CONV_EXTRA
    + dense_params(6 * 6 * 32, 128)
    - dense_params(5 * 5 * 32, 128)
)

EXERCISES = {
    "08.1": Exercise(
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
        hint=(
            "flatten first: 32 x 32 x 3 values, each with a weight per output, "
            "plus one bias per output."
        ),
    ),
    "08.2": Exercise(
        question=(
            "The final model trained on EMNIST Balanced (28x28 grey images, 47 classes "
            "of letters and digits): how many parameters does its output Dense layer "
            "have?"
        ),
        answer=dense_params(128, 47),
        solution=(
            f"128 × 47 + 47 = {dense_params(128, 47):,}. The images have MNIST's shape, "
            "so every layer before the output keeps its size; only the output layer "
            "grows with the classes. Parameters depend on the shapes, not on what the "
            "images show."
        ),
        mistakes=[
            (128 * 47, "you left out the Dense layer's 47 biases."),
            (dense_params(128, 10), "that is the output layer for MNIST's 10 classes."),
        ],
        hint="the output layer reads the 128 units of the Dense layer before it and has "
        "one unit per class.",
    ),
    "08.4": Exercise(
        question=(
            "A change cuts validation errors from 4% to 3% on MNIST, and from 20% to 18% "
            "on Fashion-MNIST. Measured as the share of its errors that it removes, on "
            'which data set is its effect larger: `"MNIST"` or `"Fashion-MNIST"`? '
            "Answer with the name, in quotes."
        ),
        answer="MNIST",
        solution=(
            "MNIST: it removes 1 of 4 errors there (3 / 4 = 0.75 of them remain), 2 of "
            "20 on Fashion-MNIST (0.90 remain). In accuracy points the answer flips: 1 "
            'point against 2. Whether an effect "grew" depends on the measure, so a '
            "claim names its measure before the runs: this notebook's claim names "
            "accuracy points."
        ),
        mistakes=[
            (
                "Fashion-MNIST",
                "in accuracy points it is larger there (2 against 1), but it removes a "
                "tenth of Fashion-MNIST's errors against a quarter of MNIST's.",
            ),
        ],
        hint="divide the errors after by the errors before, on each data set.",
    ),
}

CHANGE_EXERCISES = {
    "08.3": ChangeExercise(
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
            f"5 × 5 × 3 × 16 = {5 * 5 * 3 * 16:,} weights instead of {5 * 5 * 1 * 16}. "
            "And 32x32 goes to 28x28, 14x14, 12x12 and 6x6 (not 5x5), so Flatten hands "
            f"on 6 × 6 × 32 = 1,152 values and the first Dense layer has 1,152 × 128 + "
            f"128 = {dense_params(6 * 6 * 32, 128):,}. "
            f"Total {COLOUR_FINAL_MODEL_PARAMS:,}."
        ),
        edit=("shape=(28, 28, 1)", "shape=(32, 32, 3)"),
        mistakes=[
            (
                FINAL_MODEL_PARAMS + COLOUR_FIRST_CONV_EXTRA,
                "you counted the three channels in the first convolution, but the "
                "image is larger too: 32x32 ends as 6x6, so the first Dense layer gets "
                "6 × 6 × 32 inputs.",
            ),
            (
                FINAL_MODEL_PARAMS,
                "that is what the model had on 28x28 grey images; both the channels "
                "and the image size change the count.",
            ),
        ],
        hint="the first convolution's weights grow with the channels; then follow "
        "the image size to Flatten.",
        note=MARKED_LINE_NOTE,
    ),
}

register("08", EXERCISES, CHANGE_EXERCISES)
