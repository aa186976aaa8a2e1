"""Every figure says in words what it shows: a description computed from its data (the
image's alternative text, in the output's metadata) and a caption of its kind and title.
"""

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from going_deeper import plots
from going_deeper.describing import described
from tools.paths import NOTEBOOK_DIR

# What nbval compares of an image output (nbval/plugin.py, 0.11): every key of "data"
# except image/png and image/jpeg; never "metadata".
COMPARED = ("text/plain", "text/markdown", "text/html")


def history(final_accuracy):
    return {
        "loss": [0.5, 0.3],
        "accuracy": [0.8, final_accuracy],
        "val_loss": [0.6, 0.4],
        "val_accuracy": [0.7, final_accuracy - 0.01],
    }


def test_when_the_final_accuracies_change_then_the_training_curves_description_does():
    first = plots.plot_history({"shallow CNN": history(0.95)})
    second = plots.plot_history({"shallow CNN": history(0.97)})
    assert "final accuracy training 0.950, validation 0.940" in first.description
    assert "final accuracy training 0.970, validation 0.960" in second.description
    assert first.caption == second.caption == "Figure: training curves, shallow CNN."


def test_a_confusion_matrix_is_described_by_its_most_confused_pairs():
    names = ["shirt", "coat", "bag"]
    matrix = np.array([[50, 1, 0], [12, 40, 0], [0, 3, 60]])
    described_ = plots.plot_confusion(matrix, names).description
    assert "150 of 166 right" in described_
    assert described_.index("coat taken for shirt 12 times") < described_.index(
        "bag taken for coat 3 times"
    )
    swapped = plots.plot_confusion(matrix.T, names).description
    assert "shirt taken for coat 12 times" in swapped


def test_feature_maps_and_filters_say_how_many_panels_and_the_value_range():
    maps = np.stack([np.full((4, 4), -1.5), np.full((4, 4), 2.5)], axis=-1)
    text = plots.plot_feature_maps(maps).description
    assert "2 panels of 4x4 values" in text and "from -1.500 to 2.500" in text
    kernel = np.zeros((3, 3, 1, 5))
    kernel[0, 0, 0, 4] = 0.25
    text = plots.plot_filters(kernel).description
    assert text.startswith("5 filters of 3x3 weights") and "to 0.250" in text
    assert "Strongest panels: 4 (up to 0.250)" in text


def test_every_plot_is_described_and_captioned_without_computed_numbers():
    figures = [
        plots.plot_digits(np.zeros((3, 28, 28)), [1, 2, 3], [1, 2, 4], title="wrong"),
        plots.plot_class_balance(np.arange(100) % 10),
        plots.plot_seed_spread({"a": [0.91, 0.93]}),
        plots.plot_results({"a": {"parameters": 1234, "test accuracy": 0.987}}),
        plots.plot_results_compared({"a": {"parameters": 10, "M": 0.9, "F": 0.8}}, "MF"),
    ]
    assert "2 right, 1 wrong" in figures[0].description
    assert "from 10 images (digit 0)" in figures[1].description
    assert "mean 0.920, from 0.910 to 0.930 over 2 seeds" in figures[2].description
    assert "1,234 parameters: test accuracy 0.987" in figures[3].description
    assert "M 0.900, F 0.800" in figures[4].description
    for figure in figures:
        assert figure.caption.startswith("Figure: ")
        assert not any(n in figure.caption for n in ("0.9", "1,234", "2 right"))


def test_a_figure_cannot_be_described_by_nothing():
    with pytest.raises(ValueError, match="say in words what it shows"):
        described(plt.figure(), "  ", "Figure: empty.")


def test_in_a_kernel_the_description_goes_to_the_image_metadata_and_the_caption_below(
    tmp_path,
):
    # The real path: the kernel's display hook shows the figure, the cell's last line.
    code = (
        "import matplotlib.pyplot as plt\n"
        "from going_deeper.describing import described\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([1, 3])\n"
        "plt.close(fig)\n"
        "described(fig, 'A line rising from 1 to 3.', 'Figure: a line (a_b).')"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    where = {"metadata": {"path": str(NOTEBOOK_DIR)}}  # going_deeper is found beside it
    NotebookClient(nb, timeout=120, resources=where).execute()
    image, caption = nb.cells[0].outputs
    assert image.metadata["image/png"]["alt"] == "A line rising from 1 to 3."
    assert image.data["text/plain"].startswith("<Figure size")
    assert caption.data["text/markdown"] == r"*Figure: a line \(a\_b\).*"
    compared = [out.data.get(mime, "") for out in (image, caption) for mime in COMPARED]
    assert not any("rising" in text for text in compared)  # the description is not
