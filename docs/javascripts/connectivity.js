// "BPTT on real text": the connectivity view. Hovering or focusing a character of the passage
// shades every earlier character by ‖∂L_t/∂x_k‖, the norm of the gradient its loss sends back
// to that input, in each cell's copy of the passage; the norms come from the JSON in data-connectivity
// (docs/_diagrams/connectivity.py, computed at build time by rnn_derivatives.input_influence).
//
// Data: rows[t − 1][d] = ‖∂L_t/∂x_{t−d}‖; L_t predicts character t of the passage (0-based) and
// x_{t−d} is character t − 1 − d. A row stops after its last norm ≥ floor: the inputs before
// it get no shade. Keyboard: each copy of the passage is one tab stop (a roving tabindex);
// ←/→ move to the previous/next predicted character, Home/End to the first/last.
"use strict";

function initConnectivity(root) {
  if (root.classList.contains("is-interactive")) return;
  const data = JSON.parse(root.dataset.connectivity);
  const text = data.text;
  const T = text.length - 1; // predicted characters: positions 1 … T
  const SHADES = 5; // one per decade from data.floor up (the legend's)
  const status = root.querySelector(".cv-status");

  const say = (c) => (c === "\n" ? "the newline" : c === " " ? "the space" : `“${c}”`);
  const shade = (norm) =>
    norm >= data.floor ? Math.min(SHADES, 1 + Math.floor(Math.log10(norm / data.floor))) : 0;

  // Each copy of the passage: one span per character (a newline as ↵ and a line break).
  const panels = [...root.querySelectorAll(".cv-panel")].map((panel) => {
    const box = panel.querySelector(".cv-text");
    const cell = data.cells.find((c) => c.cell === panel.dataset.cell);
    const spans = [...text].map((c, i) => {
      const span = document.createElement("span");
      span.textContent = c === "\n" ? "↵" : c;
      span.dataset.i = String(i);
      if (i > 0) span.tabIndex = -1;
      return span;
    });
    const lineBreak = (i) => (text[i] === "\n" ? [document.createElement("br")] : []);
    box.replaceChildren(...spans.flatMap((span, i) => [span, ...lineBreak(i)]));
    return { cell, spans };
  });

  // The sentence of docs/_diagrams/connectivity.py's summary(), for predicted character t.
  function describe(t) {
    const parts = panels.map(({ cell }) => {
      const row = cell.rows[t - 1];
      const back = row.indexOf(Math.max(...row)) + 1;
      const plural = back !== 1 ? "s" : "";
      return `for the ${cell.name} ${say(text[t - back])}, ${back} character${plural} before it`;
    });
    return (
      `Predicting ${say(text[t])} (character ${t + 1} of ${text.length}). The input with the ` +
      `largest influence: ${parts.join("; ")}.`
    );
  }

  let current = T;
  function select(t) {
    current = t;
    for (const { cell, spans } of panels) {
      const row = cell.rows[t - 1];
      spans.forEach((span, i) => {
        const d = t - 1 - i; // span i is the input x_{t−d}
        const level = d >= 0 && d < row.length ? shade(row[d]) : 0;
        span.className = i === t ? "cv-target" : level ? `cv-${level}` : "";
        if (i > 0) span.tabIndex = i === t ? 0 : -1;
      });
    }
    status.textContent = describe(t);
  }

  const KEYS = { ArrowLeft: -1, ArrowRight: 1 };
  for (const { spans } of panels) {
    spans.forEach((span, i) => {
      if (i === 0) return; // the first character is read, never predicted
      span.addEventListener("mouseenter", () => select(i));
      span.addEventListener("focus", () => select(i));
      span.addEventListener("keydown", (event) => {
        let next = null;
        if (event.key in KEYS) next = Math.min(T, Math.max(1, current + KEYS[event.key]));
        if (event.key === "Home") next = 1;
        if (event.key === "End") next = T;
        if (next === null) return;
        event.preventDefault();
        spans[next].focus();
      });
    });
  }
  select(T);
  root.classList.add("is-interactive");
}

document$.subscribe(() => {
  document.querySelectorAll("[data-connectivity]").forEach(initConnectivity);
});
