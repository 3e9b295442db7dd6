"""Teaching versions of parts of the engine, for notebooks that rebuild them to explain them.

Nothing here replaces or patches the engine. `teaching_backward` walks a real graph of
`Value`s with its own loop, so a notebook can run the two classic mistakes on purpose:
visiting the nodes in the wrong order, and overwriting gradients (`=`) instead of
adding to them (`+=`). The real `Value.backward()` does neither.

`teaching_backward` first sets every gradient in the graph to 0 and the root's to 1.
Then each node, in the chosen order, hands each input its share: the local derivative
times the node's own gradient. order="output first" walks the reverse of the
topological order, as `backward()` does; "inputs first" walks it forwards, so a node
passes its gradient on before it has received it. accumulate=True adds each share
(`+=`); False overwrites (`=`), so an input used twice keeps only its last share.
"""

from __future__ import annotations

import math

from .engine import Value, topological_order

__all__ = ["local_derivatives", "teaching_backward", "ORDERS", "show_code"]

# the two orders `teaching_backward` can walk a graph in
ORDERS = ("output first", "inputs first")


def local_derivatives(node: Value) -> tuple[float, ...]:
    """d(node)/d(input) for each entry of `node._prev`, in operand order.

    Unlike the engine's `local_gradients`, an input used twice (`a + a`) appears twice,
    once per use, because each use is one edge of the graph. The formulas are the
    table of local derivatives, written out op by op.
    """
    if not isinstance(node, Value):
        raise TypeError(f"expected a Value, got {type(node).__name__} {node!r}")
    op, inputs, out = node._op, node._prev, node.data
    if op == "":
        return ()
    if op == "+":
        return (1.0, 1.0)  # d(x + y)/dx = 1, d(x + y)/dy = 1
    if op == "*":
        x, y = inputs
        return (y.data, x.data)  # d(x * y)/dx = y, d(x * y)/dy = x
    if op.startswith("**") and len(inputs) == 1:
        n = node._exponent  # the exact exponent (the op's name rounds it: "**0.333333")
        return (n * inputs[0].data ** (n - 1),)  # d(x ** n)/dx = n * x ** (n - 1)
    if op == "exp":
        return (out,)  # d(e ** x)/dx = e ** x
    if op == "log":
        return (1.0 / inputs[0].data,)  # d(log x)/dx = 1 / x
    if op == "tanh":
        return (1.0 - out * out,)  # d(tanh x)/dx = 1 - tanh(x) ** 2
    if op == "relu":
        return (1.0 if out > 0 else 0.0,)  # 1 where x > 0, else 0
    if op == "sigmoid":
        return (out * (1.0 - out),)  # d(sigmoid x)/dx = sigmoid(x) * (1 - sigmoid(x))
    if op == "**":
        x, n = inputs
        # d(x ** n)/dx = n * x ** (n - 1); d(x ** n)/dn = x ** n * log(x)
        return (n.data * x.data ** (n.data - 1), out * math.log(x.data))
    raise ValueError(
        f"no local derivative written out for the op {op!r}; this teaching version "
        "knows +, *, **n, **, exp, log, tanh, relu and sigmoid"
    )


def _check_backward_arguments(root: object, order: object, accumulate: object) -> None:
    """Raise a clear error for arguments `teaching_backward` cannot use."""
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {type(root).__name__} {root!r}")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    if not isinstance(accumulate, bool):
        raise TypeError(f"accumulate must be True or False, got {accumulate!r}")


def teaching_backward(
    root: Value, *, order: str = "output first", accumulate: bool = True
) -> None:
    """A teaching version of root.backward(), which can be told to make a mistake.

    order="inputs first" walks the graph the wrong way round; accumulate=False
    overwrites gradients (`=`) instead of adding to them (`+=`).
    """
    _check_backward_arguments(root, order, accumulate)
    nodes = topological_order(root)  # inputs first, root last
    for node in nodes:
        node.grad = 0.0
    root.grad = 1.0  # the seed: d root / d root = 1
    walk = reversed(nodes) if order == "output first" else nodes
    for node in walk:
        # hand each input its share: local derivative times this node's gradient
        for child, local in zip(node._prev, local_derivatives(node)):
            if accumulate:
                child.grad += local * node.grad  # one share per use, added up
            else:
                child.grad = local * node.grad  # the bug: only the last share stays


def show_code(obj: object):
    """The source of a course function, method or class, shown as highlighted code (to
    set the course engine's version of a piece beside the learner's)."""
    import inspect
    import textwrap

    from IPython.display import Code

    try:
        source = inspect.getsource(obj)
    except (TypeError, OSError):
        raise TypeError(f"show_code takes a function, method or class of the course, "
                        f"got {type(obj).__name__} {obj!r}") from None
    return Code(textwrap.dedent(source), language="python")  # a method: dedented
