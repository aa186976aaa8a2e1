"""Shared test set-up."""

import matplotlib
import pytest

matplotlib.use("Agg")  # no screen in CI


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory):
    """The site (site/) and the slides (slides/), rendered once for all the tests."""
    from tools.render import render_html, render_slides

    root = tmp_path_factory.mktemp("rendered")
    render_html(root / "site")
    render_slides(root / "slides")
    return root
