"""make sync: every copy of the course table and of the exercises agrees with its source.

The drift tests work on a copy of the repository's notebooks and markdown files in a
temporary folder; the real files are only read.
"""

import shutil

import nbformat
import pytest

from tools.course import CourseError
from tools.paths import NOTEBOOK_DIR, ROOT
from tools.sync import MARKDOWN_FILES, knob_table, main, replace_block

NAV = "[02 · Going deeper →](02_going_deeper.ipynb)"
SOLUTION = "Total 116,730."


@pytest.fixture
def copy(tmp_path):
    """The notebooks, the course table and the marked markdown files, copied."""
    (tmp_path / "notebooks").mkdir()
    for path in [*NOTEBOOK_DIR.glob("*.ipynb"), NOTEBOOK_DIR / "course.toml"]:
        shutil.copy(path, tmp_path / "notebooks" / path.name)
    for name in MARKDOWN_FILES:
        if (ROOT / name).is_file():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_every_copy_agrees_with_the_course_table_and_the_exercises(capsys):
    assert main(["--check"]) == 0, capsys.readouterr().out
    assert "Every copy agrees" in capsys.readouterr().out


def edit_cell(path, index, old, new):
    nb = nbformat.read(path, as_version=4)
    assert old in nb.cells[index].source
    nb.cells[index].source = nb.cells[index].source.replace(old, new)
    nbformat.write(nb, path)


def test_when_a_nav_title_and_a_solution_drift_then_the_check_fails_naming_both(
    copy, capsys
):
    notebook = copy / "notebooks" / "01_shallow_cnn.ipynb"
    cells = nbformat.read(notebook, as_version=4).cells
    solution = next(
        i
        for i, c in enumerate(cells)
        if c.source.startswith("<details><summary>Solution 01.1")
    )
    edit_cell(notebook, 0, NAV, NAV.replace("Going deeper", "Going deep"))
    edit_cell(notebook, solution, SOLUTION, "Total 116,731.")
    before = notebook.read_bytes()

    assert main(["--check", "--root", str(copy)]) == 1
    out, err = capsys.readouterr()
    assert "--- notebooks/01_shallow_cnn.ipynb cell 0 (nav) (now)" in out
    assert "-[← 00 · Welcome and set-up](00_welcome.ipynb) |" in out
    assert "Going deep →" in out and NAV in out
    assert f"notebooks/01_shallow_cnn.ipynb cell {solution} (solution 01.1)" in out
    assert "Total 116,731." in out and SOLUTION in out
    assert out.count("--- ") == 2 and "2 copies differ" in err
    assert notebook.read_bytes() == before  # --check writes nothing

    assert main(["--root", str(copy)]) == 0
    assert "Wrote 2 copies." in capsys.readouterr().out
    assert main(["--root", str(copy)]) == 0  # a second sync changes nothing
    assert "Nothing to change." in capsys.readouterr().out
    assert main(["--check", "--root", str(copy)]) == 0


def test_a_drifted_table_in_a_markdown_file_is_rewritten_and_a_missing_file_skipped(
    copy, capsys
):
    readme = copy / "README.md"
    readme.write_text(
        readme.read_text().replace("| 01 | [A shallow CNN]", "| 01 | [Shallow]")
    )
    for name in MARKDOWN_FILES:
        if name != "README.md":
            (copy / name).unlink(missing_ok=True)
    assert main(["--check", "--root", str(copy)]) == 1
    assert "+++ README.md (from the course table)" in capsys.readouterr().out
    assert main(["--root", str(copy)]) == 0
    assert (
        "| 01 | [A shallow CNN](notebooks/01_shallow_cnn.ipynb) |" in readme.read_text()
    )


def test_a_parameters_cell_that_disagrees_with_the_table_is_an_error(copy, capsys):
    notebook = copy / "notebooks" / "01_shallow_cnn.ipynb"
    index = next(
        i
        for i, c in enumerate(nbformat.read(notebook, as_version=4).cells)
        if "parameters" in c.metadata.get("tags", [])
    )
    edit_cell(notebook, index, "epochs = 3 ", "epochs = 4 ")
    assert main(["--check", "--root", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "notebooks/01_shallow_cnn.ipynb: its parameters cell sets" in err
    assert "make them agree" in err and err.count("\n") == 1


def test_the_text_between_markers_is_replaced_and_nothing_else():
    text = "a\n<!-- knob-table:start -->\nold\n<!-- knob-table:end -->\nb\n"
    assert replace_block("knob-table", text, "new", "X.md") == (
        "a\n<!-- knob-table:start -->\nnew\n<!-- knob-table:end -->\nb\n"
    )
    assert replace_block("course-table", text, "new", "X.md") == text
    with pytest.raises(CourseError, match="X.md: knob-table needs one"):
        replace_block(
            "knob-table", text.replace("<!-- knob-table:end -->", ""), "", "X.md"
        )


def test_a_knob_default_names_the_notebooks_that_differ():
    class Entry:
        def __init__(self, number, **knobs):
            self.number, self.knobs = number, knobs

    class Course:
        path = ROOT / "course.toml"
        knobs = {
            "epochs": {"meaning": "passes"},
            "extra": {"meaning": "x"},
        }
        notebooks = [
            Entry("00", epochs=2),
            Entry("01", epochs=3),
            Entry("02", epochs=3, extra=7),
            Entry("04", epochs=2),
            Entry("05", epochs=3),
            Entry("06", epochs=30),
        ]

    lines = knob_table(Course, {"epochs": (1, 100), "extra": (0, 2**31 - 1)}).splitlines()
    assert (
        lines[2]
        == "| `EPOCHS` | `epochs`: passes | 3 (2 in 00 and 04, 30 in 06) | 1 to 100 |"
    )
    assert lines[3] == ("| `EXTRA` | `extra` (02 only): x | 7 | 0 to 2,147,483,647 |")
