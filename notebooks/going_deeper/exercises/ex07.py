"""Notebook 07's exercises: the final model's parameters; the runs a verdict needs."""

import math

from ..comparing import fewest_runs, smallest_p
from ..counting import conv2d_params, dense_params
from .engine import MARKED_LINE_NOTE, ChangeExercise, Exercise, layers_of, register

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

# The fewest runs per recipe at which compare_runs' exact test can reach p <= its alpha.
RUNS_TO_DETECT = fewest_runs()


EXERCISES = {
    "07.1": Exercise(
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
    "07.3": Exercise(
        question=(
            "The schedule's comparison above is one run against one run, so it is "
            "exploratory. To compare the two recipes with `compare_runs` (alpha 0.05), "
            "running each equally often, what is the fewest runs of each that can detect "
            "a difference at all, however large?"
        ),
        answer=RUNS_TO_DETECT,
        solution=(
            "4. The exact permutation test's smallest p is 2 divided by the number of "
            "ways to pick n of the 2n runs (notebook 02): with 3 runs each that is "
            f"2/{math.comb(6, 3)} = {smallest_p(3, 3):.2f}, above 0.05 whatever the "
            f"runs give; with 4 each, 2/{math.comb(8, 4)} = {smallest_p(4, 4):.3f}. "
            "That is the least; five runs each (as the course runs) reach 0.008, "
            "which leaves room for runs that overlap a little."
        ),
        mistakes=[
            (
                3,
                f"with 3 runs each the smallest p is 2/{math.comb(6, 3)} = "
                f"{smallest_p(3, 3):.2f}: never at or below 0.05.",
            ),
            (
                5,
                "five runs each can be detected (the smallest p is 2/252), but fewer "
                "can too.",
            ),
            (
                1,
                "one run against one run has no spread to compare a difference with; "
                "the smallest p is 2/2 = 1.",
            ),
        ],
        hint=(
            "the smallest p with n runs each is 2 divided by the number of ways to "
            "choose n of 2n; find the first n where it is at most 0.05."
        ),
    ),
}

CHANGE_EXERCISES = {
    "07.2": ChangeExercise(
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

register("07", EXERCISES, CHANGE_EXERCISES)
