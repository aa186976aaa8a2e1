"""Notebook 05's exercises: batch normalisation, the final model and dropout."""

from ..counting import conv2d_params, dense_params
from .engine import ChangeExercise, Exercise, layers_of, register

# The final model: three blocks of a bias-free 3x3 convolution and batch normalisation
# (4 numbers per channel), then Dense on 3x3x64 maps.
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

# The change exercise's note, shared with notebook 06's.
MARKED_LINE_NOTE = (
    "Write your prediction in place of `None`, then make the change on the line marked\n"
    "`# change this line`, and run the cell: the checker compares your prediction with "
    "what Keras\nbuilt."
)

EXERCISES = {
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
}

CHANGE_EXERCISES = {
    "05.3": ChangeExercise(
        question=(
            "Change the final model's Dropout(0.25) to Dropout(0.5) below. "
            "Predict its total parameters."
        ),
        change="set the Dropout rate to 0.5",
        changed=lambda m: [layer.rate for layer in layers_of(m, "Dropout")] == [0.5],
        observe=lambda m: m.count_params(),
        answer=FINAL_MODEL_PARAMS,
        solution=(
            f"Still {FINAL_MODEL_PARAMS:,}: dropout switches a random half of its inputs "
            "off at each training step and does nothing at prediction time. "
            "It has no parameters and removes none."
        ),
        edit=("Dropout(0.25)", "Dropout(0.5)"),
        mistakes=[
            (
                FINAL_MODEL_PARAMS // 2,
                "dropout switches units off during training only; it has no "
                "parameters and removes none.",
            )
        ],
        note=MARKED_LINE_NOTE,
    ),
}

register("05", EXERCISES, CHANGE_EXERCISES)
