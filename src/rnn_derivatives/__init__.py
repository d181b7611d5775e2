"""Backpropagation through time for a vanilla tanh RNN, an LSTM and a GRU, written to be read
beside the derivation.

Every function checks its inputs and raises ``ValueError`` naming the argument at fault;
none modifies the arrays it is given.
"""

from rnn_derivatives.bptt import hidden_jacobian, loss_and_grads
from rnn_derivatives.chunked import chunked_loss_and_grads
from rnn_derivatives.clipping import (
    clip_by_global_norm,
    clip_by_value,
    cosine_similarity,
    global_norm,
)
from rnn_derivatives.gradcheck import error_decade, numerical_grads, relative_error
from rnn_derivatives.gradient_flow import (
    jacobian_norms,
    largest_singular_value,
    scaled_network,
    spectral_radius,
    w_hh_grad_terms,
)
from rnn_derivatives.gru import GRUParams
from rnn_derivatives.losses import softmax, softmax_jacobian
from rnn_derivatives.lstm import LSTMParams
from rnn_derivatives.model import ForwardCache, RNNParams, forward, sgd_step
from rnn_derivatives.sequence import (
    StateGrads,
    backprop_states,
    gru_loss_and_grads,
    hidden_grads,
    hidden_states,
    lstm_loss_and_grads,
    state_grads,
)
from rnn_derivatives.tasks import RecallTask
from rnn_derivatives.toy import toy_classifier, toy_network

# The trainer stays out of this namespace: importing rnn_derivatives.train here would shadow
# the module with its function and break `python -m rnn_derivatives.train`.

__all__ = [
    "ForwardCache",
    "GRUParams",
    "LSTMParams",
    "RNNParams",
    "RecallTask",
    "StateGrads",
    "backprop_states",
    "chunked_loss_and_grads",
    "clip_by_global_norm",
    "clip_by_value",
    "cosine_similarity",
    "error_decade",
    "forward",
    "global_norm",
    "gru_loss_and_grads",
    "hidden_grads",
    "hidden_jacobian",
    "hidden_states",
    "jacobian_norms",
    "largest_singular_value",
    "loss_and_grads",
    "lstm_loss_and_grads",
    "numerical_grads",
    "relative_error",
    "scaled_network",
    "sgd_step",
    "softmax",
    "softmax_jacobian",
    "spectral_radius",
    "state_grads",
    "toy_classifier",
    "toy_network",
    "w_hh_grad_terms",
]
__version__ = "0.1.0"
