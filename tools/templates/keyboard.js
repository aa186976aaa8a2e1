// {% raw %} (inlined by offline_base.html.j2 in every page and by offline_slides.html.j2 in
// every deck; Jinja leaves it as it is)
//
// Keyboard stops (WCAG 2.1.1 and 2.4.3). nbconvert's lab template makes every cell's input
// and every output a Tab stop (tabindex="0", with no role or name): 81 stops on notebook
// 01's page before the reader reaches its end. They go; what the keyboard needs stays:
// links, folded solutions, and a box whose content scrolls (code or an output wider than
// the window, at 200% zoom), which gets a Tab stop, so that the arrow keys scroll it, with
// a role and a name that say what it is.
// (A deck bounds a long output's height: the output itself scrolls, not its <pre>.)
var SCROLL_BOXES = ".jp-InputArea-editor, .jp-InputArea-editor .highlight, " +
                   ".jp-OutputArea-output, .jp-OutputArea-output pre, " +
                   ".jp-RenderedHTMLCommon table";

function dropWrapperTabStops(root) {
  root.querySelectorAll(".jp-Cell div[tabindex='0']").forEach(function (element) {
    element.removeAttribute("tabindex");
  });
}

function scrolls(box) {
  var style = getComputedStyle(box);
  var sideways = /auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1;
  var down = /auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1;
  return sideways || down;
}

function boxName(box) {
  var cell = box.closest(".jp-Cell");
  var prompt = cell && cell.querySelector(".jp-InputPrompt");
  var number = prompt ? prompt.textContent.replace(/[^0-9]/g, "") : "";
  var kind = box.closest(".jp-InputArea") ? "Code" : "Output";
  return kind + (number ? " of cell " + number : "") + ", scrolls";
}

function markScrollBoxes(root) {
  root.querySelectorAll(SCROLL_BOXES).forEach(function (box) {
    if (scrolls(box)) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", boxName(box));
    } else if (box.hasAttribute("aria-label")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
// {% endraw %}
