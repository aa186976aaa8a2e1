"""Accuracy floors: the one check every notebook uses to keep its prose true on a re-run.

Floors are set on validation accuracy only, a stated margin below the lowest run measured
at the default budget; a test score is reported, never checked against a floor.

A floor was set by running the notebook with a given training budget (epochs, training
images, batch size: a ``Budget``, budget.py). It is checked only when a run trains at
least as much (``Budget.trains_at_least``): on as many training images or more, and with
as many weight updates or more, so a larger batch with the same epochs counts as less, and
so do many epochs on few images (100 images seen 9 times is not "more training" than
54,000 seen twice).
"""

from .budget import Budget


class FloorError(AssertionError):
    """A measured accuracy fell below its floor. Jupyter shows the message, not a
    traceback.
    """

    def _render_traceback_(self):  # IPython calls this instead of printing a traceback
        return [f"\x1b[31mFloorError\x1b[0m: {self}"]


def trains_at_least(run, set_at):
    """Whether ``run`` trains at least as much as ``set_at``, each a Budget or
    ``(epochs, training images, batch size)``: ``Budget.trains_at_least``, the rule for
    every floor and for the asserts that hold only at the default budget or more.
    """
    return Budget.of(run).trains_at_least(set_at)


def check_floor(what, value, floor, run, set_at):
    """Check ``value >= floor`` when the run trained at least as much as the floor
    assumes.

    ``run`` and ``set_at`` are this run's budget and the budget the floor was set at,
    each a Budget or ``(epochs, training images, batch size)``. Prints what was checked,
    or why it was not; raises FloorError when the floor applies and is not reached.
    Returns nothing.
    """
    run, set_at = Budget.of(run), Budget.of(set_at)
    if not run.trains_at_least(set_at):
        shortfall = (
            f"trained on {run.images:,} images, fewer than"
            if run.images < set_at.images
            else f"made {run.steps:,} weight updates, fewer than"
        )
        print(
            f"Floor not checked: this run {shortfall} the floor for {what} assumes "
            f"({set_at.described()})."
        )
        return
    if not value >= floor:
        raise FloorError(
            f"{what} is {value:.4f}, below its floor of {floor:.2f} (set at "
            f"{set_at.described()}; this run made {run.steps:,}). A floor sits below "
            "every run measured at that budget: it catches a broken run (a changed "
            "model, a broken install), not a weak one. Check what you changed, or "
            "report this as a bug."
        )
    print(
        f"Floor held: {what} >= {floor:.2f} ({run.steps:,} weight updates; "
        f"the floor assumes {set_at.steps:,} or more)."
    )
