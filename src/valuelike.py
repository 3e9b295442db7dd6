"""What the drawings, widgets and training loop need of a value or a model.

The course's drawings (`viz.draw_graph`), the backprop stepper, the graph explorer and
the training dashboard work on the course engine's `Value` and `MLP`, and equally on the
learner's own (notebooks 03-07 build them): anything with the same attributes. This
module says which attributes those are, walks a graph through them, runs a node's own
backward rule whichever of the two styles it is written in, and turns a missing piece
into one sentence that names it.

A value needs ``data`` (a number), ``grad`` (a number), ``_prev`` (its inputs),
``_op`` (the operation that made it, '' for a leaf) and ``label``. Its backward rule,
``_backward``, comes in two styles:

- the lecture's (and the learner's): a closure stored on each output,
  ``out._backward()``, that reads ``out.grad`` itself;
- the course engine's: one rule per operation, ``out._backward(out, grad)``, as
  PyTorch's ``grad_fn`` is one object per operation type (see `engine`).

`run_rule` calls either. A model needs to be callable on a list of numbers and to have
``parameters()``, a list of values.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable

from .engine import Value as CourseValue

__all__ = [
    "VALUE_ATTRIBUTES",
    "describe",
    "missing_attributes",
    "is_value_like",
    "require_value",
    "graph_order",
    "run_rule",
    "require_model",
]

VALUE_ATTRIBUTES = ("data", "grad", "_prev", "_op", "label")


def describe(x: object) -> str:
    """A short description of `x` for an error message: its type and the start of its repr."""
    try:
        text = repr(x)
    except Exception:  # a learner's __repr__ that raises still gets a message
        text = "(its repr raised an error)"
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def missing_attributes(x: object) -> list[str]:
    """The attributes of VALUE_ATTRIBUTES that `x` lacks (empty: it can be drawn)."""
    return [name for name in VALUE_ATTRIBUTES if not hasattr(x, name)]


def is_value_like(x: object) -> bool:
    """True for the course's Value and for anything with the same attributes."""
    return isinstance(x, CourseValue) or not missing_attributes(x)


def require_value(x: object, where: str, what: str = "a Value") -> object:
    """Return `x` when it is value-like; otherwise raise a TypeError of one sentence
    that says what `where` needs and which attribute `x` lacks."""
    if isinstance(x, CourseValue):
        return x
    missing = missing_attributes(x)
    if not missing:
        return x
    needs = ", ".join(VALUE_ATTRIBUTES)
    if len(missing) == len(VALUE_ATTRIBUTES) or isinstance(x, (numbers.Number, str, list, tuple, dict)):
        raise TypeError(f"{where} needs {what} (anything with {needs}), got {describe(x)}")
    names = " and ".join(f"`{m}`" for m in missing)
    raise TypeError(
        f"{where} needs {what} with {needs}; this {type(x).__name__} has no {names} "
        f"(add it in your class's __init__)"
    )


def _inputs(node: object, where: str) -> tuple:
    prev = node._prev
    if isinstance(prev, (set, frozenset)):
        prev = tuple(prev)  # micrograd keeps inputs in a set; any order is then its order
    try:
        inputs = tuple(prev)
    except TypeError:
        raise TypeError(
            f"{where} needs each value's `_prev` to hold its inputs (a tuple of values); "
            f"a value's `_prev` is {describe(prev)}"
        ) from None
    for child in inputs:
        require_value(child, where, "values in `_prev`")
    return inputs


def graph_order(root: object, where: str = "this drawing") -> list:
    """Every value `root` depends on, inputs before the values made from them, `root`
    last: an iterative depth-first search along `_prev` (no recursion limit), by
    identity (a learner's class may define `__eq__`)."""
    require_value(root, where)
    order: list = []
    seen = {id(root)}
    stack = [(root, iter(_inputs(root, where)))]
    while stack:
        node, pending = stack[-1]
        for child in pending:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append((child, iter(_inputs(child, where))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _takes_no_arguments(rule: Callable) -> bool:
    try:
        signature = inspect.signature(rule)
    except (TypeError, ValueError):  # a builtin without a signature: call it the lecture's way
        return True
    required = [p for p in signature.parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return not required


def run_rule(node: object) -> None:
    """Run `node`'s own backward rule once, passing `node.grad` to its inputs: the
    course engine's `node._backward(node, node.grad)`, or the lecture's
    `node._backward()`. A leaf's rule does nothing."""
    rule = getattr(node, "_backward", None)
    if rule is None:
        if getattr(node, "_prev", ()):
            raise TypeError(
                f"this {type(node).__name__} made by {node._op!r} has no `_backward`: "
                "store the operation's backward rule on its output (out._backward = _backward)"
            )
        return
    if not callable(rule):
        raise TypeError(f"a value's `_backward` must be a function, got {describe(rule)}")
    if isinstance(node, CourseValue) or not _takes_no_arguments(rule):
        rule(node, node.grad)
    else:
        rule()


def require_model(model: object, where: str) -> list:
    """The parameters of a model `where` can train: callable on a list of numbers, with
    `parameters()` giving values. Raises one sentence naming what is missing."""
    if not callable(model):
        raise TypeError(f"{where} needs a model it can call on a list of numbers (an MLP), "
                        f"got {describe(model)}; give your class a __call__(self, x)")
    parameters = getattr(model, "parameters", None)
    if not callable(parameters):
        raise TypeError(f"{where} needs a model with a parameters() method that lists its "
                        f"weights and biases; this {type(model).__name__} has none")
    params = parameters()
    try:
        params = list(params)
    except TypeError:
        raise TypeError(f"{where}: parameters() must return a list of values, "
                        f"it returned {describe(params)}") from None
    if not params:
        raise ValueError(f"{where}: this {type(model).__name__}'s parameters() returned no "
                         "values, so there is nothing to train")
    for p in params:
        require_value(p, where, "parameters() values")
    return params
