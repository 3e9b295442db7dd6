"""The protocol the drawings and widgets use for the learner's own values and models."""

import pytest

from backproplab import valuelike
from backproplab.engine import Value
from backproplab.nn import MLP


class LectureValue:
    """A value written the lecture's way: closures that read out.grad."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, tuple(_children), _op, label
        self._backward = lambda: None

    def __add__(self, other):
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __eq__(self, other):  # a learner's class may compare by data: the walk must not care
        return isinstance(other, LectureValue) and other.data == self.data

    __hash__ = None


def test_graph_order_walks_a_learner_graph_by_identity():
    a, b = LectureValue(2.0, label="a"), LectureValue(2.0, label="b")  # equal data, two values
    c = a * b
    d = c + a
    order = valuelike.graph_order(d)
    assert [v.label for v in order[:2]] == ["a", "b"] and order[-1] is d and len(order) == 4


def test_graph_order_matches_the_engine_on_a_course_graph():
    from backproplab.engine import topological_order
    x, y = Value(1.5), Value(-2.0)
    out = (x * y + x) * (y + 3)
    assert valuelike.graph_order(out) == topological_order(out)


def test_a_deep_chain_does_not_hit_the_recursion_limit():
    v = LectureValue(0.0)
    for _ in range(5000):
        v = v + LectureValue(1.0)
    assert len(valuelike.graph_order(v)) == 10001


@pytest.mark.parametrize("style", ["lecture", "course"])
def test_run_rule_runs_either_style(style):
    V = LectureValue if style == "lecture" else Value
    a, b = V(3.0), V(-4.0)
    out = a * b
    out.grad = 2.0
    valuelike.run_rule(out)
    assert (a.grad, b.grad) == (-8.0, 6.0)
    valuelike.run_rule(a)  # a leaf: nothing happens
    assert a.grad == -8.0


def test_a_missing_attribute_is_named_in_one_sentence():
    class NoOp:
        def __init__(self):
            self.data, self.grad, self._prev, self.label = 1.0, 0.0, (), ""

    with pytest.raises(TypeError, match=r"draw_graph needs a Value .*has no `_op`"):
        valuelike.require_value(NoOp(), "draw_graph")
    with pytest.raises(TypeError, match="got float 3.0"):
        valuelike.require_value(3.0, "draw_graph")


def test_a_set_of_inputs_is_walked_and_a_number_in_prev_is_refused():
    class Micrograd(LectureValue):  # micrograd's Value: hashable, inputs in a set
        __eq__, __hash__ = object.__eq__, object.__hash__

    v = Micrograd(1.0)
    w = Micrograd(2.0, {v}, "tanh")
    assert valuelike.graph_order(w) == [v, w]
    bad = LectureValue(2.0, (v, 3.0), "+")
    with pytest.raises(TypeError, match="values in `_prev`"):
        valuelike.graph_order(bad)


def test_require_model_lists_parameters_and_names_what_is_missing():
    assert len(valuelike.require_model(MLP(2, [3, 1]), "the dashboard")) == 13

    class NoParameters:
        def __call__(self, x):
            return x

    with pytest.raises(TypeError, match="parameters\\(\\) method"):
        valuelike.require_model(NoParameters(), "the dashboard")
    with pytest.raises(TypeError, match="__call__"):
        valuelike.require_model(object(), "the dashboard")

    class Empty(NoParameters):
        def parameters(self):
            return []

    with pytest.raises(ValueError, match="nothing to train"):
        valuelike.require_model(Empty(), "the dashboard")
