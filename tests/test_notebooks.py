"""Static checks of the stored notebooks: the rules every notebook follows.

nbval (run by the same `pytest`) re-executes them and compares outputs; these tests check
what nbval does not: structure, links, clean outputs, and that the seed lesson's numbers
are in outputs that nbval compares.
"""

import ast
import json
import re

import pytest
from outputs import output_text

from tools.course import read_course, series_notebooks
from tools.paths import NOTEBOOK_DIR as NOTEBOOKS
from tools.sync import CODE_SPAN, PRODUCT_STAR

SERIES = series_notebooks()
TF_LOG = re.compile(
    r"absl::InitializeLog|cudart_stub|cuda_dnn|cpu_feature_guard|oneDNN custom operations"
    r"|^[IWEF]\d{4} \d\d:\d\d",
    re.M,
)
PRIVATE = re.compile(
    r"/root/|/home/|/Users/|/tmp/|site-packages|dist-packages|[A-Z]:\\\\"
)
IGNORED = {"nbval-ignore-output", "nbval-skip"}


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell):
    return set(cell["metadata"].get("tags", []))


def checked_output(path):
    """All text that nbval compares in a notebook (outputs of cells not tagged as
    ignored).
    """
    return re.sub(
        r"\x1b\[[0-9;]*m",
        "",
        "".join(
            output_text(o)
            for c in code_cells(load(path))
            if not tags(c) & IGNORED
            for o in c["outputs"]
        ),
    )


def test_the_series_is_the_course_tables():
    assert [p.name for p in SERIES] == [entry.file for entry in read_course().notebooks]


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_opens_with_setup_then_parameters_then_checks(path):
    cells = code_cells(load(path))
    assert "setup_notebook()" in "".join(cells[0]["source"])
    assert tags(cells[1]) == {"parameters"}
    params = "".join(cells[1]["source"])
    assert re.search(r"^seed = ", params, re.M), "seed missing from the parameters cell"
    # a training budget: epochs (and n_train) of the experiments, or the final model's
    assert re.search(r"^(epochs|final_epochs) = ", params, re.M), (
        "no epochs knob in the parameters cell"
    )
    if re.search(r"^epochs = ", params, re.M):
        assert re.search(r"^n_train = ", params, re.M), "n_train missing beside epochs"
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
            assert not TF_LOG.search(text), (
                f"TensorFlow log line in {path.name}: {text[:200]}"
            )
            assert not PRIVATE.search(text), (
                f"machine path in {path.name}: {PRIVATE.search(text).group(0)}"
            )
            assert output["output_type"] != "error", (
                f"{path.name}: a stored error (Run all would stop there)"
            )
            if output["output_type"] == "stream" and output["name"] == "stderr":
                pytest.fail(f"stderr output in {path.name}: {text[:200]}")


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_cells_are_short_and_introduced_by_prose(path):
    cells = load(path)["cells"]
    for cell in cells[1:]:
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).splitlines()
            assert len(lines) <= 16, f"{path.name}: a {len(lines)}-line cell: {lines[0]}"
    assert cells[0]["cell_type"] == "markdown"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_links_point_at_existing_notebooks(path):
    text = "".join(
        "".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown"
    )
    targets = re.findall(r"\]\(([^)#:]+\.ipynb)(?:#[^)]*)?\)", text)
    assert targets, f"{path.name} links nowhere"
    for target in targets:
        assert (NOTEBOOKS / target).is_file(), f"{path.name} links to missing {target}"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_no_product_in_the_prose_turns_into_emphasis(path):
    # 2*2*1*16 in Markdown renders as "2<em>2</em>1..." (the stars read as emphasis):
    # outside `code`, a product is written with x (make sync does it for the exercises).
    found = [
        f"cell {i}: ...{part[max(0, hit.start() - 12) : hit.end() + 12]}..."
        for i, cell in enumerate(load(path)["cells"])
        if cell["cell_type"] == "markdown"
        for k, part in enumerate(CODE_SPAN.split("".join(cell["source"])))
        if k % 2 == 0
        for hit in PRODUCT_STAR.finditer(part)
    ]
    assert found == [], f"{path.name}: a '*' Markdown would read as emphasis: {found}"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_nothing_downloads(path):
    code = "".join("".join(c["source"]) for c in code_cells(load(path)))
    assert (
        "keras.datasets" not in code
        and "load_data(" not in code
        and "urlopen" not in code
    )


@pytest.mark.parametrize(
    "notebook, numbers",
    [
        (
            "00_",
            [
                "(60000, 28, 28) uint8",
                "[5, 0, 4, 1, 9, 2, 1, 3, 1, 4]",
                "5: 5,421",
                "(60000, 28, 28, 1)",
            ],
        ),
        (
            "01_",
            [
                "(None, 27, 27, 10)",
                "72,960",
                "Conv2D 50 + Dense 72,910 = 72,960 parameters",
            ],
        ),
        (
            "02_",
            [
                "Received: equal",
                "28x28 -> 27x27",
                "(None, 28, 28, 10)",
                "73,370",
                "2*2*10*10 + 10",
            ],
        ),
        ("03_", ["a last unit sees 3x3 pixels"]),
        (
            "04_",
            [
                "784 * 10 + 10 = 7,850",
                "10 * 10 + 10 = 110",
                "10 * 3 + 3 = 33",
                "7,850 + 110 + 33 = 7,993",
                "3*3*1*10 + 10 = 100",
                "3*3*10*10 + 10 = 910",
                "7,840*3 + 3 = 23,523",
                "100 + 910 + 0 + 23,523 = 24,533",
                "11,760*3 + 3 = 35,283",
                "Total params: 7,993",
                "Total params: 24,533",
                "79,420",
                "8,070",
                "118,350",
            ],
        ),
        (
            "05_",
            [
                "[[5 4 3]\n [6 5 4]]",
                "(None, 13, 13, 5)",
                "(None, 11, 11, 15)",
                "(None, 5, 5, 15)",
                "4,500",
                "118,350",
            ],
        ),
    ],
)
def test_seed_numbers_are_in_checked_outputs(notebook, numbers):
    path = next(p for p in SERIES if p.name.startswith(notebook))
    text = checked_output(path)
    for number in numbers:
        assert number in text, f"{number!r} is not in a checked output of {path.name}"


def cell_tree(cell):
    """The cell's code as a syntax tree, IPython magics (%xmode ...) left out."""
    lines = "".join(cell["source"]).splitlines()
    return ast.parse(
        "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
    )


def top_level_nodes(tree):
    """Every node of the cell outside function and class bodies (those run only when
    called).
    """
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
        ):
            stack.extend(ast.iter_child_nodes(node))


def bound_names(target):
    """Names a target rebinds (``x``, ``a, b``), not those it only indexes
    (``d[k] = ...``).
    """
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(bound_names(element) for element in target.elts))
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    return set()


def assigned_names(statement):
    targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
    return set().union(*(bound_names(target) for target in targets if target is not None))


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_every_cell_is_safe_to_run_twice(path):
    """No cell rebinds or grows a name made by an earlier cell from its own value
    (x = f(x), x += ..., x.append(...)): run twice, such a cell would scale twice or add
    an axis twice.
    """
    earlier = set()
    for cell in code_cells(load(path)):
        tree, here = cell_tree(cell), set()
        for statement in tree.body:
            for node in top_level_nodes(ast.Module(body=[statement], type_ignores=[])):
                if (
                    isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                    and node.value is not None
                ):
                    reads = {
                        n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)
                    }
                    again = (
                        assigned_names(node)
                        & (
                            reads
                            | (
                                {*assigned_names(node)}
                                if isinstance(node, ast.AugAssign)
                                else set()
                            )
                        )
                        & (earlier - here)
                    )
                    assert not again, (
                        f"{path.name}: `{ast.unparse(node)[:80]}` changes {again} "
                        "from an earlier cell"
                    )
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"append", "extend", "insert"}
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in earlier - here
                ):
                    raise AssertionError(
                        f"{path.name}: `{ast.unparse(node)[:80]}` "
                        "grows a list of an earlier cell"
                    )
            here |= {
                name
                for node in top_level_nodes(ast.Module(body=[statement], type_ignores=[]))
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For))
                for name in assigned_names(node)
            }
            here |= {
                node.name
                for node in [statement]
                if isinstance(node, (ast.FunctionDef, ast.ClassDef))
            }
        earlier |= here


def fit_calls(path):
    for cell in code_cells(load(path)):
        for node in ast.walk(cell_tree(cell)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "fit"
            ):
                yield ast.unparse(node)


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_no_notebook_trains_or_chooses_on_the_test_images(path):
    code = "".join("".join(c["source"]) for c in code_cells(load(path)))
    assert not re.search(r"validation_data\s*=\s*\(\s*\w*test", code), (
        f"{path.name} validates on test images"
    )
    for call in fit_calls(path):
        assert "test" not in call, f"{path.name} passes test images to training: {call}"


@pytest.mark.parametrize("notebook", ["01_", "03_", "05_", "07_", "08_"])
def test_the_keras_api_is_called_in_plain_sight(notebook):
    path = next(p for p in SERIES if p.name.startswith(notebook))
    code = "".join("".join(c["source"]) for c in code_cells(load(path)))
    for call in (".compile(", ".fit(", ".evaluate(", ".predict("):
        assert call in code, f"{path.name} never calls {call}"
    assert list(fit_calls(path)), f"{path.name} trains nothing"
    for hidden in (
        "compile_classifier",
        "train(",
        "accuracy(model",
        "def evaluate",
        "def fit",
        "def compile",
    ):
        assert hidden not in code, f"{path.name} hides the Keras API behind {hidden!r}"


def test_reading_intermediate_layers_shows_keras_model():
    path = next(p for p in SERIES if p.name.startswith("03_"))
    assert "keras.Model(" in "".join("".join(c["source"]) for c in code_cells(load(path)))


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_floors_are_checked_in_compared_outputs_and_none_failed(path):
    cells = code_cells(load(path))
    every = "".join(output_text(o) for c in cells for o in c["outputs"])
    assert "FloorError" not in every and "below its floor" not in every
    floor_cells = [c for c in cells if "check_floor(" in "".join(c["source"])]
    assert floor_cells, f"{path.name} checks no accuracy floor"
    for cell in floor_cells:
        assert not tags(cell) & IGNORED, (
            f"{path.name}: a floor cell whose output nbval ignores"
        )
        assert "Floor held:" in "".join(output_text(o) for o in cell["outputs"])


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_no_cell_depends_on_a_raises_exception_tag(path):
    assert not any("raises-exception" in tags(c) for c in load(path)["cells"])


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_code_lines_fit_a_slide(path):
    for cell in code_cells(load(path)):
        for line in "".join(cell["source"]).splitlines():
            assert len(line) <= 90, (
                f"{path.name}: a {len(line)}-character line: {line[:60]}..."
            )


def findings(path):
    """(index, cells) of every code cell whose stored output prints a `Finding:` line."""
    cells = load(path)["cells"]
    for index, cell in enumerate(cells):
        text = "".join(output_text(o) for o in cell.get("outputs", []))
        if cell["cell_type"] == "code" and re.search(r"^Finding: ", text, re.M):
            yield index, cells


def section_after(cells, index):
    """The cells after ``index`` up to the next heading cell."""
    for cell in cells[index + 1 :]:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("#"):
            return
        yield cell


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_when_a_cell_compares_runs_then_it_prints_a_finding_for_each_comparison(path):
    for index, cell in enumerate(load(path)["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "compare_runs(" in source:
            text = "".join(output_text(o) for o in cell["outputs"])
            printed = len(re.findall(r"^Finding: ", text, re.M))
            assert printed >= source.count("compare_runs("), (
                f"{path.name} cell {index} compares runs but prints {printed} Finding "
                "line(s): end each comparison with print(verdict.finding(...))."
            )


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_when_a_cell_prints_a_finding_then_prose_states_it_and_an_assert_guards_it(path):
    for index, cells in findings(path):
        after = list(section_after(cells, index))
        prose = [c for c in after if c["cell_type"] == "markdown"]
        assert any(
            re.search(r"default|what we found", "".join(c["source"]), re.I) for c in prose
        ), f"{path.name} cell {index}: no markdown after its Finding states the result"
        checks = [
            c
            for c in [cells[index], *after]
            if c["cell_type"] == "code"
            and re.search(r"^\s*assert ", "".join(c["source"]), re.M)
            and re.search(
                r"^checked", "".join(output_text(o) for o in c["outputs"]), re.I | re.M
            )
        ]
        assert checks, (
            f"{path.name} cell {index}: no assert after its Finding prints 'checked'"
        )
