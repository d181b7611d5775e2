"""MkDocs hook: remove number pins, ``5.9972{=y_hat}`` -> ``5.9972``.

A pin ties a number in prose or LaTeX to the Python expression that produces it; the test suite
(``tests/numcheck.py``) evaluates every pin and fails when the number as written is not what the
code computes. Readers see only the number. See CONTRIBUTING.md.
"""

from __future__ import annotations

import re

#: A pin: ``{=`` then the expression (any text without braces), then ``}``. The only definition;
#: ``tests/numcheck.py`` loads it from here to find the pins it evaluates.
PIN = re.compile(r"\{=(?P<expr>[^{}]+)\}")


def on_page_markdown(markdown: str, **kwargs: object) -> str:
    return PIN.sub("", markdown)
