"""Notebook 06's exercises: which split chooses, and the final model's parameters."""

from ..counting import conv2d_params, dense_params
from .engine import ChangeExercise, Exercise, layers_of, register

# The final model: a 5x5 convolution of 16, pooling, a 3x3 convolution of 32, pooling
# (28 -> 24 -> 12 -> 10 -> 5), then Dense 128 and Dense 10 on 5x5x32 values.
FINAL_MODEL_PARAMS = (
    conv2d_params(5, 5, 1, 16)
    + conv2d_params(3, 3, 16, 32)
    + dense_params(5 * 5 * 32, 128)
    + dense_params(128, 10)
)
# ... with a 3x3 first convolution: 28 -> 26 -> 13 -> 11 -> 5, the same 5x5x32 values.
FINAL_MODEL_3X3_PARAMS = (
    FINAL_MODEL_PARAMS - conv2d_params(5, 5, 1, 16) + conv2d_params(3, 3, 1, 16)
)

# The change exercise's note, shared with notebook 07's.
MARKED_LINE_NOTE = (
    "Write your prediction in place of `None`, then make the change on the line marked\n"
    "`# change this line`, and run the cell: the checker compares your prediction with "
    "what Keras\nbuilt."
)

EXERCISES = {
    "06.1": Exercise(
        question=(
            "You want to choose the final model's dropout rate, 0.25 or 0.5, by training "
            'it once with each. On which images do you compare the two: `"training"`, '
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
    "06.2": Exercise(
        question=(
            "In the final model, the second convolution gets 64 filters instead of 32: "
            "how many parameters does the first Dense layer (128 units) have now?"
        ),
        answer=dense_params(5 * 5 * 64, 128),
        solution=(
            f"Flatten gives 5 × 5 × 64 = {5 * 5 * 64:,} values; {5 * 5 * 64:,} × 128 + "
            f"128 = {dense_params(5 * 5 * 64, 128):,}."
        ),
        mistakes=[
            (
                dense_params(5 * 5 * 32, 128),
                "that is the Dense layer of the unchanged model; the filters of the "
                "second convolution set the depth of what Flatten hands on.",
            ),
            (
                dense_params(10 * 10 * 64, 128),
                "the second convolution is followed by pooling: 10x10 becomes 5x5.",
            ),
            (
                5 * 5 * 64 * 128,
                "you left out the Dense layer's 128 biases.",
            ),
        ],
        hint="what shape reaches Flatten, and how many values is that?",
    ),
}

CHANGE_EXERCISES = {
    "06.3": ChangeExercise(
        question=(
            "Change the final model's first convolution from a 5x5 to a 3x3 kernel "
            "below. Predict its total parameters."
        ),
        change="set the first Conv2D's kernel_size to 3",
        changed=lambda m: layers_of(m, "Conv2D")[0].kernel_size == (3, 3),
        observe=lambda m: m.count_params(),
        answer=FINAL_MODEL_3X3_PARAMS,
        solution=(
            f"{FINAL_MODEL_3X3_PARAMS:,}. The first convolution has "
            f"3 × 3 × 1 × 16 + 16 = {conv2d_params(3, 3, 1, 16)} parameters instead of "
            f"{conv2d_params(5, 5, 1, 16)}. Its maps are 26x26, pooled to 13x13; the "
            "second convolution makes 11x11, pooled to 5x5 (pooling rounds down), so "
            "the same 5 × 5 × 32 = 800 values reach Flatten and the Dense layers keep "
            "their parameters."
        ),
        edit=("kernel_size=5", "kernel_size=3"),
        mistakes=[
            (
                FINAL_MODEL_PARAMS,
                "that is the unchanged model: each of the first convolution's 16 "
                "filters now has 3 × 3 weights instead of 5 × 5.",
            ),
            (
                FINAL_MODEL_3X3_PARAMS
                - dense_params(5 * 5 * 32, 128)
                + dense_params(6 * 6 * 32, 128),
                "pooling rounds down: 11x11 pooled by 2 is 5x5, not 6x6.",
            ),
        ],
        hint="follow the image size through each layer; where does it end up?",
        note=MARKED_LINE_NOTE,
    ),
}

register("06", EXERCISES, CHANGE_EXERCISES)
