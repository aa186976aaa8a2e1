"""make html and make slides: offline pages and decks from the stored notebooks."""

import re

import nbformat
import pytest

from tools.course import read_course
from tools.render import (
    REMOTE_ASSET,
    launch_badges,
    render_html,
    repository_address,
)

COURSE = read_course()


@pytest.fixture(scope="module")
def site(rendered_dir):
    return rendered_dir / "site"


@pytest.fixture(scope="module")
def slides(rendered_dir):
    return rendered_dir / "slides"


def test_site_has_a_page_per_notebook_and_the_contents_as_index(site):
    pages = sorted(p.name for p in site.glob("0*.html"))
    assert [p[:2] for p in pages] == [entry.number for entry in COURSE.notebooks]
    index = (site / "index.html").read_text()
    assert 'id="Contents"' in index and 'href="01_shallow_cnn.html"' in index
    assert (site / "mathjax" / "MathJax.js").is_file()


def test_site_pages_link_to_pages_and_load_nothing_remote(site):
    for page in site.glob("*.html"):
        html = page.read_text()
        assert not REMOTE_ASSET.search(html), page.name
        assert not re.search(r'href="\d\d_\w+\.ipynb', html), page.name
        for target in re.findall(r'href="(\d\d_\w+\.html)', html):
            assert (site / target).is_file(), f"{page.name} links to missing {target}"
    assert html.count("data:image/png;base64") or "<img" in html  # plots are embedded


def test_decks_use_the_local_reveal_and_the_slide_types(slides):
    decks = sorted(slides.glob("*.slides.html"))
    assert (
        len(decks) == len(COURSE.notebooks)
        and (slides / "reveal.js" / "dist" / "reveal.js").is_file()
    )
    deck = (slides / "05_pooling.slides.html").read_text()
    assert '<script src="reveal.js/dist/reveal.js"></script>' in deck
    assert not REMOTE_ASSET.search(deck) and "require(" not in deck
    assert deck.count("<section") > 20 and 'class="fragment"' in deck
    assert "Solution 05.1" in deck  # folded solutions become fragments, shown on a click
    assert "04_how_many_parameters.slides.html" in deck


def test_while_the_address_is_unset_no_launch_badge_is_drawn(site):
    assert repository_address() is None  # pyproject.toml ships with it unset
    assert not any("launch-badge" in page.read_text() for page in site.glob("*.html"))


@pytest.mark.parametrize(
    "address", [None, "", "https://gitlab.com/me/going-deeper", "not an address"]
)
def test_badges_need_a_github_address(address):
    assert launch_badges("01_shallow_cnn.ipynb", address) == ""


def test_a_github_address_gives_each_page_its_colab_and_binder_links(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Tiny")])
    nbformat.write(nb, source / "00_tiny.ipynb")
    render_html(tmp_path / "site", source, "https://github.com/someone/going-deeper.git")
    page = (tmp_path / "site" / "00_tiny.html").read_text()
    assert (
        'href="https://colab.research.google.com/github/someone/going-deeper/blob/main/'
        'notebooks/00_tiny.ipynb">Open in Colab</a>' in page
    )
    assert (
        'href="https://mybinder.org/v2/gh/someone/going-deeper/main?'
        'labpath=notebooks/00_tiny.ipynb">Launch on Binder</a>' in page
    )
    assert "No Colab or Binder links" not in capsys.readouterr().out
