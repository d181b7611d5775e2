// Four-steps page: light up the path of the term of ∂L/∂W_xh a reader hovers, focuses or
// clicks. Each term is a <button> whose data-edges lists the edges of its path; the large
// graph's edges carry data-edge. Without JavaScript each button's own small picture shows
// its path, so nothing here is needed to read the page.
function initGradientPaths(root) {
  if (root.classList.contains("is-interactive")) return;
  const edges = root.querySelectorAll(".paths-main [data-edge]");
  const buttons = root.querySelectorAll(".paths-term");
  const status = root.querySelector(".paths-status");

  function select(button) {
    const lit = new Set(button.dataset.edges.split(" "));
    edges.forEach((edge) => edge.classList.toggle("is-lit", lit.has(edge.dataset.edge)));
    buttons.forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
    status.textContent = button.dataset.describe;
    root.classList.add("has-selection");
  }

  // The graph sticks above the buttons (paths.css): a button reached by Shift+Tab may sit
  // under it, so scroll it down into the free part of the screen.
  const figure = root.querySelector(".paths-figure");
  function uncover(button) {
    const hidden = figure.getBoundingClientRect().bottom - button.getBoundingClientRect().top;
    if (hidden > 0) window.scrollBy(0, -hidden - 8);
  }

  buttons.forEach((button) => {
    for (const type of ["mouseenter", "focus", "click"]) {
      button.addEventListener(type, () => select(button));
    }
    button.addEventListener("focus", () => uncover(button));
  });
  status.textContent = "Hover, focus or click a term below: its path lights up here.";
  root.classList.add("is-interactive");
}

document$.subscribe(() => {
  document.querySelectorAll("[data-gradient-paths]").forEach(initGradientPaths);
});
