"""What training needs besides Keras itself: an epoch timer and the training budget.

The notebooks call ``model.compile``, ``model.fit``, ``model.evaluate`` and
``model.predict`` themselves; these helpers only measure.
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
