"""The exercises of 04 Backpropagation, and the teaching version of backward() it uses."""

import math

import pytest

from backproplab.engine import Value, local_gradients, numerical_gradient
from backproplab.exercises import nb04
from backproplab.teaching import local_derivatives, teaching_backward
from backproplab.exercises.nb04 import topo_graph


# -------------------------------------------------------------- hand_gradients


def test_hand_gradients_accepts_the_chain_rule_result(capsys):
    # L = (x*y + z)**2 at x=2, y=3, z=-3: d = 3, dL/dd = 2d = 6
    d = 2 * 3 - 3
    assert nb04.hand_gradients.check((2 * d * 3, 2 * d * 2, 2 * d * 1)) is True
    assert "✓" in capsys.readouterr().out


def test_hand_gradients_answer_agrees_with_central_differences():
    numeric = numerical_gradient(nb04.hand_gradients_expression, [2.0, 3.0, -3.0])
    assert nb04.hand_gradients.check(tuple(numeric))


def test_hand_gradients_rejects_local_derivatives_without_the_upstream(capsys):
    assert nb04.hand_gradients.check((3.0, 2.0, 1.0)) is False
    assert "multiply" in capsys.readouterr().out


def test_hand_gradients_rejects_d_squared_for_2d(capsys):
    # at z = -4 (d = 2) d**2 = 2d hid this slip
    assert nb04.hand_gradients.check((27.0, 18.0, 9.0)) is False
    assert "not d**2" in capsys.readouterr().out


def test_hand_gradients_names_a_forgotten_factor_two_swapped_inputs_and_the_sign(capsys):
    for wrong, says in (((9.0, 6.0, 3.0), "The 2"), ((12.0, 18.0, 6.0), "swapped"),
                        ((-18.0, -12.0, -6.0), "sign")):
        assert nb04.hand_gradients.check(wrong) is False
        assert says in capsys.readouterr().out
    assert nb04.hand_gradients.check((18.0, 12.0)) is False


def test_hand_gradients_placeholder_is_not_answered(capsys):
    assert nb04.hand_gradients.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


# ---------------------------------------------------------------- div_backward


def right_div_backward(a, b, grad):
    a.grad += (1 / b.data) * grad
    b.grad += (-a.data / b.data**2) * grad


def test_div_backward_accepts_the_solution(capsys):
    assert nb04.div_backward.check(right_div_backward) is True
    assert "✓" in capsys.readouterr().out


def test_div_backward_solution_matches_the_engines_division():
    # the engine builds a / b as a * b**-1; its gradients are the same as the rule
    a, b = Value(6.0), Value(-2.0)
    (a / b).backward(0.5)
    mine_a, mine_b = Value(6.0), Value(-2.0)
    right_div_backward(mine_a, mine_b, 0.5)
    assert math.isclose(a.grad, mine_a.grad) and math.isclose(b.grad, mine_b.grad)


def test_div_backward_rejects_a_forgotten_upstream_gradient(capsys):
    def no_upstream(a, b, grad):
        a.grad += 1 / b.data
        b.grad += -a.data / b.data**2

    assert nb04.div_backward.check(no_upstream) is False
    assert "upstream gradient" in capsys.readouterr().out


def test_div_backward_rejects_assignment_instead_of_accumulation(capsys):
    def assigns(a, b, grad):
        a.grad = (1 / b.data) * grad
        b.grad = (-a.data / b.data**2) * grad

    assert nb04.div_backward.check(assigns) is False
    assert "+=" in capsys.readouterr().out


def test_div_backward_rejects_sign_errors_and_a_missing_square():
    def sign_error(a, b, grad):
        a.grad += (1 / b.data) * grad
        b.grad += (a.data / b.data**2) * grad

    def no_square(a, b, grad):
        a.grad += (1 / b.data) * grad
        b.grad += (-a.data / b.data) * grad

    def changes_data(a, b, grad):
        right_div_backward(a, b, grad)
        a.data -= 0.1 * a.grad

    for wrong in (sign_error, no_square, changes_data):
        assert nb04.div_backward.check(wrong) is False


def test_div_backward_stub_is_not_answered_and_errors_are_reported(capsys):
    def div_backward(a, b, grad):
        ...

    assert nb04.div_backward.check(div_backward) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb04.div_backward.check(lambda a, b: a.grad) is False  # 2 parameters, called with 3
    out = capsys.readouterr().out
    assert "takes (a, b)" in out and "_check" not in out


# ------------------------------------------------------------------ reuse_grad


def test_reuse_grad_accepts_what_backward_computes():
    a, d = nb04.reuse_grad_graph()
    d.backward()
    assert nb04.reuse_grad.check(a.grad)
    assert nb04.reuse_grad.check(14.0)  # 2 * (2a + 1) at a = 3


def test_reuse_grad_rejects_a_missed_path_and_a_missed_factor(capsys):
    for wrong, says in ((12.0, "paths add up"), (8.0, "2a"), (7.0, "doubles")):
        assert nb04.reuse_grad.check(wrong) is False
        assert says in capsys.readouterr().out


def test_reuse_grad_placeholder_is_not_answered(capsys):
    assert nb04.reuse_grad.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


def test_every_exercise_has_graded_hints_and_a_solution(capsys):
    for exercise in (nb04.hand_gradients, nb04.div_backward, nb04.reuse_grad, nb04.topo_orders):
        assert 2 <= len(exercise.hints) <= 3
        exercise.solution()
        assert exercise.title in capsys.readouterr().out


# ------------------------------------------------ teaching version of backward()


def reuse_chain():
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    return a, b, c


def test_teaching_backward_in_the_right_order_gives_4():
    a, b, c = reuse_chain()
    teaching_backward(c)
    assert (a.grad, b.grad, c.grad) == (4.0, 2.0, 1.0)


def test_teaching_backward_inputs_first_leaves_a_without_gradient():
    a, b, c = reuse_chain()
    teaching_backward(c, order="inputs first")
    assert (a.grad, b.grad) == (0.0, 2.0)


def test_teaching_backward_agrees_with_backward_on_the_lecture_graph():
    def lecture(a, b, c, f):
        return (a * b + c) * f

    leaves = [Value(x) for x in (2.0, -3.0, 10.0, -2.0)]
    teaching_backward(lecture(*leaves))
    assert [v.grad for v in leaves] == [6.0, -4.0, -2.0, 4.0]
    real = [Value(x) for x in (2.0, -3.0, 10.0, -2.0)]
    lecture(*real).backward()
    assert [v.grad for v in real] == [v.grad for v in leaves]


def test_teaching_backward_resets_gradients_left_from_before():
    a, b, c = reuse_chain()
    c.backward()
    teaching_backward(c)
    assert a.grad == 4.0


def test_teaching_backward_rejects_bad_arguments():
    with pytest.raises(TypeError, match="teaching_backward needs a Value"):
        teaching_backward(3.0)
    with pytest.raises(ValueError, match="order must be one of"):
        teaching_backward(Value(1.0), order="backwards")


@pytest.mark.parametrize(
    "make",
    [
        lambda x, y: x + y,
        lambda x, y: x * y,
        lambda x, y: x**3,
        lambda x, y: x**-0.5,
        lambda x, y: x**y,
        lambda x, y: x.exp(),
        lambda x, y: x.log(),
        lambda x, y: x.tanh(),
        lambda x, y: x.relu(),
        lambda x, y: (-x).relu(),
        lambda x, y: x.sigmoid(),
    ],
)
def test_local_derivatives_agree_with_the_engine(make):
    x, y = Value(0.7), Value(1.3)
    out = make(x, y)
    assert len(local_derivatives(out)) == len(out._prev)
    for got, want in zip(local_derivatives(out), local_gradients(out)):
        assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)


def test_local_derivatives_list_a_reused_input_once_with_both_uses_added():
    a = Value(3.0)
    assert local_derivatives(a * a) == local_gradients(a * a) == (6.0,)  # d(a*a)/da = 2a
    assert local_derivatives(a) == ()


def test_local_derivatives_run_the_nodes_own_rule_even_for_a_fused_op():
    from backproplab.engine import weighted_sum

    node = weighted_sum([Value(1.0)], [2.0], Value(0.5))
    assert local_derivatives(node) == local_gradients(node)
    with pytest.raises(TypeError, match="local_derivatives needs a Value"):
        local_derivatives(2.0)


# ------------------------------------------------------ 4. topo_orders


def test_topo_orders_candidates_are_judged_against_the_real_graph():
    """The valid letters are exactly the lists in which the engine's graph has every
    value after its inputs, and the engine's own topological order is one of them."""
    from backproplab.engine import topological_order

    out = topo_graph()
    nodes = {v.label: v for v in topological_order(out)}
    assert {k: tuple(c.label for c in v._prev) for k, v in nodes.items()} == nb04.TOPO_INPUTS

    def valid(order):
        place = {name: i for i, name in enumerate(order)}
        return all(place[c.label] < place[name] for name in order for c in nodes[name]._prev)

    assert {k for k, order in nb04.TOPO_CANDIDATES.items() if valid(order)} == {"A", "C"}
    assert valid([v.label for v in topological_order(out)])


def test_topo_orders_names_the_misplaced_pair_and_the_reversed_order(capsys):
    assert nb04.topo_orders.check(["A", "C"]) is True
    assert nb04.topo_orders.check(["A", "B", "C"]) is False
    assert "lists m before b" in capsys.readouterr().out
    assert nb04.topo_orders.check(["A", "C", "D"]) is False
    assert "the order backward() visits" in capsys.readouterr().out
    assert nb04.topo_orders.check("A") is False
    assert "C is valid too" in capsys.readouterr().out
