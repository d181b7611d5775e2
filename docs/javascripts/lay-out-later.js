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
const whenIdle = window.requestIdleCallback // Safari has none: a timer and 8 ms of work
  || ((work) => setTimeout(() => work({ timeRemaining: () => 8 }), 50));

// Work in slices of at most this many milliseconds (at least one block each): a slice that
// fills the whole idle period (up to 50 ms) and the block that overran it make a task over
// 50 ms, which keeps a tap waiting (Lighthouse counts it as blocking time, and its simulated
// phone makes every task four times as long as on the machine that measured it).
const SLICE_MS = 10;

// The blocks the stylesheet lets the browser skip, and that are not laid out yet.
function later() {
  return Array.from(document.querySelectorAll(".md-content__inner > :not(.laid-out)"))
    .filter((block) => getComputedStyle(block).contentVisibility === "auto");
}

function layOutWhenIdle(deadline) {
  const stop = performance.now() + Math.min(SLICE_MS, deadline.timeRemaining());
  for (const block of later()) {
    if (performance.now() >= stop) {
      whenIdle(layOutWhenIdle);
      return;
    }
    block.classList.add("laid-out");
    block.getBoundingClientRect(); // lay it out now, in idle time
  }
}

document$.subscribe(() => whenIdle(layOutWhenIdle));
