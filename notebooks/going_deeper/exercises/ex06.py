"""Notebook 06's exercises: which split chooses, and what dropout does at a step."""

import math

from .engine import (
    MARKED_LINE_NOTE,
    ChangeExercise,
    Exercise,
    layers_of,
    output_shape,
    register,
)

# The pooled 16-32 network of notebook 06: 28 -> 26 -> 13 -> 11 -> 5, so Flatten hands
# 5 x 5 x 32 values to Dropout.
FLATTENED = 5 * 5 * 32

EXERCISES = {
    "06.1": Exercise(
        question=(
            "You want to choose the dropout rate, 0.25 or 0.5, by training the network "
            'once with each. On which images do you compare the two: `"training"`, '
            '`"validation"` or `"test"`? Answer with the word, in quotes.'
        ),
        answer="validation",
        solution=(
            "On the validation images: the models never trained on them, and they are "
            "not the test images, which are scored once, after every choice is made. "
            "Choosing on the test images would make the test score an optimistic "
            "estimate of how the model does on new images. With one run each, the "
            "comparison is a lead; five runs each and `compare_runs` make it a verdict."
        ),
        mistakes=[
            (
                "test",
                "the test images are scored once, after every choice is made; a choice "
                "made on them makes their score an optimistic estimate of new images.",
            ),
            (
                "training",
                "dropout lowers training accuracy on purpose; what matters is how the "
                "model does on images it did not train on.",
            ),
        ],
        hint="which images does every comparison of this notebook use?",
    ),
}


def _zeroed(model):
    """How many of Flatten's values the Dropout layer zeroes at a step, on average."""
    dropout = layers_of(model, "Dropout")[0]
    return round(dropout.rate * math.prod(output_shape(layers_of(model, "Flatten")[0])))


CHANGE_EXERCISES = {
    "06.2": ChangeExercise(
        question=(
            "Change the pooled 16-32 network's `Dropout(0.5)` below to `Dropout(0.25)`. "
            "Predict: for one image at a training step, how many of the values `Flatten` "
            "hands to it does it set to zero, on average?"
        ),
        change="set the Dropout layer's rate to 0.25",
        changed=lambda m: layers_of(m, "Dropout")[0].rate == 0.25,
        observe=_zeroed,
        answer=FLATTENED // 4,
        solution=(
            f"{FLATTENED // 4}, on average. `Flatten` hands on 5 × 5 × 32 = {FLATTENED} "
            "values (28 -> 26 -> 13 -> 11 -> 5 pixels, 32 channels), and each is dropped "
            f"with probability 0.25: 0.25 × {FLATTENED} = {FLATTENED // 4}, a number "
            "that varies a little from step to step. The other "
            f"{FLATTENED - FLATTENED // 4} are multiplied by 1 / (1 - 0.25), about "
            "1.33, so that their sum keeps its size on average. At prediction time "
            "nothing is dropped, and the parameters do not change: dropout has none."
        ),
        edit=("Dropout(0.5)", "Dropout(0.25)"),
        mistakes=[
            (FLATTENED // 2, "that is what `Dropout(0.5)` drops; the rate is 0.25 now."),
            (
                FLATTENED - FLATTENED // 4,
                "that is how many it keeps; the rate is the share it sets to zero.",
            ),
            (
                0,
                "that is at prediction time; during training it drops a share `rate` "
                "of its inputs at every step.",
            ),
            (
                round(0.25 * 13 * 13 * 32),
                "the second convolution and its pooling come before `Flatten`: 13x13 "
                "becomes 11x11, then 5x5.",
            ),
        ],
        hint="how many values reach `Flatten`, and what share of them does 0.25 drop?",
        note=MARKED_LINE_NOTE,
    ),
}

register("06", EXERCISES, CHANGE_EXERCISES)
