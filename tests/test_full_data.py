"""`make results` trains notebook 08's own networks (tools.full_data)."""

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools.full_data import NOTEBOOK, markdown, notebook_networks


def test_the_results_tool_builds_the_six_networks_notebook_08_prints_with_their_sizes():
    series_models, new_model = notebook_networks(epochs=4, n_train=3_000, batch_size=128)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    printed = next(
        "".join(output.get("text", "") for output in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and "size:>7,} parameters" in cell.source
    )
    sizes = {
        name.strip(): int(count.replace(",", ""))
        for name, count in re.findall(r"^(.+?)\s+([\d,]+) parameters$", printed, re.M)
    }
    assert list(sizes) == list(series_models)
    assert {name: new_model(name, 42).count_params() for name in series_models} == sizes


def test_a_notebook_without_the_tagged_cells_is_refused_naming_the_tag(tmp_path):
    path = tmp_path / "08_harder_data.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("series_models = {}")]), path)
    with pytest.raises(
        SystemExit, match="no new_model, series_models in the cells tagged"
    ):
        notebook_networks(4, 3_000, 128, notebook=path)


def test_the_table_puts_both_data_sets_side_by_side_with_their_difference():
    rows = [
        {"data": data, "network": "pooled", "parameters": 4_500, "test_accuracy": score}
        for data, score in [("MNIST", 0.9767), ("Fashion-MNIST", 0.8511)]
    ]
    result = {
        "budget": {"n_train": 54_000, "epochs": 4, "batch_size": 128, "seed": 42},
        "environment": "Keras",
        "rows": rows,
    }
    table = markdown(result)
    assert "| pooled | 4,500 | 0.9767 | 0.8511 | 0.1256 |" in table
    assert table.startswith("54,000 training images, 4 epochs, batch 128, seed 42")
