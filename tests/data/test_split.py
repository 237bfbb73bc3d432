"""split_eval(): stratified by label, capped, grouped, deterministic, and weak rows never in eval."""

from collections import Counter

from toxsynth.data.split import Item, eval_target, split_eval


def items(n_pos, n_neg, group_size=1):
    out = []
    for label, n in ((1, n_pos), (0, n_neg)):
        for i in range(n):
            out.append(Item(key=f"{label}-{i}", label=label, group=f"{label}-g{i // group_size}"))
    return out


def test_target_is_capped_by_fraction():
    assert eval_target(100_000, 2500, 0.2) == 2500
    assert eval_target(1_000, 2500, 0.2) == 200
    assert eval_target(3, 2500, 0.2) == 0


def test_stratified_by_label():
    data = items(300, 700)
    chosen = split_eval(data, eval_size=100, eval_max_fraction=0.5, seed=0)
    labels = Counter(data[i].label for i in chosen)
    assert labels == {1: 30, 0: 70}


def test_deterministic_and_seed_dependent():
    data = items(300, 700)
    a = split_eval(data, 100, 0.5, seed=1)
    assert a == split_eval(list(data), 100, 0.5, seed=1)
    assert a != split_eval(data, 100, 0.5, seed=2)


def test_groups_never_straddle():
    data = items(300, 700, group_size=7)
    chosen = split_eval(data, 100, 0.5, seed=3)
    groups_in = {data[i].group for i in chosen}
    assert all((i in chosen) == (data[i].group in groups_in) for i in range(len(data)))
    assert 90 <= len(chosen) <= 114  # whole groups: a quota may overshoot by less than one group per label


def test_train_only_rows_and_their_groups_stay_in_train():
    data = items(50, 50) + [Item("weak", 1, "1-g0", train_only=True)]  # shares a group with a human row
    chosen = split_eval(data, 1000, 1.0, seed=0)
    assert len(data) - 1 not in chosen and 0 not in chosen  # the weak row and its group-mate
    assert len(chosen) == 99


def test_a_group_that_mixes_labels_counts_each_member_under_its_own_label():
    # every positive sits in a group whose first member is negative: counted as negatives, eval would get 6 rows
    items = [Item(f"{g}-{k}", k, f"user{g}") for g in range(10) for k in (0, 1)]
    chosen = split_eval(items, eval_size=10, eval_max_fraction=1.0, seed=3)
    assert len(chosen) == 10 and Counter(items[i].label for i in chosen) == {0: 5, 1: 5}
