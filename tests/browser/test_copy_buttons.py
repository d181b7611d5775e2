"""The copy button of a code block puts code on the clipboard that runs when pasted.

On a ``>>>`` example (a ``pycon`` fence) the button copies the prompt lines without their
prompts and leaves the output out (docs/javascripts/pycon-copy.js); on a plain python block it
copies the block as it is. The test reaches a page through Material's instant navigation (the
script must work there too), clicks every copy button on it, reads the system clipboard, and
runs what it copied, block after block, in a fresh Python with the package: the page's code,
pasted in order, works.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from siteserver import Site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
#: A page of python fences and pycon examples (some with ``...`` lines), all of Python.
PAGE = "softmax/"
#: The page before PAGE in nav: the reader arrives by its footer link, under instant navigation.
START = "forward/"
#: Pygments' console prompts, as the copy script removes them.
PROMPT = re.compile(r"^(?:>>>|\.\.\.)(?: |$)")

#: Every code block of the article in page order: its text as shown, the output lines the
#: console lexer marked (Generic.Output), whether it is a console session, its copy button.
_BLOCKS_JS = """() => Array.from(document.querySelectorAll(".md-content .highlight pre > code"))
  .map((code, index) => {
    code.dataset.testBlock = String(index);
    return {
      index,
      shown: code.textContent,
      output: Array.from(code.querySelectorAll(".go")).map((s) => s.textContent),
      session: Array.from(code.querySelectorAll(":scope > .gp"))
        .some((p) => p.textContent.startsWith(">>>")),
      button: !!code.closest("pre").querySelector("button[data-clipboard-target]"),
    };
  })"""


def open_by_instant_navigation(browser: Browser, site: Site) -> Page:
    """``PAGE``, reached from ``START`` by a click that Material's instant navigation serves."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(site.url + START)
    page.wait_for_load_state("load")
    page.evaluate("window.__samePage = true")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(site.url + PAGE)
    page.wait_for_selector(".md-content .highlight pre > code")
    assert page.evaluate("window.__samePage === true"), "the click reloaded the page"
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    return page


def copy_with_button(page: Page, index: int) -> str:
    """Click the copy button of block ``index`` and return what the clipboard then holds."""
    page.evaluate("navigator.clipboard.writeText('')")
    pre = page.locator(f'code[data-test-block="{index}"]').locator("xpath=..")
    pre.scroll_into_view_if_needed()
    pre.hover()
    pre.locator("button[data-clipboard-target]").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''")
    return page.evaluate("navigator.clipboard.readText()")


@pytest.fixture(scope="module")
def copied(browser: Browser, site: Site) -> list[tuple[dict, str]]:
    """Every code block of ``PAGE`` with what its copy button put on the clipboard."""
    page = open_by_instant_navigation(browser, site)
    try:
        blocks = page.evaluate(_BLOCKS_JS)
        assert all(block["button"] for block in blocks), "a code block has no copy button"
        return [(block, copy_with_button(page, block["index"])) for block in blocks]
    finally:
        page.context.close()


def test_the_page_has_both_kinds_of_block(copied: list[tuple[dict, str]]) -> None:
    sessions = [block for block, _ in copied if block["session"]]
    assert len(sessions) >= 3, "too few >>> examples on the page to test"
    assert any("\n... " in block["shown"] for block in sessions), "no example with a ... line"
    assert any(not block["session"] for block, _ in copied), "no plain python block on the page"


def test_a_console_example_copies_its_code_without_prompts_or_output(
    copied: list[tuple[dict, str]],
) -> None:
    for block, text in copied:
        if not block["session"]:
            continue
        lines = text.splitlines()
        assert ">>>" not in text, f"block {block['index']} copied its prompts:\n{text}"
        assert not [line for line in lines if line.startswith("... ")], text
        outputs = {line for out in block["output"] for line in out.splitlines() if line.strip()}
        assert outputs, f"block {block['index']} shows no output to leave out"
        assert not outputs & set(lines), f"block {block['index']} copied its output:\n{text}"
        shown = block["shown"].splitlines()
        expected = [PROMPT.sub("", line) for line in shown if PROMPT.match(line)]
        assert text == "\n".join(expected).rstrip(), f"block {block['index']} copied:\n{text}"


def test_a_python_block_copies_as_it_is(copied: list[tuple[dict, str]]) -> None:
    for block, text in copied:
        if not block["session"]:
            assert text == block["shown"].rstrip(), f"block {block['index']} changed when copied"


def test_what_the_buttons_copied_runs_in_python(copied: list[tuple[dict, str]]) -> None:
    """Pasted block after block into one Python session, the page's code runs."""
    program = "\n\n".join(text for _, text in copied)
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"the copied code failed:\n{done.stderr[-3000:]}"
