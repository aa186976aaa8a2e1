"""What training needs besides Keras itself: an epoch timer, the training budget, and
one compiled model per network reused from run to run.

The notebooks call ``model.compile``, ``model.fit``, ``model.evaluate`` and
``model.predict`` themselves; these helpers only measure, or save Keras work.
"""

import time

import keras

from .budget import Budget


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch in ``self.seconds``.

    Pass it to ``model.fit(..., callbacks=[timer])``; first used in 02_going_deeper.
    """

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


class StepTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every training step (one batch) in
    ``self.seconds``; their median is little disturbed by other work on the machine.

    Pass it to ``model.fit(..., callbacks=[timer])``; used in 07_final_model to time one
    change at a time.
    """

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def training_steps(epochs, n_images, batch_size=128):
    """How many weight updates a run makes: ``Budget(epochs, n_images,
    batch_size).steps`` (budget.py), first used in 02_going_deeper.
    """
    return Budget(epochs, n_images, batch_size).steps


class ReusedModels:
    """One compiled model per network, reused from run to run, so that Keras prepares
    (traces) its training and scoring steps once per network instead of once per run.

    ``models.fresh(key, model)`` takes a model just built and compiled (seeded weights, a
    new optimizer) and returns the model first given under ``key``, holding the new
    one's starting state: its weights, its random-seed state (dropout) and its
    optimizer's state. The first model of a key is kept and returned as it is.

    On TensorFlow a run of the returned model is the run of the new one, number for
    number, 1.5 to 2 s sooner (two cores, 48 weight updates; CHANGELOG.md, 2026-12-08).
    On JAX it is about 5.5 s sooner, but a new model's first ``fit`` looks at one batch
    before it trains, which draws one shuffle; the reused model draws none, so its run
    shuffles differently, as fixed by the seed. PyTorch runs eagerly, traces nothing
    and would save nothing, so there the new model itself is returned. First used in
    06_dropout.
    """

    def __init__(self):
        self._models = {}

    def fresh(self, key, model):
        if keras.backend.backend() == "torch":
            return model
        kept = self._models.setdefault(key, model)
        if kept is model:
            return model
        model.optimizer.build(model.trainable_variables)  # its starting state, zeros
        pairs = [
            (kept.variables, model.variables),
            (kept.optimizer.variables, model.optimizer.variables),
        ]
        if any(_shapes(a) != _shapes(b) for a, b in pairs):
            raise ValueError(
                f"{key!r} already names another network or optimizer; give each its own "
                "key."
            )
        for targets, sources in pairs:
            for target, source in zip(targets, sources, strict=True):
                target.assign(source)
        return kept


def _shapes(variables):
    return [tuple(variable.shape) for variable in variables]
