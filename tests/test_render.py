"""make html and make slides: offline pages and decks from the stored notebooks."""

import re

import pytest

from course_tools.render import REMOTE_ASSET


@pytest.fixture(scope="module")
def site(rendered_dir):
    return rendered_dir / "site"


@pytest.fixture(scope="module")
def slides(rendered_dir):
    return rendered_dir / "slides"


def test_site_has_a_page_per_notebook_and_the_contents_as_index(site):
    pages = sorted(p.name for p in site.glob("0*.html"))
    assert [p[:2] for p in pages] == ["00", "01", "02", "03", "04", "05"]
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
    assert len(decks) == 6 and (slides / "reveal.js" / "dist" / "reveal.js").is_file()
    deck = (slides / "04_pooling.slides.html").read_text()
    assert '<script src="reveal.js/dist/reveal.js"></script>' in deck
    assert not REMOTE_ASSET.search(deck) and "require(" not in deck
    assert deck.count("<section") > 20 and 'class="fragment"' in deck
    assert "Solution 04.1" in deck  # folded solutions become fragments, shown on a click
    assert "03_how_many_parameters.slides.html" in deck
