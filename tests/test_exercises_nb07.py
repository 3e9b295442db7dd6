"""Notebook 07's exercises accept the right answer and reject plausible wrong ones."""

import numpy as np
import pytest

from backproplab.exercises import nb07

EXERCISES = [nb07.hinge_values, nb07.hinge_l2_loss, nb07.misclassified, nb07.learning_rate,
             nb07.dead_neurons]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_placeholder_is_not_answered_and_does_not_raise(exercise, capsys):
    assert exercise.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", [nb07.hinge_l2_loss, nb07.learning_rate, nb07.dead_neurons],
                         ids=lambda e: e.title)
def test_a_function_stub_is_not_answered_yet(exercise, capsys):
    def stub(*args):
        ...

    assert exercise.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_hints_go_from_nudge_to_nearly_the_answer_and_solution_prints(exercise, capsys):
    assert 2 <= len(exercise.hints) <= 3
    for _ in exercise.hints:
        exercise.hint()
    out = capsys.readouterr().out
    assert f"Hint {len(exercise.hints)} of {len(exercise.hints)}" in out
    exercise.solution()
    assert "Solution" in capsys.readouterr().out


# ------------------------------------------------------------ 1. hinge by hand

def test_hinge_values_right_answer_passes():
    margins = [y * s for y, s in nb07.HINGE_PAIRS]
    assert nb07.hinge_values.check([max(0, 1 - m) for m in margins])
    assert nb07.hinge_values.check([0, 0.75, 1.5, 0, 1.5])


@pytest.mark.parametrize(
    "wrong, says",
    [
        ([1 - y * s for y, s in nb07.HINGE_PAIRS], "never goes below 0"),  # no max(0, .)
        ([max(0, 1 + y * s) for y, s in nb07.HINGE_PAIRS], "sign is flipped"),
        ([max(0, 1 - s) for _, s in nb07.HINGE_PAIRS], "label is missing"),
        ([0, 0.75, 1.5, 2.0, 1.5], "Pair 3"),  # the point exactly on the margin
        ([0, 0.75, 1.5, 0], "expected 5 numbers"),
        ("0, 0.75, 1.5, 0, 1.5", "without quotes"),
    ],
)
def test_hinge_values_wrong_answers_fail_with_a_reason(wrong, says, capsys):
    assert nb07.hinge_values.check(wrong) is False
    assert says in capsys.readouterr().out


# ------------------------------------------- 2. hinge data loss + L2, as Values

def solution_total_loss(scores, labels, params, alpha):
    data_loss = sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)
    reg_loss = alpha * sum(p * p for p in params)
    return data_loss + reg_loss


def test_hinge_l2_loss_right_answer_passes():
    assert nb07.hinge_l2_loss.check(solution_total_loss)


def test_hinge_l2_loss_cases_exercise_every_part_of_the_gradient():
    # an upstream gradient other than 1, points inside and beyond the margin of both labels
    upstreams = [case[4] for case in nb07.LOSS_CASES]
    assert any(u not in (1, 1.0) for u in upstreams) and any(u < 0 for u in upstreams)
    margins = [y * s for scores, labels, *_ in nb07.LOSS_CASES for s, y in zip(scores, labels)]
    assert any(m > 1 for m in margins) and any(0 < m < 1 for m in margins)
    assert any(m < 0 for m in margins) and all(m != 1 for m in margins)


def sum_not_mean(scores, labels, params, alpha):
    return sum((1 - y * s).relu() for s, y in zip(scores, labels)) + alpha * sum(
        p * p for p in params)


def no_regularisation(scores, labels, params, alpha):
    return sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)


def plus_instead_of_minus(scores, labels, params, alpha):
    return sum((1 + y * s).relu() for s, y in zip(scores, labels)) / len(scores) + alpha * sum(
        p * p for p in params)


def regularises_scores(scores, labels, params, alpha):
    return sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores) + alpha * sum(
        s * s for s in scores)


def returns_a_float(scores, labels, params, alpha):
    return solution_total_loss(scores, labels, params, alpha).data


def detached_regularisation(scores, labels, params, alpha):
    # the right number, but the L2 term is a constant: no gradient reaches the params
    reg = alpha * sum(p.data ** 2 for p in params)
    return sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores) + reg


def python_max(scores, labels, params, alpha):
    data_loss = sum(max(0, 1 - y * s) for s, y in zip(scores, labels)) / len(scores)
    return data_loss + alpha * sum(p * p for p in params)


@pytest.mark.parametrize(
    "wrong, says",
    [
        (sum_not_mean, "take their mean"),
        (no_regularisation, "data loss alone"),
        (plus_instead_of_minus, "the loss should be"),
        (regularises_scores, "the loss should be"),
        (returns_a_float, "must return a Value"),
        (detached_regularisation, "the value is right, but after backward(2.5)"),
        (python_max, "raised TypeError"),
        (0.92, "Expected a function"),
    ],
)
def test_hinge_l2_loss_wrong_answers_fail_with_a_reason(wrong, says, capsys):
    assert nb07.hinge_l2_loss.check(wrong) is False
    assert says in capsys.readouterr().out


def test_hinge_l2_loss_check_uses_the_upstream_gradient():
    # a loss whose backward ignores the gradient it is given: right at upstream 1 only
    from backproplab.engine import Value

    class IgnoresUpstream(Value):
        __slots__ = ()

        def backward(self, gradient=1.0):
            super().backward(1.0)

    def ignores_upstream(scores, labels, params, alpha):
        out = solution_total_loss(scores, labels, params, alpha)
        wrapped = IgnoresUpstream(out.data, (out,), "copy")
        wrapped._backward = lambda grad: setattr(out, "grad", out.grad + grad) or None
        return wrapped

    assert nb07.hinge_l2_loss.check(ignores_upstream) is False


# ----------------------------------------------------- 3. which points are wrong

def test_misclassified_right_answer_passes():
    answer = [i for i, (s, y) in enumerate(zip(nb07.SCORES, nb07.LABELS)) if y * s <= 0]
    assert answer == [1, 2]
    assert nb07.misclassified.check(answer)
    assert nb07.misclassified.check((2, 1))  # order does not matter
    assert nb07.misclassified.check(np.array([1, 2]))  # nor does numpy


@pytest.mark.parametrize(
    "wrong, says",
    [
        ([1, 2, 4, 5], "inside the margin"),  # every point with a positive hinge loss
        ([2, 3], "counted from 1"),
        ([1], "You missed a point"),
        ([0, 3, 4, 5], "gets right"),  # the correctly classified ones
        ([1, 2, 4], "classified correctly"),
        ([1, 2, 2], "twice"),
        ([1, 6], "not an index"),
        (2, "give a list or tuple"),
    ],
)
def test_misclassified_wrong_answers_fail_with_a_reason(wrong, says, capsys):
    assert nb07.misclassified.check(wrong) is False
    assert says in capsys.readouterr().out


# ------------------------------------------------ 4. the learning-rate schedule

def test_learning_rate_right_answer_passes():
    def learning_rate(k, steps, lr0):
        return lr0 * (1.0 - 0.9 * k / steps)

    assert nb07.learning_rate.check(learning_rate)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda k, steps, lr0: lr0 * (1.0 - 0.9 * k / 100),  # hard-coded 100 steps
        lambda k, steps, lr0: 1.0 - 0.9 * k / steps,  # ignores lr0
        lambda k, steps, lr0: lr0 * (0.1 + 0.9 * k / steps),  # grows instead of decaying
        lambda k, steps, lr0: lr0 * (1.0 - 0.9 * k),  # forgot to divide by steps
        lambda k, steps, lr0: lr0 * (1.0 - 0.9 * (k + 1) / steps),  # off by one step
        lambda k, steps, lr0: lr0 * (1.0 - k / steps),  # decays to 0, not to a tenth
    ],
)
def test_learning_rate_wrong_answers_fail(wrong, capsys):
    assert nb07.learning_rate.check(wrong) is False
    assert "rate" in capsys.readouterr().out


def test_learning_rate_rejects_a_number(capsys):
    assert nb07.learning_rate.check(0.55) is False
    assert "Expected a function" in capsys.readouterr().out


# ------------------------------------------------------------ 5. dead neurons

def dead_neurons(layer, points):
    return [i for i, n in enumerate(layer.neurons) if all(n(x).data <= 0 for x in points)]


def test_dead_neurons_right_answer_passes_and_says_why_they_stay_dead(capsys):
    assert nb07.dead_neurons.check(dead_neurons) is True
    out = capsys.readouterr().out
    assert "[1, 3, 4, 5]" in out and "slope is 0" in out


def test_dead_neurons_finds_the_dead_ones_of_a_network_killed_by_a_large_learning_rate():
    """The check's idea on notebook 07's section 9: lr0 = 3 leaves micrograd's relu network
    with a second hidden layer whose neurons are dead on every point of the moons."""
    from backproplab import nn, train
    from backproplab.data import make_moons
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    net = nn.MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0, fused=True)
    trainer = train.Trainer(net, X, y, learning_rate=3.0, schedule="linear_decay", steps=100)
    trainer.run(20)
    hidden = [[h.data for h in net.layers[0](x)] for x in X.tolist()]
    dead = dead_neurons(net.layers[1], hidden)
    assert len(dead) == 16
    # no gradient from the data reaches them: a step only shrinks them by weight decay
    before = [p.data for n in net.layers[1].neurons for p in n.parameters()]
    trainer.step()
    shrink = 1 - 2 * trainer.alpha * trainer.learning_rates[-1]
    after = [p.data for n in net.layers[1].neurons for p in n.parameters()]
    assert after == pytest.approx([b * shrink for b in before], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("wrong, says", [
    (lambda l, p: [i for i, n in enumerate(l.neurons) if any(n(x).data <= 0 for x in p)], "some"),
    (lambda l, p: [i for i, n in enumerate(l.neurons) if any(n(x).data > 0 for x in p)], "fire"),
    (lambda l, p: [1, 4, 5], "relu(0) = 0"),
    (lambda l, p: [1, 5], "bias"),
    (lambda l, p: [1, 3, 4], "Neuron 5 is dead too"),
    (lambda l, p: [0, 1, 3, 4, 5], "Neuron 0 is not dead"),
])
def test_dead_neurons_wrong_answers_name_the_slip(wrong, says, capsys):
    assert nb07.dead_neurons.check(wrong) is False
    assert says in capsys.readouterr().out
