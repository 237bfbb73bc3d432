"""Drop the hidden units of a ReLU MLP on unit-length, non-negative input (L2-normalized TF-IDF) that are provably
never active: the network computes the same function without them, on every possible text.

A first-layer unit j sees b_j + x . w_j with x >= 0 and |x| <= 1, so its pre-activation is at most
b_j + |max(w_j, 0)| (Cauchy-Schwarz); a later unit k, whose inputs lie in [0, u_i], is at most b_k + sum_i
max(w_ik, 0) u_i. A unit whose bound is below -MARGIN outputs ReLU(<0) = 0 for every text, so its column (and the next
layer's row) can go; the margin keeps float rounding in the ONNX graph from ever lifting such a unit above 0.
"""

from __future__ import annotations

import numpy as np
from sklearn.neural_network import MLPClassifier

MARGIN = 1e-4


def live_units(mlp: MLPClassifier) -> list[np.ndarray]:
    """Per hidden layer, a boolean mask of the units that some input could activate (at least one per layer)."""
    masks, upper = [], None
    for weights, bias in zip(mlp.coefs_[:-1], mlp.intercepts_[:-1]):
        positive = np.clip(weights.astype(np.float64), 0, None)
        reach = np.sqrt((positive ** 2).sum(axis=0)) if upper is None else positive.T @ upper
        bound = bias + reach
        live = bound > -MARGIN
        if not live.any():  # a constant detector still needs one unit to carry its (zero) signal
            live[np.argmax(bound)] = True
        masks.append(live)
        upper = np.where(live, np.maximum(bound, 0), 0.0)
    return masks


def pruned_layers(mlp: MLPClassifier) -> list[tuple[np.ndarray, np.ndarray]]:
    """(weights, bias) of every layer, the output layer included, without the units that never activate."""
    masks = live_units(mlp)
    rows = [None] + masks  # the input's rows all stay
    cols = masks + [np.ones(mlp.coefs_[-1].shape[1], dtype=bool)]
    return [((w if r is None else w[r])[:, c], b[c]) for w, b, r, c in zip(mlp.coefs_, mlp.intercepts_, rows, cols)]
