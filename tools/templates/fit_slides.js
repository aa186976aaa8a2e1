/* {% raw %} (inlined by offline_slides.html.j2; Jinja leaves this file as it is)

   fitSlides(Reveal): once the deck, its fonts, plots and formulas have loaded, make every slide
   fit reveal.js's stage (the configured width x height, 960x700), whatever the notebook holds.
   slides.css has already wrapped code, bounded long outputs (--gd-output-max-height) and scaled
   plots down; this script measures each slide, its folded parts (<details>) open, and:
   1. widths: a text output whose longest line is too wide gets a smaller font (down to
      MIN_FONT_PX), so that printed tables keep their columns; if even that is too wide it
      wraps, or, when it draws with box-drawing characters, keeps its lines and scrolls
      sideways. A wide table or formula shrinks the same way, then scrolls sideways
      (class gd-scroll). A text output longer than its bounded box gets a smaller font too,
      before it scrolls;
   2. heights: a slide taller than the stage is split after the last cell, output, paragraph,
      list item or line of code that fits, into a continuation sub-slide right after it
      (labelled "<heading> · continued"). A heading stays with what follows it, and so does a
      one-line output (Keras's "Model: ..." with its summary). An output or plot that would keep
      most of its height on the slide is bounded to the room left instead (a scrolling box, a
      smaller plot);
   3. a single block still taller than the stage (a very long paragraph) is zoomed out, down to
      MIN_ZOOM; below that the slide overflows, and the browser test names it.
   Sets data-slides-fitted (the number of slides added) on <body> when done. */
(function () {
  "use strict";
  var MIN_FONT_PX = 12;         // the smallest font a too-wide or too-long text output gets
  var MIN_BOX_PX = 240;         // the least height an output box or a plot is bounded to
  var KEEP_IN_PLACE = 0.75;     // bound an output in place if it keeps this share of its height
  var KEEP_WITH_NEXT_PX = 30;   // an output this short moves with the output after it
  var LABEL_PX = 40;            // the continuation label and the cell's padding, roughly
  var MIN_ZOOM = 0.6;
  var WAIT_MS = 15000;          // fit anyway if fonts, plots or formulas take longer than this
  var SPLIT_INSIDE = ".fragment, .jp-Cell, .jp-Cell-inputWrapper, .jp-InputArea, " +
                     ".jp-RenderedMarkdown, .jp-Cell-outputWrapper, .jp-OutputArea, ul, ol";
  var WIDE_BLOCKS = ".jp-RenderedMarkdown table, .jp-RenderedHTML table, .MathJax_Display";
  var BOX_DRAWING = /[\u2500-\u257f]/;
  var HEADING = /^H[1-6]$/;

  function isShown(el) {
    if (el.classList.contains("gd-continued-label")) return false;
    if (getComputedStyle(el).display === "none") return false;
    var box = el.getBoundingClientRect();
    return box.width > 0 || box.height > 0;
  }

  function shownChildren(el) {
    return Array.prototype.filter.call(el.children, isShown);
  }

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  // Lay a slide (and its vertical stack) out for measuring, whichever slide reveal.js shows,
  // with its folded parts (<details>: solutions) open, as the presenter may open them.
  function withSlideShown(slide, work) {
    var shown = slide.parentElement.tagName === "SECTION" ? [slide, slide.parentElement] : [slide];
    var saved = shown.map(function (el) { return el.style.display; });
    var folded = Array.prototype.slice.call(slide.querySelectorAll("details:not([open])"));
    shown.forEach(function (el) { el.style.display = "block"; });
    folded.forEach(function (el) { el.open = true; });
    try {
      return work();
    } finally {
      folded.forEach(function (el) { el.open = false; });
      shown.forEach(function (el, i) { el.style.display = saved[i]; });
    }
  }

  // Where the slide is, in stage pixels (reveal.js scales the whole stage to the window).
  function geometry(slide, stageHeight) {
    var stage = document.querySelector(".reveal .slides").getBoundingClientRect();
    var g = {top: slide.getBoundingClientRect().top, scale: stage.height / stageHeight,
             stage: stageHeight};
    g.height = heightOf(slide, g);
    g.limit = stageHeight - trailing(slide, g) - 0.5;
    return g;
  }

  function bottomOf(el, g) { return (el.getBoundingClientRect().bottom - g.top) / g.scale; }
  function topOf(el, g) { return (el.getBoundingClientRect().top - g.top) / g.scale; }
  function heightOf(el, g) { return el.getBoundingClientRect().height / g.scale; }

  // The room an element takes below its last shown child: padding, border, a margin.
  function trailing(el, g) {
    var last = 0;
    shownChildren(el).forEach(function (child) { last = Math.max(last, bottomOf(child, g)); });
    return last ? Math.max(0, bottomOf(el, g) - last) : 0;
  }

  // Shrink el's font (down to MIN_FONT_PX) until tooWide() is false; true if it got there.
  function shrinkFont(el, tooWide, ratio) {
    var size = parseFloat(getComputedStyle(el).fontSize);
    var fitted = Math.floor(4 * size * ratio) / 4;
    if (fitted < MIN_FONT_PX) return false;
    el.style.fontSize = fitted + "px";
    while (tooWide() && fitted > MIN_FONT_PX) {
      fitted -= 0.25;
      el.style.fontSize = fitted + "px";
    }
    return !tooWide();
  }

  // 1. Widths (and the length of text outputs).
  function fitWidths(slide) {
    each(slide, ".jp-OutputArea-output pre", function (pre) {
      if (!isShown(pre)) return;
      pre.classList.add("gd-measure");
      var tooWide = function () { return pre.scrollWidth > pre.clientWidth + 1; };
      if (tooWide()) {
        var whole = shrinkFont(pre, tooWide, pre.clientWidth / pre.scrollWidth);
        if (whole) {
          pre.classList.add("gd-nowrap");
        } else if (BOX_DRAWING.test(pre.textContent)) {
          pre.style.fontSize = MIN_FONT_PX + "px";
          pre.classList.add("gd-nowrap");  // a table: keep its lines, scroll sideways
        } else {
          pre.style.fontSize = "";         // wrap at the usual size
        }
      }
      pre.classList.remove("gd-measure");
      var box = pre.closest(".jp-OutputArea-output");
      if (box.scrollHeight > box.clientHeight + 1) {  // longer than its box: smaller, or scroll
        var size = parseFloat(getComputedStyle(pre).fontSize);
        var smaller = Math.floor(4 * size * box.clientHeight / box.scrollHeight) / 4;
        if (smaller >= MIN_FONT_PX) pre.style.fontSize = smaller + "px";
      }
    });
    each(slide, WIDE_BLOCKS, function (block) {
      var room = block.parentElement.clientWidth;
      var tooWide = function () {
        return block.offsetWidth > room + 1 || block.scrollWidth > block.clientWidth + 1;
      };
      if (!isShown(block) || !tooWide()) return;
      var ratio = room / Math.max(block.offsetWidth, block.scrollWidth);
      if (!shrinkFont(block, tooWide, ratio)) {
        block.style.fontSize = MIN_FONT_PX + "px";
        block.classList.add("gd-scroll");   // still too wide: scrolls sideways, in its own box
      }
    });
  }

  // An output that overflows the slide but would keep most of its height there: bound it.
  function boundInPlace(child, limit, g) {
    if (!child.classList.contains("jp-OutputArea-child")) return false;
    var output = child.querySelector(".jp-OutputArea-output");
    if (!output) return false;
    var height = heightOf(child, g);
    var room = limit - topOf(child, g);
    var fitsAlone = height <= g.stage - LABEL_PX;  // whole on a continuation slide
    if (room < MIN_BOX_PX || (fitsAlone && room < KEEP_IN_PLACE * height)) return false;
    var target = output.querySelector("img") || output;
    var bounded = Math.floor(heightOf(target, g) - (height - room));
    if (bounded < MIN_BOX_PX * 0.8) return false;
    target.style.maxHeight = bounded + "px";
    return true;
  }

  // A heading stays with the text after it, a one-line output (Keras's "Model: ...") with the
  // output after it (the model summary).
  function keptWithNext(el, g) {
    return HEADING.test(el.tagName) ||
           (el.classList.contains("jp-OutputArea-child") && heightOf(el, g) < KEEP_WITH_NEXT_PX);
  }

  // The start of the first line of code that ends below limit, if a line before it fits.
  function codeLineSplit(editor, limit, g) {
    var pre = editor.querySelector("pre");
    if (!pre) return null;
    var editorBelow = editor.getBoundingClientRect().bottom - pre.getBoundingClientRect().bottom;
    var below = parseFloat(getComputedStyle(pre).paddingBottom) + editorBelow / g.scale;
    var range = document.createRange();
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    var fits = null;
    for (var text = walker.nextNode(); text; text = walker.nextNode()) {
      for (var i = text.data.indexOf("\n"); i !== -1; i = text.data.indexOf("\n", i + 1)) {
        range.setStart(pre, 0);
        range.setEnd(text, i);                      // the code up to the end of this line
        if ((range.getBoundingClientRect().bottom - g.top) / g.scale + below > limit) {
          text = null;
          break;
        }
        fits = {node: text, offset: i + 1};
      }
      if (!text) break;
    }
    if (!fits) return null;
    range.setStart(fits.node, fits.offset);
    range.setEnd(pre, pre.childNodes.length);
    if (!range.toString().trim()) return null;      // nothing but blank lines after it
    return fits.node.splitText(fits.offset);        // the rest of the code moves on
  }

  // 2. Where to split: before the first block (as deep as SPLIT_INSIDE goes) that ends below
  // limit. {before: node}, {bounded: true}, {atStart: node} when the container's first block
  // is too tall by itself, or null when everything fits.
  function findSplit(container, limit, g) {
    var children = shownChildren(container);
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (bottomOf(child, g) <= limit) continue;
      if (boundInPlace(child, limit, g)) return {bounded: true};
      var inner = null;
      if (child.matches(".jp-InputArea-editor")) {
        var line = codeLineSplit(child, limit, g);
        if (line) return {before: line};
      } else if (child.matches(SPLIT_INSIDE)) {
        inner = findSplit(child, limit - trailing(child, g), g);
        if (inner && !inner.atStart) return inner;
      }
      var k = i;
      while (k > 0 && keptWithNext(children[k - 1], g)) k--;
      if (k > 0) return {before: children[k]};
      return {atStart: k === i && inner ? inner.atStart : child};
    }
    return null;
  }

  // The first shown block after node, at the deepest level: split there to put node alone.
  function shownAfter(node, slide) {
    for (var el = node; el && el !== slide; el = el.parentElement) {
      for (var next = el.nextElementSibling; next; next = next.nextElementSibling) {
        if (isShown(next)) return next;
      }
    }
    return null;
  }

  function siblingsFrom(node) {
    var nodes = [];
    for (var n = node; n; n = n.nextSibling) {
      if (!(n.nodeType === 1 && n.matches("aside.notes"))) nodes.push(n);  // notes stay
    }
    return nodes;
  }

  // Move node and everything after it into a new slide right after this one, copying the
  // elements around node (a cell, its output area...) so the moved part keeps its styles.
  function splitBefore(slide, node) {
    var moving = siblingsFrom(node);
    for (var parent = node.parentElement; parent !== slide; parent = parent.parentElement) {
      var copy = parent.cloneNode(false);
      copy.removeAttribute("id");
      copy.removeAttribute("data-fragment-index");
      copy.classList.remove("fragment", "visible", "current-fragment");  // shown on arrival
      if (parent.tagName === "OL") {  // the list goes on counting
        var before = 0;
        var item = parent.firstElementChild;
        for (; item && moving.indexOf(item) === -1; item = item.nextElementSibling) {
          if (item.tagName === "LI") before++;
        }
        copy.setAttribute("start", String((parent.start || 1) + before));
      }
      var rest = siblingsFrom(parent).slice(1);
      moving.forEach(function (n) { copy.appendChild(n); });
      moving = [copy].concat(rest);
    }
    var next = slide.cloneNode(false);
    var stale = ["id", "style", "hidden", "aria-hidden", "data-index-h", "data-index-v"];
    stale.forEach(function (name) { next.removeAttribute(name); });
    next.classList.remove("present", "past", "future");
    next.classList.add("gd-continued");
    var heading = slide.querySelector(".gd-continued-label, h1, h2, h3, h4, h5, h6");
    var title = !heading ? "" : heading.classList.contains("gd-continued-label")
      ? heading.getAttribute("data-title")
      : heading.textContent.replace(/\u00b6\s*$/, "").trim();  // no pilcrow of the anchor link
    var label = document.createElement("p");
    label.className = "gd-continued-label";
    label.setAttribute("data-title", title);
    label.textContent = (title ? title + " \u00b7 " : "") + "continued";
    next.appendChild(label);
    moving.forEach(function (n) { next.appendChild(n); });
    slide.parentNode.insertBefore(next, slide.nextSibling);
    return next;
  }

  // 3. A block taller than the stage by itself.
  function zoomOut(slide, g) {
    slide.style.zoom = String(Math.max(MIN_ZOOM, Math.floor(100 * g.stage / g.height) / 100));
  }

  function fitSlide(slide, stageHeight) {
    var added = 0;
    var queue = [slide];
    while (queue.length) {
      var current = queue.shift();
      withSlideShown(current, function () {
        fitWidths(current);
        for (var round = 0; round < 100; round++) {
          var g = geometry(current, stageHeight);
          if (g.height <= g.stage + 0.5) return;
          var cut = findSplit(current, g.limit, g);
          if (cut && cut.bounded) continue;
          var node = !cut ? null : cut.before || shownAfter(cut.atStart, current);
          if (!node) {
            zoomOut(current, g);
            return;
          }
          queue.push(splitBefore(current, node));  // then look at what stays here again
          added++;
        }
      });
    }
    return added;
  }

  function whenLoaded() {
    var loaded = new Promise(function (resolve) {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("load", resolve, {once: true});
    });
    var fonts = document.fonts ? document.fonts.ready : Promise.resolve();
    var formulas = new Promise(function (resolve) {
      var hub = window.MathJax && MathJax.Hub;
      if (hub && hub.Register) hub.Register.StartupHook("End", resolve);  // typeset at start
      else resolve();
    });
    var timeout = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); });
    return Promise.race([Promise.all([loaded, fonts, formulas]), timeout]);
  }

  window.fitSlides = function (reveal) {
    // Opening a folded solution makes a slide taller: centre it again.
    document.addEventListener("toggle", function () { reveal.layout(); }, true);
    return whenLoaded().then(function () {
      var stageHeight = reveal.getConfig().height;
      var added = 0;
      reveal.getSlides().forEach(function (slide) { added += fitSlide(slide, stageHeight); });
      if (added) reveal.sync();
      reveal.layout();
      document.body.setAttribute("data-slides-fitted", String(added));
    });
  };
})();
/* {% endraw %} */
