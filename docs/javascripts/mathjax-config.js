// MathJax 3 configuration, loaded before assets/mathjax/tex-chtml.js (served by our build).
//
// MathJax's own start-up typeset is off: every typeset, the first one included, runs from
// Material's document$ (fired on a direct load and after each instant navigation) and is
// chained on MathJax.startup.promise, so macros that autoload an extension (\boldsymbol,
// \cancel) are never typeset before their extension has arrived.
//
// Only math containers are typeset: arithmatex spans/divs from Markdown pages and the
// rendered Markdown cells of notebook pages (mkdocs-jupyter leaves $…$ raw there).
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
  },
};

const MATH_ROOTS = ".arithmatex, .jp-RenderedMarkdown";

function typesetPage() {
  const roots = Array.from(document.querySelectorAll(MATH_ROOTS));
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return roots.length ? MathJax.typesetPromise(roots) : null;
  });
  return MathJax.startup.promise;
}

document$.subscribe(() => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    typesetPage();
  } else {
    // First load: MathJax is still being fetched; typeset once it has started.
    window.MathJax.startup.ready = () => {
      MathJax.startup.defaultReady();
      typesetPage();
    };
  }
});
