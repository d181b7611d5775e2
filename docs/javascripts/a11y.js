// Keyboard and screen-reader fixes to markup that Material and mkdocs-jupyter create.
//
// - A box that scrolls sideways (a wide display formula, a notebook code cell, a wide table)
//   must be reachable with the keyboard, or a keyboard user cannot scroll it: it gets
//   tabindex="0" while it overflows (re-checked when its size changes, e.g. once the math is
//   typeset or the window is narrowed), and loses it when everything fits again.
// - Material wraps every code block's copy button in a <nav>: a landmark per code block, all
//   unnamed, which clutters a screen reader's list of landmarks. The wrapper becomes a <div>
//   with the same class and button (named "Copy to clipboard"): same layout, no landmark.
//
// Runs on every page, also after Material's instant navigation (document$).
const SCROLL_BOXES = [
  ".md-typeset div.arithmatex",
  '.md-typeset mjx-container[display="true"]',
  ".jupyter-wrapper .highlight-ipynb",
  ".jupyter-wrapper .jp-OutputArea-output pre",
  ".md-typeset__scrollwrap",
].join(", ");

const MARKED = "data-a11y-scroll"; // tabindex added by this script, not by the page

function overflows(box) {
  const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
  return scrolls && box.scrollWidth > box.clientWidth + 1;
}

function mark(box, overflowing) {
  if (overflowing && !box.hasAttribute("tabindex")) {
    box.setAttribute("tabindex", "0");
    box.setAttribute(MARKED, "");
  } else if (!overflowing && box.hasAttribute(MARKED)) {
    box.removeAttribute("tabindex");
    box.removeAttribute(MARKED);
  }
}

// Measure every box first, then mark them: one layout for the lot, not one per box.
function check(boxes) {
  const measured = Array.from(boxes, (box) => [box, overflows(box)]);
  measured.forEach(([box, overflowing]) => mark(box, overflowing));
}

// A box is re-checked when it or a scroll box inside it (a formula once typeset) changes size.
const resized = new ResizeObserver((entries) => {
  const boxes = new Set();
  entries.forEach((entry) => {
    boxes.add(entry.target);
    const outer = entry.target.parentElement?.closest(SCROLL_BOXES);
    if (outer) boxes.add(outer);
  });
  check(boxes);
});

// Blocks far off screen are laid out a little later (docs/javascripts/lay-out-later.js); the
// observer hears from their boxes then.
function watchScrollBoxes(root) {
  const boxes = Array.from(root.querySelectorAll(SCROLL_BOXES));
  if (root.matches(SCROLL_BOXES)) boxes.push(root);
  boxes.forEach((box) => resized.observe(box));
}

// The copy button's <nav> becomes a <div> with the same class and the same button in it.
function unlandmarkCodeNavs(root) {
  const navs = Array.from(root.querySelectorAll("nav.md-code__nav"));
  if (root.matches("nav.md-code__nav")) navs.push(root);
  navs.forEach((nav) => {
    const div = document.createElement("div");
    div.className = nav.className;
    div.append(...nav.childNodes);
    nav.replaceWith(div);
  });
}

// Material adds the copy buttons while it mounts each code block, after document$ may have
// fired: handle whatever is added later too.
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      unlandmarkCodeNavs(node);
      watchScrollBoxes(node);
    }
  }
}).observe(document.body, { childList: true, subtree: true });

document$.subscribe(() => {
  unlandmarkCodeNavs(document.body);
  watchScrollBoxes(document.body);
});
