"""Exercises for 03 Computation graphs: build a graph, count it, and see what it remembers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine import Value, topological_order
from . import Exercise, Verdict, as_numbers, close

__all__ = ["neuron_sum", "count_graph", "stale_value"]





# ------------------------------------------------------------------ 1. neuron_sum

# inputs the checker chooses: (x1, w1, x2, w2, b)
_NEURON_INPUTS = [
    (2.0, -3.0, 0.0, 1.0, 6.8813735870195432),
    (1.5, 0.5, -2.0, 4.0, -1.0),
    (-0.25, 3.0, 2.5, -1.5, 0.75),
]


def _check_neuron_sum(fn: Callable[..., Any]) -> Verdict:
    if not callable(fn):
        return Verdict(False, f"expected a function, got {type(fn).__name__} {fn!r}")
    names = ("x1", "w1", "x2", "w2", "b")
    for numbers in _NEURON_INPUTS:
        leaves = [Value(x, label=n) for x, n in zip(numbers, names)]
        out = fn(*leaves)
        if not isinstance(out, Value):
            return Verdict(False, f"return a Value, got {type(out).__name__} {out!r}")
        x1, w1, x2, w2, b = numbers
        verdict = close(out.data, x1 * w1 + x2 * w2 + b, 1e-9)
        if not verdict.correct:
            shown = ", ".join(f"{n}={x:g}" for n, x in zip(names, numbers))
            return Verdict(
                False, f"with {shown} the result is {out.data:g}, "
                f"but x1*w1 + x2*w2 + b = {x1 * w1 + x2 * w2 + b:g}",
            )
        nodes = topological_order(out)
        missing = [v.label for v in leaves if not any(v is node for node in nodes)]
        if missing:
            return Verdict(
                False, f"{', '.join(missing)} not in the graph of your result: combine "
                "the Values themselves (x1 * w1), not their .data, so the graph "
                "remembers them",
            )
        ops = sorted(node._op for node in nodes if node._prev)
        if ops != ["*", "*", "+", "+"] or len(nodes) != 9:
            return Verdict(
                False, f"the graph should be the 5 inputs and 4 ops (two * and two +), "
                f"but it has {len(nodes)} Values with ops {ops}",
            )
    return Verdict(True, "Your graph has the 5 inputs, two * nodes and two + nodes.")


neuron_sum = Exercise(
    "neuron_sum",
    _check_neuron_sum,
    hints=[
        "Use the Values you are given with the ordinary operators: Value defines + "
        "and *, and each one makes a new node that remembers its inputs.",
        "Multiply each input by its weight, then add the two products and the bias. "
        "Don't use `.data` anywhere: a plain number has no graph.",
        "The whole body is one line: `return x1*w1 + x2*w2 + b`.",
    ],
    solution=(
        "def neuron_sum(x1, w1, x2, w2, b):\n"
        "    return x1*w1 + x2*w2 + b\n\n"
        "Python evaluates this as ((x1*w1) + (x2*w2)) + b: two * nodes, then two + "
        "nodes, 9 Values in all."
    ),
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
    return len(nodes), sum(len(node._prev) for node in nodes)


def _check_count_graph(answer: object) -> Verdict:
    got = as_numbers(answer, 2, "(values, links), such as (5, 4)")
    if isinstance(got, Verdict):
        return got
    values, links = _values_and_links(count_graph_expression())
    got_values, got_links = got
    if got_values != values:
        if got_values == values - 1:
            return Verdict(False, "one Value short: the constant 2 also becomes a Value.")
        return Verdict(False, f"{got_values:g} Values is not right.")
    if got_links != links:
        return Verdict(False, f"{got_links:g} links is not right; each op has as many "
                       "links as it has inputs.")
    return Verdict(True, f"{values} Values and {links} links.")


count_graph = Exercise(
    "count_graph",
    _check_count_graph,
    hints=[
        "Write the expression out one operation at a time, the way Python evaluates "
        "it, giving each result a name: m = x*y, s = m + x, ...",
        "Values: the leaves x and y, one per operation, and one for the constant 2 "
        "(Value wraps plain numbers). Links: every +, * has two inputs.",
        "There are 4 operations, each with 2 inputs; add the 3 leaves (x, y, 2).",
    ],
    solution=(
        "answer = (7, 8)\n\n"
        "m = x*y, s = m + x, 2 (a constant Value), p = s*2, z = p + y: 4 op nodes plus "
        "the leaves x, y and 2 make 7 Values; each op has 2 inputs, so 8 links. Check: "
        "z = count_graph_expression(); len(topological_order(z)) and "
        "sum(len(v._prev) for v in topological_order(z))."
    ),
)


# ----------------------------------------------------------------- 3. stale_value


def _stale_value() -> tuple[float, float]:
    """(y.data after x.data changes, what y would be if it were recomputed)."""
    x = Value(3.0)
    y = x * x + 1
    x.data = 4.0
    return y.data, x.data * x.data + 1


def _check_stale_value(answer: object) -> Verdict:
    stored, recomputed = _stale_value()
    if isinstance(answer, Value):
        answer = answer.data
    if answer == recomputed:
        return Verdict(False, f"{recomputed:g} is what x*x + 1 would be if you ran it "
                       "again, but nothing ran it again.")
    return close(answer, stored, 1e-9)


stale_value = Exercise(
    "stale_value",
    _check_stale_value,
    hints=[
        "When is `y.data` computed: when you write `y = x * x + 1`, or when you read it?",
        "A node stores the number it computed once, at the moment the expression ran. "
        "Changing x.data later does not re-run anything.",
        "y.data is still what x * x + 1 was with x = 3.",
    ],
    solution=(
        "answer = 10.0\n\n"
        "y.data was computed as 3*3 + 1 = 10 when the line ran. The graph keeps a "
        "reference to x (so backprop can reach it), but changing x.data doesn't "
        "recompute y: to get 17 you must run the forward pass again, y = x * x + 1."
    ),
)
