"""Tested as a person would: headless Chromium drives JupyterLab, the site and the slides.

JupyterLab serves a copy of notebooks/ from a temporary folder, so its autosave never
touches the stored notebooks. Screenshots go to build/screenshots/. Needs Debian's
`chromium` (`.ci/run` installs it); without it these tests are skipped, except in CI,
where they fail.
"""

import functools
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import nbformat
import pytest
from accessibility import (
    NO_DESCRIPTION,
    axe_violations,
    deck_problems,
    report,
    undescribed_images,
)
from outputs import output_text

from tools.course import series_notebooks
from tools.paths import BUILD_DIR, DATA_DIR, NOTEBOOK_DIR

SCREENSHOTS = BUILD_DIR / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError(
            "CI needs Debian's chromium for the browser tests: apt-get install chromium"
        )
    pytest.skip(
        "no chromium found (apt-get install chromium, or run .ci/run)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")


# MathJax 2 checks whether web fonts work by loading a font from about:blank, which
# Chromium refuses with this message. Nothing is missing: the formulas are typeset
# (checked below).
MATHJAX_FONT_PROBE = "Access to font at 'about:blank'"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


def recording_page(browser, width, height):
    """A page that records console and script errors, failed requests in ``.problems``."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.problems = []

    def on_console(msg):  # failed loads are reported below, with their address
        if (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and not msg.text.startswith(MATHJAX_FONT_PROBE)
        ):
            page.problems.append(f"console: {msg.text}")

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))
    page.on(
        "requestfailed",
        lambda request: (
            request.url != "about:blank"
            and page.problems.append(f"request failed: {request.url}")
        ),
    )
    page.on("response", on_response)
    return page


@pytest.fixture
def page(browser):
    page = recording_page(browser, 1280, 900)
    yield page
    page.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on localhost over a copy of the notebooks; yields (base url, token)."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(
        NOTEBOOK_DIR,
        work / "notebooks",
        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
    )
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "GOING_DEEPER_DATA": str(DATA_DIR),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work / 'notebooks'}",
            f"--LabApp.workspaces_dir={work / 'workspaces'}",
            f"--LabApp.user_settings_dir={work / 'settings'}",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "lab.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log = (work / "lab.log").read_text()[-3000:]
                raise RuntimeError("JupyterLab did not start:\n" + log) from None
            time.sleep(0.5)
    yield base, token, work / "notebooks"
    server.terminate()
    server.wait(timeout=30)


NOTEBOOK_STATE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  if (!kernel || !panel.content) return null;
  const code = panel.content.widgets.filter(cell => cell.model.type === "code");
  return {status: kernel.status, cells: code.length,
          ran: code.filter(cell => cell.model.executionCount !== null).length};
}"""

# What the kernel sent, read from the notebook's model: JupyterLab's default windowing
# ("contentVisibility") skips rendering cells outside the viewport, so the page's text
# holds only the cells in view.
NOTEBOOK_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(cell => cell.model.type === "code")
  .flatMap(cell => cell.model.outputs.toJSON())"""


def test_notebook_01_runs_in_jupyterlab_without_errors(lab, page):
    base, token, copy = lab
    stored = (NOTEBOOK_DIR / "01_shallow_cnn.ipynb").read_bytes()
    page.goto(f"{base}/lab/tree/01_shallow_cnn.ipynb?token={token}")
    page.wait_for_function(
        f"(() => {{ const s = ({NOTEBOOK_STATE})();"
        f" return s && s.status === 'idle'; }})()",
        timeout=180_000,
    )
    assert page.evaluate(
        "window.jupyterapp.commands.hasCommand('RISE:slideshow')"
    )  # live slides
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    assert page.evaluate(f"({NOTEBOOK_STATE})()")["ran"] == 0
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        f"(() => {{ const s = ({NOTEBOOK_STATE})();"
        f" return s.ran === s.cells && s.status === 'idle'; }})()",
        timeout=600_000,
        polling=500,
    )

    outputs = page.evaluate(f"({NOTEBOOK_OUTPUTS})()")
    red = [
        out
        for out in outputs
        if out["output_type"] == "error" or out.get("name") == "stderr"
    ]
    assert red == []
    assert "test accuracy:" in "".join(output_text(out) for out in outputs)
    images = page.locator(".jp-RenderedImage img")
    images.last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-RenderedImage img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert images.count() == 3  # training curves, right and wrong predictions
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab_01_shallow_cnn.png"))
    assert page.problems == []
    assert (NOTEBOOK_DIR / "01_shallow_cnn.ipynb").read_bytes() == stored


@pytest.fixture(scope="module")
def rendered(rendered_dir):
    """The site and the slides, served over http on localhost."""
    handler = functools.partial(QuietHandler, directory=str(rendered_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


MATHJAX_DONE = "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"


def open_site_page(page, rendered, name):
    """The site's page ``name`` (index, 01_shallow_cnn, ...), loaded and typeset."""
    page.goto(f"{rendered}/site/{name}.html", wait_until="networkidle")
    page.wait_for_function(MATHJAX_DONE, timeout=60_000)


@pytest.mark.parametrize("name", ["index", "02_going_deeper", "04_how_many_parameters"])
def test_site_pages_load_without_console_errors(rendered, page, name):
    open_site_page(page, rendered, name)
    assert page.locator(".jp-Cell").count() > 10
    assert page.evaluate(
        "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
    if name == "04_how_many_parameters":
        assert (
            page.locator(".MathJax, .MathJax_CHTML, mjx-container").count() > 0
        )  # formulas typeset
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"site_{name}.png"))
    assert page.problems == []


# A deck is ready once reveal.js is and the deck has fitted its slides to the stage.
DECK_READY = """() => window.Reveal && Reveal.isReady()
                      && document.body.dataset.slidesFitted !== undefined"""
# reveal.js animates a slide change with CSS transitions (0.8 s for "slide"): a screenshot
# taken before they end shows a frame between two slides.
TRANSITIONS_ENDED = """() => document.querySelector('.reveal .slides')
                               .getAnimations({subtree: true})
                               .every(a => a.playState !== 'running')"""


def open_deck(page, rendered, name):
    """The deck ``name`` (01_shallow_cnn, ...), ready and fitted to the stage."""
    page.goto(f"{rendered}/slides/{name}.slides.html", wait_until="networkidle")
    page.wait_for_function(DECK_READY, timeout=30_000)


def test_slides_load_and_advance_without_console_errors(rendered, page):
    open_deck(page, rendered, "05_pooling")
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total > 10
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => Reveal.getIndices().h") > 0
    page.wait_for_function(TRANSITIONS_ENDED)
    assert (
        page.evaluate("() => getComputedStyle(Reveal.getCurrentSlide()).opacity") == "1"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "slides_05_pooling.png"))
    assert page.problems == []


# Everything a slide shows must lie on reveal.js's stage (960x700, scaled to the window):
# what lies beyond is cut off by the window or the stage, and a presenter cannot scroll a
# slide. Measured for every element and every line of text (a <pre> box can fit while its
# text runs out of it) against the stage's box, in stage pixels. A box that scrolls on
# purpose counts as fitting if the box fits: inside an output (a long model summary), or a
# table or formula the deck made scroll sideways (gd-scroll). A box that cuts its content
# (overflow: hidden, say a code editor) or scrolls anywhere else is reported. Hidden
# fragments take their room anyway; folded parts (<details>) are skipped.
SLIDE_OVERFLOW = r"""(slide) => {
  const stage = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = stage.width / Reveal.getConfig().width;
  const worst = {};
  const describe = (el) => {
    const classes = [...el.classList].slice(0, 2).map(c => '.' + c).join('');
    const name = el.tagName.toLowerCase() + classes;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const note = (where, px, el) => {
    if (px > 1 && !(worst[where] && worst[where][0] >= px)) worst[where] = [px, el];
  };
  const outside = (box, el) => {
    if (box.width === 0 && box.height === 0) return;
    note('right', (box.right - stage.right) / scale, el);
    note('bottom', (box.bottom - stage.bottom) / scale, el);
    note('left', (stage.left - box.left) / scale, el);
    note('top', (stage.top - box.top) / scale, el);
  };
  const walk = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'none') return;
    if (style.position === 'absolute' && style.clip !== 'auto') return;  // screen readers
    if (el !== slide) outside(el.getBoundingClientRect(), el);
    const overflow = style.overflowX + ' ' + style.overflowY;
    if (el !== slide && overflow !== 'visible visible') {
      const scrolls = /auto|scroll/.test(overflow);
      if (scrolls && el.closest('.jp-OutputArea-output, .gd-scroll')) return;
      const how = scrolls ? 'scrolls' : 'is cut';
      note(`right (${how})`, el.scrollWidth - el.clientWidth, el);
      note(`bottom (${how})`, el.scrollHeight - el.clientHeight, el);
    }
    for (const child of el.childNodes) {
      if (el.tagName === 'DETAILS' && !el.open && child.tagName !== 'SUMMARY') continue;
      if (child.nodeType === Node.ELEMENT_NODE) walk(child);
      else if (child.nodeType === Node.TEXT_NODE && child.textContent.trim()) {
        const range = document.createRange();
        range.selectNodeContents(child);
        outside(range.getBoundingClientRect(), el);
      }
    }
  };
  walk(slide);
  return Object.entries(worst)
    .map(([where, [px, el]]) => `${where} by ${Math.round(px)} px: ${describe(el)}`);
}"""

# Visit every slide of a deck, transitions off, and measure it: [[h, v, title, problems]].
# A slide with folded parts (<details>: solutions) is measured again with them open, as
# the presenter may show them (the deck centres the slide again when one opens).
DECK_OVERFLOWS = r"""async (overflow) => {
  const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done)));
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const results = [];
  for (const slide of Reveal.getSlides()) {
    const {h, v} = Reveal.getIndices(slide);
    Reveal.slide(h, v);
    const heading = slide.querySelector('h1, h2, h3, h4, h5, h6, .gd-continued-label');
    const title = heading ? heading.textContent.replace(/\u00b6/g, '').trim() : '';
    const problems = overflow(slide);
    const folded = [...slide.querySelectorAll('details:not([open])')];
    if (folded.length) {
      folded.forEach(d => { d.open = true; });
      await frame();
      const opened = overflow(slide).filter(p => !problems.includes(p));
      problems.push(...opened.map(p => `${p} (opened)`));
      folded.forEach(d => { d.open = false; });
      await frame();
    }
    results.push([h, v || 0, title, problems]);
  }
  return results;
}"""


def each_deck(page, rendered, rendered_dir):
    """Open every deck in ``page`` in turn, fitted and ready; yield its name (01_...)."""
    decks = sorted(path.name for path in (rendered_dir / "slides").glob("*.slides.html"))
    assert len(decks) == len(series_notebooks())
    for deck in decks:
        name = deck.removesuffix(".slides.html")
        open_deck(page, rendered, name)
        yield name


def test_every_slide_of_every_deck_fits_the_stage(rendered, rendered_dir, browser):
    """Every slide, horizontal and vertical, of every deck, at 1280x720, no transitions.

    Screenshots of the slides that overflow go to build/screenshots/overflow/;
    GOING_DEEPER_SLIDE_SCREENSHOTS=1 saves every slide to build/screenshots/slides/.
    """
    every = bool(os.environ.get("GOING_DEEPER_SLIDE_SCREENSHOTS"))
    page = recording_page(browser, 1280, 720)
    overflows, visited = [], 0
    try:
        for name in each_deck(page, rendered, rendered_dir):
            slides = page.evaluate(f"() => ({DECK_OVERFLOWS})({SLIDE_OVERFLOW})")
            visited += len(slides)
            for h, v, title, problems in slides:
                title = title[:50]
                overflows += [f"{name} slide {h}/{v} ({title}): {p}" for p in problems]
                if problems or every:
                    folder = SCREENSHOTS / ("slides" if every else "overflow")
                    folder.mkdir(parents=True, exist_ok=True)
                    page.evaluate(f"() => Reveal.slide({h}, {v})")
                    shot = folder / f"{name[:2]}_{h:02d}_{v}.png"
                    page.screenshot(path=str(shot))
        summary = f"{len(overflows)} overflows on {visited} slides:\n"
        assert not overflows, summary + "\n".join(overflows)
        assert visited > 60
        assert page.problems == []
    finally:
        page.close()


# Accessibility (WCAG 2.1 A and AA, docs/accessibility.md): axe-core on every page and
# every slide, all its rules, and a description for every figure.
SITE_PAGES = ["index", *(path.stem for path in series_notebooks())]


@pytest.mark.parametrize("name", SITE_PAGES)
def test_every_site_page_passes_axe_and_describes_every_figure(rendered, page, name):
    open_site_page(page, rendered, name)
    problems = report(name, axe_violations(page))
    missing = undescribed_images(page)
    if missing:
        problems.append(
            f"{name}: figures without a description: {missing} (draw them with "
            "going_deeper.plots, or pass the figure through described(); then refresh "
            "the stored outputs)"
        )
    assert problems == [], "\n".join(problems)


def test_every_slide_of_every_deck_passes_axe_and_describes_every_figure(
    rendered, rendered_dir, browser
):
    page = recording_page(browser, 1280, 720)
    problems, visited = [], 0
    try:
        for name in each_deck(page, rendered, rendered_dir):
            slides, found = deck_problems(page, name)
            visited += len(slides)
            problems += found
    finally:
        page.close()
    assert problems == [], f"{len(problems)} problems on {visited} slides:\n" + "\n".join(
        problems
    )
    assert visited > 60


def tiny_plot_notebook():
    """A notebook with a described figure, an undescribed one and faint grey text."""
    import base64
    import io

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([1, 3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode()

    def image(metadata):
        data = {"image/png": png, "text/plain": "<Figure>"}
        return nbformat.v4.new_output("display_data", data=data, metadata=metadata)

    described = image({"image/png": {"alt": "A line rising from 1 to 3."}})
    plots = nbformat.v4.new_code_cell("plot()", outputs=[described, image({})])
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Tiny\n\nSee [the next one](01_next.ipynb)."),
            plots,
            nbformat.v4.new_markdown_cell('<span style="color: #bbbbbb">faint</span>'),
        ]
    )


def test_the_checks_find_an_undescribed_figure_and_faint_text_on_a_tiny_page(
    tmp_path, page
):
    from tools.render import render_html

    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(tiny_plot_notebook(), source / "00_tiny.ipynb")
    render_html(tmp_path / "site", source)
    page.goto((tmp_path / "site" / "00_tiny.html").as_uri(), wait_until="load")
    alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.alt)")
    assert alts == ["A line rising from 1 to 3.", NO_DESCRIPTION]
    assert undescribed_images(page) == ["image of cell 1"]
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["color-contrast"]  # the faint text, only
    assert violations[0]["targets"] == ["p > span"]


def test_site_pages_reflow_at_200_percent_zoom(rendered, browser):
    """A 640x450 window is a 1280x900 one at 200%: nothing makes the page scroll sideways
    (code and outputs scroll in their own boxes, each reachable by Tab), the text is still
    there to read, and axe finds nothing there either."""
    page = recording_page(browser, 640, 450)
    wide, problems = {}, []
    try:
        for name in SITE_PAGES:
            open_site_page(page, rendered, name)
            extra = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            if extra > 1:
                wide[name] = extra
            problems += report(f"{name} at 200%", axe_violations(page))
    finally:
        page.close()
    assert wide == {}, f"pages wider than the window at 200% (pixels too wide): {wide}"
    assert problems == [], "\n".join(problems)


# Tab goes to what the keyboard can use (links, folded solutions, boxes that scroll), not
# to every cell and output as nbconvert's template has it (81 stops on 01's page).
TAB_STOPS = """() => [...document.querySelectorAll('a[href], summary, [tabindex]')]
  .filter(e => e.tabIndex >= 0 && !e.closest('[inert]'))
  .map(e => e.tagName + (e.getAttribute('role') ? ':' + e.getAttribute('role') : ''))"""


def test_tab_stops_on_a_page_are_links_solutions_and_scrolling_boxes(rendered, browser):
    wide = recording_page(browser, 1280, 900)
    zoomed = recording_page(browser, 640, 450)
    try:
        stops = {}
        for name, page in (("100%", wide), ("200%", zoomed)):
            open_site_page(page, rendered, "01_shallow_cnn")
            stops[name] = page.evaluate(TAB_STOPS)
            assert set(stops[name]) <= {"A", "SUMMARY", "DIV:region", "PRE:region"}
        assert "DIV:region" not in stops["100%"] and "PRE:region" not in stops["100%"]
        assert {"DIV:region", "PRE:region"} & set(stops["200%"])  # code that scrolls
        name = zoomed.evaluate("() => document.querySelector('[role=region]').ariaLabel")
        assert name.startswith(("Code of cell", "Output of cell")), name
    finally:
        wide.close()
        zoomed.close()


# A presenter with no mouse: the keys reveal.js documents (Space, arrows, Tab to a folded
# solution and Enter to open it), and a visible focus.
def test_a_deck_can_be_given_by_keyboard_alone(rendered, page):
    open_deck(page, rendered, "05_pooling")
    page.evaluate("() => Reveal.configure({transition: 'none'})")
    total = page.evaluate("() => Reveal.getTotalSlides()")
    seen = set()
    for _ in range(total * 6):  # fragments take key presses too
        seen.add(page.evaluate("() => JSON.stringify(Reveal.getIndices())"))
        at_end = "() => Reveal.isLastSlide() && !Reveal.availableFragments().next"
        if page.evaluate(at_end):
            break
        page.keyboard.press("Space")
    slides = {tuple(json.loads(i)[k] or 0 for k in "hv") for i in seen}
    assert len(slides) == total  # every slide, in order, by the space bar alone
    page.keyboard.press("Home")
    assert page.evaluate("() => Reveal.getIndices().h") == 0
    seen = set()
    for _ in range(total * 6):  # the right arrow too, continuation slides included
        seen.add(page.evaluate("() => JSON.stringify(Reveal.getIndices())"))
        if page.evaluate(at_end):
            break
        page.keyboard.press("ArrowRight")
    assert len({tuple(json.loads(i)[k] or 0 for k in "hv") for i in seen}) == total
    page.keyboard.press("Home")
    # A folded solution: the keyboard reaches its summary and opens it.
    summary = page.locator("details summary").first
    page.evaluate(
        "() => { const at = Reveal.getIndices(document.querySelector('details')"
        ".closest('section')); Reveal.slide(at.h, at.v || 0, 99); }"
    )
    for _ in range(20):  # Tab stays on the slide shown: the others are inert
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # where the focus is shows
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")
    assert page.problems == []
