"""WCAG contrast measured in the browser: JavaScript colour functions for the page checks.

:func:`with_colour_functions` defines, at the top of a JavaScript function's body,

* ``rgba(css)``: a computed CSS colour as ``[r, g, b, a]`` (transparent if it has no numbers);
* ``over(top, bottom)``: colour ``top`` composited over ``bottom``;
* ``background(el)``: what is drawn behind ``el``, every ancestor's background composited over
  white (so translucent tints count);
* ``contrast(a, b)``: the WCAG 2.x contrast ratio of two opaque colours.

``sitecheck`` measures typeset math against its background with them, ``a11ycheck`` focus rings.
"""

from __future__ import annotations

_COLOUR_FUNCTIONS = """
  const rgba = (css) => {
    const v = (css.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a)
      .concat([a]);
  };
  const background = (e) => {
    const layers = [];
    for (; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };"""


def with_colour_functions(function: str) -> str:
    """``function``, JavaScript source ``(…) => { … }``, with the colour functions defined first
    in its body."""
    head, brace, body = function.partition("{")
    return head + brace + _COLOUR_FUNCTIONS + body
