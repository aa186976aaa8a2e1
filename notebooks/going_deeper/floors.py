"""Accuracy floors: the one check every notebook uses to keep its prose true on a re-run.

A floor was set by running the notebook with a given training budget (epochs, training
images, batch size). It is checked only when a run trains at least as much: on as many
training images or more, and with as many weight updates or more (``training_steps``), so
a larger batch with the same epochs counts as less, and so do many epochs on few images
(100 images seen 9 times is not "more training" than 54,000 seen twice).
"""

from .training import training_steps


class FloorError(AssertionError):
    """A measured accuracy fell below its floor. Jupyter shows the message, not a
    traceback.
    """

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31mFloorError\x1b[0m: {self}"]


def trains_at_least(run, set_at):
    """Whether ``run`` trains at least as much as ``set_at``, both ``(epochs, training
    images, batch size)``: on as many images or more, with as many weight updates or more.
    The rule for every floor, and for the asserts that hold only at the default budget or
    more (worked through in 00_welcome, "Does scaling matter?").
    """
    return run[1] >= set_at[1] and training_steps(*run) >= training_steps(*set_at)


def check_floor(what, value, floor, run, set_at):
    """Check ``value >= floor`` when the run trained at least as much as the floor
    assumes.

    ``run`` and ``set_at`` are ``(epochs, training images, batch size)``: this run's
    budget and the budget the floor was set at. Prints what was checked, or why it was
    not; raises FloorError when the floor applies and is not reached. Returns nothing.
    """
    steps, needed = training_steps(*run), training_steps(*set_at)
    epochs, n_images, batch_size = set_at
    budget = (
        f"{epochs} epochs x {n_images:,} images, batch {batch_size}: "
        f"{needed:,} weight updates"
    )
    if not trains_at_least(run, set_at):
        _, run_images, _ = run
        shortfall = (
            f"trained on {run_images:,} images, fewer than"
            if run_images < n_images
            else f"made {steps:,} weight updates, fewer than"
        )
        print(
            f"Floor not checked: this run {shortfall} the floor for {what} assumes "
            f"({budget})."
        )
        return
    if not value >= floor:
        raise FloorError(
            f"{what} is {value:.4f}, below its floor of {floor:.2f} (set at {budget}; "
            f"this run made {steps:,}). Train longer, or report this as a bug."
        )
    print(
        f"Floor held: {what} >= {floor:.2f} ({steps:,} weight updates; "
        f"the floor assumes {needed:,} or more)."
    )
