"""Static renderings of the series that work offline: ``python -m tools.render``.

``html``   one page per notebook (outputs and plots as stored), 00 as ``index.html``,
           links between notebooks pointing at the pages, MathJax served from the site.
``slides`` one reveal.js deck per notebook from the cells' slide types (slide, sub-slide,
           fragment, skip), with reveal.js copied next to the decks: no CDN. Every slide
           fits reveal.js's 960x700 stage: too tall, it goes on in a sub-slide.
"""

import argparse
import html
import re
import shutil
import sys
import tomllib
from pathlib import Path

from .course import series_notebooks
from .paths import NOTEBOOK_DIR, ROOT

NOTEBOOK_LINK = re.compile(r'href="((?:\d\d_[\w-]+))\.ipynb(#[^"]*)?"')
REMOTE_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(https?://[^"]+)"')
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"

# The templates live in templates/ next to this module, so they are found from any working
# directory: offline_page.html.j2 and offline_slides.html.j2 extend offline_base.html.j2,
# which holds what pages and decks share (no mermaid loader, MathJax's local font).
# nbconvert's templates load require.js and jQuery from a CDN; the deck template loads the
# reveal.js copied next to the decks with plain script tags, so a deck works offline, and
# fits every slide to the 960x700 stage (templates/slides.css and fit_slides.js, inlined).
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
OFFLINE_PAGE_TEMPLATE = "offline_page.html.j2"
OFFLINE_SLIDES_TEMPLATE = "offline_slides.html.j2"


def _package_static(package, *parts):
    """A folder of static files shipped inside an installed Python package."""
    module = __import__(package)
    return Path(module.__file__).parent.joinpath(*parts)


def _offline(html, suffix, name):
    """Point notebook links at the rendered pages; refuse a page that needs a network."""
    remote = REMOTE_ASSET.search(html)
    if remote:
        raise RuntimeError(
            f"{name} would load {remote.group(1)}: the rendering must work offline"
        )
    return NOTEBOOK_LINK.sub(
        lambda m: f'href="{m.group(1)}{suffix}{m.group(2) or ""}"', html
    )


GITHUB_REPOSITORY = re.compile(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")


def repository_address(pyproject=ROOT / "pyproject.toml"):
    """The course's public address, ``[project.urls] Repository`` (None while unset)."""
    with open(pyproject, "rb") as file:
        urls = tomllib.load(file)["project"].get("urls", {})
    return urls.get("Repository")


def launch_badges(notebook_name, repository):
    """Open-in-Colab and Binder links for one notebook of a GitHub repository; empty
    while the address is unset (or not on GitHub, which both services need). Plain
    links, not badge images: the site loads nothing from the network.
    """
    match = GITHUB_REPOSITORY.match(repository or "")
    if not match:
        return ""
    owner, name = match.groups()
    path = f"notebooks/{notebook_name}"
    colab = f"https://colab.research.google.com/github/{owner}/{name}/blob/main/{path}"
    binder = f"https://mybinder.org/v2/gh/{owner}/{name}/main?labpath={path}"
    return (
        '<p class="launch-badges">'
        f'<a class="launch-badge" href="{html.escape(colab)}">Open in Colab</a> '
        f'<a class="launch-badge" href="{html.escape(binder)}">Launch on Binder</a></p>'
    )


def _render(exporter, out_dir, source_dir, suffix, assets, badges=None):
    """Export each notebook to ``out_dir/<name><suffix>``, ``assets`` copied beside;
    ``badges``: the repository address that launch links point at (None: no links).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder, source in assets.items():
        shutil.copytree(source, out_dir / folder, dirs_exist_ok=True)
    written = []
    for path in series_notebooks(source_dir):
        body, _ = exporter.from_filename(str(path))
        links = launch_badges(path.name, badges)
        if links:
            body = body.replace("<main>", "<main>" + links, 1)
        target = out_dir / (path.stem + suffix)
        target.write_text(_offline(body, suffix, target.name), encoding="utf-8")
        written.append(target)
    return written


def _offline_exporter(exporter_class, template_file, **options):
    from jinja2 import FileSystemLoader

    return exporter_class(
        mathjax_url=MATHJAX_URL,
        template_file=template_file,
        extra_loaders=[FileSystemLoader(TEMPLATE_DIR)],
        **options,
    )


def render_html(out_dir, source_dir=NOTEBOOK_DIR, repository=None):
    """The site; ``repository`` defaults to pyproject.toml's address (for the badges)."""
    from nbconvert import HTMLExporter

    repository = repository or repository_address()
    exporter = _offline_exporter(HTMLExporter, OFFLINE_PAGE_TEMPLATE, template_name="lab")
    pages = _render(
        exporter,
        out_dir,
        source_dir,
        ".html",
        {"mathjax": _package_static("jupyter_server_mathjax", "static")},
        badges=repository,
    )
    if not GITHUB_REPOSITORY.match(repository or ""):
        print(
            "No Colab or Binder links: set Repository under [project.urls] in "
            "pyproject.toml to the course's GitHub address to draw them."
        )
    shutil.copy(pages[0], Path(out_dir) / "index.html")
    print(f"{len(pages)} pages in {out_dir}/ (open index.html)")
    return pages


def render_slides(out_dir, source_dir=NOTEBOOK_DIR):
    from nbconvert import SlidesExporter

    exporter = _offline_exporter(
        SlidesExporter,
        OFFLINE_SLIDES_TEMPLATE,
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
    )  # "white" ships its fonts; "simple" fetches them
    decks = _render(
        exporter,
        out_dir,
        source_dir,
        ".slides.html",
        {
            "reveal.js": _package_static("sphinx_revealjs", "_static", "revealjs"),
            "mathjax": _package_static("jupyter_server_mathjax", "static"),
        },
    )
    print(f"{len(decks)} decks in {out_dir}/")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["html", "slides"])
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--source", default=str(NOTEBOOK_DIR), help="folder of executed notebooks"
    )
    args = parser.parse_args(argv)
    render = render_html if args.what == "html" else render_slides
    render(args.out, Path(args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
