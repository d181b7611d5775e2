"""Check the built API reference for docstring text that did not survive mkdocstrings.

``reference_problems(html)`` reads one built page and returns one line per problem:

* an element HTML does not define: docstring text such as ``"<name> has <n> rows"`` written
  without backticks is parsed as the tags ``<name>`` and ``<n>``, and the reader sees
  ``" has rows"``;
* a Sphinx role (``:func:`x```, ``:class:``, …) shown as it was written: mkdocstrings does not
  read them;
* a documented name quoted as code without a link, e.g. ``loss_and_grads`` or
  ``RecallTask.accuracy`` in a docstring: written as ``[`loss_and_grads`][rnn_derivatives.
  loss_and_grads]`` it becomes a link to its entry (mkdocs-autorefs);
* a parameter's, attribute's or return value's type not shown as its docstring writes it:
  griffe reads ``array_like, shape (H,)`` as the Python tuple ``(array_like, shape(H))``,
  and the list style wraps that in its own brackets, ``W ((array_like, shape(H)))``
  (tools/griffe/numpy_types.py keeps the written text);
* a space just inside the parentheses around a type, ``(int, default: None )`` or
  ``grads ( same type as params )``: the list style's templates left the line breaks around
  their ``<code>`` in the page (tools/mkdocstrings/ holds the two that are fixed).

Only the docstrings (``div.doc-contents``, outside headings and code blocks) are checked for
links: the page's own prose and each entry's heading name things without linking them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: The elements of the HTML Living Standard (obsolete ones left out).
HTML_ELEMENTS = frozenset(
    """
    a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
    img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol
    optgroup option output p picture pre progress q rp rt ruby s samp script search section
    select slot small source span strong style sub summary sup table tbody td template textarea
    tfoot th thead time title tr track u ul var video wbr
    """.split()
)
#: SVG elements (the theme's icons use a few) and MathML Core elements (math on a page).
SVG_ELEMENTS = frozenset(
    """
    svg g defs symbol use path circle ellipse line polyline polygon rect text tspan title desc
    lineargradient radialgradient stop clippath mask pattern marker image foreignobject
    """.split()
)
MATHML_ELEMENTS = frozenset(
    """
    math semantics annotation annotation-xml mrow mi mo mn ms mtext mspace mfrac msqrt mroot
    mstyle merror mpadded mphantom msub msup msubsup munder mover munderover mmultiscripts
    mprescripts none mtable mtr mtd
    """.split()
)
KNOWN_ELEMENTS = HTML_ELEMENTS | SVG_ELEMENTS | MATHML_ELEMENTS
#: MathJax's CHTML output is made of custom elements, all named mjx-….
CUSTOM_PREFIXES = ("mjx-",)
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const|ref):`[^`]*`?")
PACKAGE = "rnn_derivatives."
#: "shape (H, D)" as griffe re-prints it, "shape(H, D)" (not np.shape(...), which is code).
RE_PRINTED_SHAPE = re.compile(r"(?<![.\w])shape\(")
#: White space between a parenthesis and the code span it encloses, which a browser shows as
#: one space.
SPACED_PARENS = re.compile(r"\(\s+<code>|</code>\s+\)")


class _Reference(HTMLParser):
    """Unknown elements, the ids of documented objects, and the code spans of docstrings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unknown: list[str] = []
        self.documented: set[str] = set()
        self.code: list[tuple[str, bool, int]] = []  # (text, inside a link, line)
        self.text: list[str] = []
        self._open: list[tuple[str, set[str]]] = []  # (tag, classes) of the open elements
        self._span: list[str] | None = None
        self._span_linked = False
        self._span_is_type = False
        self._span_line = 0
        self.types: list[tuple[str, int]] = []  # (text, line): a list item's type, default

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        return any(t == tag and (cls is None or cls in c) for t, c in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag not in KNOWN_ELEMENTS and not tag.startswith(CUSTOM_PREFIXES):
            self.unknown.append(f"line {self.getpos()[0]}: <{tag}>")
        ident = values.get("id", "")
        if ident.startswith(PACKAGE):
            self.documented.add(ident.removeprefix(PACKAGE))
        if tag == "a" and self._span is not None:
            self._span_linked = True
        if tag == "code" and self._span is None and self._in_docstring():
            self._span = []
            self._span_linked = self._inside("a")
            self._span_line = self.getpos()[0]
            self._span_is_type = self._inside("li", "doc-section-item") and not (
                self._inside("b") or self._inside("div", "doc-md-description")
            )
        if tag not in VOID:
            self._open.append((tag, set(values.get("class", "").split())))

    def _in_docstring(self) -> bool:
        headings = ("h1", "h2", "h3", "h4", "h5", "h6")
        return (
            self._inside("div", "doc-contents")
            and not any(self._inside(h) for h in headings)
            and not self._inside("pre")
        )

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._span is not None:
            self.code.append(("".join(self._span), self._span_linked, self._span_line))
            if self._span_is_type:
                self.types.append(("".join(self._span), self._span_line))
            self._span = None
        for i in range(len(self._open) - 1, -1, -1):  # close up to the matching open tag
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._span is not None:
            self._span.append(data)


def reference_problems(html: str) -> list[str]:
    """One line per problem of the built reference page ``html`` (see the module's doc)."""
    page = _Reference()
    page.feed(html)
    page.close()
    problems = [f"an element HTML does not know, {tag}" for tag in page.unknown]
    text = "".join(page.text)
    problems += [
        f"a Sphinx role shown literally: {m.group()!r}" for m in SPHINX_ROLE.finditer(text)
    ]
    for code, linked, line in page.code:
        name = code.removeprefix(PACKAGE).removesuffix("()")
        if name in page.documented and not linked:
            problems.append(f"line {line}: `{code}` names a documented object but is no link")
    for code, line in page.types:
        if (code.startswith("(") and code.endswith(")")) or RE_PRINTED_SHAPE.search(code):
            problems.append(f"line {line}: the type `{code}` is not as its docstring writes it")
    for match in SPACED_PARENS.finditer(html):
        line = html.count("\n", 0, match.start()) + 1
        problems.append(f"line {line}: a space inside parentheses, {' '.join(match[0].split())!r}")
    return problems
