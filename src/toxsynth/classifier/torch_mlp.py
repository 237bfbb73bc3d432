"""Train the detector's MLP with PyTorch on sparse TF-IDF rows, and hand the weights over as a scikit-learn MLP.

scikit-learn's `MLPClassifier.partial_fit` multiplies a sparse batch into a dense gradient of the whole first layer
on one core; PyTorch does the same work several times faster. The result is an ordinary fitted `MLPClassifier`
(ReLU hidden layers, one logistic output), so skops, skl2onnx, the bundle and every reader stay as they are.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import LabelBinarizer
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn


def _bags(x: sp.csr_matrix) -> tuple[torch.Tensor, ...]:
    """CSR rows as EmbeddingBag input: (n-gram indices, row offsets, TF-IDF values)."""
    x = x.tocsr()
    return (torch.from_numpy(x.indices.astype(np.int64)), torch.from_numpy(x.indptr[:-1].astype(np.int64)),
            torch.from_numpy(x.data.astype(np.float32)))


def drop_units(x: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    """Inverted dropout from a uniform draw: the same distribution as torch's, whose CPU Bernoulli sampling took 4 ms
    for a 500 x 600 batch (a quarter of a training step; this takes about 1 ms)."""
    if not training or p == 0:
        return x
    return x * (torch.rand_like(x) >= p) * (1 / (1 - p))


class SparseMLP(torch.nn.Module):
    """x (sparse) -> first layer as a weighted sum of the n-grams' weight rows -> ReLU -> Dropout -> ... -> one logit.
    While training, `input_dropout` drops each n-gram of a text with that probability (the rest scaled up)."""

    def __init__(self, n_features: int, hidden: tuple[int, ...], dropout: float, input_dropout: float = 0.0):
        super().__init__()
        self.input_dropout = input_dropout
        self.first = torch.nn.EmbeddingBag(n_features, hidden[0], mode="sum")  # weight [F, hidden]: coefs_[0]
        self.first_bias = torch.nn.Parameter(torch.empty(hidden[0]))
        self.rest = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(hidden, (*hidden[1:], 1)))
        self.dropout = dropout
        fans = [(n_features, hidden[0])] + [(layer.in_features, layer.out_features) for layer in self.rest]
        params = [(self.first.weight, self.first_bias)] + [(layer.weight, layer.bias) for layer in self.rest]
        for (fan_in, fan_out), (weight, bias) in zip(fans, params):  # Glorot uniform, as scikit-learn initialises
            bound = float(np.sqrt(6 / (fan_in + fan_out)))
            torch.nn.init.uniform_(weight, -bound, bound)
            torch.nn.init.uniform_(bias, -bound, bound)

    def forward(self, bags: tuple[torch.Tensor, ...]) -> torch.Tensor:
        indices, offsets, values = bags
        if self.input_dropout and self.training:
            values = drop_units(values, self.input_dropout, True)
        h = self.first(indices, offsets, per_sample_weights=values) + self.first_bias
        for layer in self.rest:
            h = layer(drop_units(torch.relu(h), self.dropout, self.training))
        return h.squeeze(1)

    def weights(self) -> list[torch.Tensor]:
        return [self.first.weight] + [layer.weight for layer in self.rest]

    def coefs(self) -> list[np.ndarray]:
        """Weights as scikit-learn stores them: [in, out] per layer."""
        return [self.first.weight.detach().double().numpy().copy()] + \
            [layer.weight.detach().double().numpy().T.copy() for layer in self.rest]

    def intercepts(self) -> list[np.ndarray]:
        return [b.detach().double().numpy().copy() for b in [self.first_bias] + [layer.bias for layer in self.rest]]


def validation_loss(net: SparseMLP, x: tuple[torch.Tensor, ...], y: torch.Tensor, weights: torch.Tensor) -> float:
    net.eval()
    with torch.no_grad():
        losses = torch.nn.functional.binary_cross_entropy_with_logits(net(x), y, reduction="none")
    return float((losses * weights).sum() / weights.sum())


def as_sklearn(net: SparseMLP, hidden: tuple[int, ...], alpha: float, batch_size: int, seed: int) -> MLPClassifier:
    """The trained weights as a fitted scikit-learn MLPClassifier (float64, like one it would fit itself)."""
    mlp = MLPClassifier(hidden_layer_sizes=hidden, alpha=alpha, batch_size=batch_size, random_state=seed)
    mlp.coefs_, mlp.intercepts_ = net.coefs(), net.intercepts()
    mlp.n_features_in_, mlp.n_outputs_, mlp.n_layers_ = mlp.coefs_[0].shape[0], 1, len(mlp.coefs_) + 1
    mlp.out_activation_, mlp.classes_ = "logistic", np.array([0, 1])
    mlp._label_binarizer = LabelBinarizer().fit([0, 1])
    return mlp


def fit_sparse_mlp(x, y, x_val, y_val, weights, val_weights, *, hidden, alpha, dropout, learning_rate, batch_size,
                   max_epochs, patience, seed, ema_decay=0.0, input_dropout=0.0, targets=None, log=None):
    """Adam on mini-batches with scikit-learn's L2 (`alpha` / 2 * |W|^2 per batch, biases unpenalised), early
    stopping on the weighted validation log-loss, keeping the best epoch. With `ema_decay` > 0 the model that is
    validated and kept is the exponential moving average of the weights over steps. `targets`: soft training targets
    in [0, 1] instead of `y` (validation always uses `y_val`). Returns (MLPClassifier,
    history, best epoch)."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    net = SparseMLP(x.shape[1], hidden, dropout, input_dropout)
    # scikit-learn's penalty alpha / (2 * batch) * |W|^2 adds alpha / batch * W to each weight's gradient: Adam's
    # (coupled) weight_decay does exactly that, without a pass over the weights for the loss.
    weights_ = net.weights()
    biases = [p for p in net.parameters() if all(p is not w for w in weights_)]
    optimizer = torch.optim.Adam([{"params": weights_, "weight_decay": alpha / batch_size},
                                  {"params": biases, "weight_decay": 0.0}], lr=learning_rate, fused=True)
    targets = torch.from_numpy((y if targets is None else targets).astype(np.float32))
    row_weights = torch.from_numpy(np.ones(len(y)) if weights is None else weights).float()
    xv, yv = _bags(x_val), torch.from_numpy(y_val.astype(np.float32))
    wv = torch.from_numpy(np.ones(len(y_val)) if val_weights is None else val_weights).float()
    x = x.tocsr()
    averaged = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(ema_decay)) if ema_decay > 0 else None
    kept = averaged.module if averaged else net
    best, best_state, waited, history = np.inf, None, 0, []
    for epoch in range(1, max_epochs + 1):
        net.train()
        order = torch.randperm(len(y), generator=generator).numpy()
        total = 0.0
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            logits = net(_bags(x[rows]))
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, targets[rows], reduction="none")
                    * row_weights[rows]).mean()
            total += float(loss.detach()) * len(rows)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if averaged:
                averaged.update_parameters(net)
        val = validation_loss(kept, xv, yv, wv)
        history.append({"epoch": epoch, "train_loss": round(total / len(y), 6), "val_loss": round(val, 6)})
        if log:
            log.info("epoch %d: train loss %.4f, validation loss %.4f", epoch, total / len(y), val)
        if val < best - 1e-4:
            best, waited, best_state = val, 0, ({k: v.clone() for k, v in kept.state_dict().items()}, epoch)
        else:
            waited += 1
            if waited >= patience:
                break
    kept.load_state_dict(best_state[0])
    kept.eval()
    return as_sklearn(kept, hidden, alpha, batch_size, seed), history, best_state[1]
