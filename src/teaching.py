"""Teaching versions of parts of the engine, for notebooks that rebuild them to explain them.

Nothing here replaces or patches the engine. Everything here works on the learner's own
`Value` (notebook 04 writes its `_backward`s) as well as on the course engine's, through
`valuelike`: a node's backward rule is always the node's own, run by
`valuelike.run_rule`, whichever style it is written in.

`local_derivatives(node)` runs the node's own rule once with an upstream gradient of 1
and reads what it handed each input: d(node)/d(input). It is the engine's
`local_gradients` for any value-like node, so the two give the same numbers (an input
used twice, `a * a`, appears once with both uses added: 2a).

`teaching_backward` walks a graph with its own loop, so a notebook can run the classic
wrong order on purpose. It first sets every gradient in the graph to 0 and the root's to
1, then calls each node's own `_backward` (the ones the learner wrote, or the course
engine's) in the chosen order. order="output first" walks the reverse of the
topological order, as `backward()` does; "inputs first" walks it forwards, so a node
passes its gradient on before it has received it. (The other classic mistake, `=` for
`+=`, lives in the rules themselves: notebook 04 meets it in the check of the learner's
`_backward`.)
"""

from __future__ import annotations

import inspect
import textwrap

from .valuelike import graph_order, require_value, run_rule

__all__ = ["local_derivatives", "teaching_backward", "ORDERS", "show_code", "what_the_check_says",
           "ADD_MUL_WITH_EQUALS"]

# the two orders `teaching_backward` can walk a graph in
ORDERS = ("output first", "inputs first")


def local_derivatives(node: object) -> tuple[float, ...]:
    """d(node)/d(input) for each distinct input of `node`, in operand order.

    Found by running the node's own backward rule once with node.grad = 1 and the
    inputs' gradients at 0 (all put back afterwards), so it says what *that* rule does:
    with the learner's `_backward`s, their rule; with the course engine's, the same
    numbers as `engine.local_gradients`. An input used twice (`a * a`) appears once,
    with both uses added.
    """
    require_value(node, "local_derivatives")
    inputs = list({id(v): v for v in node._prev}.values())
    saved_out, saved = node.grad, [v.grad for v in inputs]
    try:
        for v in inputs:
            v.grad = 0.0
        node.grad = 1.0
        run_rule(node)
        return tuple(float(v.grad) for v in inputs)
    finally:
        node.grad = saved_out
        for v, g in zip(inputs, saved):
            v.grad = g


def _check_backward_arguments(root: object, order: object) -> None:
    """Raise a clear error for arguments `teaching_backward` cannot use."""
    require_value(root, "teaching_backward")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")


def teaching_backward(root: object, *, order: str = "output first") -> None:
    """A teaching version of root.backward(), which can be told to walk the wrong way.

    Resets every gradient to 0, seeds root.grad = 1, then runs each node's own
    `_backward`: output first (right), or order="inputs first" (wrong).
    """
    _check_backward_arguments(root, order)
    nodes = graph_order(root, "teaching_backward")  # inputs first, root last
    for node in nodes:
        node.grad = 0.0
    root.grad = 1.0  # the seed: d root / d root = 1
    walk = reversed(nodes) if order == "output first" else nodes
    for node in walk:
        run_rule(node)  # the node's own rule: each input += local derivative * node.grad


def _with_equals(source: str) -> str:
    """`source` with every gradient line's `+=` made `=` (and the comment on why gone)."""
    lines = [line.replace(".grad +=", ".grad =") for line in source.splitlines()
             if not line.strip().startswith("# += :")]
    return "\n".join(lines) + "\n"


def _add_mul_reference() -> str:
    from . import build

    return build.PIECES["add_mul_backward"].reference


# the lecture's first try at the add_mul_backward piece: `=` where `+=` is needed
ADD_MUL_WITH_EQUALS = _with_equals(_add_mul_reference())


def what_the_check_says(piece: str, source: str) -> None:
    """Run the check of `piece` (see `build`) on `source`, in a namespace of its own (the
    course's versions of the earlier pieces, then `source`): prints the ✓ or ✗ line a
    `%%build` cell would print for that code, and shows the drawing of its smallest
    failing graph. Nothing in the notebook or in my_engine.py changes."""
    from . import build

    if piece not in build.PIECES:
        raise ValueError(f"piece must be one of {', '.join(build.PIECE_NAMES)}, got {piece!r}")
    namespace: dict = {}
    for name in build.PIECE_NAMES:
        if name == piece:
            break
        exec(compile(build.PIECES[name].reference, f"<course version of {name}>", "exec"), namespace)
    exec(compile(source, f"<{piece}, as shown>", "exec"), namespace)
    result = build.check_piece(piece, namespace)
    print(result)
    if result.graph is not None:
        try:
            from IPython.display import display
        except ImportError:  # outside IPython the line above is the whole report
            return
        display(result.graph)


class _Code(str):
    """Source code that a notebook shows as a highlighted Python block."""

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}\n```"

    def __repr__(self) -> str:
        return str(self)


def show_code(*objs: object) -> _Code:
    """The source of functions or classes (e.g. the course engine's version of a piece),
    one after the other, each under a comment naming its file (``# backproplab/nn.py``),
    for a notebook to show beside the learner's version."""
    if not objs:
        raise TypeError("show_code needs at least one function or class, e.g. show_code(Value.tanh)")
    parts = []
    for obj in objs:
        try:
            source = textwrap.dedent(inspect.getsource(obj)).rstrip()
            where = inspect.getsourcefile(obj) or "?"
        except (TypeError, OSError):
            raise TypeError(f"show_code shows functions and classes written in Python, "
                            f"got {type(obj).__name__} {obj!r}") from None
        name = where.replace("\\", "/").rsplit("/", 1)[-1]
        parts.append(f"# backproplab/{name}\n{source}")
    return _Code("\n\n".join(parts))
