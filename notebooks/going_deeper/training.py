"""Training with the numbers a lesson needs: history, seconds per epoch, test accuracy."""

import math
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


def training_steps(epochs, n_images, batch_size=128):
    """How many weight updates a run makes: the training budget that accuracy floors assume."""
    return epochs * math.ceil(n_images / batch_size)


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


def warmup_cosine_schedule(total_steps, peak_learning_rate=3e-3, warmup_fraction=0.2):
    """Learning rate that climbs from small to ``peak`` over the first steps, then decays to 0.

    A short warm-up lets batch normalisation settle before big steps; the cosine decay ends
    training with small, careful steps. Pass it to ``compile_classifier(model, schedule)``.
    """
    warmup_steps = max(1, int(total_steps * warmup_fraction))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_learning_rate / 30, decay_steps=max(1, total_steps - warmup_steps),
        warmup_target=peak_learning_rate, warmup_steps=warmup_steps)


def use_mixed_precision_if_gpu():
    """Compute in float16 on a GPU (about twice as fast there); stay in float32 on a CPU."""
    import tensorflow as tf

    policy = "mixed_float16" if tf.config.list_physical_devices("GPU") else "float32"
    keras.mixed_precision.set_global_policy(policy)
    return policy
