"""Backpropagation through time for a vanilla tanh RNN, written to be read beside the derivation.

Every function checks its inputs and raises ``ValueError`` naming the argument at fault;
none modifies the arrays it is given.
"""

from rnn_derivatives.bptt import hidden_jacobian, loss_and_grads
from rnn_derivatives.gradcheck import numerical_grads, relative_error
from rnn_derivatives.losses import softmax, softmax_jacobian
from rnn_derivatives.model import ForwardCache, RNNParams, forward, sgd_step
from rnn_derivatives.toy import toy_network

__all__ = [
    "ForwardCache",
    "RNNParams",
    "forward",
    "hidden_jacobian",
    "loss_and_grads",
    "numerical_grads",
    "relative_error",
    "sgd_step",
    "softmax",
    "softmax_jacobian",
    "toy_network",
]
__version__ = "0.1.0"
