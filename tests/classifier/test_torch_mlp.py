"""The PyTorch trainer: the MLP it hands over is the network it trained, reproducibly, with sparse rows."""

from __future__ import annotations

import numpy as np
import torch

from tests.classifier.conftest import tame_features, tame_records
from toxsynth.classifier.torch_mlp import SparseMLP, _bags, drop_units, fit_sparse_mlp

SETTINGS = dict(hidden=(16, 16), alpha=0.01, dropout=0.3, learning_rate=0.01, batch_size=16, max_epochs=20, patience=5)


def _data():
    records = tame_records(160)
    features = tame_features(records)
    x = features.transform([r["text"] for r in records])
    y = np.array([r["label"] for r in records])
    return x[:120], y[:120], x[120:], y[120:]


def test_scikit_learn_model_gives_the_trained_networks_probabilities():
    x, y, x_val, y_val = _data()
    mlp, history, best = fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=3, **SETTINGS)
    net = SparseMLP(x.shape[1], SETTINGS["hidden"], 0.0)
    with torch.no_grad():  # the same weights, loaded back into a network
        net.first.weight.copy_(torch.from_numpy(mlp.coefs_[0]))
        net.first_bias.copy_(torch.from_numpy(mlp.intercepts_[0]))
        for layer, w, b in zip(net.rest, mlp.coefs_[1:], mlp.intercepts_[1:]):
            layer.weight.copy_(torch.from_numpy(w.T))
            layer.bias.copy_(torch.from_numpy(b))
        expected = torch.sigmoid(net.eval()(_bags(x_val))).numpy()
    np.testing.assert_allclose(mlp.predict_proba(x_val)[:, 1], expected, atol=1e-6)
    assert [w.shape for w in mlp.coefs_] == [(x.shape[1], 16), (16, 16), (16, 1)]
    # the kept epoch: none after it lowered the validation loss by more than the 1e-4 that counts as better
    losses = [h["val_loss"] for h in history]
    assert 1 <= best <= len(history) and losses[best - 1] <= min(losses) + 1e-4
    assert all(loss > min(losses[:best]) - 1e-4 for loss in losses[best:])
    assert (mlp.predict(x_val) == y_val).mean() > 0.9


def test_same_seed_same_weights_and_another_seed_others():
    x, y, x_val, y_val = _data()
    fits = [fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=s, **SETTINGS)[0] for s in (1, 1, 2)]
    assert all(np.array_equal(a, b) for a, b in zip(fits[0].coefs_, fits[1].coefs_))
    assert not np.array_equal(fits[0].coefs_[0], fits[2].coefs_[0])


def test_a_text_without_known_ngrams_gets_the_first_layer_bias_only():
    x, y, x_val, y_val = _data()
    mlp, _, _ = fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=0, **SETTINGS)
    empty = x_val[:1] * 0
    h = np.maximum(mlp.intercepts_[0], 0) @ mlp.coefs_[1] + mlp.intercepts_[1]
    logit = np.maximum(h, 0) @ mlp.coefs_[2] + mlp.intercepts_[2]
    np.testing.assert_allclose(mlp.predict_proba(empty)[0, 1], 1 / (1 + np.exp(-logit[0])), atol=1e-6)


def test_moving_average_is_what_is_kept_and_validated():
    x, y, x_val, y_val = _data()
    plain, _, _ = fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=5, **SETTINGS)
    averaged, history, best = fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=5, ema_decay=0.9, **SETTINGS)
    assert not np.allclose(plain.coefs_[0], averaged.coefs_[0])  # same steps, other weights: the average
    # the history's validation loss at the kept epoch is that of the model handed over
    prob = np.clip(averaged.predict_proba(x_val)[:, 1], 1e-12, 1 - 1e-12)
    loss = -np.mean(y_val * np.log(prob) + (1 - y_val) * np.log(1 - prob))
    assert abs(loss - history[best - 1]["val_loss"]) < 1e-4
    assert (averaged.predict(x_val) == y_val).mean() > 0.9


def test_dropout_zeroes_a_share_p_and_keeps_the_mean():
    torch.manual_seed(0)
    x = torch.rand(400, 500) + 0.5
    for p in (0.15, 0.5):
        out = drop_units(x, p, training=True)
        assert abs(float((out == 0).float().mean()) - p) < 0.01
        kept = out != 0
        assert torch.allclose(out[kept], x[kept] / (1 - p))  # survivors scaled up ...
        assert abs(float(out.mean() / x.mean()) - 1) < 0.01  # ... so the expected activation is unchanged
    assert drop_units(x, 0.5, training=False) is x and drop_units(x, 0.0, training=True) is x


def test_input_dropout_drops_ngrams_while_training_only():
    x, y, x_val, y_val = _data()
    torch.manual_seed(0)
    net = SparseMLP(x.shape[1], (8,), 0.0, input_dropout=0.5)
    bags = _bags(x_val)
    with torch.no_grad():
        net.train()
        assert not torch.equal(net(bags), net(bags))  # another half of the n-grams each time
        net.eval()
        plain = SparseMLP(x.shape[1], (8,), 0.0)
        plain.load_state_dict(net.state_dict())
        assert torch.equal(net(bags), plain.eval()(bags))  # scoring sees every n-gram
    fits = [fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=4, **SETTINGS, input_dropout=p)[0]
            for p in (0.3, 0.3, 0.0)]
    assert np.array_equal(fits[0].coefs_[0], fits[1].coefs_[0])  # reproducible
    assert not np.array_equal(fits[0].coefs_[0], fits[2].coefs_[0])


def test_soft_targets_replace_the_labels_in_training():
    x, y, x_val, y_val = _data()
    flipped = 1.0 - y  # targets that contradict the labels: the network must learn these, not `y`
    mlp, _, _ = fit_sparse_mlp(x, y, x_val, 1 - y_val, None, None, seed=3, targets=flipped, **SETTINGS)
    assert (mlp.predict(x) == flipped).mean() > 0.9
    soft = np.where(y == 1, 0.8, 0.2)  # softened labels still teach the task
    mlp, _, _ = fit_sparse_mlp(x, y, x_val, y_val, None, None, seed=3, targets=soft, **SETTINGS)
    assert (mlp.predict(x_val) == y_val).mean() > 0.9
