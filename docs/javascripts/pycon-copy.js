// Copy buttons on Python console examples (```pycon) copy code that runs when pasted.
//
// Material's copy button copies a block as it is shown, so a `>>>` example would paste its
// prompts and its printed output. When the code element or an ancestor carries a `data-copy`
// attribute, Material copies that attribute's value instead (its clipboard integration, since
// Material 9.4.4; squidfunk/mkdocs-material#6086). This script sets it on every block in which
// Pygments' console lexer marked a `>>>` prompt: the lines that start with `>>> ` or `... `,
// prompts removed, every other line (the output) dropped, as sphinx-copybutton does with its
// prompt pattern `>>> |\.\.\. ` and "copy only prompt lines". Other blocks are left alone.
//
// Runs on every page, also after Material's instant navigation (document$).
const PROMPT = /^(?:>>>|\.\.\.)(?: |$)/;

// The code of a console session: prompt lines without their prompts.
function codeOnly(session) {
  return session
    .split("\n")
    .filter((line) => PROMPT.test(line))
    .map((line) => line.replace(PROMPT, ""))
    .join("\n");
}

function isConsoleSession(code) {
  return Array.from(code.querySelectorAll(":scope > .gp")).some((prompt) =>
    prompt.textContent.startsWith(">>>"),
  );
}

document$.subscribe(() => {
  for (const code of document.querySelectorAll(".highlight pre > code")) {
    if (!code.hasAttribute("data-copy") && isConsoleSession(code)) {
      code.setAttribute("data-copy", codeOnly(code.textContent));
    }
  }
});
