"""The LSTM page's second cell picture: the step of ``lstm_cell`` with its backward pass."""

from __future__ import annotations

from .lstm_cell import backward_html


def html() -> str:
    return backward_html()
