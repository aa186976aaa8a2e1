"""Checks for the knobs in each notebook's `parameters` cell (papermill or by hand)."""

import numbers

from .data import N_FIT_MAX

# name: (lowest, highest, what it means)
KNOB_RANGES = {
    "epochs": (1, 100, "training epochs"),
    "n_train": (
        100,
        N_FIT_MAX,
        "training images; the last 6,000 of MNIST are kept for validation",
    ),
    "n_small": (100, N_FIT_MAX, "training images in the small-data experiment"),
    "seed": (0, 2**31 - 1, "random seed"),
    "batch_size": (1, 4096, "images per training step"),
    "final_epochs": (1, 100, "training epochs of the final model"),
    "final_batch_size": (1, 4096, "images per training step of the final model"),
}


class KnobError(ValueError):
    """A parameter out of range. Jupyter shows only the message, not a traceback."""

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31mKnobError\x1b[0m: {self}"]


def check_knob(name, value):
    """Return ``value`` if it is a whole number in the allowed range of ``name``."""
    low, high, meaning = KNOB_RANGES[name]
    fix = (
        f"Set {name} to a whole number from {low:,} to {high:,} ({meaning}) "
        f"in the parameters cell, or pass `-p {name} VALUE` to papermill."
    )
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise KnobError(f"{name} = {value!r} is not a whole number. {fix}")
    if not low <= value <= high:
        raise KnobError(f"{name} = {value!r} is out of range. {fix}")
    return int(value)


def check_knobs(**knobs):
    """Check every knob given by keyword and say so in one line; returns nothing.

    The first bad knob stops the notebook with a KnobError that names it and its range.
    """
    checked = {name: check_knob(name, value) for name, value in knobs.items()}
    said = ", ".join(f"{name} = {value:,}" for name, value in checked.items())
    print(f"Knobs OK: {said}")
