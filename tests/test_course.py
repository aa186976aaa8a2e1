"""The course table, notebooks/course.toml: read, checked, the one list of notebooks."""

import re

import nbformat
import pytest

from going_deeper.knobs import KNOB_RANGES
from tools.course import CourseError, read_course, series_notebooks
from tools.paths import NOTEBOOK_DIR, SeriesError
from tools.sync import parameters

COURSE = read_course()
GOOD_ENTRY = """
[[notebook]]
number = "00"
file = "00_tiny.ipynb"
title = "Tiny"
question = "Does it read?"
minutes = 5
knobs = { epochs = 1 }
exercises = []
contents = "c"
learn = "l"
run_live = "r"
knobs_to_turn = "k"
"""
KNOBS = '[knobs.epochs]\nmeaning = "passes"\n'


def write_table(folder, text):
    (folder / "course.toml").write_text(text)
    return folder


def test_the_series_is_the_tables_notebooks_in_its_order():
    assert series_notebooks() == [NOTEBOOK_DIR / e.file for e in COURSE.notebooks]
    assert [e.number for e in COURSE.notebooks] == [
        f"{i:02d}" for i in range(len(COURSE.notebooks))
    ]


def test_the_tables_knobs_are_each_notebooks_parameters_cell():
    for entry in COURSE.notebooks:
        nb = nbformat.read(NOTEBOOK_DIR / entry.file, as_version=4)
        assert parameters(nb, entry.file) == entry.knobs, entry.file


def test_every_knob_of_the_table_has_its_range_in_the_students_package():
    assert set(COURSE.knobs) == set(KNOB_RANGES)


@pytest.mark.parametrize(
    "change, says",
    [
        (("minutes = 5\n", ""), "notebook 00: missing minutes"),
        (('number = "00"', 'number = "01"'), 'entry 1 is "00"'),
        (('file = "00_tiny.ipynb"', 'file = "tiny.ipynb"'), "must be named 00_NAME"),
        (("minutes = 5", 'minutes = "5"'), "minutes = '5' is not a whole number"),
        (("epochs = 1", "epoch = 1"), "knob 'epoch' is not declared"),
        (("exercises = []", 'exercises = ["01.1"]'), "must be numbered 00.N"),
        (('title = "Tiny"', 'title = "Tiny"\ncolour = "red"'), "unknown field 'colour'"),
        (("minutes = 5", "minutes = "), "not valid TOML"),
    ],
)
def test_a_bad_entry_stops_with_one_line_naming_the_file_and_the_entry(
    tmp_path, change, says
):
    write_table(tmp_path, KNOBS + GOOD_ENTRY.replace(*change))
    with pytest.raises(CourseError) as caught:
        read_course(tmp_path)
    message = str(caught.value)
    assert says in message and str(tmp_path / "course.toml") in message
    assert "\n" not in message


def test_a_good_table_reads(tmp_path):
    course = read_course(write_table(tmp_path, KNOBS + GOOD_ENTRY))
    assert course.notebook("00").heading == "00 · Tiny"
    with pytest.raises(CourseError, match="no notebook numbered '07'"):
        course.notebook("07")


def test_a_missing_table_and_a_file_listed_twice_are_errors(tmp_path):
    with pytest.raises(CourseError, match="course.toml is missing"):
        read_course(tmp_path)
    second = GOOD_ENTRY.replace('"00"', '"01"')
    write_table(tmp_path, KNOBS + GOOD_ENTRY + second.replace("01_", "00_"))
    with pytest.raises(CourseError, match=r"must be named 01_NAME"):
        read_course(tmp_path)
    write_table(tmp_path, KNOBS + GOOD_ENTRY + second.replace("00_tiny", "01_tiny"))
    assert len(read_course(tmp_path).notebooks) == 2


def tiny_notebook(folder, name):
    nbformat.write(nbformat.v4.new_notebook(), folder / name)


def test_a_notebook_the_table_does_not_list_is_an_error(tmp_path):
    write_table(tmp_path, KNOBS + GOOD_ENTRY)
    tiny_notebook(tmp_path, "00_tiny.ipynb")
    assert [p.name for p in series_notebooks(tmp_path)] == ["00_tiny.ipynb"]
    tiny_notebook(tmp_path, "01_stray.ipynb")
    with pytest.raises(
        SeriesError, match=re.escape("01_stray.ipynb is not in the course")
    ):
        series_notebooks(tmp_path)


def test_an_entry_without_its_file_is_an_error(tmp_path):
    write_table(tmp_path, KNOBS + GOOD_ENTRY)
    with pytest.raises(SeriesError, match="lists 00_tiny.ipynb, which is not in"):
        series_notebooks(tmp_path)
