"""The built API reference shows every docstring's text, and its cross-references are links.

No browser needed: the page is read from the session's build with Python's ``html.parser``
(see referencecheck.py for what counts as a problem).
"""

from __future__ import annotations

from referencecheck import reference_problems
from siteserver import Site

#: One docstring entry as mkdocstrings writes it, for the checker's own test.
ENTRY = (
    '<div class="doc doc-object"><h3 id="rnn_derivatives.train"><code>train</code></h3>'
    '<div class="doc doc-contents first"><p>{}</p></div></div>'
    '<div class="doc doc-object"><h3 id="rnn_derivatives.RecallTask.accuracy">'
    '<code>accuracy</code></h3><div class="doc doc-contents"><p>Fine.</p></div></div>'
)
#: One parameter of a list-style Parameters section, its type left to fill in.
ITEM = (
    '<ul><li class="doc-section-item field-body"><b><code>b_h</code></b> (<code>{}</code>, '
    'default: <code>None</code>) – <div class="doc-md-description"><p>Bias.</p></div></li></ul>'
)


def test_the_reference_page_loses_no_text_and_links_its_cross_references(site: Site) -> None:
    html = site.html("reference/")
    assert html.count('class="doc doc-contents') >= 50, "the page documents too little"
    assert html.count('class="autorefs autorefs-internal"') >= 50, "too few cross-references"
    problems = reference_problems(html)
    assert not problems, "\n".join(problems)


def test_the_reference_check_reports_every_kind_of_fault() -> None:
    faults = (
        '"<name> has <n> rows", see :func:`as_float_array`; <code>train</code> and '
        "<code>rnn_derivatives.RecallTask.accuracy()</code> are no links"
    ) + ITEM.format("(array_like, shape(H))").replace("<code>None</code>)", "<code>None</code>\n)")
    problems = reference_problems(ENTRY.format(faults))
    assert problems == [
        "an element HTML does not know, line 1: <name>",
        "an element HTML does not know, line 1: <n>",
        "a Sphinx role shown literally: ':func:`as_float_array`'",
        "line 1: `train` names a documented object but is no link",
        "line 1: `rnn_derivatives.RecallTask.accuracy()` names a documented object but is no link",
        "line 1: the type `(array_like, shape(H))` is not as its docstring writes it",
        "line 1: a space inside parentheses, '</code> )'",
    ]
    fixed = (
        '"<code>&lt;name&gt;</code> has <code>&lt;n&gt;</code> rows", see <code>as_float_array'
        '</code>; <a class="autorefs" href="#rnn_derivatives.train"><code>train</code></a> and '
        '<code><a href="#rnn_derivatives.RecallTask.accuracy">RecallTask.accuracy</a></code>'
    ) + ITEM.format("array_like, shape (H,)")
    assert reference_problems(ENTRY.format(fixed)) == []
