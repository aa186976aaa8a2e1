"""Static checks of the stored notebooks: the rules every notebook follows.

nbval (run by the same `pytest`) re-executes them and compares outputs; these tests check
what nbval does not: structure, links, clean outputs, and that the seed lesson's numbers are
in outputs that nbval compares.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SERIES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TF_LOG = re.compile(r"absl::InitializeLog|cudart_stub|cuda_dnn|cpu_feature_guard|oneDNN custom operations"
                    r"|^[IWEF]\d{4} \d\d:\d\d", re.M)
PRIVATE = re.compile(r"/root/|/home/|/Users/|/tmp/|site-packages|dist-packages|[A-Z]:\\\\")
IGNORED = {"nbval-ignore-output", "nbval-skip"}


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell):
    return set(cell["metadata"].get("tags", []))


def output_text(output):
    text = output.get("text", "")
    data = output.get("data", {})
    parts = [text] + [data[k] for k in ("text/plain", "text/html") if k in data]
    if output["output_type"] == "error":
        parts += [output["ename"], output["evalue"], *output["traceback"]]
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def checked_output(path):
    """All text that nbval compares in a notebook (outputs of cells not tagged as ignored)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "".join(
        output_text(o) for c in code_cells(load(path)) if not tags(c) & IGNORED for o in c["outputs"]))


def test_there_are_six_notebooks():
    assert [p.name[:2] for p in SERIES] == ["00", "01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_opens_with_setup_then_parameters_then_checks(path):
    cells = code_cells(load(path))
    assert "setup_notebook()" in "".join(cells[0]["source"])
    assert tags(cells[1]) == {"parameters"}
    params = "".join(cells[1]["source"])
    for knob in ("epochs", "n_train", "seed"):
        assert re.search(rf"^{knob} = ", params, re.M), f"{knob} missing from the parameters cell"
    names = re.findall(r"^(\w+) = ", params, re.M)
    check = "".join(cells[2]["source"])
    assert "check_knobs(" in check and all(f"{n}={n}" in check for n in names)


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_stored_outputs_are_one_clean_run(path):
    cells = code_cells(load(path))
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        for output in cell["outputs"]:
            text = output_text(output)
            assert not TF_LOG.search(text), f"TensorFlow log line in {path.name}: {text[:200]}"
            assert not PRIVATE.search(text), f"machine path in {path.name}: {PRIVATE.search(text).group(0)}"
            if output["output_type"] == "error":
                assert "raises-exception" in tags(cell)
            if output["output_type"] == "stream" and output["name"] == "stderr":
                pytest.fail(f"stderr output in {path.name}: {text[:200]}")


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_cells_are_short_and_introduced_by_prose(path):
    cells = load(path)["cells"]
    for before, cell in zip(cells, cells[1:]):
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).splitlines()
            assert len(lines) <= 16, f"{path.name}: a {len(lines)}-line cell: {lines[0]}"
    assert cells[0]["cell_type"] == "markdown"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_links_point_at_existing_notebooks(path):
    text = "".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    targets = re.findall(r"\]\(([^)#:]+\.ipynb)(?:#[^)]*)?\)", text)
    assert targets, f"{path.name} links nowhere"
    for target in targets:
        assert (NOTEBOOKS / target).is_file(), f"{path.name} links to missing {target}"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_nothing_downloads(path):
    code = "".join("".join(c["source"]) for c in code_cells(load(path)))
    assert "keras.datasets" not in code and "load_data(" not in code and "urlopen" not in code


@pytest.mark.parametrize("notebook, numbers", [
    ("00_", ["(60000, 28, 28) uint8", "[5, 0, 4, 1, 9, 2, 1, 3, 1, 4]", "5: 5,421", "(60000, 28, 28, 1)"]),
    ("01_", ["(None, 27, 27, 10)", "72,960", "Conv2D 50 + Dense 72,910 = 72,960 parameters"]),
    ("02_", ["Received: equal", "28x28 -> 27x27", "(None, 28, 28, 10)", "73,370",
             "2*2*10*10 + 10", "3x3 pixels"]),
    ("03_", ["784 * 10 + 10 = 7,850", "10 * 10 + 10 = 110", "10 * 3 + 3 = 33", "7,850 + 110 + 33 = 7,993",
             "3*3*1*10 + 10 = 100", "3*3*10*10 + 10 = 910", "7,840*3 + 3 = 23,523",
             "100 + 910 + 0 + 23,523 = 24,533", "11,760*3 + 3 = 35,283", "Total params: 7,993",
             "Total params: 24,533", "79,420", "8,070", "118,350"]),
    ("04_", ["[[5 4 3]\n [6 5 4]]", "26x26 -> 13x13", "11x11 -> 5x5", "(None, 5, 5, 15)", "4,500",
             "118,350"]),
])
def test_seed_numbers_are_in_checked_outputs(notebook, numbers):
    path = next(p for p in SERIES if p.name.startswith(notebook))
    text = checked_output(path)
    for number in numbers:
        assert number in text, f"{number!r} is not in a checked output of {path.name}"
