"""The three cells, each one module with its parameters' shapes and one step and its backward.

Every cell module holds only

    step_forward(params, x_t, state_{t-1}) -> (state_t, cache)
    step_backward(params, ∂L/∂state_t, cache) -> (∂L/∂x_t, ∂L/∂state_{t-1}, this step's grads)

where a state is (h_t,) or, for the LSTM, (h_t, c_t), and ``STATES`` names the initial states
the cell takes. `rnn_derivatives.sequence` runs any of them over time. To add a fourth cell,
write its module here and add its parameter class to `CELLS`.
"""

from __future__ import annotations

from types import ModuleType

from rnn_derivatives.cells import gru, lstm, rnn

#: The cell module of each parameter class.
CELLS: dict[type, ModuleType] = {
    rnn.RNNParams: rnn,
    lstm.LSTMParams: lstm,
    gru.GRUParams: gru,
}
