"""Train the course's final model from the command line: notebook 07, "The final model",
as one file you can copy and change.

    python notebooks/train_final_model.py                  # 2 epochs, batch 256, seed 42
    python notebooks/train_final_model.py --epochs 4 --seed 7

It loads MNIST from the course's data/ folder with the three splits of notebook 01
(training, the last 6,000 training images for validation, test), builds the LeNet-style
model, trains it with Adam and a one-cycle learning rate, stops early if validation
accuracy stops rising (`EarlyStopping`), saves the trained model to a `.keras` file, loads
it back and checks that it predicts the same, and only then scores the test images, once.

The model goes to build/models/final_cnn.keras (git ignores build/; $GOING_DEEPER_MODELS
names another folder, as in notebook 07), never into notebooks/; an existing file is kept
unless you pass --overwrite. Needs the course's package (`make setup`, or `pip install` of
the course) and its Keras backend.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

# isort: off
# The course's package before Keras: it loads Keras with its start-up logs silenced.
from going_deeper import N_CLASSES, mnist_splits, models_dir, reset_keras, training_steps
import keras
from keras import layers

# isort: on

COURSE = Path(__file__).resolve().parent.parent
DEFAULT_OUT = models_dir() / "final_cnn.keras"  # notebook 07's folder for models


def final_cnn():
    """Notebook 07's final model: convolve, pool early, convolve, pool, two Dense."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, kernel_size=5, activation="relu"),  # 28x28 -> 24x24
            layers.MaxPool2D(2),  # -> 12x12
            layers.Conv2D(32, kernel_size=3, activation="relu"),  # -> 10x10
            layers.MaxPool2D(2),  # -> 5x5
            layers.Flatten(),  # 800 values
            layers.Dense(128, activation="relu"),
            layers.Dense(N_CLASSES, activation="softmax"),
        ],
        name="final_cnn",
    )


def one_cycle_adam(steps):
    """Notebook 07's optimiser: the rate rises from 4e-4 to 1e-2 over the first quarter
    of the weight updates, then falls to 0 along a cosine; Adam with betas 0.7 and 0.9.
    """
    warmup_steps = steps // 4
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=4e-4,
        decay_steps=steps - warmup_steps,
        warmup_target=1e-2,
        warmup_steps=warmup_steps,
    )
    return keras.optimizers.Adam(learning_rate=schedule, beta_1=0.7, beta_2=0.9)


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of at least 1, got {text}"
        )
    return value


def checked_out_path(text, overwrite):
    """The file to save to, or SystemExit with a message that says what to change."""
    out = Path(text).resolve()
    if out.suffix != ".keras":
        sys.exit(
            f"--out {text}: a model file must end in .keras (for example "
            f"{DEFAULT_OUT.name})."
        )
    if (COURSE / "notebooks") in out.parents:
        sys.exit(
            f"--out {text}: not inside notebooks/, where the lessons live; the "
            "default, build/models/, is ignored by git."
        )
    if out.exists() and not overwrite:
        sys.exit(
            f"--out {text}: {out} exists and is kept. Choose another --out, or pass "
            "--overwrite to replace it."
        )
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=positive, default=2, help="at most (default 2)")
    parser.add_argument("--batch-size", type=positive, default=256, help="default 256")
    parser.add_argument("--seed", type=int, default=42, help="default 42")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="a .keras file")
    parser.add_argument("--overwrite", action="store_true", help="replace --out")
    args = parser.parse_args(argv)
    out = checked_out_path(args.out, args.overwrite)

    (x_train, y_train), (x_val, y_val), (x_test, y_test) = mnist_splits()
    print(f"training {len(x_train):,}, validation {len(x_val):,}, test {len(x_test):,}")

    reset_keras(args.seed)
    model = final_cnn()
    steps = training_steps(args.epochs, len(x_train), args.batch_size)
    model.compile(
        optimizer=one_cycle_adam(steps),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    # Stop when validation accuracy has not risen for one epoch, and keep the best
    # epoch's weights. Validation only: the test images play no part in training.
    stop = keras.callbacks.EarlyStopping(
        monitor="val_accuracy", patience=1, restore_best_weights=True
    )
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        epochs=args.epochs,
        batch_size=args.batch_size,
        validation_data=(x_val, y_val),
        validation_batch_size=1_000,
        callbacks=[stop],
        verbose=2,
    )
    ran = len(history.history["loss"])
    print(
        f"trained {ran} of {args.epochs} epoch(s) in {time.perf_counter() - start:.1f} s"
        + (" (stopped early)" if ran < args.epochs else "")
    )
    val_accuracy = model.evaluate(x_val, y_val, batch_size=1_000, verbose=0)[1]
    print(f"validation accuracy {val_accuracy:.4f}")

    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    loaded = keras.models.load_model(out)
    same = np.allclose(
        model.predict(x_val, batch_size=1_000, verbose=0),
        loaded.predict(x_val, batch_size=1_000, verbose=0),
        atol=1e-6,
    )
    if not same:
        sys.exit(f"{out}: the loaded model predicts differently from the trained one.")
    print(f"saved to {out}; loaded back, it predicts the same on the validation images")

    test_accuracy = loaded.evaluate(x_test, y_test, batch_size=1_000, verbose=0)[1]
    print(f"test accuracy {test_accuracy:.4f} (scored once, after every choice)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
