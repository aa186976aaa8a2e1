"""The figures the notebooks share.

Each function returns its matplotlib Figure, already closed: Jupyter then shows it once,
as the cell's result, when the call is the last line of a cell (no trailing `;` needed,
which nbval does not honour). Keep one plot per cell; ``display(fig)`` shows one again.
"""

import matplotlib.pyplot as plt
import numpy as np


def _finished(fig):
    fig.tight_layout()
    plt.close(fig)
    return fig


def _image_grid(n_images, n_cols, cell_size=1.4):
    n_cols = min(n_cols, n_images)
    n_rows = int(np.ceil(n_images / n_cols))
    fig, axes = plt.subplots(
        n_rows,
        n_cols,
        figsize=(cell_size * n_cols, cell_size * n_rows + 0.3),
        squeeze=False,
    )
    for ax in axes.flat[n_images:]:
        ax.remove()
    used = axes.flat[:n_images]
    for ax in used:
        ax.axis("off")
    return fig, used


def plot_digits(images, labels=None, predictions=None, n_cols=10, title=None):
    """A grid of images (any sizes); a title per image gives its label (and prediction,
    red if wrong).
    """
    fig, axes = _image_grid(len(images), n_cols)
    for i, (ax, image) in enumerate(zip(axes, images, strict=True)):
        ax.imshow(np.squeeze(image), cmap="gray_r")
        if labels is not None and predictions is not None:
            right = labels[i] == predictions[i]
            ax.set_title(
                f"{labels[i]} as {predictions[i]}",
                fontsize=9,
                color="tab:green" if right else "tab:red",
            )
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    return _finished(fig)


def plot_class_balance(labels, title="Images per class"):
    counts = np.bincount(np.asarray(labels), minlength=10)
    fig, ax = plt.subplots(figsize=(6, 2.8))
    ax.bar(range(len(counts)), counts, color="tab:blue")
    ax.set_xticks(range(len(counts)))
    ax.set_xlabel("digit")
    ax.set_ylabel("images")
    ax.set_title(title)
    return _finished(fig)


def plot_history(histories, metric="accuracy"):
    """Training (solid) and validation (dashed) curves of one or more named Histories."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    for (name, history), color in zip(
        histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"], strict=False
    ):
        curves = getattr(history, "history", history)
        epochs = np.arange(1, len(curves["loss"]) + 1)
        for ax, key in zip(axes, ("loss", metric), strict=True):
            ax.plot(
                epochs, curves[key], color=color, marker="o", label=f"{name} (training)"
            )
            if "val_" + key in curves:
                ax.plot(
                    epochs,
                    curves["val_" + key],
                    color=color,
                    marker="o",
                    linestyle="--",
                    label=f"{name} (validation)",
                )
    for ax, key in zip(axes, ("loss", metric), strict=True):
        ax.set_xlabel("epoch")
        ax.set_title(f"{key}: training (solid), validation (dashed)", fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
    for ax in axes:
        ax.legend(fontsize=8)
    return _finished(fig)


def plot_feature_maps(maps, title=None, n_cols=10, titles=None, panel_size=1.4):
    """Each channel of one (height, width, channels) array as a small image.

    ``titles`` names the panels (default: the channel numbers); ``panel_size`` is each
    panel's size in inches, larger for a few maps worth a close look.

    Diverging colours on one symmetric scale shared by every panel, with a colour bar:
    white is 0, red positive, blue negative, and the same colour means the same value in
    every panel.
    """
    maps = np.asarray(maps, dtype=float)
    limit = float(np.abs(maps).max()) or 1.0
    fig, axes = _image_grid(maps.shape[-1], n_cols, panel_size)
    titles = (
        [str(channel) for channel in range(maps.shape[-1])] if titles is None else titles
    )
    for channel, ax in enumerate(axes):
        shown = ax.imshow(maps[..., channel], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(titles[channel], fontsize=8 if panel_size < 2 else 10)
    fig.colorbar(shown, ax=list(axes), shrink=0.8, pad=0.02)
    if title:
        fig.suptitle(title)
    plt.close(fig)  # no tight_layout: it cannot place the shared colour bar
    return fig


def plot_filters(kernel, title=None, n_cols=10):
    """The first-input-channel slice of each filter of a Conv2D kernel
    (k_h, k_w, c_in, c_out).
    """
    kernel = np.asarray(kernel)
    return plot_feature_maps(kernel[:, :, 0, :], title=title, n_cols=n_cols)


def plot_seed_spread(scores, ylabel="validation accuracy", title=None):
    """One column of dots per model, one dot per seed, with the mean as a bar.

    ``scores`` maps a model name to its accuracies over several seeds: where the columns
    overlap, the difference between the models is within seed-to-seed noise. The dots of a
    column are spread a little sideways, so that equal values stay visible as two dots.
    """
    fig, ax = plt.subplots(figsize=(max(4, 1.8 * len(scores)), 3))
    for i, values in enumerate(scores.values()):
        offsets = np.linspace(-0.1, 0.1, len(values)) if len(values) > 1 else [0.0]
        ax.scatter(i + np.asarray(offsets), values, color="tab:blue", zorder=3)
        ax.hlines(
            np.mean(values),
            i - 0.25,
            i + 0.25,
            color="tab:red",
            label="mean" if i == 0 else None,
        )
    ax.set_xticks(range(len(scores)), list(scores))
    ax.set_xlim(-0.6, len(scores) - 0.4)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{ylabel}, one dot per seed")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    return _finished(fig)


def plot_parameter_split(models):
    """Stacked bars: how many parameters of each model sit in Conv2D and in Dense
    layers.
    """
    names = [model.name for model in models]
    split = {
        kind: [
            sum(
                layer.count_params()
                for layer in model.layers
                if type(layer).__name__ == kind
            )
            for model in models
        ]
        for kind in ("Conv2D", "Dense")
    }
    fig, ax = plt.subplots(figsize=(max(5, 1.6 * len(models)), 3.2))
    ax.bar(names, split["Conv2D"], label="Conv2D", color="tab:orange")
    ax.bar(names, split["Dense"], bottom=split["Conv2D"], label="Dense", color="tab:blue")
    ax.set_ylabel("parameters")
    ax.set_title("Where the parameters live")
    ax.legend()
    ax.tick_params(axis="x", labelrotation=15)
    return _finished(fig)


def plot_results(results, metric="test accuracy"):
    """Accuracy against parameter count (log scale), one labelled point per model.

    ``results`` maps a model name to a dict with "parameters" and ``metric``.
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    for row in results.values():
        ax.scatter(row["parameters"], row[metric], color="tab:blue")
    _label_models(ax, results, metric)
    _parameter_axes(ax, ylabel=metric)
    ax.set_title("Every model of the series")
    return _finished(fig)


def _label_models(ax, results, metric):
    """Each model's name by its point; models with the same parameter count get their
    labels stacked, not overprinted.
    """
    seen = {}
    for name, row in results.items():
        stacked = seen.setdefault(row["parameters"], 0)
        seen[row["parameters"]] += 1
        ax.annotate(
            name,
            (row["parameters"], row[metric]),
            textcoords="offset points",
            xytext=(5, 4 - 11 * stacked),
            fontsize=8,
        )


def _parameter_axes(ax, ylabel):
    ax.set_xscale("log")
    ax.set_xlabel("parameters (log scale)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)


def plot_results_compared(results, metrics):
    """Accuracy against parameters (log scale) on several data sets: one marker per
    metric, a line joining each model's points, the model's name by its first point.

    ``results`` maps a model name to a dict with "parameters" and each of ``metrics``.
    """
    fig, ax = plt.subplots(figsize=(8, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for row in results.values():
        values = [row[metric] for metric in metrics]
        ax.plot([row["parameters"]] * len(values), values, color="0.75", zorder=1)
    _label_models(ax, results, metrics[0])
    for metric, color, marker in zip(metrics, colors, "osD^v", strict=False):
        ax.scatter(
            [row["parameters"] for row in results.values()],
            [row[metric] for row in results.values()],
            color=color,
            marker=marker,
            label=metric,
            zorder=2,
        )
    _parameter_axes(ax, ylabel="validation accuracy")
    ax.legend(loc="lower right")
    return _finished(fig)


def plot_confusion(matrix, class_names, title=None):
    """A confusion matrix as a grid: rows the true class, columns the predicted one,
    each cell its count (the diagonal, the right answers, is left pale so the mistakes
    stand out).
    """
    matrix = np.asarray(matrix)
    mistakes = matrix.copy()
    np.fill_diagonal(mistakes, 0)
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(mistakes, cmap="Reds")
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(
            col,
            row,
            str(count),
            ha="center",
            va="center",
            fontsize=7,
            color="0.4" if row == col else "black",
        )
    ticks = range(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(ticks, class_names, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    fig.colorbar(image, ax=ax, label="mistakes (off the diagonal)")
    if title:
        ax.set_title(title)
    return _finished(fig)
