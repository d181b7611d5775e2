"""Backpropagation through time for a vanilla tanh RNN, an LSTM and a GRU, written to be read
beside the derivation.

This namespace is the whole public API. Every function checks its inputs and raises
``ValueError`` naming the argument at fault; none modifies the arrays it is given.
"""

from rnn_derivatives.bptt import (
    StateGrads,
    backprop_states,
    chunked_loss_and_grads,
    gru_loss_and_grads,
    hidden_grads,
    loss_and_grads,
    lstm_loss_and_grads,
    state_grads,
)
from rnn_derivatives.cells.gru import GRUParams
from rnn_derivatives.cells.lstm import LSTMParams
from rnn_derivatives.cells.rnn import RNNParams
from rnn_derivatives.charmodel import (
    AdamState,
    CharRun,
    ChunkResult,
    TextStreams,
    Vocabulary,
    adam_step,
    char_params,
    chunk_loss_and_grads,
    evaluate_chars,
    input_influence,
    read_char_params,
    sample_chars,
    split_text,
    text_streams,
    train_chars,
)
from rnn_derivatives.clipping import (
    clip_by_global_norm,
    clip_by_value,
    cosine_similarity,
    global_norm,
)
from rnn_derivatives.derivation import (
    deltas,
    hidden_jacobian,
    immediate_jacobians,
    jacobian_norms,
    largest_singular_value,
    softmax,
    softmax_jacobian,
    spectral_radius,
    step_jacobian,
    w_hh_grad_terms,
)
from rnn_derivatives.fast import Workspace, fast_loss_and_grads
from rnn_derivatives.gradcheck import (
    central_differences,
    error_decade,
    numerical_grads,
    numerical_jacobian,
    relative_error,
)
from rnn_derivatives.params import ParamSet
from rnn_derivatives.paths import PathGrads, path_grads
from rnn_derivatives.sequence import (
    Scored,
    Trace,
    forward,
    hidden_states,
    outputs,
    score,
    step_backward,
    step_forward,
)
from rnn_derivatives.tasks import RecallTask
from rnn_derivatives.toy import scaled_network, toy_classifier, toy_network
from rnn_derivatives.training import TrainResult, initial_params, sgd_step, train

#: The name of a forward pass before every cell shared one trace type.
ForwardCache = Trace

__all__ = [
    "AdamState",
    "CharRun",
    "ChunkResult",
    "ForwardCache",
    "GRUParams",
    "LSTMParams",
    "ParamSet",
    "PathGrads",
    "RNNParams",
    "RecallTask",
    "Scored",
    "StateGrads",
    "TextStreams",
    "Trace",
    "TrainResult",
    "Vocabulary",
    "Workspace",
    "adam_step",
    "backprop_states",
    "central_differences",
    "char_params",
    "chunk_loss_and_grads",
    "chunked_loss_and_grads",
    "clip_by_global_norm",
    "clip_by_value",
    "cosine_similarity",
    "deltas",
    "error_decade",
    "evaluate_chars",
    "fast_loss_and_grads",
    "forward",
    "global_norm",
    "gru_loss_and_grads",
    "hidden_grads",
    "hidden_jacobian",
    "hidden_states",
    "immediate_jacobians",
    "initial_params",
    "input_influence",
    "jacobian_norms",
    "largest_singular_value",
    "loss_and_grads",
    "lstm_loss_and_grads",
    "numerical_grads",
    "numerical_jacobian",
    "outputs",
    "path_grads",
    "read_char_params",
    "relative_error",
    "sample_chars",
    "scaled_network",
    "score",
    "sgd_step",
    "softmax",
    "softmax_jacobian",
    "spectral_radius",
    "split_text",
    "state_grads",
    "step_backward",
    "step_forward",
    "step_jacobian",
    "text_streams",
    "toy_classifier",
    "toy_network",
    "train",
    "train_chars",
    "w_hh_grad_terms",
]
__version__ = "0.1.0"
