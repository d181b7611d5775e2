// Typeset the formulas quoted in search results.
//
// Pages carry their math typeset at build time (docs/_hooks/prerender_math.py), but the search
// index is made from the TeX source, so result excerpts quote raw \(…\), \[…\], $…$ or $$…$$.
// The build also writes assets/mathjax/search-math.json, each formula's typeset HTML keyed by
// "D" (display) or "I" (inline) and the TeX with its whitespace collapsed. The first time a
// result shows TeX this script fetches that map once, and from then on replaces every formula
// in the results with its HTML (styled by the site's MathJax stylesheet). No MathJax runs here.
const SEARCH_RESULTS = ".md-search-result__list";
const MATH_MAP_URL = new URL("../assets/mathjax/search-math.json", document.currentScript.src);
// Display math first, as in the build: $$…$$, \[…\], then $…$ and \(…\).
const TEX = /\$\$([^]+?)\$\$|\\\[([^]+?)\\\]|\$([^$]+?)\$|\\\(([^]+?)\\\)/g;

let mathMap = null; // a promise of the map, once asked for

function loadMathMap() {
  mathMap ??= fetch(MATH_MAP_URL).then((response) => response.json());
  return mathMap;
}

// The text of `root` with where each text node starts in it (Material wraps hits in <mark>).
function textOf(root) {
  const nodes = [];
  let text = "";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push({ node, start: text.length });
    text += node.data;
  }
  return { nodes, text };
}

// The text node and offset at character `index` of textOf's text.
function pointAt(nodes, index) {
  let i = nodes.length - 1;
  while (i > 0 && nodes[i].start > index) i -= 1;
  return [nodes[i].node, index - nodes[i].start];
}

function typesetExcerpt(root, map) {
  const { nodes, text } = textOf(root);
  const found = Array.from(text.matchAll(TEX));
  for (const match of found.reverse()) {
    const [whole, display1, display2, inline1, inline2] = match;
    const display = display1 !== undefined || display2 !== undefined;
    const tex = display1 ?? display2 ?? inline1 ?? inline2;
    const html = map[(display ? "D" : "I") + tex.trim().split(/\s+/).join(" ")];
    if (html === undefined) continue; // not a formula of the site (e.g. prices in dollars)
    const range = document.createRange();
    range.setStart(...pointAt(nodes, match.index));
    range.setEnd(...pointAt(nodes, match.index + whole.length));
    range.deleteContents();
    range.insertNode(range.createContextualFragment(html));
  }
}

async function typesetResults(list) {
  const excerpts = Array.from(list.querySelectorAll("article:not([data-math])"));
  const withTex = excerpts.filter((article) => {
    article.dataset.math = "";
    return article.textContent.search(TEX) >= 0;
  });
  if (withTex.length === 0) return;
  const map = await loadMathMap();
  withTex.forEach((article) => typesetExcerpt(article, map));
}

// Material redraws the results on every keystroke and appends more as the reader scrolls.
const watchedLists = new WeakSet();

document$.subscribe(() => {
  const list = document.querySelector(SEARCH_RESULTS);
  if (!list || watchedLists.has(list)) return;
  watchedLists.add(list);
  new MutationObserver(() => typesetResults(list)).observe(list, {
    childList: true,
    subtree: true,
  });
});
