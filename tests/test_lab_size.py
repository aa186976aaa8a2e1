"""Each notebook fits a 45-minute lab: at most 70 cells and 2,000 words of markdown and
code comments together (the teaching guide's limits).

Notebooks still over a limit are listed in OVER, with their counts today, so that the
table in the closing note and the changelog comes from here. A listed notebook that has
come within the limits fails too: take it off the list, so that it cannot grow back.
"""

import json
import re

import pytest

from tools.course import series_notebooks

MAX_CELLS, MAX_WORDS = 70, 2_000

# Over a limit today: (cells, words). Shrink them; remove an entry once it fits.
OVER = {}
COMMENT = re.compile(r"(?:^|\s)#\s?(.*)$")


def size(nb):
    """(cells, words): the words of every markdown cell and of every code comment."""
    words = 0
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            words += len(source.split())
        elif cell["cell_type"] == "code":
            for line in source.splitlines():
                comment = COMMENT.search(line)
                words += len(comment.group(1).split()) if comment else 0
    return len(nb["cells"]), words


def fits(cells, words):
    return cells <= MAX_CELLS and words <= MAX_WORDS


def test_when_cells_and_comments_are_counted_then_only_markdown_and_comments_count():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Title\n", "two words"]},
            {"cell_type": "code", "source": ["x = 1  # one comment\n", "y = '#'\n"]},
            {"cell_type": "raw", "source": ["not counted at all"]},
        ]
    }
    assert size(nb) == (3, 4 + 2)


@pytest.mark.parametrize("path", series_notebooks(), ids=lambda p: p.name)
def test_when_a_notebook_is_counted_then_it_fits_a_lab_or_is_listed_as_over(path):
    cells, words = size(json.loads(path.read_text()))
    if path.name in OVER:
        assert not fits(cells, words), (
            f"{path.name} now fits ({cells} cells, {words} words): remove it from OVER "
            "in tests/test_lab_size.py."
        )
        most_cells, most_words = OVER[path.name]
        assert cells <= most_cells and words <= most_words, (
            f"{path.name} grew to {cells} cells and {words} words; OVER allows "
            f"{most_cells} and {most_words:,}: cut, do not add."
        )
    else:
        assert fits(cells, words), (
            f"{path.name} has {cells} cells and {words} words of markdown and comments: "
            f"at most {MAX_CELLS} and {MAX_WORDS:,}."
        )
