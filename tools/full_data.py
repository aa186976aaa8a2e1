"""`make results`: notebook 08's networks on all 54,000 training images of each data set.

Notebook 08 compares its four networks on 3,000 images (five seeds each) so that it runs
in minutes; this tool trains the same four, read out of the notebook's cells tagged
``series-models`` (so they cannot drift apart), on the full training split of MNIST and of
Fashion-MNIST, once each at one seed, and scores each once on its test set. It writes a
results table (markdown, which the changelog quotes) and JSON into ``build/results/``.

One seed: differences smaller than the seed-to-seed spread that notebook 08 measures
are not a ranking, and the table says so.
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import nbformat

from .course import read_course
from .paths import BUILD_DIR, NOTEBOOK_DIR, import_students_package

# The notebook whose networks make results trains: 08, "A harder data set", by its number.
NOTEBOOK = NOTEBOOK_DIR / read_course().notebook("08").file
TAG = "series-models"
DATA_SETS = {"MNIST": "mnist", "Fashion-MNIST": "fashion_mnist"}


def notebook_networks(epochs, n_train, batch_size, notebook=NOTEBOOK):
    """Run the notebook's tagged cells; return its ``series_models`` and ``new_model``.

    The cells read ``epochs``, ``n_train`` and ``batch_size`` (the final model's learning
    rate schedule spans the run's weight updates), as the notebook's parameters cell sets
    them.
    """
    cells = [
        cell.source
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "code" and TAG in cell.metadata.get("tags", [])
    ]
    namespace = {"epochs": epochs, "n_train": n_train, "batch_size": batch_size}
    for source in cells:
        exec(compile(source, f"{notebook.name} ({TAG})", "exec"), namespace)
    missing = {"series_models", "new_model"} - set(namespace)
    if missing:
        raise SystemExit(
            f"{notebook.name}: no {', '.join(sorted(missing))} in the cells tagged "
            f"{TAG!r}; tag the cells that define them."
        )
    return namespace["series_models"], namespace["new_model"]


def measure(epochs, n_train, batch_size, seed, names=None):
    going_deeper = import_students_package()
    dataset_splits, environment_report = (
        going_deeper.dataset_splits,
        going_deeper.environment_report,
    )

    series_models, new_model = notebook_networks(epochs, n_train, batch_size)
    rows = []
    for data_name, data_key in DATA_SETS.items():
        (x, y), _, (x_test, y_test) = dataset_splits(data_key, n_train)
        for name in names or series_models:
            model = new_model(name, seed)
            start = time.perf_counter()
            model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
            seconds = time.perf_counter() - start
            accuracy = model.evaluate(x_test, y_test, verbose=0, batch_size=1_000)[1]
            rows.append(
                {
                    "data": data_name,
                    "network": name,
                    "parameters": model.count_params(),
                    "test_accuracy": round(float(accuracy), 4),
                    "training_seconds": round(seconds, 1),
                }
            )
            print(
                f"{data_name:14} {name:22} test {accuracy:.4f}  ({seconds:.0f} s)",
                flush=True,
            )
    return {
        "budget": {
            "n_train": n_train,
            "epochs": epochs,
            "batch_size": batch_size,
            "seed": seed,
        },
        "environment": environment_report(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "rows": rows,
    }


def markdown(result):
    budget = result["budget"]
    networks = list(dict.fromkeys(row["network"] for row in result["rows"]))
    score = {(row["data"], row["network"]): row for row in result["rows"]}
    lines = [
        f"{budget['n_train']:,} training images, {budget['epochs']} epochs, batch "
        f"{budget['batch_size']}, seed {budget['seed']}, one run per network; test "
        f"accuracy, scored once. {result['environment']}.",
        "",
        "| network | parameters | MNIST | Fashion-MNIST | MNIST minus Fashion-MNIST |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in networks:
        mnist, fashion = score["MNIST", name], score["Fashion-MNIST", name]
        lines.append(
            f"| {name} | {mnist['parameters']:,} | {mnist['test_accuracy']:.4f} | "
            f"{fashion['test_accuracy']:.4f} | "
            f"{mnist['test_accuracy'] - fashion['test_accuracy']:.4f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD_DIR / "results")
    parser.add_argument("--n-train", type=int, default=54_000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--networks", nargs="*", help="some of the four, by name")
    args = parser.parse_args(argv)
    result = measure(args.epochs, args.n_train, args.batch_size, args.seed, args.networks)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    table = markdown(result)
    (args.out / "results.md").write_text(table)
    print(f"\n{table}\nwritten to {args.out}/results.md and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
