"""Notebook 03's exercises: receptive fields of stacked convolutions, and how many
comparisons a notebook can print before one reads as detected by chance."""

from ..comparing import ALPHA
from .engine import (
    ChangeExercise,
    Exercise,
    layers_of,
    output_shape,
    receptive_field,
    register,
)

EXERCISES = {
    "03.1": Exercise(
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
        hint=(
            "each stride-1 layer adds kernel size - 1 pixels to what the layer "
            "before it saw."
        ),
    ),
    "03.3": Exercise(
        question=(
            "This notebook printed three `Finding:` lines, each a comparison at alpha "
            f"{ALPHA}: when nothing differs, each reads as detected with a chance of at "
            f"most {ALPHA}. Suppose no network differed from any other at all. At most, "
            "what is the chance that at least one of the three still reads as detected? "
            "Answer with a number between 0 and 1."
        ),
        answer=3 * ALPHA,
        solution=(
            f"At most 3 × {ALPHA} = {3 * ALPHA:.2f}. When nothing differs, each "
            f"comparison reads as detected with a chance of at most {ALPHA}, and the "
            "chance that at least one of several things happens is at most the sum of "
            f"their chances (1 - {1 - ALPHA:.2f}³, about {1 - (1 - ALPHA) ** 3:.2f}, "
            "would need the three to be independent; they share runs). The more "
            "comparisons a notebook prints, the "
            "likelier one false detection among them: that is why comparisons chosen "
            "after seeing results, like all of this notebook's, are called exploratory "
            "(leads), and "
            "why the course's headline claims are declared before they run."
        ),
        mistakes=[
            (
                ALPHA,
                "that is the chance for one comparison; each of the three can go wrong.",
            ),
            (
                1 - (1 - ALPHA) ** 3,
                "that would be the chance if the three were independent, but they share "
                "runs (`single_5x5` is in all three); the most it can be is the sum of "
                "the three chances.",
            ),
            (
                1 - ALPHA,
                "that is the chance that one comparison does not read as detected.",
            ),
        ],
        hint="the chance that at least one of several things happens is at most the sum "
        "of their chances.",
    ),
}

CHANGE_EXERCISES = {
    "03.2": ChangeExercise(
        question=(
            "Give the second Conv2D layer of the deep CNN below a 3x3 kernel. "
            "Predict: how many pixels wide is the patch one unit of that layer sees, "
            "and what is its output shape?"
        ),
        change="set kernel_size=3 in the second Conv2D layer",
        changed=lambda m: layers_of(m, "Conv2D")[1].kernel_size == (3, 3),
        observe=lambda m: (receptive_field(m), output_shape(layers_of(m, "Conv2D")[1])),
        answer=(1 + (2 - 1) + (3 - 1), (26, 26, 10)),
        solution=(
            "The receptive field grows by kernel size - 1 per layer: "
            "1 + 1 + 2 = 4 pixels. The first layer keeps 28x28 ('same'); "
            "the second ('valid') gives 28 - 3 + 1 = 26: (26, 26, 10)."
        ),
        edit=("kernel_size=2", "kernel_size=3"),
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
        note=(
            "Write your prediction in place of `None`, as (pixels wide, (height, width, "
            "channels)); then\nchange the marked line and run the cell."
        ),
        hint=(
            "start at 1 pixel and add kernel size - 1 per layer; the shape: "
            "'same' keeps 28, 'valid' takes away kernel - 1."
        ),
    ),
}

register("03", EXERCISES, CHANGE_EXERCISES)
