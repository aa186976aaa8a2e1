"""Notebook 04's exercises: parameter counts of Dense and Conv2D layers, and why a
score that chose is no longer an honest estimate."""

from ..counting import conv2d_params, dense_params
from .engine import ChangeExercise, Exercise, layers_of, register

# The total of exercise 04.3: the CNN with two 'valid' 3x3 layers (10 filters each).
VALID_CNN_PARAMS = (
    conv2d_params(3, 3, 1, 10)
    + conv2d_params(3, 3, 10, 10)
    + dense_params(24 * 24 * 10, 10)
)

EXERCISES = {
    "04.1": Exercise(
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
    "04.2": Exercise(
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
        note="Answer with the parameter count; the solution says whether the image size "
        "matters.",
        hint=(
            "k x k x channels in, times the filters, plus one bias per filter; "
            "where does the image size appear?"
        ),
    ),
    "04.4": Exercise(
        question=(
            "Suppose you picked the network with the best *test* score above and "
            "reported that score as its accuracy on new images. On average, would that "
            'number be `"fair"`, `"optimistic"` (too high) or `"pessimistic"` (too '
            "low)? Answer with the word, in quotes."
        ),
        answer="optimistic",
        solution=(
            "Optimistic. Each test score is a fair estimate for its own model, but the "
            "highest of several noisy scores is partly the luckiest: picking on it and "
            "then reporting it counts the luck as skill. That is why the course chooses "
            "on the validation images and scores the test images once per model, after "
            "every choice: then the test score is still an honest estimate."
        ),
        mistakes=[
            (
                "fair",
                "each test score alone is fair; the highest of three, picked because it "
                "is highest, is not.",
            ),
            (
                "pessimistic",
                "picking the highest of several noisy scores favours the lucky runs, "
                "not the unlucky ones.",
            ),
        ],
        hint="among three noisy scores, is the highest more often a lucky one or an "
        "unlucky one?",
    ),
}

CHANGE_EXERCISES = {
    "04.3": ChangeExercise(
        question=(
            "In the 10/10-filter CNN below, change both Conv2D layers "
            "from padding='same' to 'valid'. Predict its total parameters."
        ),
        change='set padding="valid" in both Conv2D layers',
        changed=lambda m: all(
            layer.padding == "valid" for layer in layers_of(m, "Conv2D")
        ),
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
        edit=('padding="same"', 'padding="valid"'),
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
        note=(
            "Write your prediction in place of `None`, as a number; then change the two "
            "marked lines and\nrun the cell."
        ),
        hint=(
            "'valid' shrinks the maps, so count what reaches Flatten before "
            "the Dense layer."
        ),
    ),
}

register("04", EXERCISES, CHANGE_EXERCISES)
