"""The backprop stepper, gradients_by_hand and the teaching backward pass on a learner's
own Value: a lecture-style class (closures that read out.grad), defined here."""

import pytest

from backproplab.engine import Value as CourseValue
from backproplab.teaching import local_derivatives, teaching_backward
from backproplab.widgets import backprop_stepper, gradients_by_hand


from learner_style import Value


def stepper_graph(V):
    """out = (x*y + x) * z: x is used twice, so its gradient arrives in two shares."""
    x, y, z = V(2.0, label="x"), V(-3.0, label="y"), V(-2.0, label="z")
    m = x * y; m.label = "m"
    s = m + x; s.label = "s"
    out = s * z; out.label = "out"
    return out, {"x": x, "y": y, "z": z, "m": m, "s": s}


def test_the_stepper_walks_a_learners_graph_with_their_own_rules():
    out, v = stepper_graph(Value)
    lab = backprop_stepper(out)
    assert [n.label for n in lab.sequence] == ["out", "z", "s", "m", "y", "x"]
    final = lab.grads_at(len(lab.sequence))
    assert {k: final[v[k]] for k in v} == {"x": 4.0, "y": -4.0, "z": -4.0, "m": -2.0, "s": -2.0}
    assert out.grad == 0.0 and v["x"].grad == 0.0  # the learner's .grad untouched


def test_the_stepper_writes_out_each_sum_where_a_reused_value_gets_its_second_share():
    out, v = stepper_graph(Value)
    lab = backprop_stepper(out)
    step = lab.controls["step"]
    step.value = 3  # s = m + x hands x its first share: 0 + (-2)
    assert "x.grad: 0 + (-2) = -2" in lab.message.value
    step.value = 4  # m = x * y hands x its second share: -2 + 6 = 4
    assert "x.grad: -2 + 6 = 4" in lab.message.value
    assert "x | data 2.0000 | grad 4.0000" in lab.dot


def test_the_stepper_shows_what_a_wrong_learner_rule_does():
    """The stepper runs the learner's rules, not the course's: an `=` rule shows its loss."""

    class Overwriting(Value):
        def __add__(self, other):
            out = Overwriting(self.data + other.data, (self, other), "+")

            def _backward():
                self.grad = out.grad  # the lecture's first version: = for +=
                other.grad = out.grad
            out._backward = _backward
            return out

    a = Overwriting(3.0, label="a")
    b = a + a; b.label = "b"
    c = b + b; c.label = "c"
    lab = backprop_stepper(c)
    assert lab.grads_at(len(lab.sequence))[a] == 1.0  # the bug, not the course's 4


def test_the_stepper_draws_top_to_bottom_like_the_static_drawings():
    out, _ = stepper_graph(Value)
    lab = backprop_stepper(out)
    assert "rankdir=TB" in lab.dot
    assert "fontsize=12" in lab.dot


def test_the_stepper_says_which_attribute_a_learner_value_lacks():
    class NoLabel:
        def __init__(self):
            self.data, self.grad, self._prev, self._op = 1.0, 0.0, (), ""

    with pytest.raises(TypeError, match="has no `label`"):
        backprop_stepper(NoLabel())
    with pytest.raises(TypeError, match="needs the Value at the end of a graph"):
        backprop_stepper(2.0)


def test_teaching_backward_calls_the_learners_rules_in_either_order():
    out, v = stepper_graph(Value)
    teaching_backward(out)
    assert (v["x"].grad, v["y"].grad, out.grad) == (4.0, -4.0, 1.0)
    teaching_backward(out, order="inputs first")
    assert v["x"].grad == 0.0 and v["s"].grad == -2.0  # passed on before it was received


def test_local_derivatives_of_a_learners_node_come_from_its_own_rule():
    a, b = Value(3.0), Value(-2.0)
    assert local_derivatives(a * b) == (-2.0, 3.0)
    assert local_derivatives(a * a) == (6.0,)  # one input, both uses added
    node = a * b
    node.grad, a.grad = 5.0, 7.0
    local_derivatives(node)
    assert (node.grad, a.grad, b.grad) == (5.0, 7.0, 0.0)  # put back as they were


@pytest.mark.parametrize("V", [Value, CourseValue])
def test_gradients_by_hand_turns_each_box_right_or_wrong_as_the_learner_types(V):
    out, v = stepper_graph(V)
    lab = gradients_by_hand(out)
    assert lab.expected == {"x": 4.0, "y": -4.0, "m": -2.0, "z": -4.0, "s": -2.0, "out": 1.0}
    assert "0 of 6 right" in lab.summary.value
    lab.fields["out"].value = "1"
    lab.fields["s"].value = "-2"
    lab.fields["x"].value = "-2"  # only the share from s: the reuse forgotten
    assert lab.right() == ["out", "s"]
    assert "✓" in lab.status["s"].value
    assert "✗ not -2" in lab.status["x"].value
    wrong = lab.rules["x"].value
    assert "add copies the gradient" in wrong and "mul swaps the inputs" in wrong
    assert "add up the shares" in wrong
    assert "x | data 2.0000 | grad -2.0000" in lab.dot and "#ffcdd2" in lab.dot
    lab.fields["x"].value = "4"
    assert "✓" in lab.status["x"].value and lab.rules["x"].value == ""
    assert out.grad == 0.0 and v["x"].grad == 0.0  # the graph itself is not touched


def test_gradients_by_hand_reads_typed_numbers_a_learner_would_write():
    out, _ = stepper_graph(Value)
    lab = gradients_by_hand(out)
    lab.fields["z"].value = "−4"  # a typographic minus
    assert "z" in lab.right()
    lab.fields["m"].value = "two"
    assert "type a number" in lab.rules["m"].value
    lab.fields["m"].value = ""
    assert lab.status["m"].value == "" == lab.rules["m"].value


def test_gradients_by_hand_works_before_the_learner_has_written_any_backward():
    class Forward(Value):
        def __add__(self, other):
            return Forward(self.data + other.data, (self, other), "+")

        def __mul__(self, other):
            return Forward(self.data * other.data, (self, other), "*")

    a, b = Forward(2.0, label="a"), Forward(-3.0, label="b")
    e = a * b; e.label = "e"
    lab = gradients_by_hand(e)
    assert lab.expected == {"a": -3.0, "b": 2.0, "e": 1.0}


def test_the_equals_version_the_notebook_shows_fails_its_check_naming_the_slip(capsys):
    from backproplab import build, teaching

    assert ".grad +=" not in teaching.ADD_MUL_WITH_EQUALS
    teaching.what_the_check_says("add_mul_backward", teaching.ADD_MUL_WITH_EQUALS)
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("✗ add_mul_backward") and "`=` where `+=` is needed" in line
    teaching.what_the_check_says("add_mul_backward", build.PIECES["add_mul_backward"].reference)
    assert capsys.readouterr().out.startswith("✓ add_mul_backward")
    with pytest.raises(ValueError, match="piece must be one of"):
        teaching.what_the_check_says("backprop", "")


def test_gradients_by_hand_reads_as_a_sentence_on_a_static_page():
    out, _ = stepper_graph(Value)
    text = gradients_by_hand(out)._repr_mimebundle_()["text/plain"]
    assert text.startswith("Gradients by hand: a field per value") and text.endswith(".")
