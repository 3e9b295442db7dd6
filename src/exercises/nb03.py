"""Exercises for 03 Computation graphs: build a graph, count it, and see what it remembers."""

from __future__ import annotations

from ..engine import Value, topological_order
from . import Exercise, Verdict, call, close, need_function, read_counts, read_number, value_verdict
from .variants import Variant, distinct

__all__ = ["neuron_sum", "count_graph", "stale_value"]


# ------------------------------------------------------------------ 1. neuron_sum

# inputs the checker chooses: (x1, w1, x2, w2, b), and the upstream gradient it sends back.
# No input is 0 or 1 and no two are equal, so a forgotten bias, swapped weights
# (x1*w2 + x2*w1), x + w for x * w, or gradients that never reach an input all show.
_NEURON_CASES = [
    ((2.0, -3.0, 0.5, 1.5, 0.75), 2.0),
    ((1.5, 0.5, -2.0, 4.0, -1.25), -1.5),
    ((-0.25, 3.0, 2.5, -1.5, 0.4), 0.5),
]
_NAMES = ("x1", "w1", "x2", "w2", "b")
_SHOWN = "neuron_sum(x1, w1, x2, w2, b)"


def _check_neuron_sum(answer: object) -> Verdict:
    fn = need_function(answer, _SHOWN)
    for numbers, upstream in _NEURON_CASES:
        leaves = [Value(x, label=n) for x, n in zip(numbers, _NAMES)]
        out = call(fn, leaves, _SHOWN)
        x1, w1, x2, w2, b = numbers
        shown = ", ".join(f"{n} = {x:g}" for n, x in zip(_NAMES, numbers))
        verdict = value_verdict(out, "x1, w1, x2, w2 and b", f"With {shown} ")
        if verdict is not None:
            return verdict
        if [v.data for v in leaves] != list(numbers):
            return Verdict(False, "Your function changed the .data of an input; build a new "
                                  "Value from them instead.")
        want = x1 * w1 + x2 * w2 + b
        if not close(out.data, want):
            hint = ""
            if close(out.data, x1 * w1 + x2 * w2):
                hint = " The bias b is missing."
            elif close(out.data, x1 * w2 + x2 * w1 + b):
                hint = " Each input goes with its own weight: x1 with w1, x2 with w2."
            return Verdict(False, f"With {shown} the result is {out.data:g}, but "
                                  f"x1*w1 + x2*w2 + b = {want:g}.{hint}")
        out.backward(upstream)
        wanted = [upstream * g for g in (w1, x1, w2, x2, 1.0)]  # d(sum)/d(each input)
        got = [v.grad for v in leaves]
        if not all(close(g, w) for g, w in zip(got, wanted)):
            missing = [v.label for v, g in zip(leaves, got) if g == 0.0]
            if missing:
                return Verdict(False, f"The value is right, but no gradient reaches "
                                      f"{', '.join(missing)} after backward(): build the "
                                      "result with * and + on the Values themselves, not "
                                      "from their .data.")
            return Verdict(False, f"The value is right, but after backward({upstream:g}) "
                                  f"the inputs' gradients are {[round(g, 6) for g in got]}, "
                                  f"expected {[round(g, 6) for g in wanted]}.")
    return Verdict(True, "The value is right and backward() reaches all five inputs: "
                         "dL/dw1 = x1, dL/dx1 = w1, dL/db = 1, each times the upstream gradient.")


neuron_sum = Exercise(
    "neuron_sum",
    _check_neuron_sum,
    hints=[
        "Use the Values you are given with the ordinary operators: Value defines + "
        "and *, and each one makes a new node that remembers its inputs.",
        "Multiply each input by its own weight, then add the two products and the bias. "
        "Don't use `.data` anywhere: a plain number has no graph.",
        "The first product is x1 * w1. The body is one `return` line.",
    ],
    solution=(
        "def neuron_sum(x1, w1, x2, w2, b):\n"
        "    return x1*w1 + x2*w2 + b\n\n"
        "Python evaluates this as ((x1*w1) + (x2*w2)) + b: two * nodes, then two + "
        "nodes, 9 Values in all. sum([x1*w1, x2*w2, b]) works too (with one more "
        "constant, the 0 that sum starts from)."
    ),
    expects=f"a function {_SHOWN} returning a Value",
    usage="check(neuron_sum)",
)


# ----------------------------------------------------------------- 2. count_graph


def count_graph_expression() -> Value:
    """The expression the exercise asks about: z = (x*y + x) * 2 + y."""
    x = Value(3.0, label="x")
    y = Value(-2.0, label="y")
    return (x * y + x) * 2 + y


def _values_and_links(root: Value) -> tuple[int, int]:
    """(number of Values in the graph, number of input links: len(_prev) summed)."""
    nodes = topological_order(root)
    return len(nodes), sum(len(getattr(node, "_prev", ())) for node in nodes)


def _check_count_graph(answer: object) -> Verdict:
    got_values, got_links = read_counts(answer, ("the number of Values", "the number of links"))
    values, links = _values_and_links(count_graph_expression())
    if (got_values, got_links) == (links, values):
        return Verdict(False, "The two counts are swapped: Values first, then links.")
    if got_values != values:
        if got_values == values - 1:
            return Verdict(False, "One Value short: the constant 2 also becomes a Value.")
        if got_values == values + 2:
            return Verdict(False, "x and y are each used twice, but each is one Value: a "
                                  "Value used twice has two links, not two boxes.")
        if got_values == values - 3:
            return Verdict(False, "Those are the operations only; the leaves x, y and the "
                                  "constant 2 are Values too.")
        return Verdict(False, f"{got_values} Values is not right.")
    if got_links != links:
        if got_links == links // 2:
            return Verdict(False, f"{got_links} is the number of operations; count their "
                                  "input links: each op has as many as it has inputs.")
        return Verdict(False, f"{got_links} links is not right; each op has as many "
                              "links as it has inputs.")
    return Verdict(True, f"{values} Values and {links} links.")


count_graph = Exercise(
    "count_graph",
    _check_count_graph,
    hints=[
        "Write the expression out one operation at a time, the way Python evaluates "
        "it, giving each result a name: m = x*y, s = m + x, ...",
        "Values: the leaves, one per operation, and one for each plain number (Value "
        "wraps it). Links: an operation has one link per input.",
        "There are 4 operations, each with 2 inputs. Now count the leaves.",
    ],
    solution=(
        "answer = (7, 8)\n\n"
        "m = x*y, s = m + x, 2 (a constant Value), p = s*2, z = p + y: 4 op nodes plus "
        "the leaves x, y and 2 make 7 Values; each op has 2 inputs, so 8 links. Check: "
        "z = count_graph_expression(); len(topological_order(z)) and "
        "sum(len(v._prev) for v in topological_order(z))."
    ),
    expects="two whole numbers (values, links)",
)


# ----------------------------------------------------------------- 3. stale_value


def _stale_at(n: dict) -> dict[str, float]:
    x = Value(n["x0"])
    y = x * x + 1
    x.data = n["x1"]
    return {"stored": y.data, "recomputed": x.data * x.data + 1,
            "new x squared": x.data * x.data, "x": x.data, "no + 1": n["x0"] * n["x0"]}


# x = 3, then 4, in the notebook; a student's own pair keeps the slips' numbers apart
_STALE = Variant(
    {"x0": 3.0, "x1": 4.0},
    lambda rng: {"x0": float(rng.choice((2, 4, 5, 6, -2, -4, -5))),  # never ±3: y.data 10
                 "x1": float(rng.choice((3, 4, 8, 9, -4)))},
    lambda n: f"x = Value({n['x0']:g}); y = x * x + 1; x.data = {n['x1']:g}",
    valid=lambda n: abs(n["x0"]) != abs(n["x1"]) and distinct(*_stale_at(n).values()),
    derived=_stale_at,
)


def _stale_value() -> dict[str, float]:
    """y.data after x.data changes, and the numbers the likely slips give."""
    return _stale_at(_STALE.numbers())


def _check_stale_value(answer: object) -> Verdict:
    got = read_number(answer)
    v = _stale_value()
    if close(got, v["stored"], 1e-6):
        return Verdict(True, "y.data was computed once, when y = x * x + 1 ran.")
    if close(got, v["recomputed"]):
        return Verdict(False, f"{got:g} is what x*x + 1 would be if you ran it again, but "
                              "nothing ran it again.")
    if close(got, v["x"]):
        return Verdict(False, f"{got:g} is x.data; the question asks for y.data.")
    if close(got, v["new x squared"]) or close(got, v["no + 1"]):
        return Verdict(False, f"{got:g} leaves out the + 1 of y = x * x + 1.")
    return Verdict(False, f"{got:g} is not right yet.")


stale_value = Exercise(
    "stale_value",
    _check_stale_value,
    hints=[
        "When is `y.data` computed: when you write `y = x * x + 1`, or when you read it?",
        "A node stores the number it computed once, at the moment the expression ran. "
        "Changing x.data later does not re-run anything.",
        "So y.data is what x * x + 1 was with the x of that moment.",
    ],
    solution=(
        "answer = {stored}\n\n"
        "y.data was computed as {x0}*{x0} + 1 = {stored} when the line ran. The graph keeps a "
        "reference to x (so backprop can reach it), but changing x.data doesn't "
        "recompute y: to get {recomputed} you must run the forward pass again, y = x * x + 1."
    ),
    expects="one number, y.data",
    variant=_STALE,
)
