// The explorers, live (docs/explorer.md): the forward and backward pass of two small RNNs,
// recomputed in the browser on every edit, and the Jacobian norms of a longer run.
//
// Notation (docs/notation.md): vectors are columns, h_0 = 0, T = 3 steps, H = 2 units,
//   z_t = W_xh x_t + W_hh h_{t−1} + b_h,  h_t = tanh(z_t),  o_t = W_hy h_t + b_y,
//   δ_t = ∂L/∂z_t,  s = the scale applied to W_hh,  ‖A‖₂ = the largest singular value of A.
// Two networks share that pass and differ in their biases and their loss:
//   the classifier, rnn_derivatives.toy_classifier() (root data-explorer="classifier"):
//     ŷ_t = softmax(o_t),  L = Σ_t L_t,  L_t = −log ŷ_{t,c_t};  W_hy (2×2), b_h, b_y (2);
//   the seed toy, rnn_derivatives.toy_network() (root data-explorer="toy"): no biases,
//     ŷ = o_3 = W_hy h_3,  L = ½(ŷ − y)²;  W_hy (1×2).
// Both: W_xh (2×1), W_hh (2×2); x_t is a number, h_t and δ_t are 2-vectors.
//
// This is a second implementation of what rnn_derivatives computes, so it is held to the
// package: tests/browser/test_explorer.py and test_classifier_explorer.py type random weights
// into this page and compare every number it shows with the package, at the precision shown.
//
// Matrices are arrays of rows; a bias is a one-column matrix. The page's Markdown holds the
// labels (typeset with the rest of the site's math); this module adds the fields and the numbers
// into elements marked with data-inputs, data-vector, data-matrix and data-plot.
"use strict";

(() => {
  if (window.toyExplorerLoaded) return; // instant navigation may insert the script again
  window.toyExplorerLoaded = true;

  const SEED_SCALE = 1; // s, the scale on W_hh in the second panel
  const SCALE_RANGE = { min: 0.1, max: 3, step: 0.01 };
  const LONG_STEPS = 30; // T of the second panel
  const SIGNIFICANT = 4; // digits of every number shown
  const FIELD_DIGITS = 6; // significant digits of a weight written into its field by a step
  const FD_EPS = 1e-6; // ε of the central differences, as rnn_derivatives.numerical_grads

  // --- small linear algebra: 2-vectors and matrices as arrays of rows ------------------------

  const dot = (u, v) => u.reduce((sum, a, i) => sum + a * v[i], 0);
  const column = (A, j) => A.map((row) => row[j]);
  const matVec = (A, v) => A.map((row) => dot(row, v)); // A v
  const matTVec = (A, v) => A[0].map((_, j) => dot(column(A, j), v)); // Aᵀ v
  const matMul = (A, B) => A.map((row) => B[0].map((_, j) => dot(row, column(B, j)))); // A B
  const outer = (u, v) => u.map((a) => v.map((b) => a * b)); // u vᵀ
  const addVec = (u, v) => u.map((a, i) => a + v[i]);
  const addMat = (A, B) => A.map((row, i) => addVec(row, B[i]));
  const scaleMat = (A, c) => A.map((row) => row.map((a) => c * a));
  const zerosLike = (A) => A.map((row) => row.map(() => 0));
  const ZERO = [0, 0];
  const IDENTITY = [
    [1, 0],
    [0, 1],
  ];
  const slopes = (h) => h.map((a) => 1 - a * a); // 1 − h_t², the derivative of tanh at z_t

  // ‖A‖₂ of a 2×2 matrix in closed form: ‖A‖₂² = (‖A‖_F² + √(‖A‖_F⁴ − 4 det(A)²)) / 2,
  // the larger eigenvalue of AᵀA. A is first divided by its largest entry m
  // (‖A‖₂ = m ‖A/m‖₂), so that squaring neither overflows nor underflows.
  function spectralNorm2x2(A) {
    const m = Math.max(...A.flat().map(Math.abs));
    if (m === 0 || !Number.isFinite(m)) return m;
    const [[a, b], [c, d]] = scaleMat(A, 1 / m);
    const frob2 = a * a + b * b + c * c + d * d; // ‖A/m‖_F²
    const det = a * d - b * c;
    const root = Math.sqrt(Math.max(frob2 * frob2 - 4 * det * det, 0));
    return m * Math.sqrt((frob2 + root) / 2);
  }

  // --- the shared pass -------------------------------------------------------------------

  // h_0 … h_T for inputs xs = [x_1, …, x_T] (numbers, D = 1) and the bias b_h (a 2-vector).
  function hiddenStates(W_xh, W_hh, xs, b_h = ZERO) {
    const h = [[0, 0]]; // h_0 = 0
    xs.forEach((x, i) => {
      // z_t = W_xh x_t + W_hh h_{t−1} + b_h
      const z = addVec(addVec(matVec(W_xh, [x]), matVec(W_hh, h[i])), b_h);
      h.push(z.map(Math.tanh)); // h_t = tanh(z_t)
    });
    return h;
  }

  // The forward and backward pass of the vanilla RNN (rnn_derivatives.forward, backward), for
  // p = {W_xh, W_hh, W_hy, b_h?, b_y?, x} and a loss: score(o) gets o[t] = o_t (t = 1 … T) and
  // returns {loss, dO, …}, dO[t] = ∂L/∂o_t; what else it returns is passed on.
  function rnnPass(p, score) {
    const T = p.x.length;
    const b_h = p.b_h ? column(p.b_h, 0) : ZERO;
    const b_y = p.b_y ? column(p.b_y, 0) : p.W_hy.map(() => 0);
    const h = hiddenStates(p.W_xh, p.W_hh, p.x, b_h);
    const o = h.map((ht) => addVec(matVec(p.W_hy, ht), b_y)); // o_t = W_hy h_t + b_y
    const scored = score(o);
    const dO = scored.dO;
    const delta = []; // delta[t] = δ_t, t = 1 … T
    const dH = []; // dH[t] = ∂L/∂h_t
    const roadO = []; // roadO[t] = W_hyᵀ ∂L/∂o_t, the road into h_t from o_t
    const roadH = []; // roadH[t] = W_hhᵀ δ_{t+1}, the road into h_t from z_{t+1}
    let fromNext = [0, 0]; // W_hhᵀ δ_{t+1}, zero after the last step
    for (let t = T; t >= 1; t--) {
      roadO[t] = matTVec(p.W_hy, dO[t]);
      roadH[t] = fromNext;
      dH[t] = addVec(roadO[t], roadH[t]); // ∂L/∂h_t = W_hyᵀ ∂L/∂o_t + W_hhᵀ δ_{t+1}
      delta[t] = slopes(h[t]).map((a, i) => a * dH[t][i]); // δ_t = (1 − h_t²) ⊙ ∂L/∂h_t
      fromNext = matTVec(p.W_hh, delta[t]); // ∂L/∂h_{t−1} = W_hhᵀ δ_t
    }
    let dW_xh = zerosLike(p.W_xh);
    let dW_hh = zerosLike(p.W_hh);
    let dW_hy = zerosLike(p.W_hy);
    let db_h = [[0], [0]];
    let db_y = p.W_hy.map(() => [0]);
    const path = []; // path[k] = δ_k x_kᵀ: the path on which W_xh enters at step k
    for (let t = 1; t <= T; t++) {
      path[t] = outer(delta[t], [p.x[t - 1]]); // δ_k x_kᵀ: the term of ∂L/∂W_xh from step k (for the toy, the one path through h_k)
      dW_xh = addMat(dW_xh, path[t]); // ∂L/∂W_xh = Σ_t δ_t x_tᵀ
      dW_hh = addMat(dW_hh, outer(delta[t], h[t - 1])); // ∂L/∂W_hh = Σ_t δ_t h_{t−1}ᵀ
      db_h = addMat(db_h, outer(delta[t], [1])); // ∂L/∂b_h = Σ_t δ_t
      dW_hy = addMat(dW_hy, outer(dO[t], h[t])); // ∂L/∂W_hy = Σ_t (∂L/∂o_t) h_tᵀ
      db_y = addMat(db_y, outer(dO[t], [1])); // ∂L/∂b_y = Σ_t ∂L/∂o_t
    }
    return { ...scored, h, o, delta, dH, roadO, roadH, path, dW_xh, dW_hh, dW_hy, db_h, db_y };
  }

  // --- the seed toy -------------------------------------------------------------------------

  // Everything the toy explorer shows, for p = {W_xh, W_hh, W_hy, x: [x_1, x_2, x_3], y}.
  function toyPass(p) {
    const T = p.x.length;
    const pass = rnnPass(p, (o) => {
      const yHat = o[T][0]; // ŷ = o_3 = W_hy h_3
      const loss = 0.5 * (yHat - p.y) ** 2; // L = ½(ŷ − y)²
      // ∂L/∂o_t: ŷ − y at t = 3, else 0 (only o_3 is scored)
      const dO = o.map((_, t) => [t === T ? yHat - p.y : 0]);
      // ŷ_t and L_t of the scored steps, for the graph: only step 3
      return { yHat, loss, dO, predicted: { [T]: [yHat] }, stepLoss: { [T]: loss } };
    });
    // share of path k in entry i of ∂L/∂W_xh, in percent: 100 (δ_k x_k)_i / (∂L/∂W_xh)_i;
    // null (shown as "—") when that entry is exactly 0, NaN ("overflow") when it overflowed
    const percent = (part, total) => {
      if (total === 0) return null;
      return Number.isFinite(total) ? (100 * part) / total : NaN;
    };
    const share = pass.path.map((P) => P.map((row, i) => percent(row[0], pass.dW_xh[i][0])));
    return { ...pass, share };
  }

  // Every number of a toyPass, by data-quantity and data-index.
  function toyNumbers(pass) {
    const numbers = { yhat: pass.yHat, loss: pass.loss };
    for (let t = 1; t <= 3; t++) {
      for (let i = 0; i < 2; i++) {
        numbers[`h:${t},${i}`] = pass.h[t][i];
        numbers[`delta:${t},${i}`] = pass.delta[t][i];
        numbers[`path:${t},${i}`] = pass.path[t][i][0];
        numbers[`share:${t},${i}`] = pass.share[t][i];
      }
    }
    return numbers;
  }

  // --- the classifier -----------------------------------------------------------------------

  // Everything the classifier explorer shows, for p = {W_xh, W_hh, W_hy, b_h, b_y, x, c}.
  function classifierPass(p) {
    return rnnPass(p, (o) => {
      const yHat = []; // yHat[t] = ŷ_t
      const dO = [];
      const stepLoss = []; // stepLoss[t] = L_t
      let loss = 0;
      for (let t = 1; t < o.length; t++) {
        const c = p.c[t - 1];
        // log Σ_k exp(o_{t,k}), computed as m + log Σ_k exp(o_{t,k} − m), m = max_k o_{t,k}
        const m = Math.max(...o[t]);
        const logSum = m + Math.log(o[t].reduce((sum, v) => sum + Math.exp(v - m), 0));
        yHat[t] = o[t].map((v) => Math.exp(v - logSum)); // ŷ_t = softmax(o_t)
        stepLoss[t] = logSum - o[t][c]; // L_t = −log ŷ_{t,c_t} = log Σ_k exp(o_{t,k}) − o_{t,c_t}
        loss += stepLoss[t]; // L = Σ_t L_t
        dO[t] = yHat[t].map((v, k) => v - (k === c ? 1 : 0)); // ∂L/∂o_t = ŷ_t − y_t, y_t one-hot
      }
      return { yHat, loss, dO, predicted: yHat, stepLoss };
    });
  }

  // Every number of a classifierPass, by data-quantity and data-index.
  function classifierNumbers(pass) {
    const numbers = { loss: pass.loss };
    for (let t = 1; t <= 3; t++) {
      for (let i = 0; i < 2; i++) {
        numbers[`h:${t},${i}`] = pass.h[t][i];
        numbers[`yhat:${t},${i}`] = pass.yHat[t][i];
        numbers[`delta:${t},${i}`] = pass.delta[t][i];
      }
    }
    return numbers;
  }

  // --- the graph ----------------------------------------------------------------------------

  // The numbers on the graph (docs/_diagrams/explorer_graph.py), for either network: forward
  // values beside x_t, h_t, o_t and, at scored steps, ŷ_t and L_t; ∂L/∂h_t and δ_t.
  function graphNumbers(p, pass) {
    const numbers = {};
    const vector = (name, t, v) => v.forEach((a, i) => (numbers[`${name}:${t},${i}`] = a));
    for (let t = 1; t <= p.x.length; t++) {
      numbers[`g-x:${t}`] = p.x[t - 1];
      vector("g-h", t, pass.h[t]);
      vector("g-o", t, pass.o[t]);
      vector("g-dh", t, pass.dH[t]);
      vector("g-delta", t, pass.delta[t]);
      if (pass.predicted[t]) vector("g-yhat", t, pass.predicted[t]);
      if (t in pass.stepLoss) numbers[`g-loss:${t}`] = pass.stepLoss[t];
    }
    return numbers;
  }

  // Each road's width follows the size of what it carries: 1 + 6 ‖road‖ / (the largest road),
  // ‖·‖ the Euclidean norm of W_hyᵀ ∂L/∂o_t (data-road "o:t") or W_hhᵀ δ_{t+1} ("z:t").
  function drawRoads(svg, pass) {
    const roads = [...svg.querySelectorAll("[data-road]")];
    const norms = roads.map((road) => {
      const [from, t] = road.dataset.road.split(":");
      return Math.hypot(...(from === "o" ? pass.roadO : pass.roadH)[Number(t)]);
    });
    const largest = Math.max(...norms.filter(Number.isFinite));
    roads.forEach((road, k) => {
      const share = largest > 0 && Number.isFinite(norms[k]) ? norms[k] / largest : 1;
      road.dataset.norm = String(norms[k]); // every digit, for the tests
      road.querySelector("line").setAttribute("stroke-width", (1 + 6 * share).toFixed(2));
    });
  }

  // Hovering or focusing δ_t lights the roads into h_t (data-into = t).
  function linkRoads(svg) {
    for (const delta of svg.querySelectorAll("[data-delta]")) {
      const roads = svg.querySelectorAll(`[data-into="${delta.dataset.delta}"]`);
      const light = (on) => () => roads.forEach((road) => road.classList.toggle("is-lit", on));
      delta.addEventListener("mouseenter", light(true));
      delta.addEventListener("focus", light(true));
      delta.addEventListener("mouseleave", light(false));
      delta.addEventListener("blur", light(false));
    }
  }

  // The two networks: their seeds (the browser tests check them against the package), the
  // weights a step moves, the fields, and the pass.
  const NETWORKS = {
    classifier: {
      prefix: "cx",
      // rnn_derivatives.toy_classifier()
      seed: {
        W_xh: [[0.6], [-0.4]],
        W_hh: [
          [0.5, -0.3],
          [0.2, 0.4],
        ],
        W_hy: [
          [1.0, -0.5],
          [-0.6, 0.8],
        ],
        b_h: [[0.1], [-0.1]],
        b_y: [[0.2], [-0.2]],
        x: [1.0, -0.5, 0.8],
        c: [0, 1, 1],
      },
      learningRate: 0.1, // η of "Take a gradient step"
      shapes: { W_xh: [2, 1], W_hh: [2, 2], W_hy: [2, 2], b_h: [2, 1], b_y: [2, 1] },
      vectors: ["b_h", "b_y"], // shown with one index, "i"
      scalars: [],
      pass: classifierPass,
      numbers: classifierNumbers,
      // c_t is a class: 0 or 1
      checks: { c: (v) => (v === 0 || v === 1 ? { value: v } : { error: "must be 0 or 1" }) },
    },
    toy: {
      prefix: "tx",
      // rnn_derivatives.toy_network()
      seed: {
        W_xh: [[2], [1]],
        W_hh: [
          [1, 2],
          [3, 4],
        ],
        W_hy: [[2, 4]],
        x: [0.2, 0.3, 0.4],
        y: 7,
      },
      learningRate: 0.1, // η of "Take a gradient step"
      shapes: { W_xh: [2, 1], W_hh: [2, 2], W_hy: [1, 2] },
      vectors: [],
      scalars: ["y"],
      pass: toyPass,
      numbers: toyNumbers,
      checks: {},
    },
  };

  // θ ← θ − η ∂L/∂θ for the network's weights (rnn_derivatives.sgd_step); the inputs stay.
  function gradientStep(net, p, pass, lr) {
    const next = { ...p };
    for (const name of Object.keys(net.shapes)) {
      next[name] = addMat(p[name], scaleMat(pass[`d${name}`], -lr));
    }
    return next;
  }

  // The finite-difference check (rnn_derivatives.numerical_grads and relative_error): for each
  // entry θ_i of each weight, (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε), and per weight W the
  // relative error ‖∂L/∂W − numerical‖ / max(‖∂L/∂W‖, ‖numerical‖) over all its entries.
  function finiteDifferences(net, p, pass) {
    const lossAt = (name, i, j, shift) => {
      const q = structuredClone(p);
      q[name][i][j] += shift;
      return net.pass(q).loss;
    };
    const result = {};
    for (const name of Object.keys(net.shapes)) {
      const numerical = p[name].map((row, i) =>
        row.map((_, j) => (lossAt(name, i, j, FD_EPS) - lossAt(name, i, j, -FD_EPS)) / (2 * FD_EPS)),
      );
      const norm = (A) => Math.hypot(...A.flat());
      const exact = pass[`d${name}`];
      const scale = Math.max(norm(exact), norm(numerical));
      const error = scale === 0 ? 0 : norm(addMat(exact, scaleMat(numerical, -1))) / scale;
      result[name] = { numerical, error };
    }
    return result;
  }

  // ‖∂h_T/∂h_k‖₂ for every lag T − k = 0 … T, and the bound ‖s W_hh‖₂^{T−k}.
  function jacobianNorms(W_xh, W_hh, s, xs) {
    const U = scaleMat(W_hh, s); // s W_hh, the recurrent weights of this run
    const h = hiddenStates(W_xh, U, xs);
    const T = xs.length;
    const rate = spectralNorm2x2(U); // ‖s W_hh‖₂
    let J = IDENTITY; // ∂h_T/∂h_T = I
    const norms = [1];
    const bounds = [1];
    for (let j = T; j >= 1; j--) {
      // ∂h_j/∂h_{j−1} = diag(1 − h_j²) s W_hh
      const stepJacobian = slopes(h[j]).map((a, i) => U[i].map((u) => a * u));
      J = matMul(J, stepJacobian); // ∂h_T/∂h_{j−1} = (∂h_T/∂h_j)(∂h_j/∂h_{j−1})
      norms.push(spectralNorm2x2(J)); // ‖∂h_T/∂h_{j−1}‖₂
      bounds.push(rate ** (T - j + 1)); // ‖s W_hh‖₂^{T−k} with k = j − 1
    }
    return { rate, norms, bounds };
  }

  // The second panel's inputs x_1 … x_T: zero, or the toy's three inputs repeated.
  function longInputs(kind, x) {
    return Array.from({ length: LONG_STEPS }, (_, i) => (kind === "zero" ? 0 : x[i % x.length]));
  }

  // --- reading and writing numbers --------------------------------------------------------

  const MINUS = "\u2212";
  const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

  // A field's text as a finite number, or the reason it is not one.
  function parseNumber(text) {
    const t = text.trim().replaceAll(MINUS, "-");
    if (t === "") return { error: "empty" };
    if (/^[+-]?(inf|infinity|nan)$/i.test(t)) return { error: "must be finite" };
    if (!DECIMAL.test(t)) return { error: "not a number" };
    const value = Number(t);
    if (!Number.isFinite(value)) return { error: "too large, must be finite" };
    return { value };
  }

  // SIGNIFICANT digits: plain from 0.001 up to 999.9, with an exponent outside that range.
  // "—" for no number (a step not taken yet, a share of a zero entry); "overflow" for a value
  // beyond double precision (±∞, or NaN from ∞ · 0 or ∞ − ∞).
  function formatNumber(v) {
    if (v === null) return "—";
    if (!Number.isFinite(v)) return "overflow";
    if (v === 0) return "0";
    const exponent = Math.floor(Math.log10(Math.abs(v)));
    let text = v.toPrecision(SIGNIFICANT); // e.g. 0.003096, 12.34, or 1000 for 999.96
    // A plain number must show its precision: "1744" would read as exact, so write 1.744e3.
    if (exponent < -3 || !text.includes(".") || text.includes("e")) {
      text = v.toExponential(SIGNIFICANT - 1);
    }
    return text.replace("e+", "e").replaceAll("-", MINUS);
  }

  // A relative error of a correct gradient is rounding noise: its digits change from one CPU to
  // another, its size does not. Shown, as on the site's pages (rnn_derivatives.error_decade), as
  // the power of ten nearest to it on a log scale: 4.3e−8 as 1e−7.
  function formatDecade(v) {
    if (!Number.isFinite(v)) return "overflow";
    if (v === 0) return "0";
    return `1e${Math.round(Math.log10(v))}`.replaceAll("-", MINUS);
  }

  // A weight after a step, as its field shows it: FIELD_DIGITS significant digits, e.g. 2.00031.
  const roundedText = (v) => String(Number(v.toPrecision(FIELD_DIGITS)));

  // --- the page -----------------------------------------------------------------------------

  function element(tag, attributes) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    return el;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svgElement(tag, attributes) {
    const el = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    return el;
  }

  // The key of entry (i, j) of a weight: "i,j", or "i" for a bias (net.vectors).
  const keyOf = (net, name, i, j) => (net.vectors.includes(name) ? `${i}` : `${i},${j}`);

  // The fields of one weight, or of x, c or y, into <span data-inputs="…">; returns the inputs.
  function buildInputs(net, slot) {
    const param = slot.dataset.inputs;
    const steps = net.seed.x.length;
    const [rows, cols] = net.shapes[param] || (net.scalars.includes(param) ? [1, 1] : [1, steps]);
    slot.classList.add("tx-grid");
    slot.style.setProperty("--tx-cols", cols);
    const error = element("span", {
      class: "tx-error",
      id: `${net.prefix}-error-${param}`,
      "aria-live": "polite",
    });
    const inputs = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const input = element("input", {
          type: "text",
          inputmode: "decimal",
          autocomplete: "off",
          spellcheck: "false",
          "data-param": param,
          "aria-describedby": error.id,
        });
        if (param === "x" || param === "c") {
          input.dataset.index = String(j + 1);
          const what = param === "x" ? "input" : "class, 0 or 1,";
          input.setAttribute("aria-label", `${param}_${j + 1}, ${what} at step ${j + 1}`);
        } else if (param === "y") {
          input.setAttribute("aria-label", "y, the target");
        } else if (net.vectors.includes(param)) {
          input.dataset.index = String(i);
          input.setAttribute("aria-label", `${param}, entry ${i + 1}`);
        } else {
          input.dataset.index = `${i},${j}`;
          input.setAttribute("aria-label", `${param}, row ${i + 1}, column ${j + 1}`);
        }
        slot.append(input);
        inputs.push(input);
      }
    }
    slot.after(error);
    return inputs;
  }

  // A bracketed column (data-vector="name:t"), matrix (data-matrix="name", data-shape="r,c") or
  // vector (data-shape="n") of number slots, each <span data-quantity="name" data-index="…">.
  function buildNumbers(slot) {
    slot.classList.add("tx-grid", "tx-numbers");
    if (slot.dataset.vector) {
      const [name, t] = slot.dataset.vector.split(":");
      for (let i = 0; i < 2; i++) {
        slot.append(element("span", { "data-quantity": name, "data-index": `${t},${i}` }));
      }
      return;
    }
    const shape = slot.dataset.shape.split(",").map(Number);
    const [rows, cols] = shape.length === 1 ? [shape[0], 1] : shape;
    slot.style.setProperty("--tx-cols", cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const index = shape.length === 1 ? `${i}` : `${i},${j}`;
        slot.append(element("span", { "data-quantity": slot.dataset.matrix, "data-index": index }));
      }
    }
  }

  function show(root, numbers) {
    for (const el of root.querySelectorAll("[data-quantity]")) {
      const { quantity, index } = el.dataset;
      const key = index ? `${quantity}:${index}` : quantity;
      if (!(key in numbers)) continue;
      el.textContent = formatNumber(numbers[key]);
      el.classList.toggle("tx-none", !Number.isFinite(numbers[key])); // no "%" after "—"
    }
  }

  // The log-scale plot of ‖∂h_T/∂h_k‖₂ (points) and its bound (dashed) against T − k.
  function drawPlot(svg, flow) {
    const width = Math.max(300, Math.round(svg.clientWidth || 640)); // labels keep their size
    const height = Math.min(300, Math.round(width / 2));
    const left = 74; // room for the decade labels and the vertical axis title
    const right = 12;
    const top = 12;
    const bottom = 50; // room for the lags and the horizontal axis title
    const shown = [...flow.norms, ...flow.bounds].filter((v) => v > 0 && Number.isFinite(v));
    let low = Math.floor(Math.log10(Math.min(...shown)));
    let high = Math.ceil(Math.log10(Math.max(...shown)));
    if (high - low < 2) [low, high] = [low - 1, high + 1];
    const x = (lag) => left + (lag / LONG_STEPS) * (width - left - right);
    const y = (v) => top + ((high - Math.log10(v)) / (high - low)) * (height - top - bottom);
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("height", height);
    svg.dataset.width = String(width);
    const every = Math.ceil((high - low) / 6); // at most about six decade labels
    for (let d = high; d >= low; d -= every) {
      const level = y(10 ** d);
      const grid = { class: "tx-grid-line", x1: left, y1: level, x2: width - right, y2: level };
      svg.append(svgElement("line", grid));
      const label = svgElement("text", { x: left - 6, y: level + 4, "text-anchor": "end" });
      label.append("10");
      const power = svgElement("tspan", { dy: -7, "font-size": "0.75em" });
      power.textContent = String(d).replace("-", MINUS);
      label.append(power);
      svg.append(label);
    }
    for (let lag = 0; lag <= LONG_STEPS; lag += 5) {
      const label = svgElement("text", { x: x(lag), y: height - 28, "text-anchor": "middle" });
      label.textContent = String(lag);
      svg.append(label);
    }
    // Axis titles: the lag T − k along the bottom, the norm ‖∂h_T/∂h_k‖₂ up the left side.
    // A title is a list of pieces; a piece in an array is a subscript.
    const middleY = (top + height - bottom) / 2;
    const titles = [
      [["steps back, T \u2212 k"], (left + width - right) / 2, height - 6, 0],
      [["\u2016\u2202h", ["T"], "/\u2202h", ["k"], "\u2016", ["2"], " (log scale)"], 16, middleY, -90],
    ];
    for (const [pieces, tx, ty, angle] of titles) {
      const title = svgElement("text", {
        class: "tx-axis-title",
        x: tx,
        y: ty,
        "text-anchor": "middle",
        transform: `rotate(${angle} ${tx} ${ty})`,
      });
      let down = 0; // the baseline's current shift
      for (const piece of pieces) {
        const sub = Array.isArray(piece);
        const span = svgElement("tspan", { dy: (sub ? 4 : 0) - down });
        if (sub) span.setAttribute("font-size", "0.75em");
        span.textContent = sub ? piece[0] : piece;
        down = sub ? 4 : 0;
        title.append(span);
      }
      svg.append(title);
    }
    const drawable = (v) => v > 0 && Number.isFinite(v);
    const boundPoints = flow.bounds.flatMap((v, lag) => (drawable(v) ? [`${x(lag)},${y(v)}`] : []));
    svg.append(svgElement("polyline", { class: "tx-bound", points: boundPoints.join(" ") }));
    flow.norms.forEach((v, lag) => {
      const cy = drawable(v) ? y(v) : y(10 ** low); // 0 sits on the bottom edge
      const point = svgElement("circle", { class: "tx-norm", r: 3.5, cx: x(lag), cy });
      point.dataset.lag = lag; // T − k
      point.dataset.norm = String(v); // ‖∂h_T/∂h_k‖₂, every digit, for the tests
      point.dataset.bound = String(flow.bounds[lag]); // ‖s W_hh‖₂^{T−k}
      if (!drawable(v)) point.classList.add("tx-off-scale");
      svg.append(point);
    });
  }

  // Every number of a pass: the network's own (net.numbers) and each entry of each gradient.
  function allNumbers(net, pass) {
    const numbers = net.numbers(pass);
    for (const name of Object.keys(net.shapes)) {
      pass[`d${name}`].forEach((row, i) =>
        row.forEach((v, j) => (numbers[`d${name}:${keyOf(net, name, i, j)}`] = v)),
      );
    }
    return numbers;
  }

  function setUp(root, net) {
    const inputs = [...root.querySelectorAll("[data-inputs]")].flatMap((slot) =>
      buildInputs(net, slot),
    );
    root.querySelectorAll("[data-vector], [data-matrix]").forEach(buildNumbers);
    const rate = root.querySelector(`#${net.prefix}-lr`);
    const scale = root.querySelector("#tx-scale"); // the second panel, on the toy only
    if (scale) Object.assign(scale, SCALE_RANGE);
    const status = root.querySelector("[data-status]");
    const flowStatus = root.querySelector("[data-flow-status]");
    const svg = root.querySelector("[data-plot]");
    const graph = root.querySelector("[data-graph]");
    if (graph) linkRoads(graph);
    let valid = null; // the last parameters without a bad field

    // The place of a field's value in p = {W_xh, …, x, y or c}: an array and an index.
    const placeOf = (p, input) => {
      const { param, index } = input.dataset;
      if (param === "y") return [p, "y"];
      if (param === "x" || param === "c") return [p[param], Number(index) - 1];
      const [i, j = 0] = index.split(",").map(Number);
      return [p[param][i], j];
    };

    // Mark a field valid or not; return {value} or {error}. `extra` adds a check of the value.
    const check = (input, extra) => {
      let result = parseNumber(input.value);
      if (!result.error && extra) result = extra(result.value);
      input.setAttribute("aria-invalid", String(Boolean(result.error)));
      return result;
    };

    const readParams = () => {
      const p = structuredClone(net.seed);
      const errors = {};
      for (const input of inputs) {
        const result = check(input, net.checks[input.dataset.param]);
        // after a step the field shows the weight rounded; the pass uses every digit, kept in
        // data-exact until the reader edits the field
        if (!result.error && input.dataset.exact) result.value = Number(input.dataset.exact);
        const [place, key] = placeOf(p, input);
        const { param, index } = input.dataset;
        if (!result.error) place[key] = result.value;
        else if (!errors[param]) {
          const [i, j] = (index || "0,0").split(",").map(Number);
          const step = "₀₁₂₃"[index];
          const where =
            { x: `x${step}`, c: `c${step}`, y: "y" }[param] ||
            (net.vectors.includes(param) ? `entry ${i + 1}` : `row ${i + 1}, col ${j + 1}`);
          errors[param] = `${where}: ${result.error}`;
        }
      }
      for (const param of new Set(inputs.map((input) => input.dataset.param))) {
        root.querySelector(`#${net.prefix}-error-${param}`).textContent = errors[param] || "";
      }
      return Object.keys(errors).length ? null : p;
    };

    const readScale = () => Number(scale.value);

    const update = () => {
      const p = readParams();
      root.classList.toggle("tx-stale", !p);
      if (!p) {
        status.textContent = "A field is invalid: these are the last valid numbers.";
        return;
      }
      valid = p;
      const pass = net.pass(p);
      const numbers = { ...allNumbers(net, pass), ...graphNumbers(p, pass) };
      if (graph) drawRoads(graph, pass);
      const overflow = Object.values(numbers).some((v) => !Number.isFinite(v));
      status.textContent = overflow ? "Overflow: some numbers are beyond double precision." : "";
      show(root, numbers);
      updateFlow();
    };

    const updateFlow = () => {
      if (!valid || !svg) return;
      const s = readScale();
      const kind = root.querySelector('input[name="tx-sequence"]:checked').value;
      const flow = jacobianNorms(valid.W_xh, valid.W_hh, s, longInputs(kind, valid.x));
      const end = flow.norms[LONG_STEPS];
      const bound = flow.bounds[LONG_STEPS];
      show(root, { scale: s, "bound-rate": flow.rate, "jacobian-end": end, "bound-end": bound });
      const zeros = flow.norms.filter((v) => v === 0).length;
      const overflowed = [...flow.norms, ...flow.bounds].some((v) => !Number.isFinite(v));
      flowStatus.textContent = [
        zeros ? `${zeros} norms are exactly 0 (saturated units): hollow dots at the bottom.` : "",
        overflowed ? "Overflow: values beyond double precision are left out." : "",
      ].join(" ");
      drawPlot(svg, flow);
    };

    // The check's numbers ("—" until the button is pressed, and again after any edit).
    const checkNumbers = (fd) => {
      const numbers = {};
      for (const name of Object.keys(net.shapes)) {
        const numerical = fd ? fd[name].numerical : zerosLike(net.seed[name]);
        numerical.forEach((row, i) =>
          row.forEach((v, j) => (numbers[`fd_${name}:${keyOf(net, name, i, j)}`] = fd ? v : null)),
        );
      }
      return numbers;
    };
    const showCheck = (fd) => {
      show(root, checkNumbers(fd));
      for (const el of root.querySelectorAll('[data-quantity="fd-error"]')) {
        const error = fd ? fd[el.dataset.index].error : null;
        el.textContent = error === null ? "—" : formatDecade(error);
        el.dataset.value = error === null ? "" : String(error); // every digit, for the tests
      }
    };
    const clearStep = () => {
      show(root, { "loss-before": null, "loss-after": null });
      showCheck(null);
    };

    // Reset writes the seed's values; a step writes the new weights rounded (its exact values
    // stay in data-exact, so the next pass, and the next step, use every digit).
    const writeParams = (p, rounded) => {
      for (const input of inputs) {
        const [place, key] = placeOf(p, input);
        const text = rounded ? roundedText(place[key]) : String(place[key]);
        input.value = text.replaceAll("-", MINUS);
        if (rounded && Number(text) !== place[key]) input.dataset.exact = String(place[key]);
        else delete input.dataset.exact;
      }
    };

    const lrError = root.querySelector(`#${net.prefix}-error-lr`);
    const checkRate = () => {
      const lr = check(rate, (v) => (v > 0 ? { value: v } : { error: "must be > 0" }));
      lrError.textContent = lr.error ? `η: ${lr.error}` : "";
      return lr;
    };

    root.querySelector("[data-action=step]").addEventListener("click", () => {
      const lr = checkRate();
      if (lr.error || root.classList.contains("tx-stale")) return;
      const before = net.pass(valid);
      const after = gradientStep(net, valid, before, lr.value);
      const flat = Object.keys(net.shapes).flatMap((name) => after[name].flat());
      if (!flat.every(Number.isFinite)) {
        lrError.textContent = "No step: the gradient or the new weights overflow.";
        return;
      }
      writeParams(after, true);
      update();
      show(root, { "loss-before": before.loss, "loss-after": net.pass(after).loss });
      // L before and after sit beside the button: bring them into view if a phone hides them
      const result = root.querySelector("[data-step-result]").getBoundingClientRect();
      const overhang = result.bottom - window.innerHeight; // below the screen on a phone
      if (overhang > 0) window.scrollBy(0, overhang + 8);
    });

    root.querySelector("[data-action=check]").addEventListener("click", () => {
      if (root.classList.contains("tx-stale")) return;
      showCheck(finiteDifferences(net, valid, net.pass(valid)));
    });

    root.querySelector("[data-action=reset]").addEventListener("click", () => {
      writeParams(net.seed);
      rate.value = String(net.learningRate);
      checkRate();
      if (scale) {
        scale.value = String(SEED_SCALE);
        root.querySelector('input[name="tx-sequence"][value="toy"]').checked = true;
      }
      clearStep();
      update();
    });

    root.addEventListener("input", (event) => {
      if ((scale && event.target === scale) || event.target.name === "tx-sequence") updateFlow();
      else if (event.target === rate) checkRate();
      else {
        delete event.target.dataset.exact; // the reader's own number replaces a rounded one
        clearStep();
        update();
      }
    });

    // Redraw the plot at its new width (its labels keep their size), e.g. on a phone's rotation.
    if (svg) {
      new ResizeObserver(() => {
        const width = String(Math.round(svg.clientWidth));
        if (svg.clientWidth && width !== svg.dataset.width) updateFlow();
      }).observe(svg);
    }

    root.querySelector("[data-action=reset]").click(); // start at the seed's values
    root.classList.add("tx-live");
  }

  const started = new WeakSet();
  document$.subscribe(() => {
    for (const [name, net] of Object.entries(NETWORKS)) {
      const root = document.querySelector(`[data-explorer="${name}"]`);
      if (!root || started.has(root)) continue;
      started.add(root);
      setUp(root, net);
    }
  });
})();
