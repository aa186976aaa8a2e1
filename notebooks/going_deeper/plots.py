"""The figures the notebooks share.

Each function returns its matplotlib Figure, already closed: Jupyter then shows it once,
as the cell's result, when the call is the last line of a cell (no trailing `;` needed,
which nbval does not honour). Keep one plot per cell; ``display(fig)`` shows one again.

Each figure also says in words what it shows (see describing.py): a description computed
from its data (the image's alternative text, kept in the output's metadata, which the
notebook tests do not compare) and a caption shown under it, made of the plot's kind and
title only, so that it is the same on every backend.

Colours are told apart by colour-blind readers too: the Okabe-Ito palette, and lines and
points told apart by their style or marker as well as by their colour.
"""

import matplotlib.pyplot as plt
import numpy as np

from .describing import described

# Okabe and Ito's colours, distinct for the common kinds of colour blindness (their
# yellow, too light on white, left out).
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
)
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY)
MARKERS = "osD^vP"
# How many items a description lists one by one before it summarises.
LISTED = 30


def _finished(fig, description, caption):
    fig.tight_layout()
    plt.close(fig)
    return described(fig, description, caption)


def _titled(kind, title):
    """A caption: the plot's kind, then its title."""
    return f"Figure: {kind}" + (f", {title}." if title else ".")


def _number(value):
    """A value as a description says it: a count with separators, a score to 3 places."""
    value = float(value)
    if value.is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) >= 10 else f"{value:.3f}"


def _listed(items):
    items = list(items)
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _value_range(values):
    values = np.asarray(values, dtype=float)
    return f"values from {_number(values.min())} to {_number(values.max())}"


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
    in bold orange-red if wrong).
    """
    fig, axes = _image_grid(len(images), n_cols)
    for i, (ax, image) in enumerate(zip(axes, images, strict=True)):
        ax.imshow(np.squeeze(image), cmap="gray_r")
        if labels is not None and predictions is not None:
            right = labels[i] == predictions[i]
            ax.set_title(
                f"{labels[i]} as {predictions[i]}",
                fontsize=9,
                color=BLUE if right else VERMILLION,
                fontweight="normal" if right else "bold",  # not by colour alone
            )
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    description = _describe_images(images, labels, predictions, title)
    return _finished(fig, description, _titled("images", title))


def _describe_images(images, labels, predictions, title):
    sizes = sorted({"x".join(map(str, np.squeeze(image).shape[:2])) for image in images})
    text = (
        f"{title + ': ' if title else ''}{len(images)} images, {' or '.join(sizes)} "
        "pixels, drawn dark on light"
    )
    if labels is not None and predictions is not None:
        shown = list(zip(labels, predictions, strict=True))
        pairs = [f"{label} as {guess}" for label, guess in shown]
        right = sum(label == guess for label, guess in shown)
        return (
            f"{text}, each titled with its label and the model's prediction: "
            f"{right} right, {len(pairs) - right} wrong. In order: {_listed(pairs)}."
        )
    if labels is not None:
        return f"{text}, titled with their labels: {_listed(map(str, labels))}."
    return text + "."


def plot_class_balance(labels, title="Images per class"):
    counts = np.bincount(np.asarray(labels), minlength=10)
    fig, ax = plt.subplots(figsize=(6, 2.8))
    ax.bar(range(len(counts)), counts, color=BLUE)
    ax.set_xticks(range(len(counts)))
    ax.set_xlabel("digit")
    ax.set_ylabel("images")
    ax.set_title(title)
    each = [f"{digit}: {_number(count)}" for digit, count in enumerate(counts)]
    description = (
        f"{title}: a bar chart of {_number(counts.sum())} images, one bar per digit, "
        f"from {_number(counts.min())} images (digit {int(counts.argmin())}) to "
        f"{_number(counts.max())} (digit {int(counts.argmax())}). Each: {_listed(each)}."
    )
    return _finished(fig, description, _titled("bar chart", title))


def plot_history(histories, metric="accuracy"):
    """Training (solid) and validation (dashed) curves of one or more named Histories."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    # A model is told by its colour and its marker; training and validation by the line.
    for (name, history), color, marker in zip(
        histories.items(), PALETTE, MARKERS, strict=False
    ):
        curves = getattr(history, "history", history)
        epochs = np.arange(1, len(curves["loss"]) + 1)
        for ax, key in zip(axes, ("loss", metric), strict=True):
            ax.plot(
                epochs,
                curves[key],
                color=color,
                marker=marker,
                label=f"{name} (training)",
            )
            if "val_" + key in curves:
                ax.plot(
                    epochs,
                    curves["val_" + key],
                    color=color,
                    marker=marker,
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
    names = ", ".join(histories)
    description = (
        f"Training curves of {names}: loss (left) and {metric} (right) after each epoch, "
        "training solid, validation dashed. "
        + " ".join(_describe_history(name, h, metric) for name, h in histories.items())
    )
    return _finished(fig, description, _titled("training curves", names))


def _describe_history(name, history, metric):
    curves = getattr(history, "history", history)
    epochs = len(curves["loss"])
    parts = []
    for key in (metric, "loss"):
        final = f"training {_number(curves[key][-1])}"
        if "val_" + key in curves:
            final += f", validation {_number(curves['val_' + key][-1])}"
        parts.append(f"final {key} {final}")
    return f"{name}, {epochs} epochs: {'; '.join(parts)}."


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
    description = (
        f"{title + ': ' if title else ''}{maps.shape[-1]} panels of "
        f"{maps.shape[0]}x{maps.shape[1]} values ({', '.join(titles[:LISTED])}), "
        f"{_value_range(maps)}, on one colour scale: white 0, red positive, "
        f"blue negative, the darkest at {_number(limit)} either way."
        + _strongest(maps, titles)
    )
    return described(fig, description, _titled("panels", title))


def _strongest(maps, titles):
    """Which panels hold the largest values: the ones a reader would look at first."""
    if maps.shape[-1] < 2:
        return ""
    peaks = np.abs(maps).reshape(-1, maps.shape[-1]).max(axis=0)
    order = np.argsort(-peaks, kind="stable")[:3]
    return (
        " Strongest panels: "
        + ", ".join(f"{titles[i]} (up to {_number(peaks[i])})" for i in order)
        + "."
    )


def plot_filters(kernel, title=None, n_cols=10):
    """The first-input-channel slice of each filter of a Conv2D kernel
    (k_h, k_w, c_in, c_out).
    """
    kernel = np.asarray(kernel)
    fig = plot_feature_maps(kernel[:, :, 0, :], title=title, n_cols=n_cols)
    fig.description = (
        f"{kernel.shape[-1]} filters of {kernel.shape[0]}x{kernel.shape[1]} weights "
        f"(their slice for the first input channel). {fig.description}"
    )
    return fig


def plot_seed_spread(scores, ylabel="validation accuracy", title=None):
    """One column of dots per model, one dot per seed, with the mean as a bar.

    ``scores`` maps a model name to its accuracies over several seeds: where the columns
    overlap, the difference between the models is within seed-to-seed noise. The dots of a
    column are spread a little sideways, so that equal values stay visible as two dots.
    """
    fig, ax = plt.subplots(figsize=(max(4, 1.8 * len(scores)), 3))
    for i, values in enumerate(scores.values()):
        offsets = np.linspace(-0.1, 0.1, len(values)) if len(values) > 1 else [0.0]
        ax.scatter(i + np.asarray(offsets), values, color=BLUE, zorder=3)
        ax.hlines(
            np.mean(values),
            i - 0.25,
            i + 0.25,
            color=VERMILLION,
            linewidth=2,
            label="mean" if i == 0 else None,
        )
    title = title or f"{ylabel}, one dot per seed"
    ax.set_xticks(range(len(scores)), list(scores))
    ax.set_xlim(-0.6, len(scores) - 0.4)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    each = [
        f"{name}: mean {_number(np.mean(values))}, from {_number(np.min(values))} to "
        f"{_number(np.max(values))} over {len(values)} seeds"
        for name, values in scores.items()
    ]
    description = f"{title}, a column of dots per model. " + "; ".join(each) + "."
    return _finished(fig, description, _titled("dots per seed", title))


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
    ax.bar(names, split["Conv2D"], label="Conv2D", color=ORANGE, hatch="//")
    ax.bar(names, split["Dense"], bottom=split["Conv2D"], label="Dense", color=BLUE)
    ax.set_ylabel("parameters")
    ax.set_title("Where the parameters live")
    ax.legend()
    ax.tick_params(axis="x", labelrotation=15)
    each = [
        f"{name}: {_number(conv)} in Conv2D, {_number(dense)} in Dense layers"
        for name, conv, dense in zip(names, split["Conv2D"], split["Dense"], strict=True)
    ]
    description = (
        "Where the parameters live, a stacked bar per model (Conv2D hatched, below; "
        "Dense above). " + "; ".join(each) + "."
    )
    caption = _titled("stacked bars", "where the parameters live")
    return _finished(fig, description, caption)


def plot_results(results, metric="test accuracy", title="Every model of the series"):
    """Accuracy against parameter count (log scale), one labelled point per model.

    ``results`` maps a model name to a dict with "parameters" and ``metric``.
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    for row in results.values():
        ax.scatter(row["parameters"], row[metric], color=BLUE)
    _label_models(ax, results, metric)
    _parameter_axes(ax, ylabel=metric)
    ax.set_title(title)
    description = (
        f"{title}, {metric} against parameters (log scale): "
        + _describe_results(results, [metric])
    )
    caption = _titled("scatter plot", title)
    return _finished(fig, description, caption)


def _describe_results(results, metrics):
    each = [
        f"{name}, {_number(row['parameters'])} parameters: "
        + ", ".join(f"{metric} {_number(row[metric])}" for metric in metrics)
        for name, row in results.items()
    ]
    return "; ".join(each) + "."


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
    for row in results.values():
        values = [row[metric] for metric in metrics]
        ax.plot([row["parameters"]] * len(values), values, color="0.75", zorder=1)
    _label_models(ax, results, metrics[0])
    for metric, color, marker in zip(metrics, PALETTE, MARKERS, strict=False):
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
    description = (
        f"Validation accuracy against parameters (log scale) on {', '.join(metrics)}, "
        "one marker per data set: " + _describe_results(results, metrics)
    )
    caption = _titled("scatter plot", f"validation accuracy on {', '.join(metrics)}")
    return _finished(fig, description, caption)


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
    description = _describe_confusion(matrix, class_names, title)
    return _finished(fig, description, _titled("confusion matrix", title))


def _describe_confusion(matrix, class_names, title):
    from .comparing import most_confused

    total, right = int(matrix.sum()), int(np.trace(matrix))
    pairs = [
        f"{class_names[true]} taken for {class_names[guess]} {count:,} "
        + ("time" if count == 1 else "times")
        for true, guess, count in most_confused(matrix)
        if count > 0
    ]
    return (
        f"{title + ': ' if title else ''}a confusion matrix of {len(class_names)} "
        f"classes, rows the true class, columns the predicted one, each cell its count: "
        f"{right:,} of {total:,} right ({right / max(total, 1):.1%}). Most confused: "
        + ("; ".join(pairs) if pairs else "no mistakes")
        + "."
    )
