"""WCAG 2.1 A and AA checks of a page in the browser, with axe-core (pytest puts tests/ on
the path). axe-core comes from npm into the environment's axe-core/ folder (the Makefile's
axe step, which make test runs); nothing is fetched while the tests run.
"""

import sys
from pathlib import Path

# The environment the tests run in (.venv, .venv-jax or .venv-torch) has its own copy.
AXE_SCRIPT = Path(sys.prefix) / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
# Every rule of these tags runs: none disabled, no element excluded.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What nbconvert writes as the alt text of an image whose output carries no description.
NO_DESCRIPTION = "No description has been provided for this image"

# On the whole document, or on the part given (a deck's slide).
AXE_RUN = """async (tags, context) => {
  const results = await axe.run(context || document,
                                {runOnly: {type: 'tag', values: tags},
                                 resultTypes: ['violations']});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    summaries: v.nodes.map(n => n.failureSummary)}));
}"""

# Images without a description of their own: no alt, an empty one, or nbconvert's
# placeholder (every image of the course is a figure: none is only decorative).
UNDESCRIBED_IMAGES = """(placeholder, root = document) =>
  [...root.querySelectorAll('img')]
  .filter(img => { const alt = img.getAttribute('alt');
                   return alt === null || alt.trim() === '' || alt === placeholder; })
  .map(img => 'image of cell ' + [...document.querySelectorAll('.jp-Cell')]
                                     .indexOf(img.closest('.jp-Cell')))"""


def axe_script():
    """axe-core's script, or an error that says how to install it."""
    if not AXE_SCRIPT.is_file():
        raise RuntimeError(
            f"axe-core is missing ({AXE_SCRIPT}): run make test (or make test-browser), "
            "which installs it with npm"
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def load_axe(page):
    """axe-core in ``page``, once."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())


def axe_violations(page):
    """axe-core's WCAG 2.1 A and AA violations of what ``page`` shows now: a list of
    dicts with the rule's id, impact, help and the violating elements' selectors.
    """
    load_axe(page)
    return page.evaluate(AXE_RUN, WCAG_21_AA)


def undescribed_images(page):
    """The cells (their ids) whose images have no description."""
    return page.evaluate(UNDESCRIBED_IMAGES, NO_DESCRIPTION)


def report(where, violations):
    """One line per rule broken: where, the rule, how many elements, the first ones."""
    return [
        f"{where}: {v['id']} ({v['impact']}) on {len(v['targets'])} elements, "
        f"e.g. {', '.join(v['targets'][:3])}: {v['help']}"
        for v in violations
    ]


# Visit every slide of a deck, transitions off, all its fragments shown and its folded
# parts (<details>: solutions) open, as the presenter may show them, once every fade has
# ended, and check it:
# [[h, v, violations, undescribed images]]. Rules about the whole document (its language,
# its title) are checked once, with the first slide.
DECK_CHECK = """async ([axeRun, undescribed, tags, placeholder]) => {
  const frame = () => new Promise(done => requestAnimationFrame(() => setTimeout(done)));
  // Fragments fade in (CSS transitions): measured half-faded, their text has no contrast.
  const settled = async () => {
    for (let i = 0; i < 100; i++) {
      await frame();
      if (document.getAnimations().every(a => a.playState !== 'running')) return;
    }
  };
  const run = eval(axeRun), missing = eval(undescribed);
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const results = [];
  for (const [i, slide] of Reveal.getSlides().entries()) {
    const {h, v} = Reveal.getIndices(slide);
    Reveal.slide(h, v, slide.querySelectorAll('.fragment').length);
    const folded = [...slide.querySelectorAll('details:not([open])')];
    folded.forEach(d => { d.open = true; });
    await settled();
    const violations = await run(tags, i === 0 ? document : slide);
    const images = missing(placeholder, slide);
    folded.forEach(d => { d.open = false; });
    results.push([h, v || 0, violations, images]);
  }
  return results;
}"""


def deck_problems(page, name):
    """Every slide of the deck open in ``page``: a line per rule broken on a slide, a
    line per slide with an undescribed image. The deck must have fitted its slides.
    """
    load_axe(page)
    slides = page.evaluate(
        DECK_CHECK, [AXE_RUN, UNDESCRIBED_IMAGES, WCAG_21_AA, NO_DESCRIPTION]
    )
    problems = []
    for h, v, violations, images in slides:
        problems += report(f"{name} slide {h}/{v}", violations)
        if images:
            problems.append(
                f"{name} slide {h}/{v}: figures without a description: {images}"
            )
    return slides, problems
