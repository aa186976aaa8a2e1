"""Notebook 02's exercises: padding, strides, and reading a verdict."""

from ..counting import conv_output_size
from .engine import ChangeExercise, Exercise, layers_of, output_shape, register

EXERCISES = {
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
        hint=(
            "follow the size layer by layer: 'same' keeps it, 'valid' takes "
            "away kernel - 1."
        ),
    ),
    "02.3": Exercise(
        question=(
            "A classmate trains a wider network and the shallow one, five runs each, "
            "and `compare_runs` prints: validation accuracy +0.40 points, p = 0.31. "
            'Which words describe that result: `"detected"`, `"no difference"` or '
            '`"no evidence"`? Answer with the words, in quotes.'
        ),
        answer="no evidence",
        solution=(
            "No evidence either way: p = 0.31 is above 0.05, so a difference of "
            "0.40 points is what seed-to-seed noise often gives when the networks train "
            "alike. It is not evidence that they are alike either: with more runs, or a "
            "larger real difference, the same rule could detect it."
        ),
        mistakes=[
            (
                "detected",
                "a difference is detected only at p <= 0.05; 0.31 is well above.",
            ),
            (
                "no difference",
                "a p above 0.05 says the runs cannot tell; it does not show that the "
                "networks are alike.",
            ),
        ],
        hint="what does the notebook say a p above 0.05 means, and what it does not?",
    ),
}

# 28 pixels, a 3x3 kernel, stride 2, 'valid': floor((28 - 3) / 2) + 1.
STRIDED = conv_output_size(28, 3, stride=2)

CHANGE_EXERCISES = {
    "02.2": ChangeExercise(
        question=(
            "Give the Conv2D layer below strides=2 (keep its 3x3 kernel and 'valid' "
            "padding). Predict: what output shape does it give a 28x28x1 image?"
        ),
        change="set strides=2 in the Conv2D layer",
        changed=lambda m: layers_of(m, "Conv2D")[0].strides == (2, 2),
        observe=lambda m: output_shape(layers_of(m, "Conv2D")[0]),
        answer=(STRIDED, STRIDED, 8),
        solution=(
            f"floor((28 + 2 x 0 - 3) / 2) + 1 = 12 + 1 = {STRIDED}: "
            f"({STRIDED}, {STRIDED}, 8)."
        ),
        edit=(
            "layers.Conv2D(8, kernel_size=3),",
            "layers.Conv2D(8, kernel_size=3, strides=2),",
        ),
        mistakes=[
            ((26, 26, 8), "that is stride 1; with strides=2 the kernel skips a pixel."),
            ((14, 14, 8), "that is padding='same' (28 / 2); here it is 'valid'."),
            (
                (12, 12, 8),
                "you left out the + 1: the kernel's first position counts too.",
            ),
        ],
        hint="floor((n + 2p - k) / s) + 1, with p = 0 for 'valid'.",
        note=(
            "Write your prediction in place of `None`, as (height, width, channels); "
            "then change the marked\nline and run the cell."
        ),
    ),
}

register("02", EXERCISES, CHANGE_EXERCISES)
