"""The training budget of a run, and the one rule for "this run trains at least as much".

A budget is the epochs, the training images and the batch size of a run. Accuracy floors
(floors.py) and the asserts that hold only at a notebook's default budget or more compare
budgets with ``trains_at_least``; every notebook's floors use it (``check_floor``), and
the weight updates are worked through in 02_going_deeper.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """``epochs`` passes over ``images`` training images, ``batch_size`` images per step.

    Prints as its tables do, ``12,000 images x 3 epochs`` (also in an f-string with a
    width, ``f"{budget:>24}"``).
    """

    epochs: int
    images: int
    batch_size: int = 128

    @classmethod
    def of(cls, budget):
        """``budget`` as a Budget: a Budget, or ``(epochs, training images, batch
        size)`` as the notebooks wrote budgets before there was a Budget.
        """
        return budget if isinstance(budget, cls) else cls(*budget)

    @property
    def steps(self):
        """How many weight updates the run makes: a last, partial batch of an epoch is
        one update too.
        """
        return self.epochs * math.ceil(self.images / self.batch_size)

    def trains_at_least(self, other):
        """Whether this budget trains at least as much as ``other`` (a Budget or a
        tuple): on as many images or more, with as many weight updates or more.

        Both, because neither alone is "more training": a larger batch with the same
        epochs makes fewer updates, and 100 images seen 9 times at batch 1 make more
        updates than 54,000 seen twice at batch 128 but teach far less.
        """
        other = Budget.of(other)
        return self.images >= other.images and self.steps >= other.steps

    def described(self):
        """The budget with its batch size and weight updates, for messages:
        ``12,000 images x 3 epochs, batch 128: 282 weight updates``.
        """
        return f"{self}, batch {self.batch_size}: {self.steps:,} weight updates"

    def __str__(self):
        return f"{self.images:,} images x {self.epochs} epoch" + "s" * (self.epochs != 1)

    def __format__(self, spec):
        return format(str(self), spec)
