"""`make bench`: measure the course on the machine at hand; write markdown and JSON.

Not a test (timings on a shared machine are noisy): it records figures for the README.

* wall time of each notebook and of the whole series with default parameters, the peak
  resident memory of each notebook's kernel, and that of the largest process the series
  started;
* optionally (``--with-tests``) the wall time of the pytest run that `make test` makes;
* time to 99.0% test accuracy of notebook 05's final model, trained as the notebook trains
  it (54,000 images, batch 128, warm-up and cosine schedule), against the Keras example
  "Simple MNIST convnet" trained in the same run, and their ratio.

The models are defined here, not read out of the notebook; ``tests/test_benchmark.py``
fails if notebook 05's final model and this one drift apart.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from .paths import BUILD_DIR, ROOT, import_students_package

TARGET_ACCURACY = 0.99
FINAL_EPOCHS, BATCH_SIZE, SEED = 4, 128, 42


# The models measured.
def final_cnn_layers():
    """Notebook 05's final model: three Conv-BatchNorm-ReLU-MaxPool blocks, then Dense."""
    from keras import layers

    def conv_block(filters):
        return [
            layers.Conv2D(filters, kernel_size=3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPool2D(2),
        ]

    return [
        *conv_block(16),
        *conv_block(32),
        *conv_block(64),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(10, activation="softmax"),
    ]


# Notebook 05's learning rate: from START_RATE up to PEAK_RATE over the first fifth of the
# weight updates, then down to 0 along a cosine.
START_RATE, PEAK_RATE, WARMUP_SHARE = 1e-4, 3e-3, 5


def final_schedule(total_steps):
    import keras

    warmup_steps = total_steps // WARMUP_SHARE
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=START_RATE,
        decay_steps=total_steps - warmup_steps,
        warmup_target=PEAK_RATE,
        warmup_steps=warmup_steps,
    )


def keras_io_convnet_layers():
    """The Keras example "Simple MNIST convnet" (keras-io, examples/vision)."""
    from keras import layers

    return [
        layers.Conv2D(32, kernel_size=3, activation="relu"),
        layers.MaxPooling2D(pool_size=2),
        layers.Conv2D(64, kernel_size=3, activation="relu"),
        layers.MaxPooling2D(pool_size=2),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ]


# Measuring.
def machine():
    import keras

    from going_deeper.session import backend_version, gpu_names

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    backend = keras.backend.backend()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "gpu": ", ".join(gpu_names()) or "none",
        "python": platform.python_version(),
        "keras": keras.__version__,
        "backend": f"{backend} {backend_version(backend)}",
    }


def run_child(command, env=None):
    """Run a command: (seconds, exit status, peak RSS in MiB of its largest child)."""
    start = time.perf_counter()
    status = subprocess.run(command, cwd=ROOT, env=env).returncode
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return seconds, status, peak_kib / 1024


def series_timings(build):
    command = [sys.executable, "-m", "tools.series", "run", "--build", str(build)]
    seconds, status, peak_mib = run_child(command)
    if status != 0:
        raise SystemExit("the series failed; see above")
    per_notebook = json.loads((build / "timings.json").read_text())
    kernel_mib = json.loads((build / "kernel_memory.json").read_text())
    return per_notebook, kernel_mib, seconds, peak_mib


def time_to_accuracy(layer_list, learning_rate, fit_options, x, y, x_test, y_test):
    """Training seconds (test scoring excluded) until test accuracy first reaches 99%.

    The test set is scored after every epoch only to draw this curve: the bench measures
    a recipe that was fixed beforehand, and changes nothing because of these numbers.
    """
    import keras

    from going_deeper import EpochTimer, reset_keras

    reset_keras(SEED)
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), *layer_list])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    timer, curve = EpochTimer(), []

    class ScoreTest(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            accuracy = self.model.evaluate(x_test, y_test, verbose=0)[1]
            curve.append((epoch + 1, round(sum(timer.seconds), 1), round(accuracy, 4)))

    # The timer comes first, so an epoch's seconds end before the test scoring starts.
    model.fit(x, y, verbose=0, callbacks=[timer, ScoreTest()], **fit_options)
    reached = next((point for point in curve if point[2] >= TARGET_ACCURACY), None)
    return {
        "epochs to 99%": reached[0] if reached else None,
        "seconds to 99%": reached[1] if reached else None,
        "curve (epoch, s, test acc)": curve,
    }


def race(reference_epochs):
    import math

    from going_deeper import mnist_splits

    (x, y), _, (x_test, y_test) = mnist_splits()
    steps = FINAL_EPOCHS * math.ceil(len(x) / BATCH_SIZE)
    final = time_to_accuracy(
        final_cnn_layers(),
        final_schedule(steps),
        {"epochs": FINAL_EPOCHS, "batch_size": BATCH_SIZE},
        x,
        y,
        x_test,
        y_test,
    )
    print(f"  final model: {final}", flush=True)
    reference = time_to_accuracy(
        keras_io_convnet_layers(),
        1e-3,
        {"epochs": reference_epochs, "batch_size": 128},
        x,
        y,
        x_test,
        y_test,
    )
    print(f"  keras-io recipe: {reference}", flush=True)
    return {"final model": final, "keras-io recipe": reference}


def markdown(report):
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['cores']} cores ({m['cpu']}), GPU: {m['gpu']}; "
        f"Python {m['python']}, Keras {m['keras']} on {m['backend']}.",
        "",
    ]
    if "notebooks" in report:
        kernels = report.get("kernel peak MiB", {})
        lines += [
            "| notebook (default parameters) | wall time (s) | kernel peak (MiB) |",
            "| --- | ---: | ---: |",
        ]
        lines += [
            f"| {name} | {s:.1f} | "
            + ("-" if kernels.get(name) is None else f"{kernels[name]:,}")
            + " |"
            for name, s in report["notebooks"].items()
        ]
        lines.append(f"| **whole series** | **{report['series seconds']:.1f}** | |")
        if "make test seconds" in report:
            lines.append(
                f"| pytest (`make test`, set up) | {report['make test seconds']:.1f} | |"
            )
        peak = report["peak memory MiB"]
        lines += ["", f"Peak memory of the series (largest process): {peak:.0f} MiB.", ""]
    if "time to 99%" in report:
        lines += [
            "Time to 99.0% test accuracy (training seconds, test scoring excluded):",
            "",
            "| model | seconds to 99% | epochs to 99% | test accuracy per epoch |",
            "| --- | ---: | ---: | --- |",
        ]
        rows = report["time to 99%"]
        for name, row in rows.items():
            seconds = row["seconds to 99%"]
            accuracies = ", ".join(str(p[2]) for p in row["curve (epoch, s, test acc)"])
            shown = "not reached" if seconds is None else f"{seconds:.1f}"
            lines.append(
                f"| {name} | {shown} | {row['epochs to 99%'] or '-'} | {accuracies} |"
            )
        final, reference = rows["final model"], rows["keras-io recipe"]
        if final["seconds to 99%"] and reference["seconds to 99%"]:
            ratio = final["seconds to 99%"] / reference["seconds to 99%"]
            lines += ["", f"Ratio final / keras-io recipe: {ratio:.2f}"]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR / "bench")
    parser.add_argument("--skip", nargs="*", default=[], choices=["series", "race"])
    parser.add_argument(
        "--with-tests", action="store_true", help="time the pytest run too"
    )
    parser.add_argument(
        "--reference-epochs", type=int, default=12, help="epochs of the keras-io recipe"
    )
    args = parser.parse_args(argv)
    import_students_package()  # which the bench trains: Keras and its backend, quietly

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    report = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    print("machine:", report["machine"], flush=True)
    if "series" not in args.skip:
        print("series with default parameters ...", flush=True)
        (
            report["notebooks"],
            report["kernel peak MiB"],
            report["series seconds"],
            report["peak memory MiB"],
        ) = series_timings(out / "executed")
    if args.with_tests:
        print("pytest (what `make test` runs once set up) ...", flush=True)
        report["make test seconds"], report["make test status"], _ = run_child(
            [sys.executable, "-m", "pytest", "-q"]
        )
    if "race" not in args.skip:
        print("time to 99% ...", flush=True)
        report["time to 99%"] = race(args.reference_epochs)
    (out / "benchmark.json").write_text(json.dumps(report, indent=1) + "\n")
    (out / "benchmark.md").write_text(markdown(report))
    print("\n" + markdown(report))
    print(f"written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
