"""Static renderings of the series that work offline: ``python -m going_deeper.render html|slides``.

``html``   one page per notebook (outputs and plots as stored), 00 as ``index.html``, links
           between notebooks pointing at the pages, MathJax served from the site itself.
``slides`` one reveal.js deck per notebook from the cells' slide types (slide, sub-slide,
           fragment, skip), with reveal.js copied next to the decks: no CDN.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

from .series import NOTEBOOK_DIR, series_notebooks

NOTEBOOK_LINK = re.compile(r'href="((?:\d\d_[\w-]+))\.ipynb(#[^"]*)?"')
REMOTE_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(https?://[^"]+)"')
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"

# nbconvert's reveal template loads require.js and jQuery from a CDN; this one loads the
# reveal.js copied next to the decks with plain script tags, so a deck works offline.
# Shared by pages and decks: no mermaid loader (a CDN import; the course has no diagrams), and
# MathJax told to use the only web font that jupyter-server-mathjax ships (STIX-Web).
OFFLINE_BLOCKS = """
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}});
</script>
{{ super() }}
{%- endblock html_head_js_mathjax -%}
"""
# The page template also loads require.js from a CDN, which only ipywidgets outputs need.
OFFLINE_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
""" + OFFLINE_BLOCKS
OFFLINE_SLIDES_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_css -%}
<style>.reveal .slides section { max-height: 95vh; overflow-y: auto; }</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({controls: true, progress: true, history: true, transition: "slide",
                   width: 960, height: 700, plugins: [RevealNotes]});
Reveal.on("slidechanged", function (event) {
  if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(["Typeset", MathJax.Hub, event.currentSlide]); }
});
</script>
{% endblock footer_js %}
""" + OFFLINE_BLOCKS


def _package_static(package, *parts):
    """A folder of static files shipped inside an installed Python package."""
    module = __import__(package)
    return Path(module.__file__).parent.joinpath(*parts)


def _offline(html, suffix, name):
    """Point notebook links at the rendered pages; refuse a page that needs the network."""
    remote = REMOTE_ASSET.search(html)
    if remote:
        raise RuntimeError(f"{name} would load {remote.group(1)}: the rendering must work offline")
    return NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}{suffix}{m.group(2) or ""}"', html)


def _render(exporter, out_dir, source_dir, suffix, assets):
    """Export each notebook to ``out_dir/<name><suffix>`` with the static ``assets`` beside them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder, source in assets.items():
        shutil.copytree(source, out_dir / folder, dirs_exist_ok=True)
    written = []
    for path in series_notebooks(source_dir):
        body, _ = exporter.from_filename(str(path))
        target = out_dir / (path.stem + suffix)
        target.write_text(_offline(body, suffix, target.name), encoding="utf-8")
        written.append(target)
    return written


def _offline_exporter(exporter_class, template, **options):
    from jinja2 import DictLoader

    return exporter_class(mathjax_url=MATHJAX_URL, template_file="offline.html.j2",
                          extra_loaders=[DictLoader({"offline.html.j2": template})], **options)


def render_html(out_dir, source_dir=NOTEBOOK_DIR):
    from nbconvert import HTMLExporter

    exporter = _offline_exporter(HTMLExporter, OFFLINE_PAGE_TEMPLATE, template_name="lab")
    pages = _render(exporter, out_dir, source_dir, ".html",
                    {"mathjax": _package_static("jupyter_server_mathjax", "static")})
    shutil.copy(pages[0], Path(out_dir) / "index.html")
    print(f"{len(pages)} pages in {out_dir}/ (open index.html)")
    return pages


def render_slides(out_dir, source_dir=NOTEBOOK_DIR):
    from nbconvert import SlidesExporter

    exporter = _offline_exporter(SlidesExporter, OFFLINE_SLIDES_TEMPLATE, reveal_url_prefix="reveal.js",
                                 reveal_theme="white")  # "white" ships its fonts; "simple" fetches them
    decks = _render(exporter, out_dir, source_dir, ".slides.html",
                    {"reveal.js": _package_static("sphinx_revealjs", "_static", "revealjs"),
                     "mathjax": _package_static("jupyter_server_mathjax", "static")})
    print(f"{len(decks)} decks in {out_dir}/")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["html", "slides"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--source", default=str(NOTEBOOK_DIR), help="folder of executed notebooks")
    args = parser.parse_args(argv)
    render = render_html if args.what == "html" else render_slides
    render(args.out, Path(args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
