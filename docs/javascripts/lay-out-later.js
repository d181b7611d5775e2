// Long pages first, the rest of the page soon after.
//
// docs/stylesheets/extra.css lets the browser skip the layout of a page's blocks that are off
// screen (content-visibility: auto), so the first screenful, math and all, is shown sooner.
// Skipped blocks only hold an estimated height, though, so the scroll bar would keep changing
// length as the reader scrolls. Once the page is on screen, this lays out the remaining blocks
// while the browser is idle, a few at a time, and marks each one laid out: soon the whole page
// has its true length, and a jump far down finds its blocks ready.
//
// Runs on every page, also after Material's instant navigation (document$).
const LATER = ".md-content__inner > "
  + ":is(p, ul, ol, table, .md-typeset__scrollwrap, div.arithmatex, details, .admonition,"
  + " div.highlight, div.gradient-paths)"
  + ":not(.laid-out)";
const whenIdle = window.requestIdleCallback // Safari has none: a timer and 8 ms of work
  || ((work) => setTimeout(() => work({ timeRemaining: () => 8 }), 50));

function layOutWhenIdle(deadline) {
  const blocks = document.querySelectorAll(LATER);
  for (const block of blocks) {
    if (deadline.timeRemaining() < 1) return whenIdle(layOutWhenIdle);
    block.classList.add("laid-out");
    block.getBoundingClientRect(); // lay it out now, in idle time
  }
}

document$.subscribe(() => whenIdle(layOutWhenIdle));
