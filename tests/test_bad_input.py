"""Every public function rejects bad input with a ValueError that names the argument.

Each case is (call, argument named first in the message, fragments the message must contain:
the expected shape or range). The data: D = 2, H = 3, O = 4, T = 5, and B = 2 when batched.
"""

from __future__ import annotations

import numpy as np
import pytest
from package_helpers import raises_naming

from rnn_derivatives import (
    LSTMParams,
    RNNParams,
    forward,
    hidden_jacobian,
    loss_and_grads,
    numerical_grads,
    relative_error,
    sgd_step,
    softmax,
    softmax_jacobian,
)

NAN, INF = float("nan"), float("inf")
P = RNNParams.random(2, 3, 4, seed=0, scale=0.5)
XS = np.random.default_rng(0).normal(size=(5, 2))
XS_B = np.random.default_rng(1).normal(size=(5, 2, 2))
IDS = np.array([0, 1, 2, 3, 0])
IDS_B = np.array([[0, 1], [2, 3], [0, 0], [1, 1], [3, 2]])
Y = np.array([0.5, -0.5, 1.0, 0.0])
Y_B = np.ones((2, 4))
CACHE = forward(P, XS)
W_XH, W_HH, W_HY = np.ones((3, 2)), np.eye(3), np.ones((4, 3))


def with_value(array: np.ndarray, index: tuple[int, ...], value: object) -> np.ndarray:
    """A copy of ``array`` with one entry replaced (NaN, inf, a wrong id)."""
    out = np.array(array, dtype=float if isinstance(value, float) else array.dtype)
    out[index] = value
    return out


def ce(xs=XS, targets=IDS, **kwargs):
    return loss_and_grads(P, xs, targets, **kwargs)


def sq(xs=XS, targets=Y, **kwargs):
    return loss_and_grads(P, xs, targets, loss="squared_last", **kwargs)


CASES = {
    # --- RNNParams: shapes that disagree with each other, and values -----------------------
    "W_xh-1d": (lambda: RNNParams(np.ones(3), W_HH, W_HY), "W_xh", "(H, D)"),
    "W_xh-empty": (lambda: RNNParams(np.ones((0, 2)), W_HH, W_HY), "W_xh", ">= 1"),
    "W_xh-ragged": (lambda: RNNParams([[1.0], [1.0, 2.0]], W_HH, W_HY), "W_xh", "numeric"),
    "W_xh-bool": (lambda: RNNParams(np.ones((3, 2), bool), W_HH, W_HY), "W_xh", "numeric"),
    "W_xh-complex": (lambda: RNNParams(W_XH + 1j, W_HH, W_HY), "W_xh", "numeric"),
    "W_xh-None": (lambda: RNNParams(None, W_HH, W_HY), "W_xh", "numeric"),
    "W_hh-not-square": (lambda: RNNParams(W_XH, np.ones((3, 2)), W_HY), "W_hh", "(3, 3)"),
    "W_hh-other-H": (
        lambda: RNNParams(W_XH, np.eye(4), W_HY),
        "W_hh",
        "(H, H) = (3, 3) because W_xh and W_hy say H = 3; got shape (4, 4)",
    ),
    "W_hh-string": (lambda: RNNParams(W_XH, "eye", W_HY), "W_hh", "numeric"),
    "W_hy-other-H": (
        lambda: RNNParams(W_XH, W_HH, np.ones((4, 2))),
        "W_hy",
        "(O, H) = (4, 3) because W_xh and W_hh say H = 3; got shape (4, 2)",
    ),
    "W_hy-3d": (lambda: RNNParams(W_XH, W_HH, np.ones((4, 3, 1))), "W_hy", "(O, 3)"),
    "b_h-other-H": (lambda: RNNParams(W_XH, W_HH, W_HY, b_h=np.ones(2)), "b_h", "(3,)"),
    "b_h-2d": (lambda: RNNParams(W_XH, W_HH, W_HY, b_h=np.ones((3, 1))), "b_h", "(3,)"),
    "b_y-other-O": (
        lambda: RNNParams(W_XH, W_HH, W_HY, b_y=np.ones(3)),
        "b_y",
        "(O,) = (4,) because W_hy says O = 4; got shape (3,)",
    ),
    "W_xh-nan": (lambda: RNNParams(with_value(W_XH, (0, 0), NAN), W_HH, W_HY), "W_xh", "finite"),
    "W_hh-inf": (lambda: RNNParams(W_XH, with_value(W_HH, (2, 1), INF), W_HY), "W_hh", "finite"),
    "W_hy-ninf": (lambda: RNNParams(W_XH, W_HH, with_value(W_HY, (3, 2), -INF)), "W_hy", "finite"),
    "b_h-nan": (lambda: RNNParams(W_XH, W_HH, W_HY, b_h=[0.0, NAN, 0.0]), "b_h", "finite"),
    "b_y-inf": (lambda: RNNParams(W_XH, W_HH, W_HY, b_y=[0.0, 0.0, INF, 0.0]), "b_y", "finite"),
    # --- RNNParams.random and astype --------------------------------------------------------
    "n_in-zero": (lambda: RNNParams.random(0, 3, 4, seed=0), "n_in", ">= 1"),
    "n_hidden-negative": (lambda: RNNParams.random(2, -3, 4, seed=0), "n_hidden", ">= 1"),
    "n_out-float": (lambda: RNNParams.random(2, 3, 2.5, seed=0), "n_out", "integer"),
    "n_in-bool": (lambda: RNNParams.random(True, 3, 4, seed=0), "n_in", "integer"),
    "seed-negative": (lambda: RNNParams.random(2, 3, 4, seed=-1), "seed", ">= 0"),
    "seed-float": (lambda: RNNParams.random(2, 3, 4, seed=1.5), "seed", "integer"),
    "seed-None": (lambda: RNNParams.random(2, 3, 4, seed=None), "seed", "integer"),
    "scale-zero": (lambda: RNNParams.random(2, 3, 4, seed=0, scale=0.0), "scale", "> 0"),
    "scale-negative": (lambda: RNNParams.random(2, 3, 4, seed=0, scale=-0.1), "scale", "> 0"),
    "scale-nan": (lambda: RNNParams.random(2, 3, 4, seed=0, scale=NAN), "scale", "finite"),
    "scale-inf": (lambda: RNNParams.random(2, 3, 4, seed=0, scale=INF), "scale", "finite"),
    "astype-float16": (lambda: P.astype(np.float16), "dtype", "float32"),
    "astype-int": (lambda: P.astype(np.int64), "dtype", "float64"),
    # --- forward: xs and h0 against params ---------------------------------------------------
    "forward-params": (lambda: forward({"W_xh": W_XH}, XS), "params", "RNNParams"),
    "xs-1d": (lambda: forward(P, np.ones(5)), "xs", "(T, 2)"),
    "xs-4d": (lambda: forward(P, np.ones((5, 2, 1, 2))), "xs", "(T, 2)"),
    "xs-other-D": (lambda: forward(P, np.ones((5, 3))), "xs", "because params.W_xh has 2 columns"),
    "xs-batched-other-D": (lambda: forward(P, np.ones((5, 2, 3))), "xs", "(T, B, D) = (5, 2, 2)"),
    "xs-T0": (lambda: forward(P, np.ones((0, 2))), "xs", "T >= 1"),
    "xs-batched-T0": (lambda: forward(P, np.ones((0, 2, 2))), "xs", "T >= 1"),
    "xs-B0": (lambda: forward(P, np.ones((5, 0, 2))), "xs", "B >= 1"),
    "xs-nan": (lambda: forward(P, with_value(XS, (3, 1), NAN)), "xs", "finite"),
    "xs-inf": (lambda: forward(P, with_value(XS_B, (0, 1, 0), INF)), "xs", "finite"),
    "xs-ragged": (lambda: forward(P, [[1.0, 2.0], [3.0]]), "xs", "(T, D) or (T, B, D)"),
    "xs-strings": (lambda: forward(P, [["a", "b"]]), "xs", "numeric"),
    "xs-None": (lambda: forward(P, None), "xs", "numeric"),
    "h0-other-H": (lambda: forward(P, XS, np.ones(4)), "h0", "because params.W_hy has 3 columns"),
    "h0-batched-for-one-sequence": (lambda: forward(P, XS, np.ones((2, 3))), "h0", "(3,)"),
    "h0-unbatched-for-a-batch": (lambda: forward(P, XS_B, np.ones(3)), "h0", "(2, 3)"),
    "h0-other-B": (lambda: forward(P, XS_B, np.ones((3, 3))), "h0", "because xs has 2 sequences"),
    "h0-nan": (lambda: forward(P, XS, [0.0, NAN, 0.0]), "h0", "finite"),
    "h0-inf-batched": (
        lambda: forward(P, XS_B, with_value(np.ones((2, 3)), (1, 2), INF)),
        "h0",
        "finite",
    ),
    # --- loss_and_grads: names, class ids, targets ---------------------------------------
    "loss-unknown": (lambda: ce(loss="mse"), "loss", "'cross_entropy', 'squared_last'"),
    "loss-None": (lambda: ce(loss=None), "loss", "'cross_entropy'"),
    "method-unknown": (lambda: ce(method="fast"), "method", "'recursive', 'double_sum'"),
    "method-case": (lambda: ce(method="Recursive"), "method", "'recursive'"),
    "loss-params": (lambda: loss_and_grads(None, XS, IDS), "params", "RNNParams"),
    "loss-xs-T0": (lambda: ce(xs=np.ones((0, 2)), targets=[]), "xs", "T >= 1"),
    "loss-xs-other-D": (lambda: ce(xs=np.ones((5, 1))), "xs", "because params.W_xh has 2 columns"),
    "loss-xs-nan-double-sum": (
        lambda: ce(xs=with_value(XS, (0, 0), NAN), method="double_sum"),
        "xs",
        "finite",
    ),
    "loss-h0-other-H": (lambda: ce(h0=np.ones(2)), "h0", "because params.W_hy has 3 columns"),
    "ids-too-large": (lambda: ce(targets=with_value(IDS, (2,), 4)), "targets", "[0, 3]"),
    "ids-negative": (lambda: ce(targets=with_value(IDS, (0,), -1)), "targets", "[0, 3]"),
    "ids-batched-too-large": (
        lambda: ce(xs=XS_B, targets=with_value(IDS_B, (4, 1), 7)),
        "targets",
        "[0, 3]",
    ),
    "ids-fraction": (lambda: ce(targets=with_value(IDS, (1,), 1.5)), "targets", "integer"),
    "ids-nan": (lambda: ce(targets=with_value(IDS, (1,), NAN)), "targets", "integer"),
    "ids-inf": (lambda: ce(targets=with_value(IDS, (1,), INF)), "targets", "integer"),
    "ids-bool": (
        lambda: ce(targets=np.array([True, False, True, False, True])),
        "targets",
        "integer",
    ),
    "ids-strings": (lambda: ce(targets=list("abcde")), "targets", "integer"),
    "ids-ragged": (lambda: ce(targets=[[0], [1, 2], [0], [0], [0]]), "targets", "(5,)"),
    "ids-short": (lambda: ce(targets=IDS[:4]), "targets", "(5,)"),
    "ids-unbatched-for-a-batch": (lambda: ce(xs=XS_B, targets=IDS), "targets", "(5, 2)"),
    "ids-batched-for-one-sequence": (lambda: ce(targets=IDS_B), "targets", "(5,)"),
    "y-other-O": (lambda: sq(targets=np.ones(3)), "targets", "(4,)"),
    "y-number-when-O-is-4": (lambda: sq(targets=1.0), "targets", "(4,)"),
    "y-unbatched-for-a-batch": (lambda: sq(xs=XS_B, targets=Y), "targets", "(2, 4)"),
    "y-batched-other-B": (lambda: sq(xs=XS_B, targets=np.ones((3, 4))), "targets", "(2, 4)"),
    "y-nan": (lambda: sq(targets=with_value(Y, (2,), NAN)), "targets", "finite"),
    "y-inf-batched": (
        lambda: sq(xs=XS_B, targets=with_value(Y_B, (1, 3), -INF)),
        "targets",
        "finite",
    ),
    "y-string": (lambda: sq(targets="7"), "targets", "numeric"),
    # --- numerical_grads ---------------------------------------------------------------
    "eps-zero": (lambda: numerical_grads(P, XS, IDS, eps=0.0), "eps", "> 0"),
    "eps-negative": (lambda: numerical_grads(P, XS, IDS, eps=-1e-6), "eps", "> 0"),
    "eps-nan": (lambda: numerical_grads(P, XS, IDS, eps=NAN), "eps", "finite"),
    "eps-inf": (lambda: numerical_grads(P, XS, IDS, eps=INF), "eps", "finite"),
    "eps-string": (lambda: numerical_grads(P, XS, IDS, eps="1e-6"), "eps", "number"),
    "numgrad-loss": (lambda: numerical_grads(P, XS, IDS, loss="hinge"), "loss", "'squared_last'"),
    "numgrad-params": (lambda: numerical_grads(W_XH, XS, IDS), "params", "RNNParams"),
    "numgrad-xs": (lambda: numerical_grads(P, np.ones((5, 3)), IDS), "xs", "W_xh has 2 columns"),
    "numgrad-ids": (lambda: numerical_grads(P, XS, with_value(IDS, (0,), 9)), "targets", "[0, 3]"),
    "numgrad-h0": (lambda: numerical_grads(P, XS, IDS, h0=[NAN, 0.0, 0.0]), "h0", "finite"),
    "numgrad-y": (
        lambda: numerical_grads(P, XS, np.ones(2), loss="squared_last"),
        "targets",
        "(4,)",
    ),
    # --- hidden_jacobian ---------------------------------------------------------------
    "t-too-large": (lambda: hidden_jacobian(P, CACHE, 6, 0), "t", "[0, 5]"),
    "t-negative": (lambda: hidden_jacobian(P, CACHE, -1, 0), "t", "[0, 5]"),
    "k-too-large": (lambda: hidden_jacobian(P, CACHE, 5, 6), "k", "[0, 5]"),
    "k-negative": (lambda: hidden_jacobian(P, CACHE, 5, -1), "k", "[0, 5]"),
    "t-float": (lambda: hidden_jacobian(P, CACHE, 2.0, 0), "t", "integer"),
    "k-bool": (lambda: hidden_jacobian(P, CACHE, 2, True), "k", "integer"),
    "cache-batched": (lambda: hidden_jacobian(P, forward(P, XS_B), 2, 0), "cache", "(T, D)"),
    "cache-array": (lambda: hidden_jacobian(P, CACHE.h, 2, 0), "cache", "forward pass"),
    "cache-other-H": (
        lambda: hidden_jacobian(RNNParams.random(2, 4, 4, seed=0), CACHE, 2, 0),
        "cache",
        "H = 4",
    ),
    "jacobian-params": (lambda: hidden_jacobian(None, CACHE, 2, 0), "params", "RNNParams"),
    # --- sgd_step ----------------------------------------------------------------------
    "lr-zero": (lambda: sgd_step(P, P, 0.0), "lr", "> 0"),
    "lr-negative": (lambda: sgd_step(P, P, -0.1), "lr", "> 0"),
    "lr-nan": (lambda: sgd_step(P, P, NAN), "lr", "finite"),
    "lr-inf": (lambda: sgd_step(P, P, INF), "lr", "finite"),
    "lr-string": (lambda: sgd_step(P, P, "0.1"), "lr", "number"),
    "grads-other-shapes": (
        lambda: sgd_step(P, RNNParams.random(2, 3, 5, seed=0), 0.1),
        "grads",
        "(4, 3)",
    ),
    "grads-not-params": (lambda: sgd_step(P, {"W_xh": W_XH}, 0.1), "grads", "RNNParams"),
    "sgd-params": (lambda: sgd_step([W_XH, W_HH, W_HY], P, 0.1), "params", "RNNParams"),
    # --- softmax, softmax_jacobian, relative_error -------------------------------------------
    "softmax-nan": (lambda: softmax([0.0, NAN]), "o", "finite"),
    "softmax-inf": (lambda: softmax([[0.0, 1.0], [INF, 0.0]]), "o", "finite"),
    "softmax-empty": (lambda: softmax([]), "o", ">= 1"),
    "softmax-scalar": (lambda: softmax(1.0), "o", "shape"),
    "softmax-strings": (lambda: softmax(["a", "b"]), "o", "numeric"),
    "softmax-ragged": (lambda: softmax([[1.0, 2.0], [3.0]]), "o", "numeric"),
    "softmax-jacobian-2d": (lambda: softmax_jacobian(np.ones((2, 3))), "o", "(O,)"),
    "softmax-jacobian-nan": (lambda: softmax_jacobian([1.0, NAN]), "o", "finite"),
    "softmax-jacobian-empty": (lambda: softmax_jacobian([]), "o", ">= 1"),
    "relative-error-nan": (lambda: relative_error([1.0, NAN], [1.0, 2.0]), "a", "finite"),
    "relative-error-inf": (lambda: relative_error([1.0, 2.0], [INF, 2.0]), "b", "finite"),
    "relative-error-ragged": (lambda: relative_error([[1.0], [1.0, 2.0]], [1.0]), "a", "numeric"),
    "relative-error-string": (lambda: relative_error([1.0], "x"), "b", "numeric"),
    "relative-error-shapes": (
        lambda: relative_error(np.ones((2, 3)), np.ones((3, 2))),
        "a and b",
        "(2, 3)",
    ),
}


@pytest.mark.parametrize(
    ("call", "name", "fragment"),
    [pytest.param(*case, id=case_id) for case_id, case in CASES.items()],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, name, fragment):
    with raises_naming(name, fragment):
        call()


def test_a_size_conflict_blames_the_argument_that_disagrees_with_the_others() -> None:
    # W_xh and W_hy say H = 5; W_hh disagrees. The message blames W_hh and says who set H.
    with pytest.raises(ValueError) as error:
        RNNParams(np.ones((5, 3)), np.eye(4), np.ones((2, 5)))
    assert str(error.value) == (
        "W_hh must have shape (H, H) = (5, 5) because W_xh and W_hy say H = 5; got shape (4, 4)"
    )
    # Three arguments say H = 4 and W_x says 3: W_x is blamed, whichever comes first.
    with pytest.raises(ValueError) as error:
        LSTMParams(np.ones((12, 3)), np.ones((16, 4)), np.ones(16), np.ones((2, 4)))
    assert str(error.value) == (
        "W_x must have shape (4H, D) = (16, 3) because W_h, b and W_hy say H = 4; got shape (12, 3)"
    )
    with pytest.raises(ValueError) as error:
        loss_and_grads(P, XS_B, IDS_B[:, :1])
    assert (
        str(error.value) == "targets must be (T, B) = (5, 2) because xs has 2 sequences; got (5, 1)"
    )
