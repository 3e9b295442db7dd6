"""Notebook 08's exercises accept the right answer and reject plausible wrong ones."""

import numpy as np
import pytest

from backproplab.engine import Value
from backproplab.exercises import nb08

EXERCISES = [nb08.matmul_backward, nb08.unbroadcast, nb08.cross_entropy_grad,
             nb08.digits_parameters]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_placeholder_is_not_answered_and_does_not_raise(exercise, capsys):
    assert exercise.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES[:3], ids=lambda e: e.title)
def test_a_function_stub_is_not_answered_yet(exercise, capsys):
    def stub(*args):
        ...

    assert exercise.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_hints_and_solution_print(exercise, capsys):
    assert 2 <= len(exercise.hints) <= 3
    for _ in exercise.hints:
        exercise.hint()
    assert f"Hint {len(exercise.hints)} of {len(exercise.hints)}" in capsys.readouterr().out
    exercise.solution()
    assert "Solution" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", EXERCISES[:3], ids=lambda e: e.title)
def test_a_number_is_not_a_function(exercise, capsys):
    assert exercise.check(3.0) is False
    out = capsys.readouterr().out
    assert "Expected a function" in out and "got 3.0" in out


# ------------------------------------------------------------- 1. matmul backward

def test_matmul_backward_right_answer_passes():
    assert nb08.matmul_backward.check(lambda a, b, grad: (grad @ b.T, a.T @ grad))
    assert nb08.matmul_backward.check(lambda a, b, grad: [grad @ b.T, (grad.T @ a).T])


def test_matmul_backward_accepts_other_forms_of_the_right_answer():
    assert nb08.matmul_backward.check(lambda a, b, g: ((g @ b.T).tolist(), (a.T @ g).tolist()))
    assert nb08.matmul_backward.check(lambda a, b, g: (x for x in (g @ b.T, a.T @ g)))
    assert nb08.matmul_backward.check(lambda a, b, g: (np.einsum("ij,kj->ik", g, b),
                                                       np.dot(a.T, g).astype(np.float32)))


def test_matmul_backward_rejects_a_rule_that_changes_its_inputs(capsys):
    def in_place(a, b, grad):
        grad *= 1.0
        grad += 0.5  # changes the caller's array
        return (grad - 0.5) @ b.T, a.T @ (grad - 0.5)

    assert nb08.matmul_backward.check(in_place) is False
    assert "changed the array `grad`" in capsys.readouterr().out


def test_matmul_backward_cases_include_square_and_rectangular_matrices():
    # rectangular cases catch a missing transpose by its shape, square ones by its values
    assert any(a[0] != a[1] or b[0] != b[1] for a, b in nb08.MATMUL_SHAPES)
    assert any(a[0] == a[1] == b[0] == b[1] for a, b in nb08.MATMUL_SHAPES)


@pytest.mark.parametrize("wrong, says", [
    (lambda a, b, grad: (np.ones_like(grad) @ b.T, a.T @ np.ones_like(grad)), "Multiply by `grad`"),
    (lambda a, b, grad: (a.T @ grad, grad @ b.T), "shape"),  # swapped: shapes differ
    (lambda a, b, grad: (grad @ b, a @ grad), "raised"),  # no transposes: shapes clash
    (lambda a, b, grad: (grad @ b, a @ grad), "transpose missing"),  # ... and why
    (lambda a, b, grad: (-(grad @ b.T), -(a.T @ grad)), "wrong sign"),
    (lambda a, b, grad: (grad @ b.T / grad.shape[1], a.T @ grad), "(a mean)"),
    (lambda a, b, grad: ((grad @ b.T).tolist(), Value(1.0)), "from the scalar engine"),
    (lambda a, b, grad: (grad @ b.T, np.vectorize(Value, otypes=[object])(a.T @ grad)),
     "from the scalar engine"),
    (lambda a, b, grad: (b @ grad.T, a.T @ grad), "wrong order"),

    (lambda a, b, grad: (grad @ b.T, a.T @ grad * 2), "grad_b does not match"),
    (lambda a, b, grad: grad @ b.T, "return 2 arrays"),
    (lambda a, b, grad: (grad @ b.T, (a.T @ grad).ravel()), "shape"),
])
def test_matmul_backward_wrong_answers_fail_with_a_reason(wrong, says, capsys):
    assert nb08.matmul_backward.check(wrong) is False
    assert says in capsys.readouterr().out


def test_matmul_backward_square_case_names_swaps_and_missing_transposes(capsys):
    def swapped_when_square(a, b, grad):
        if a.shape == b.shape:
            return a.T @ grad, grad @ b.T
        return grad @ b.T, a.T @ grad

    def no_transpose_when_square(a, b, grad):
        if a.shape == b.shape:
            return grad @ b, a.T @ grad
        return grad @ b.T, a.T @ grad

    assert nb08.matmul_backward.check(swapped_when_square) is False
    assert "swapped" in capsys.readouterr().out
    assert nb08.matmul_backward.check(no_transpose_when_square) is False
    assert "transpose is missing" in capsys.readouterr().out


def test_matmul_backward_endless_loop_is_stopped(capsys):
    def loops(a, b, grad):
        while True:
            pass

    assert nb08.matmul_backward.check(loops, time_limit=0.2) is False
    assert "did not finish within" in capsys.readouterr().out


# ------------------------------------------------------------------ 2. unbroadcast

def solution_unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] > 1)
    return grad.sum(axis=stretched, keepdims=True)


def test_unbroadcast_right_answer_passes():
    assert nb08.unbroadcast.check(solution_unbroadcast)


def test_unbroadcast_cases_cover_scalar_row_column_and_extra_axes():
    shapes = [shape for _, shape in nb08.UNBROADCAST_CASES]
    assert () in shapes and (4,) in shapes and (3, 1) in shapes and (1, 4) in shapes
    assert any(len(g) > len(s) + 1 for g, s in nb08.UNBROADCAST_CASES)


def only_leading_axes(grad, shape):
    extra = grad.ndim - len(shape)
    return grad.sum(axis=tuple(range(extra)))


def mean_instead_of_sum(grad, shape):
    total = solution_unbroadcast(grad, shape)
    return total * (np.prod(shape) / grad.size)


@pytest.mark.parametrize("wrong, says", [
    (lambda grad, shape: grad, "shape"),
    (only_leading_axes, "shape"),
    (mean_instead_of_sum, "mean"),
    (lambda grad, shape: np.reshape(solution_unbroadcast(grad, shape) + 1, shape), "should be"),
    (lambda grad, shape: grad, "the result's shape"),
    (lambda grad, shape: np.reshape(-solution_unbroadcast(grad, shape), shape), "sign is flipped"),
    (lambda grad, shape: solution_unbroadcast(grad, shape).ravel(), "keepdims=True"),
])
def test_unbroadcast_wrong_answers_fail(wrong, says, capsys):
    assert nb08.unbroadcast.check(wrong) is False
    assert says in capsys.readouterr().out


def test_unbroadcast_accepts_a_float_for_a_scalar_and_a_list():
    assert nb08.unbroadcast.check(lambda g, s: float(g.sum()) if s == () else
                                  solution_unbroadcast(g, s).tolist())
    assert nb08.unbroadcast.check(unbroadcast_by_loops)


def unbroadcast_by_loops(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1:
            grad = grad.sum(axis=i, keepdims=True)
    return grad


# ---------------------------------------------------------- 3. cross-entropy grad

def solution_ce(logits, labels, grad):
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    probs[np.arange(len(labels)), labels] -= 1
    return grad * probs / len(labels)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_cross_entropy_grad_right_answer_passes():
    assert nb08.cross_entropy_grad.check(solution_ce)


@pytest.mark.parametrize("wrong, says", [
    (lambda z, y, g: solution_ce(z, y, 1.0), "upstream gradient of 1"),
    (lambda z, y, g: solution_ce(z, y, g) * len(y), "MEAN"),
    (lambda z, y, g: -solution_ce(z, y, g), "sign is flipped"),
    (lambda z, y, g: g * softmax(z) / len(y), "subtract 1"),
    (lambda z, y, g: g * np.exp(z) / len(y), "does not match"),
    (lambda z, y, g: solution_ce(z, y, g) * len(y) / z.shape[1], "number of classes"),
    (lambda z, y, g: g * (softmax(z) - np.eye(z.shape[1])[y][:, ::-1]) / len(y), "does not match"),
    (lambda z, y, g: g * (lambda p: (p.__setitem__((slice(None), y), p[:, y] - 1), p)[1])(
        softmax(z)) / len(y), "probs[:, labels]"),
    (lambda z, y, g: solution_ce(z, y, g)[0], "shape"),
])
def test_cross_entropy_grad_wrong_answers_fail_with_a_reason(wrong, says, capsys):
    assert nb08.cross_entropy_grad.check(wrong) is False
    assert says in capsys.readouterr().out


def test_cross_entropy_grad_accepts_one_hot_rows():
    assert nb08.cross_entropy_grad.check(
        lambda z, y, g: g * (softmax(z) - np.eye(z.shape[1])[y]) / z.shape[0])


def test_cross_entropy_grad_without_the_shift_overflows_on_large_logits(capsys):
    # the notebook shows exp overflowing just before: a softmax without the log-sum-exp
    # shift is right for small logits only, and the check says which lesson it missed
    unshifted = lambda z, y, g: g * (np.exp(z) / np.exp(z).sum(1, keepdims=True)
                                     - np.eye(z.shape[1])[y]) / z.shape[0]
    assert nb08.cross_entropy_grad.check(unshifted) is False
    assert "Subtract each row's largest logit" in capsys.readouterr().out


def test_cross_entropy_grad_rejects_a_rule_that_changes_the_logits(capsys):
    def in_place(logits, labels, grad):
        logits -= logits.max(axis=1, keepdims=True)
        return solution_ce(logits, labels, grad)

    assert nb08.cross_entropy_grad.check(in_place) is False
    assert "changed the array `logits`" in capsys.readouterr().out


def test_cross_entropy_grad_cases_use_upstream_gradients_other_than_one():
    upstreams = [u for _, _, u in nb08.CE_CASES]
    assert all(u != 1 for u in upstreams) and any(u < 0 for u in upstreams)
    assert any(len(labels) == 1 for _, labels, _ in nb08.CE_CASES)  # n = 1: mean == sum


# --------------------------------------------------------------- 4. parameters

def test_digits_parameters():
    assert nb08.digits_parameters.check(4810)
    assert nb08.digits_parameters.check(4810.0)
    assert nb08.digits_parameters.check(np.int64(4810))
    arrays = [np.zeros((64, 64)), np.zeros(64), np.zeros((64, 10)), np.zeros(10)]
    assert nb08.digits_parameters.check(sum(p.size for p in arrays))


@pytest.mark.parametrize("wrong, says", [
    (64 * 64 + 64 * 10, "weights only"),
    (64 * 64 + 64 * 10 + 64, "10 biases"),
    (4000, "is not it"),
    (64 * 64 + 64 * 10 + 10, "hidden layer's 64 biases"),
    (337, "notebook 07"),
    (4810.5, "whole number"),
    (Value(4810.0), "plain whole number"),
    (None, "None"),
    ("4810", "without quotes"),  # a string: write the number itself
])
def test_digits_parameters_wrong(wrong, says, capsys):
    assert nb08.digits_parameters.check(wrong) is False
    assert says in capsys.readouterr().out
