"""The drawings and the graph explorer take the learner's own Value: a class written as
in the lecture (not the course engine's), drawn, outlined and explored as the course's
is; one missing an attribute gets one sentence that names it."""

from __future__ import annotations

import re

import pytest

from backproplab import build, viz, widgets
from backproplab.engine import Value as CourseValue


from learner_style import Value


class EqualValue(Value):
    """A learner who gave Value an __eq__ (so Python drops __hash__): unhashable values."""

    def __eq__(self, other):
        return isinstance(other, Value) and self.data == other.data

    __hash__ = None


class NoOp:
    """A learner's value that forgot `_op`."""

    def __init__(self, data, _children=(), label=""):
        self.data, self.grad, self._prev, self.label = data, 0.0, tuple(_children), label

    def __add__(self, other):
        return NoOp(self.data + other.data, (self, other))


def lecture_L(V):
    a, b, c, f = V(2.0, label="a"), V(-3.0, label="b"), V(10.0, label="c"), V(-2.0, label="f")
    e = a * b; e.label = "e"
    d = e + c; d.label = "d"
    L = d * f; L.label = "L"
    return L, {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d}


def test_the_learners_graph_is_drawn_as_the_course_engines_is():
    mine, _ = lecture_L(Value)
    course, _ = lecture_L(CourseValue)
    mine.backward()
    course.backward()
    for options in ({}, {"rankdir": "TB"}, {"show_grad": False}, {"color_by_grad": True}):
        assert viz.draw_graph(mine, **options).source == viz.draw_graph(course, **options).source
    assert viz.graph_outline(mine) == viz.graph_outline(course)
    assert "{ e | data -6.0000 | grad -2.0000 }" in viz.draw_graph(mine).source


def test_highlight_grads_and_names_work_on_the_learners_values():
    L, v = lecture_L(Value)
    n = L * 2 + 1  # two unlabelled constants and unlabelled results
    src = viz.draw_graph(n, highlight=[v["e"]], grads={v["a"]: 6.0}, show_names=True).source
    e_line = next(line for line in src.splitlines() if "| e |" in line or "{ e |" in line)
    assert "fillcolor" in e_line
    assert "{ a | data 2.0000 | grad 6.0000 }" in src
    assert "{ b | data -3.0000 | grad 0.0000 }" in src  # missing from grads: 0
    assert re.search(r"\{ n\d+ \| data 2\.0000", src)  # the constant 2, named by position
    # a single value may be highlighted without a list, as with the course's Value
    assert "fillcolor" in next(ln for ln in viz.draw_graph(L, highlight=L).source.splitlines() if "{ L |" in ln)


def test_unhashable_learner_values_are_drawn_by_identity():
    a = EqualValue(2.0, label="a")
    b = EqualValue(2.0, label="b")  # equal to a, but another value
    out = a * b + a
    out.label = "out"
    drawing = viz.draw_graph(out, highlight=[b])
    assert drawing.value_count == 4
    assert "{ a | data 2.0000" in drawing.source and "{ b | data 2.0000" in drawing.source
    assert "= a * b" in viz.graph_outline(out)


def test_a_micrograd_style_set_of_inputs_is_drawn():
    a = Value(2.0, label="a")
    b = Value(3.0, label="b")
    out = a * b
    out._prev = {a, b}  # micrograd keeps _prev as a set
    assert viz.draw_graph(out).value_count == 3


def test_a_value_missing_op_gets_one_sentence_naming_it():
    x = NoOp(1.0, label="x") + NoOp(2.0, label="y")
    for call in (viz.draw_graph, viz.graph_outline, build.draw):
        with pytest.raises(TypeError, match=r"has no `_op` \(add it in your class's __init__\)$"):
            call(x)
    with pytest.raises(TypeError, match="expected the Value"):
        viz.draw_graph(3.0)


def test_a_learner_value_holding_a_number_as_an_input_is_named():
    a = Value(2.0, label="a")
    out = Value(4.0, (a, 2.0), "*")  # forgot to wrap the 2
    with pytest.raises(TypeError, match="values in `_prev`"):
        viz.draw_graph(out)


def test_build_draw_numbers_a_visit_order_and_leaves_the_labels_alone():
    L, v = lecture_L(Value)
    order = [v["a"], v["b"], v["e"], v["c"], v["d"], v["f"], L]
    src = build.draw(L, order=order).source
    for text in ("1. a", "3. e", "7. L"):
        assert text in src
    assert [v[k].label for k in "abcdef"] == list("abcdef") and L.label == "L"


def test_the_explorer_runs_on_the_learners_value_without_gradients():
    lab = widgets.graph_explorer(lambda a, b: a * b + 1, value_class=Value, show_grad=False,
                                 a=2.0, b=-3.0)
    assert lab.errors.value == ""
    assert type(lab.root) is Value
    assert "{ a | data 2.0000 }" in lab.dot and "grad" not in lab.dot
    assert "out = -5.0000" in lab.summary.value and "/d" not in lab.summary.value  # no dout/da
    lab.controls["a"].value = 1.0
    assert "{ out | data -2.0000 }" in lab.dot


def test_the_explorer_shows_the_learners_gradients_when_it_can():
    lab = widgets.graph_explorer(lambda a, b: a * b, value_class=Value, a=2.0, b=-3.0)
    assert "{ a | data 2.0000 | grad -3.0000 }" in lab.dot
    assert "dout/da = -3.0000" in lab.summary.value


def test_the_explorer_says_what_a_learner_value_lacks():
    class Before04:  # notebook 03's Value: no backward() yet
        def __init__(self, data, _children=(), _op="", label=""):
            self.data, self.grad, self._prev, self._op, self.label = data, 0.0, tuple(_children), _op, label

        def __mul__(self, other):
            return Before04(self.data * other, (self, Before04(other)), "*")

    lab = widgets.graph_explorer(lambda a: a * 2, value_class=Before04, a=1.0)
    assert "has no `backward` method" in lab.errors.value and "show_grad=False" in lab.errors.value
    lab = widgets.graph_explorer(lambda a: a + a, value_class=NoOp, show_grad=False, a=1.0)
    assert "has no `_op`" in lab.errors.value
    with pytest.raises(TypeError, match="value_class must be a class"):
        widgets.graph_explorer(lambda a: a, value_class=Value(1.0), a=1.0)


def test_the_explorer_fits_a_laptop_screen():
    """Sliders and result beside the drawing, which is kept under 6.5 x 5 inches (about
    620 x 480 pixels): with JupyterLab's bars, all of it fits a 1280 x 800 screen."""
    L, _ = lecture_L(CourseValue)
    lab = widgets.graph_explorer(lambda a, b, c, f: (a * b + c) * f, rankdir="TB",
                                 a=2.0, b=-3.0, c=10.0, f=-2.0)
    (row,) = lab.children
    controls, graph = row.children
    assert graph is lab.graph and lab.summary in controls.children
    svg = lab.drawing.svg()
    width, height = (float(x) for x in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    assert width <= 6.5 * 72 + 1 and height <= 5.0 * 72 + 1
    natural = viz.draw_graph(L, rankdir="TB").svg()
    assert float(re.search(r'height="([\d.]+)pt"', natural).group(1)) > height  # it was shrunk
