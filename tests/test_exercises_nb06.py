"""Notebook 06's exercises accept the right answers and reject plausible wrong ones."""

import math

import pytest

from backproplab.exercises import nb06
from backproplab.nn import MLP

# ---------------------------------------------------------------- count_parameters


def count(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts)))


def test_count_parameters_accepts_the_solution():
    assert nb06.count_parameters.check(count)


def test_the_solution_agrees_with_the_library_on_the_notebook_models():
    assert count(3, [4, 4, 1]) == len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert count(2, [16, 16, 1]) == len(MLP(2, [16, 16, 1]).parameters())


def no_biases(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(sizes[i + 1] * sizes[i] for i in range(len(nouts)))


def bias_per_layer(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(sizes[i + 1] * sizes[i] + 1 for i in range(len(nouts)))


def ignores_nin(nin, nouts):  # treats the first layer as if it read its own size
    sizes = [nouts[0]] + list(nouts)
    return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts)))


def only_right_for_3_4_4_1(nin, nouts):
    return 41


@pytest.mark.parametrize("wrong", [no_biases, bias_per_layer, ignores_nin, only_right_for_3_4_4_1])
def test_count_parameters_rejects_wrong_functions(wrong):
    assert not nb06.count_parameters.check(wrong)


def test_count_parameters_rejects_a_float_count(capsys):
    assert not nb06.count_parameters.check(lambda nin, nouts: float(count(nin, nouts)))
    assert "int" in capsys.readouterr().out


def test_count_parameters_placeholder_is_not_answered(capsys):
    def stub(nin, nouts):
        ...

    assert nb06.count_parameters.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb06.count_parameters.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


# ------------------------------------------------------------ output_bias_gradient

YPRED = [0.5, 0.4, -0.7, 0.3]
YS = [1.0, -1.0, -1.0, 1.0]
RIGHT = sum(2 * (yp - y) * (1 - yp**2) for yp, y in zip(YPRED, YS))


def test_output_bias_gradient_accepts_the_solution():
    assert nb06.output_bias_gradient.check(RIGHT)


@pytest.mark.parametrize(
    "wrong, said",
    [
        (sum(2 * (yp - y) for yp, y in zip(YPRED, YS)), "skips the tanh"),
        (sum((yp - y) * (1 - yp**2) for yp, y in zip(YPRED, YS)), "factor of 2"),
        (sum(2 * (y - yp) * (1 - yp**2) for yp, y in zip(YPRED, YS)), "sign"),
        (2 * (YPRED[0] - YS[0]) * (1 - YPRED[0] ** 2), "not dL/db"),  # one sample only
        (sum(2 * (yp - y) * (1 - math.tanh(yp) ** 2) for yp, y in zip(YPRED, YS)), "second tanh"),
    ],
)
def test_output_bias_gradient_rejects_wrong_answers(wrong, said, capsys):
    assert not nb06.output_bias_gradient.check(wrong)
    assert said in capsys.readouterr().out


def test_output_bias_gradient_placeholder_is_not_answered(capsys):
    assert nb06.output_bias_gradient.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


# ------------------------------------------------------------------- training_step


def step(model, xs, ys, lr):
    ypred = [model(x) for x in xs]
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def test_training_step_accepts_the_solution():
    assert nb06.training_step.check(step)


def test_training_step_accepts_zero_grad_at_the_start_and_a_float_loss():
    def zero_first(model, xs, ys, lr):
        model.zero_grad()
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        loss.backward()
        for p in model.parameters():
            p.data += -lr * p.grad
        return loss.data

    assert nb06.training_step.check(zero_first)


def forgets_zero_grad(model, xs, ys, lr):
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def wrong_sign(model, xs, ys, lr):
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data += lr * p.grad
    return loss


def zero_grad_after_backward(model, xs, ys, lr):
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()
    model.zero_grad()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def mean_loss(model, xs, ys, lr):
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def returns_nothing(model, xs, ys, lr):
    step(model, xs, ys, lr)


@pytest.mark.parametrize(
    "wrong, said",
    [
        (forgets_zero_grad, "zero_grad"),
        (wrong_sign, "wrong way"),
        (zero_grad_after_backward, "no parameter changed"),
        (mean_loss, "the loss you returned"),
        (returns_nothing, "returned None"),
    ],
)
def test_training_step_rejects_wrong_steps(wrong, said, capsys):
    assert not nb06.training_step.check(wrong)
    assert said in capsys.readouterr().out


def test_training_step_placeholder_is_not_answered(capsys):
    def stub(model, xs, ys, lr):
        ...

    assert nb06.training_step.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb06.training_step.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


def test_every_exercise_has_graded_hints_and_a_solution(capsys):
    for exercise in (nb06.count_parameters, nb06.output_bias_gradient, nb06.training_step):
        assert 2 <= len(exercise.hints) <= 3
        exercise.solution()
        assert exercise.title in capsys.readouterr().out


# ---------------------------------------------------------------- diverging_rates


def test_diverging_rates_accepts_the_rates_whose_steps_grow():
    assert nb06.diverging_rates.check([1.1, 2.0])
    assert nb06.diverging_rates.check({2, 1.1})


def test_the_answer_is_what_gradient_descent_on_w_squared_does():
    # run the steps themselves: |w| after 20 steps from w = 1 is larger only for 1.1 and 2.0
    grown = []
    for lr in nb06.RATES:
        w = 1.0
        for _ in range(20):
            w -= lr * 2 * w
        if abs(w) > 1.0:
            grown.append(lr)
    assert grown == [1.1, 2.0]


@pytest.mark.parametrize("wrong, says", [
    ([1.0, 1.1, 2.0], "never grows"),          # |w| stays 1: flips, does not grow
    ([0.9, 1.1, 2.0], "zigzagging"),           # overshoots but shrinks
    ([0.01, 0.1, 1.1, 2.0], "slow, not diverging"),
    ([2.0], "1.1 is missing"),
    ([1.1, 2.0, 5.0], "not one of the rates"),
])
def test_diverging_rates_names_the_misreading(wrong, says, capsys):
    assert not nb06.diverging_rates.check(wrong)
    assert says in capsys.readouterr().out

