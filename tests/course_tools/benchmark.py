"""`make bench`: measure the course on the machine at hand; write markdown and JSON tables.

Not a test (timings on a shared machine are noisy): it records figures for the README.

  * wall time of each notebook and of the whole series with default parameters, and of
    `make test` (the pytest run, environment already set up);
  * peak memory (largest resident set of any process the series run started);
  * training throughput of every model of the series through the course's `train()` helper
    against a bare `model.fit` in the same run (target: ratio of epoch times <= 1.05);
  * time to 99.0% test accuracy of notebook 05's final model against the Keras example
    "Simple MNIST convnet" recipe, trained in the same run.

The models are taken from the cells of notebooks/05_conclusion.ipynb tagged `series-models`,
so the benchmark measures exactly what the notebook teaches.
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

import keras  # noqa: E402
import nbformat  # noqa: E402

import going_deeper as gd  # noqa: E402  (imports TensorFlow quietly)

TARGET_ACCURACY = 0.99
HELPER_OVERHEAD_LIMIT = 1.05


def machine():
    model_name = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model_name = names[0] if names else model_name
    gpus = gd.session.gpu_names()
    return {
        "cpu": model_name,
        "cores": os.cpu_count(),
        "gpu": ", ".join(gpus) or "none",
        "python": platform.python_version(),
        "tensorflow": gd.session.import_tensorflow_quietly().__version__,
        "keras": keras.__version__,
    }


def run_child(command, cwd):
    """Run a command; return (seconds, exit status, peak RSS in MiB of its largest descendant)."""
    start = time.perf_counter()
    status = subprocess.run(command, cwd=cwd).returncode
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return seconds, status, peak_kib / 1024


def series_timings(build):
    seconds, status, peak_mib = run_child(
        [sys.executable, "-m", "going_deeper.series", "run", "--build", str(build)],
        NOTEBOOKS,
    )
    if status != 0:
        raise SystemExit("the series failed; see above")
    per_notebook = json.loads((build / "timings.json").read_text())
    return per_notebook, seconds, peak_mib


def series_models():
    """Exec notebook 05's model-definition cells; return {name: builder of a layer list}."""
    notebook = nbformat.read(NOTEBOOKS / "05_conclusion.ipynb", as_version=4)
    namespace = {}
    for cell in notebook.cells:
        if "series-models" in cell.metadata.get("tags", []):
            exec(cell.source, namespace)  # noqa: S102 - our own notebook
    builders = dict(namespace["series_models"])
    builders["05 wide pooled + dropout"] = lambda: namespace["wide_pooled"](0.5)
    builders["05 final"] = namespace["final_cnn"]
    return builders


def build(layer_list, seed, learning_rate=1e-3):
    gd.reset_keras(seed)
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), *layer_list])
    return gd.compile_classifier(model, learning_rate)


def epoch_seconds(fit, model, epochs):
    """Steady-state (wall, CPU) seconds per epoch: one warm-up epoch (tracing), then ``epochs`` timed.

    CPU time (all threads of this process) is less disturbed by a busy or shared machine.
    """
    fit(model, 1)
    wall, cpu = time.perf_counter(), time.process_time()
    fit(model, epochs)
    return (time.perf_counter() - wall) / epochs, (time.process_time() - cpu) / epochs


def throughput(builders, x, y, epochs, batch_size, repeats):
    """Median seconds per epoch through ``gd.train`` and through a bare ``model.fit``.

    Fresh models with the same seed for both; the order alternates between repeats so that
    drifts in machine load, and whatever the first fit in a pair pays, hit both alike.
    """

    def bare(model, n_epochs):
        model.fit(x, y, epochs=n_epochs, batch_size=batch_size, verbose=0)

    def helper(model, n_epochs):
        gd.train(model, x, y, epochs=n_epochs, batch_size=batch_size, verbose=0)

    rows = {}
    for name, layer_list in builders.items():
        runs = {bare: [], helper: []}
        for repeat in range(repeats):
            for fit in (bare, helper) if repeat % 2 == 0 else (helper, bare):
                runs[fit].append(epoch_seconds(fit, build(layer_list(), repeat), epochs))
        wall = {fit: statistics.median(r[0] for r in runs[fit]) for fit in runs}
        cpu = {fit: statistics.median(r[1] for r in runs[fit]) for fit in runs}
        rows[name] = {
            "images/s (helper)": len(x) / wall[helper],
            "images/s (bare fit)": len(x) / wall[bare],
            "s/epoch (helper)": wall[helper],
            "s/epoch (bare fit)": wall[bare],
            "ratio": wall[helper] / wall[bare],
            "cpu ratio": cpu[helper] / cpu[bare],
            "wall runs (helper, bare)": [
                [r[0] for r in runs[helper]],
                [r[0] for r in runs[bare]],
            ],
        }
        print(
            f"  {name:26} helper {wall[helper]:6.2f} s/epoch, bare fit {wall[bare]:6.2f} s/epoch, "
            f"ratio {rows[name]['ratio']:.3f} (CPU time {rows[name]['cpu ratio']:.3f})",
            flush=True,
        )
    return rows


class TimeToAccuracy(keras.callbacks.Callback):
    """Training seconds (test evaluation excluded) until test accuracy first reaches a target."""

    def __init__(self, x_test, y_test, target, stop_at_target):
        super().__init__()
        self.x_test, self.y_test, self.target, self.stop_at_target = (
            x_test,
            y_test,
            target,
            stop_at_target,
        )
        self.training_seconds, self.reached, self.curve = 0.0, None, []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.training_seconds += time.perf_counter() - self._start
        test_accuracy = gd.accuracy(self.model, self.x_test, self.y_test)
        self.curve.append(
            (epoch + 1, round(self.training_seconds, 1), round(test_accuracy, 4))
        )
        if self.reached is None and test_accuracy >= self.target:
            self.reached = (epoch + 1, self.training_seconds)
            self.model.stop_training = self.stop_at_target


def time_to_accuracy(model, fit, data, stop_at_target):
    x_test, y_test = data
    clock = TimeToAccuracy(x_test, y_test, TARGET_ACCURACY, stop_at_target)
    fit(model, [clock])
    epoch, seconds = clock.reached or (None, None)
    return {
        "epochs to 99%": epoch,
        "seconds to 99%": seconds,
        "curve (epoch, s, test acc)": clock.curve,
    }


def race(
    builders, x_full, y_full, x_test, y_test, final_epochs, batch_size, full_reference
):
    total_steps = final_epochs * math.ceil(len(x_full) / batch_size)
    final = build(builders["05 final"](), 42, gd.warmup_cosine_schedule(total_steps))
    final_row = time_to_accuracy(
        final,
        lambda m, cb: m.fit(
            x_full,
            y_full,
            epochs=final_epochs,
            batch_size=batch_size,
            verbose=0,
            callbacks=cb,
        ),
        (x_test, y_test),
        stop_at_target=False,
    )
    print(f"  final model: {final_row}", flush=True)
    # The same model and schedule fed by a tf.data pipeline instead of the in-memory arrays.
    import tensorflow as tf

    pipeline = (
        tf.data.Dataset.from_tensor_slices((x_full, y_full))
        .cache()
        .shuffle(len(x_full), seed=42, reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )
    piped = build(builders["05 final"](), 42, gd.warmup_cosine_schedule(total_steps))
    piped_row = time_to_accuracy(
        piped,
        lambda m, cb: m.fit(pipeline, epochs=final_epochs, verbose=0, callbacks=cb),
        (x_test, y_test),
        stop_at_target=False,
    )
    print(f"  final model, tf.data pipeline: {piped_row}", flush=True)
    # Keras example "Simple MNIST convnet": batch 128, Adam, 15 epochs, 10% held out for validation.
    reference = build(builders["05 wide pooled + dropout"](), 42)
    reference_row = time_to_accuracy(
        reference,
        lambda m, cb: m.fit(
            x_full,
            y_full,
            epochs=15,
            batch_size=128,
            validation_split=0.1,
            verbose=0,
            callbacks=cb,
        ),
        (x_test, y_test),
        stop_at_target=not full_reference,
    )
    print(f"  reference recipe: {reference_row}", flush=True)
    return {
        "final model": final_row,
        "final model, tf.data pipeline": piped_row,
        "reference recipe": reference_row,
    }


def markdown(report):
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['cores']} cores ({m['cpu']}), GPU: {m['gpu']}; "
        f"Python {m['python']}, TensorFlow {m['tensorflow']}, Keras {m['keras']}.",
        "",
        "| notebook (default parameters) | wall time (s) |",
        "| --- | ---: |",
    ]
    lines += [
        f"| {name} | {seconds:.1f} |" for name, seconds in report["notebooks"].items()
    ]
    lines += [
        f"| **whole series** (`make run`) | **{report['series seconds']:.1f}** |",
        f"| `make test` (pytest: unit tests and nbval; environment already set up) | "
        f"{report['make test seconds']:.1f} |",
        "",
        f"Peak memory of the series' execution (largest process): {report['peak memory MiB']:.0f} MiB.",
        "",
        f"Training throughput, {report['throughput setup']}:",
        "",
        "| model | images/s (helpers) | images/s (bare `fit`) | epoch time ratio (target <= 1.05) "
        "| CPU time ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {name} | {row['images/s (helper)']:,.0f} | {row['images/s (bare fit)']:,.0f} | {row['ratio']:.3f} "
        f"| {row['cpu ratio']:.3f} |"
        for name, row in report["throughput"].items()
    ]
    race_rows = report["time to 99%"]
    labels = {
        "final model": "notebook 05 final model",
        "final model, tf.data pipeline": "the same, fed by a `tf.data` pipeline (cache, shuffle, batch, prefetch)",
        "reference recipe": 'Keras "Simple MNIST convnet" recipe',
    }
    lines += [
        "",
        "Time to 99.0% test accuracy (training time, test evaluation excluded):",
        "",
        "| model | seconds to 99% | epochs to 99% | s/epoch | test accuracy per epoch |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, label in labels.items():
        row = race_rows[key]
        seconds = (
            "not reached"
            if row["seconds to 99%"] is None
            else f"{row['seconds to 99%']:.1f}"
        )
        points = row["curve (epoch, s, test acc)"]
        curve = ", ".join(str(point[2]) for point in points)
        per_epoch = points[-1][1] / points[-1][0]
        lines.append(
            f"| {label} | {seconds} | {row['epochs to 99%'] or '-'} | {per_epoch:.1f} | {curve} |"
        )
    final, reference = race_rows["final model"], race_rows["reference recipe"]
    if final["seconds to 99%"] and reference["seconds to 99%"]:
        lines += [
            "",
            f"Ratio final / reference: {final['seconds to 99%'] / reference['seconds to 99%']:.2f}",
        ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument(
        "--repeats", type=int, default=4, help="throughput repeats per model (median)"
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["series", "test", "throughput", "race"]
    )
    parser.add_argument(
        "--full-reference", action="store_true", help="train the reference all 15 epochs"
    )
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Sections can be measured again on their own (--skip the others); earlier ones are kept.
    previous = out / "benchmark.json"
    report = json.loads(previous.read_text()) if previous.exists() else {}
    report.update({"date": time.strftime("%Y-%m-%d"), "machine": machine()})
    print("machine:", report["machine"], flush=True)

    if "series" not in args.skip:
        print("series with default parameters ...", flush=True)
        report["notebooks"], report["series seconds"], report["peak memory MiB"] = (
            series_timings(out / "executed")
        )
    if "test" not in args.skip:
        print("pytest (what `make test` runs once set up) ...", flush=True)
        report["make test seconds"], status, _ = run_child(
            [sys.executable, "-m", "pytest", "-q"], ROOT
        )
        report["make test status"] = status

    builders = series_models()
    (x_full, y_full), (x_test, y_test) = gd.load_mnist()
    x_full, x_test = gd.to_model_input(x_full), gd.to_model_input(x_test)
    if "throughput" not in args.skip:
        n, epochs, batch_size = len(x_full), 1, 128
        report["throughput setup"] = (
            f"{n:,} images, batch {batch_size}, {epochs} timed epoch(s) after one "
            f"warm-up epoch, median of {args.repeats} fresh models per way"
        )
        print(f"throughput ({report['throughput setup']}) ...", flush=True)
        report["throughput"] = throughput(
            builders, x_full[:n], y_full[:n], epochs, batch_size, args.repeats
        )
        report["worst helper ratio"] = max(
            row["ratio"] for row in report["throughput"].values()
        )
    if "race" not in args.skip:
        print("time to 99% ...", flush=True)
        report["time to 99%"] = race(
            builders, x_full, y_full, x_test, y_test, 3, 128, args.full_reference
        )

    (out / "benchmark.json").write_text(json.dumps(report, indent=1) + "\n")
    if {"notebooks", "make test seconds", "throughput", "time to 99%"} <= set(report):
        (out / "benchmark.md").write_text(markdown(report))
        print("\n" + markdown(report))
    print(f"written to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
