// MathJax 3 configuration and loader. MathJax itself (assets/mathjax/tex-chtml.js, served by
// our build, about 1.2 MB) is fetched only when it is first needed — a page with math, or
// search results quoting math — and never blocks a page from rendering: pages without math
// (the API reference) do not load it at all.
//
// MathJax's own start-up typeset is off: every typeset, the first one included, runs from
// Material's document$ (fired on a direct load and after each instant navigation) and is
// chained on MathJax.startup.promise, so macros that autoload an extension (\boldsymbol,
// \cancel) are never typeset before their extension has arrived.
//
// Only math containers are typeset: arithmatex spans/divs from Markdown pages, the rendered
// Markdown cells of notebook pages (mkdocs-jupyter leaves $…$ raw there) and the list of
// search results, whose excerpts quote the pages' TeX.
const MATH_ROOTS = ".arithmatex, .jp-RenderedMarkdown";
const SEARCH_RESULTS = ".md-search-result__list";
const MATHJAX_URL = new URL("../assets/mathjax/tex-chtml.js", document.currentScript.src).href;

const waiting = []; // work to do once MathJax has loaded

window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: "tex2jax_ignore",
  },
  startup: {
    typeset: false,
    ready() {
      MathJax.startup.defaultReady();
      waiting.splice(0).forEach((work) => work());
    },
  },
};

// Run `work` now if MathJax is running, else once it has loaded (fetching it if need be).
function withMathJax(work) {
  if (MathJax.startup.promise) {
    work();
    return;
  }
  if (waiting.push(work) === 1) {
    const script = document.createElement("script");
    script.src = MATHJAX_URL;
    script.async = true;
    document.head.appendChild(script);
  }
}

// Queue a typeset behind every earlier one; a failure is reported and does not block later ones.
function chain(typeset) {
  MathJax.startup.promise = MathJax.startup.promise
    .then(typeset)
    .catch((error) => console.error("MathJax:", error));
  return MathJax.startup.promise;
}

function typesetPage() {
  return chain(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    const roots = Array.from(document.querySelectorAll(MATH_ROOTS));
    return roots.length ? MathJax.typesetPromise(roots) : null;
  });
}

// Material redraws the results on every keystroke and appends more as the reader scrolls.
const watchedLists = new WeakSet();

function watchSearchResults() {
  const list = document.querySelector(SEARCH_RESULTS);
  if (!list || watchedLists.has(list)) return;
  watchedLists.add(list);
  new MutationObserver(() => {
    if (list.childElementCount) {
      withMathJax(() => chain(() => MathJax.typesetPromise([list])));
    }
  }).observe(list, { childList: true });
}

document$.subscribe(() => {
  watchSearchResults();
  if (document.querySelector(MATH_ROOTS)) withMathJax(typesetPage);
});
