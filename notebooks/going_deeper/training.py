"""Training with the numbers a lesson needs: history, seconds per epoch, test accuracy."""

import time

import keras
import numpy as np


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch in ``self.seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def compile_classifier(model, learning_rate=1e-3):
    """Adam, sparse categorical cross-entropy on integer labels, accuracy."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, x_train, y_train, epochs, batch_size=128, validation_data=None, verbose="auto",
          callbacks=()):
    """``model.fit`` on NumPy arrays plus an epoch timer; returns the History.

    ``history.history`` holds the curves, ``history.epoch_seconds`` the time per epoch.
    ``verbose="auto"`` shows Keras' progress bar.
    """
    timer = EpochTimer()
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                        validation_data=validation_data, verbose=verbose,
                        callbacks=[timer, *callbacks])
    history.epoch_seconds = timer.seconds
    return history


def accuracy(model, x, y, batch_size=1024):
    """Fraction of ``x`` whose most likely class is ``y``."""
    predicted = predict_classes(model, x, batch_size)
    return float(np.mean(predicted == np.asarray(y)))


def predict_classes(model, x, batch_size=1024):
    return np.argmax(model.predict(x, batch_size=batch_size, verbose=0), axis=1)


def layer_outputs(model, images, layer_names):
    """What the named layers of a trained model output for ``images``: one array per layer."""
    probe = keras.Model(model.inputs, [model.get_layer(name).output for name in layer_names])
    outputs = probe.predict(images, verbose=0)
    return list(outputs) if len(layer_names) > 1 else [outputs]
