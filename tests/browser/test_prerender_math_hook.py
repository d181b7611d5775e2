"""docs/_hooks/prerender_math.py typesets every formula at build time, and fails on bad TeX.

These tests run MathJax in Node (tools/mathjax, installed by ``make install``) on small pages;
the browser tests check the built site as a reader gets it.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from types import ModuleType

import pytest
from load_module import load_module

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    return load_module(ROOT / "docs" / "_hooks" / "prerender_math.py", "prerender_math_hook")


def test_notebook_math_is_found_in_text_and_not_in_code(hook: ModuleType) -> None:
    cell = (
        "<p>Inline $z_t = W x_t$ and <code>$not math$</code>, a price of \\$5,</p>\n"
        "<p>$$\n\\begin{aligned} a &amp;= b \\\\ c &amp;= d \\end{aligned}\n$$</p>"
        "<pre>$$ x $$</pre><p>and \\(h_t\\).</p>"
    )
    spans = hook.notebook_math(cell)
    found = [(cell[start:end], tex, display) for start, end, tex, display in spans]
    assert found == [
        ("$z_t = W x_t$", "z_t = W x_t", False),
        (
            "$$\n\\begin{aligned} a &amp;= b \\\\ c &amp;= d \\end{aligned}\n$$",
            "\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n",
            True,
        ),
        ("\\(h_t\\)", "h_t", False),
    ]


def test_the_search_key_ignores_how_whitespace_was_written(hook: ModuleType) -> None:
    # javascripts/search-math.js makes the same key from the TeX in the search index.
    assert hook.key("\n a &=\n   b \n", True) == hook.key("a &= b", True) == "Da &= b"
    assert hook.key("x", False) == "Ix"


def test_a_page_comes_out_typeset_with_its_spoken_form_for_screen_readers(
    hook: ModuleType,
) -> None:
    page = (
        '<p><span class="arithmatex">\\(\\cancel{x} \\in \\mathbb{R}^{H \\times D}\\)</span></p>'
        '<div class="arithmatex">\\[\\class{highlight}{\\delta_t} = 1 &lt; 2\\]</div>'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">'
        "<p>and $\\boldsymbol{h}_t^\\top$</p></div>"
    )
    cache = hook.MathCache()
    out = hook.typeset_page(page, cache, "test.md")
    assert out.count("<mjx-container") == 3
    # Each formula is read once, by its spoken form (MathSpeak); the glyphs are hidden from
    # screen readers, and no second copy of the formula (assistive MathML) is in the page.
    assert out.count('role="math" aria-label="') == 3
    assert len(re.findall(r'<mjx-math\b[^>]*aria-hidden="true"', out)) == 3
    assert "<mjx-assistive-mml" not in out and "<math" not in out
    spoken = "CrossOut x EndCrossOut element of double struck upper R Superscript upper H times"
    spoken += " upper D"
    assert f'aria-label="{spoken}"' in out
    assert 'aria-label="delta Subscript t Baseline equals 1 less than 2"' in out
    # \top is read as "transpose", not by its glyph's name ("normal down tack")
    assert 'aria-label="bold italic h Subscript t Superscript transpose"' in out
    assert 'display="true"' in out  # the \[…\] formula is displayed
    assert 'class="highlight"' in out  # \class{…}{…} from the html extension
    assert "<mjx-menclose" in out  # \cancel
    assert "\\cancel" not in out and "\\delta" not in out and "$" not in out
    assert "@font-face" in cache.stylesheet()


def test_tex_mathjax_cannot_typeset_is_a_warning_that_names_page_and_tex(
    hook: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    page = '<span class="arithmatex">\\(\\fracc{a}{b}\\)</span>'
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.prerender_math"):
        out = hook.typeset_page(page, hook.MathCache(), "broken.md")
    assert "<mjx-container" not in out
    assert [r.getMessage() for r in caplog.records] == [
        "broken.md: MathJax cannot typeset '\\\\fracc{a}{b}': Undefined control sequence \\fracc"
    ]


def test_a_page_preloads_the_font_of_its_line_breaks(hook: ModuleType) -> None:
    # A long inline formula gets break points drawn in MJX-BRK (mathjax.css); without a
    # preload that font arrives late and the lines around the formula move.
    long_formula = " + ".join(f"a_{{{i}}} b_{{{i}}}" for i in range(40))
    page = f'<p>The sum <span class="arithmatex">\\({long_formula}\\)</span> is long.</p>'
    out = hook.typeset_page(page, hook.MathCache(), "test.md")
    assert "<mjx-break" in out
    assert "MJX-BRK" in hook.fonts_used(out)
    assert "MJX-BRK" not in hook.fonts_used("<mjx-container><mjx-c>x</mjx-c></mjx-container>")


def test_a_page_preloads_the_fonts_of_its_first_blocks_only(hook: ModuleType) -> None:
    # Blocks from the 21st on are laid out later (docs/stylesheets/extra.css): the fonts of
    # their formulas load when needed, not beside the first screen's.
    cache = hook.MathCache()
    text = "<p>Text <br> and <em>more</em>.</p>"
    formula = '<p><span class="arithmatex">\\(\\mathcal{L}\\)</span></p>'  # calligraphic
    near = [text] * (hook.FIRST_BLOCKS - 1) + [formula, text]  # the formula is block 20
    far = [text] * hook.FIRST_BLOCKS + [formula]  # block 21
    for blocks, preloaded in ((near, True), (far, False)):
        page = f'<article class="md-content__inner md-typeset">{"".join(blocks)}</article>'
        out = hook.typeset_page(page, cache, "test.md")
        assert "MJX-NCM-C" in hook.fonts_used(out)
        assert ("MJX-NCM-C" in hook.fonts_used(hook.first_blocks(out))) is preloaded
    short = f'<article class="md-content__inner">{formula}</article><p>{formula}</p>'
    assert hook.first_blocks(short) == short


def test_a_font_is_cut_to_the_characters_formulas_draw(hook: ModuleType) -> None:
    from fontTools.ttLib import TTFont

    cache = hook.MathCache()
    [formula] = cache.typeset([("\\left[ x_t \\right]", True)], "test.md")
    drawn = hook.drawn_characters([formula])
    assert {"𝑥", "𝑡", "["} <= drawn  # the glyphs, math italic, not the TeX
    assert not set("left") & drawn  # no tag names, attributes or spoken form
    full = TTFont(hook.FONTS / "mjx-ncm-n.woff2")
    cut = TTFont(io.BytesIO(hook.subset_font("mjx-ncm-n.woff2", drawn)))
    assert set(full.getBestCmap()) & set(map(ord, drawn)) <= set(cut.getBestCmap())
    assert len(cut.getGlyphOrder()) < len(full.getGlyphOrder()) / 10
