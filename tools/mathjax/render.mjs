// Render TeX to MathJax 4 CommonHTML, one formula at a time, for docs/_hooks/prerender_math.py.
//
// A long-lived process speaking JSON lines on stdin/stdout, so a site build (or every rebuild
// of `mkdocs serve`) pays MathJax's start-up once:
//
//   first line out:  {"version": "4.1.3", "css": [rules every page with math needs]}
//   each line in:    [{"tex": "x^2", "display": false}, …]   (a batch of formulas)
//   each line out:   [{"html": "<mjx-container …>", "css": [rules this formula adds],
//                      "error": "message" (only when the TeX is wrong)}, …]
//
// The CSS of a formula is what MathJax's stylesheet holds after typesetting that formula alone
// (the output's cache is cleared first), minus the rules every formula needs; the caller keeps
// the union for the pages it builds. Nothing is fetched: fonts and TeX extensions come from
// node_modules, and the site serves the fonts from FONT_URL.
//
// What a screen reader gets: the formula's spoken form (Speech Rule Engine, the engine MathJax
// itself speaks with, in MathSpeak: structural and unambiguous, where ClearSpeak reads W_{hh}
// as "W sub h of h") as the aria-label of a container of role "math", the typeset glyphs
// hidden from it. MathJax's assistive MathML would put every formula in the page a second
// time, as hidden MathML that the browser styles and lays out too: on the pages with the most
// math that copy was a quarter of the DOM and about half of the main thread's work while the
// page loads (tools/audit, issue 22).
import MathJax from "@mathjax/src/bundle/node-main.mjs";
import { createInterface } from "node:readline";
import * as SRE from "speech-rule-engine/js/index.js";

const FONT_URL = process.argv[2] ?? "fonts";
//: TeX packages beyond the input/tex component's own (base, ams, newcommand, …). `html` gives
//: \class{…}{…}, \style and \cssId.
const EXTENSIONS = ["boldsymbol", "cancel", "html", "mathtools"];

await MathJax.init({
  loader: {
    load: ["input/tex", "output/chtml", ...EXTENSIONS.map((e) => `[tex]/${e}`)],
  },
  tex: {
    // An undefined macro is an error (the build fails), not red text on the page.
    packages: { "[+]": EXTENSIONS, "[-]": ["noundefined"] },
  },
  chtml: { fontURL: FONT_URL },
  startup: { typeset: false },
});

await SRE.setupEngine({ locale: "en", domain: "mathspeak", modality: "speech" });
await SRE.engineReady();

const adaptor = MathJax.startup.adaptor;
const output = MathJax.startup.output;

function rules() {
  return adaptor
    .textContent(MathJax.chtmlStylesheet())
    .split(/\n\n+/)
    .map((rule) => rule.trim())
    .filter(Boolean);
}

output.clearCache();
const base = rules();
const baseSet = new Set(base);

async function render(tex, display) {
  output.clearCache();
  const node = await MathJax.tex2chtmlPromise(tex, { display });
  const error = adaptor.tags(node, "mjx-merror")[0];
  if (!error) speak(node, spoken(MathJax.tex2mml(tex, { display })));
  const result = {
    // data-latex repeats the TeX on every node, for MathJax's own menu, which the site has not.
    html: adaptor.outerHTML(node).replace(/ data-latex="[^"]*"/g, ""),
    css: rules().filter((rule) => !baseSet.has(rule)),
  };
  if (error) result.error = adaptor.getAttribute(error, "data-mjx-error") || adaptor.textContent(error);
  return result;
}

// MathSpeak names the transpose sign \top by its glyph ("normal down tack"); a listener hears
// "transpose", as the pages mean it.
const spoken = (mml) => SRE.toSpeech(mml).replaceAll("normal down tack", "transpose");

// The container is read as one piece of math, by its spoken form; the glyphs are not read.
function speak(node, speech) {
  adaptor.setAttribute(node, "role", "math");
  adaptor.setAttribute(node, "aria-label", speech);
  for (const math of adaptor.tags(node, "mjx-math")) adaptor.setAttribute(math, "aria-hidden", "true");
}

const write = (object) => process.stdout.write(JSON.stringify(object) + "\n");
write({ version: MathJax.version, css: base });

// Requests are answered in order, one at a time.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(async () => {
    const results = [];
    for (const { tex, display } of JSON.parse(line)) {
      try {
        results.push(await render(tex, display));
      } catch (error) {
        results.push({ html: "", css: [], error: String(error?.message ?? error) });
      }
    }
    write(results);
  });
});
