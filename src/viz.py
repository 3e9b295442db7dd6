"""Pictures for the course: computation graphs drawn with graphviz, and matplotlib plots.

Graphs (model: the drawing in micrograd's `trace_graph.ipynb`):

- `draw_graph(root)` returns a `GraphDrawing`, a `graphviz.Digraph`: one record-shaped
  node per `Value` ("label | data 2.0000 | grad 0.0000") and one small node per operation.
  Jupyter stores it as SVG, so the drawing survives in static views. Node ids come from
  a counter in traversal order, so the same graph gives the same DOT text and the same
  SVG bytes on every run.
- `graph_outline(root)` is the same graph as plain text, one line per value.
- Both take the course's `Value` or the learner's own (anything with `data`, `grad`,
  `_prev`, `_op` and `label`: see `valuelike`), walked by `valuelike.graph_order` and
  told apart by identity; a value missing one of those gets one sentence naming it.
- `describe_paths(root)` spells out the chain rule: every path from each input to the
  output, the local derivative on each edge, the product per path and the sum over paths.

When graphviz's `dot` program is missing, displaying a drawing shows a message saying
how to install it, followed by the text outline, instead of an error.

Plots: every `plot_*` function returns a matplotlib `Figure`. When it makes the figure
itself it closes it with `plt.close(fig)` before returning, so Jupyter shows it exactly
once (as the cell's result); when you pass `ax=`, it draws into your axes and returns
their figure without closing it.

Live figures, for widgets that redraw many times a second (the training dashboard, the
derivative lab): a `LiveFigure` stays open and redraws only what moved over a saved
picture of the rest; `LiveLossCurve` and `LiveDecisionBoundary` are the dashboard's two
plots, and `move_slope` / `move_difference_errors` move the lines of a `plot_slope` or
`plot_difference_errors` drawing to a new x or h instead of drawing it again.
"""

from __future__ import annotations

import base64
import html
import io
import math
import numbers
from collections.abc import Callable, Iterable, Sequence

import graphviz
import matplotlib
import matplotlib.legend
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image  # installed with matplotlib, which needs it

from .engine import Value, local_gradients, topological_order
from .valuelike import graph_order, require_value

__all__ = [
    "GraphDrawing",
    "draw_graph",
    "graph_outline",
    "describe_paths",
    "chain_rule_paths_table",
    "node_names",
    "plot_function",
    "plot_slope",
    "plot_difference_errors",
    "plot_activations",
    "plot_loss_curve",
    "plot_decision_boundary",
    "LiveFigure",
    "LiveLossCurve",
    "LiveDecisionBoundary",
    "move_slope",
    "move_difference_errors",
    "figure_to_svg",
    "figure_to_png",
    "DOT_MISSING_MESSAGE",
]

DOT_MISSING_MESSAGE = """\
Graphviz's `dot` program was not found, so this graph cannot be drawn as a picture.
The Python package `graphviz` is installed, but it needs the `dot` program to render.
Install it, then restart the kernel and run the notebook again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or the installer from graphviz.org),
                  then make sure its `bin` folder is on PATH
  conda:          conda install -c conda-forge graphviz
Here is the same graph as text:"""

# colours used in drawings (fixed, so drawings are byte-for-byte stable)
_HIGHLIGHT_FILL = "#ffd54f"
_HIGHLIGHT_EDGE = "#e65100"
_POSITIVE = (33, 102, 172)  # blue: a positive gradient
_NEGATIVE = (178, 24, 43)  # red: a negative gradient


def _describe(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _check_root(root: object, where: str = "draw_graph") -> Value:
    """`root` when it is the course's Value or a learner's value with the same
    attributes (`valuelike`); otherwise one sentence that says what is missing."""
    if isinstance(root, Value):
        return root
    if isinstance(root, (numbers.Number, str, list, tuple, dict)) or root is None:
        raise TypeError(
            f"expected the Value at the end of a computation (e.g. L = a*b + c), "
            f"got {_describe(root)}"
        )
    return require_value(root, where)


def _check_limit(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{what} must be a whole number, got {_describe(n)}")
    if n < 1:
        raise ValueError(f"{what} must be at least 1, got {n}")
    return int(n)


def node_names(order: Sequence[Value]) -> dict[Value, str]:
    """A readable name per value: its label, or `n<i>` (its position in `order`)."""
    return {v: _name(v, i) for i, v in enumerate(order)}


def _name(v: object, i: int) -> str:
    label = getattr(v, "label", "")
    return str(label) if label else f"n{i}"


def _names_by_id(order: Sequence[object]) -> dict[int, str]:
    """`node_names` keyed by id(value): a learner's class may define `__eq__` (and so
    not be hashable), or two of its values may compare equal."""
    return {id(v): _name(v, i) for i, v in enumerate(order)}


def _number(x: object) -> float:
    """A value's data or grad as a float for a drawing (a learner's may be an int)."""
    try:
        return float(x)
    except (TypeError, ValueError):
        raise TypeError(f"a value's data and grad must be numbers, got {_describe(x)}") from None


def format_number(x: float) -> str:
    """4 decimals as in micrograd's drawings; very large or tiny numbers in e-notation."""
    x = x + 0.0  # -0.0 (from, say, 0 * -2) reads as 0.0000, not -0.0000
    if x != 0 and not 1e-4 <= abs(x) < 1e6:
        return f"{x:.4e}"
    return f"{x:.4f}"


# ------------------------------------------------------------------ graph drawing


class GraphDrawing(graphviz.Digraph):
    """A drawing of a computation graph: a `graphviz.Digraph` that knows its text outline.

    Extra attributes: `outline` (the text shown when `dot` is missing), `node_ids`
    (each drawn Value's DOT node id), `value_count`, and `summarised` (True when the
    graph was larger than `max_nodes` and only a summary was drawn).
    """

    outline: str = ""
    value_count: int = 0
    summarised: bool = False

    def __repr__(self) -> str:
        # no memory address: Jupyter stores this text next to the SVG in the notebook
        return f"<GraphDrawing of {self.value_count} values>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """SVG for Jupyter, and the same drawing as PNG; without `dot`, a message plus
        the graph as text.

        JupyterLab shows SVG only from a trusted notebook (one the user has run or
        saved): in a notebook fresh from a clone it would show the text/plain line
        instead, so the PNG is what a learner reading ahead sees there."""
        try:
            bundle = super()._repr_mimebundle_(include, exclude, **kwargs)
            if "image/svg+xml" in bundle and (include is None or "image/png" in include) \
                    and not (exclude and "image/png" in exclude):
                bundle["image/png"] = base64.b64encode(self.pipe(format="png")).decode("ascii")
            return bundle
        except graphviz.ExecutableNotFound:
            text = DOT_MISSING_MESSAGE + "\n\n" + self.outline
            return {
                "text/plain": text,
                "text/html": "<pre>" + html.escape(text) + "</pre>",
            }

    def copy(self) -> GraphDrawing:
        """A copy that keeps the outline and the other extra attributes."""
        twin = super().copy()
        twin.outline, twin.value_count, twin.summarised = self.outline, self.value_count, self.summarised
        twin.node_ids = dict(getattr(self, "node_ids", {}))
        return twin

    def svg(self) -> str:
        """The drawing rendered as SVG text (needs `dot`)."""
        return self.pipe(format="svg", encoding="utf-8")


def _record_escape(text: str) -> str:
    """Escape the characters that have a meaning inside a graphviz record label."""
    for ch in "\\{}|<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _grad_colour(grad: float, biggest: float) -> str:
    """A fill colour for a gradient: blue positive, red negative, paler when smaller."""
    if biggest == 0 or grad == 0:
        return "#ffffff"
    strength = min(1.0, abs(grad) / biggest)
    strength = 0.15 + 0.6 * math.sqrt(strength)
    r, g, b = _POSITIVE if grad > 0 else _NEGATIVE
    mix = [round(255 + (c - 255) * strength) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def draw_graph(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    highlight: Iterable[Value] = (),
    color_by_grad: bool = False,
    max_nodes: int = 300,
    grads: dict[Value, float] | None = None,
    show_names: bool = False,
    max_width: float | None = 8.0,
    max_height: float | None = None,
) -> GraphDrawing:
    """Draw the graph that computed `root`: a node per Value, a small node per operation.

    - `rankdir`: "LR" (inputs on the left, the default) or "TB" (inputs at the top).
    - `show_grad=False` leaves the gradients out (before `backward()` they are all 0).
    - `highlight`: Values to draw filled in yellow with a thick border.
    - `color_by_grad=True` fills each value blue (positive gradient) or red (negative),
      stronger for bigger gradients.
    - `max_nodes`: a graph with more values than this is not drawn node by node (it would
      take minutes and be unreadable); a summary box is drawn instead, which says how to
      raise the limit.
    - `grads`: gradients to show instead of each value's `.grad` (the backprop stepper
      uses it to show a backward pass part-way through); values missing from it show 0.
    - `show_names=True` names unlabelled values `n<i>`, as the text outline does.
    - `max_width`: a drawing wider than this many inches is scaled down to it (8 inches,
      768 px, fits JupyterLab's output column in a 1280 px window with the file browser
      open, where an SVG shows at its natural size and what does not fit is cut off);
      `None` keeps the natural size.
    - `max_height`: likewise for the height, in inches (a widget that shows the drawing
      beside its controls keeps it on one laptop screen); `None`: no limit.

    `root` may be the course's Value or a value of the learner's own class with the same
    attributes (`data`, `grad`, `_prev`, `_op`, `label`; see `valuelike`).
    """
    root = _check_root(root)
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom), got {rankdir!r}")
    max_nodes = _check_limit(max_nodes, "max_nodes")
    graph_attr = {"rankdir": rankdir, "bgcolor": "white"}
    if max_width is not None:
        if isinstance(max_width, bool) or not isinstance(max_width, numbers.Real) or not 0 < max_width < math.inf:
            raise ValueError(f"max_width must be a positive number of inches or None, got {_describe(max_width)}")
        graph_attr["size"] = f"{max_width:g},1000"  # graphviz only ever scales down to it
    if max_height is not None:
        if isinstance(max_height, bool) or not isinstance(max_height, numbers.Real) or not 0 < max_height < math.inf:
            raise ValueError(f"max_height must be a positive number of inches or None, got {_describe(max_height)}")
        width = f"{max_width:g}" if max_width is not None else "1000"
        graph_attr["size"] = f"{width},{max_height:g}"
    highlighted: set[int] = set()  # ids: a learner's values need not be hashable
    single = isinstance(highlight, Value) or (hasattr(highlight, "_prev") and hasattr(highlight, "data"))
    for v in (highlight,) if single else highlight:
        if isinstance(v, (numbers.Number, str)) or v is None:
            raise TypeError(f"highlight takes Values from the graph, got {_describe(v)}")
        require_value(v, "draw_graph's highlight", "values from the graph")
        highlighted.add(id(v))

    order = graph_order(root, "draw_graph")
    dot = GraphDrawing(
        name="computation_graph",
        graph_attr=graph_attr,
        node_attr={"fontname": "Helvetica", "fontsize": "12"},
        edge_attr={"color": "#555555"},
    )
    dot.value_count = len(order)
    dot.node_ids = {}
    if len(order) > max_nodes:
        dot.summarised = True
        dot.outline = _summary_text(order, max_nodes)
        dot.node(
            "summary",
            label=dot.outline.replace("\n", "\\l") + "\\l",
            shape="box",
            style="filled",
            fillcolor="#fff3e0",
        )
        return dot

    shown = None if grads is None else {id(k): g for k, g in grads.items()}

    def grad_of(v: Value) -> float:
        if shown is None:
            return _number(v.grad)
        return _number(shown.get(id(v), 0.0))

    biggest = max((abs(grad_of(v)) for v in order), default=0.0) if color_by_grad else 0.0
    names = _names_by_id(order)
    uids: dict[int, str] = {}
    vertical = rankdir in ("TB", "BT")
    for i, v in enumerate(order):
        uid = f"n{i}"
        uids[id(v)] = uid
        try:
            dot.node_ids[v] = uid
        except TypeError:  # a learner's class with __eq__ and no __hash__: ids only
            pass
        title = str(v.label) if v.label else (names[id(v)] if show_names else "")
        fields = [_record_escape(title), f"data {format_number(_number(v.data))}"]
        if show_grad:
            fields.append(f"grad {format_number(grad_of(v))}")
        record = " | ".join(fields)
        # a record lays its fields across the rank direction: braces turn it so that
        # the fields read left to right in both layouts
        label = record if vertical else "{ " + record + " }"
        attrs = {"label": label, "shape": "record"}
        if id(v) in highlighted:
            attrs.update(style="filled,bold", fillcolor=_HIGHLIGHT_FILL, color=_HIGHLIGHT_EDGE, penwidth="2.5")
        elif color_by_grad:
            attrs.update(style="filled", fillcolor=_grad_colour(grad_of(v), biggest))
        dot.node(uid, **attrs)
        op = str(v._op)
        if op:
            op_attrs = {"label": op, "shape": "circle" if len(op) <= 4 else "ellipse",
                        "fontsize": "11", "width": "0.3", "height": "0.3", "margin": "0.02"}
            if id(v) in highlighted:
                op_attrs.update(style="filled", fillcolor=_HIGHLIGHT_FILL, color=_HIGHLIGHT_EDGE)
            dot.node(uid + "op", **op_attrs)
            dot.edge(uid + "op", uid)
    for i, v in enumerate(order):
        if v._op:
            for child in v._prev:
                dot.edge(uids[id(child)], f"n{i}op")
        elif v._prev:  # a learner's value with inputs but no operation recorded
            for child in v._prev:
                dot.edge(uids[id(child)], f"n{i}")
    dot.outline = graph_outline(root)
    return dot


def _summary_text(order: Sequence[Value], max_nodes: int) -> str:
    counts: dict[str, int] = {}
    for v in order:
        key = v._op or "input/constant"
        counts[key] = counts.get(key, 0) + 1
    lines = [
        f"This graph has {len(order)} values, more than max_nodes={max_nodes},",
        "so it is summarised instead of drawn node by node.",
        "Values by operation:",
    ]
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {key}: {n}")
    root = order[-1]
    lines.append(f"Output: data {format_number(_number(root.data))}, grad {format_number(_number(root.grad))}")
    lines.append(
        f"To draw it anyway pass max_nodes={len(order)} (slow and hard to read for "
        "more than a few hundred values)."
    )
    return "\n".join(lines)


def _expression(v: Value, names: dict[int, str]) -> str:
    """How `v` was computed, e.g. 'a * b', 'tanh(n)', 'x**2' (`names`: id -> name)."""
    args = [names[id(c)] for c in v._prev]
    op = str(v._op)
    if op in ("+", "*") and len(args) == 2:
        return f"{args[0]} {op} {args[1]}"
    if op == "**" and len(args) == 2:
        return f"{args[0]} ** {args[1]}"
    if op.startswith("**") and len(args) == 1:
        return f"{args[0]}{op}"
    return f"{op}({', '.join(args)})"


def graph_outline(root: Value, *, max_lines: int = 300) -> str:
    """The graph as text: one line per value, inputs first, with data, grad and formula.

    Unlabelled values are named `n<i>` (their position in the list).
    """
    root = _check_root(root, "graph_outline")
    max_lines = _check_limit(max_lines, "max_lines")
    order = graph_order(root, "graph_outline")
    names = _names_by_id(order)
    width = max(len(names[id(v)]) for v in order[:max_lines])
    lines = []
    for v in order[:max_lines]:
        how = "= " + _expression(v, names) if v._op else "(input)"
        data, grad = format_number(_number(v.data)), format_number(_number(v.grad))
        lines.append(f"{names[id(v)]:<{width}}  data {data:>10}  grad {grad:>10}  {how}")
    if len(order) > max_lines:
        lines.append(f"... and {len(order) - max_lines} more values (the last is the output)")
    return "\n".join(lines)


# ------------------------------------------------------------------ chain rule paths


def chain_rule_paths_table(
    root: Value, *, max_paths: int = 200, include_unlabelled: bool = False
) -> list[dict]:
    """For each input, every path to `root` with its local derivatives.

    Returns one dict per input leaf: `leaf`, `name`, `paths` (each a dict with `nodes`,
    the Values from the leaf to the root, `factors`, the local derivative on each edge,
    and `product`), `total` (the sum of the products) and `complete` (False when more
    than `max_paths` paths had to be left out). Unlabelled leaves (constants such as the
    2 in `2 * a`) are left out unless `include_unlabelled=True` or no leaf has a label.
    An input used twice by one operation (`a * a`) is one edge whose local derivative
    already adds both uses.
    """
    if not isinstance(root, Value):  # local derivatives come from the course engine's rules
        raise TypeError(f"expected the Value at the end of a computation (e.g. L = a*b + c), "
                        f"got {_describe(root)}")
    max_paths = _check_limit(max_paths, "max_paths")
    order = topological_order(root)
    names = node_names(order)
    # every edge child -> parent with its local derivative d parent / d child
    parents: dict[Value, list[tuple[Value, float]]] = {v: [] for v in order}
    for v in order:
        if v._prev:
            inputs = list(dict.fromkeys(v._prev))
            for child, d in zip(inputs, local_gradients(v)):
                parents[child].append((v, d))
    leaves = [v for v in order if not v._prev and v is not root]
    if not include_unlabelled and any(v.label for v in leaves):
        leaves = [v for v in leaves if v.label]
    if not leaves and not root._prev:
        leaves = [root]
    table = []
    for leaf in leaves:
        paths: list[dict] = []
        complete = True
        # depth-first over parents: (node, nodes so far, factors so far)
        stack = [(leaf, [leaf], [])]
        while stack:
            node, nodes, factors = stack.pop()
            if node is root:
                if len(paths) >= max_paths:
                    complete = False
                    break
                product = 1.0
                for f in factors:
                    product *= f
                paths.append({"nodes": nodes, "factors": factors, "product": product})
                continue
            for parent, d in reversed(parents[node]):
                stack.append((parent, nodes + [parent], factors + [d]))
        table.append(
            {
                "leaf": leaf,
                "name": names[leaf],
                "paths": paths,
                "total": sum(p["product"] for p in paths),
                "complete": complete,
            }
        )
    return table


def describe_paths(root: Value, *, max_paths: int = 200, include_unlabelled: bool = False) -> str:
    """The chain rule in words: for each input, each path to the output and its product.

    For every input leaf: every path leaf -> ... -> root, the local slope of each edge
    (written `x->p: -3.0000`, how much p moves per unit of x along that one edge), their
    product, and the sum over all paths, which is the total ∂root/∂leaf (what
    `backward()` puts in the leaf's `.grad`). Only the total is written with ∂: an edge's
    local slope and the total over every path are different numbers.
    """
    table = chain_rule_paths_table(root, max_paths=max_paths, include_unlabelled=include_unlabelled)
    names = node_names(topological_order(root))
    out = names[root]
    lines = []
    for entry in table:
        leaf_name = entry["name"]
        total = f"∂{out}/∂{leaf_name}"
        lines.append(f"{total}: every path from {leaf_name} (= {entry['leaf'].data:.4f}) to {out}")
        if not entry["paths"]:
            lines.append(f"  no path from {leaf_name} to {out}: the derivative is 0")
        for k, path in enumerate(entry["paths"], 1):
            route = " -> ".join(names[v] for v in path["nodes"])
            steps = " * ".join(
                f"({names[a]}->{names[b]}: {f:.4f})"
                for a, b, f in zip(path["nodes"], path["nodes"][1:], path["factors"])
            )
            lines.append(f"  path {k}: {route}")
            lines.append(f"    local slopes {steps or '1'} = {path['product']:.4f}")
        n = len(entry["paths"])
        if not entry["complete"]:
            lines.append(f"  (only the first {n} paths are listed; pass max_paths to see more)")
        partial = " listed (a partial sum)" if not entry["complete"] else ""
        lines.append(f"  {total} = sum over {n} path{'s' if n != 1 else ''}{partial}: {entry['total']:.4f}")
        lines.append("")
    return "\n".join(lines).rstrip()


# ------------------------------------------------------------------ plots


def _new_axes(ax, figsize=(6, 4)):
    """(figure, axes, made_here): new axes of a sensible size, or the caller's."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax, True
    return ax.figure, ax, False


def _finish(fig, made_here: bool):
    if made_here:
        fig.tight_layout()
        plt.close(fig)
    return fig


def _as_number(y: object) -> float:
    if isinstance(y, Value) or (hasattr(y, "data") and hasattr(y, "_prev")):  # also a learner's Value
        return float(y.data)
    return float(y)


def _check_function(f: object, what: str = "f") -> Callable:
    if not callable(f):
        raise TypeError(f"{what} must be a function of one number, such as lambda x: 3*x**2 - 4*x + 5, got {_describe(f)}")
    return f


def _check_range(xlim: object, what: str = "xlim") -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in xlim)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a pair of numbers (low, high), got {_describe(xlim)}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise ValueError(f"{what} must be (low, high) with low < high, got {xlim!r}")
    return lo, hi


def _evaluate(f: Callable, xs: np.ndarray) -> np.ndarray:
    return np.array([_as_number(f(float(x))) for x in xs], dtype=float)


def _derivative(f: Callable, x: float) -> float:
    """f'(x): exact by backprop when f works on Values, else a central difference."""
    try:
        v = Value(x)
        out = f(v)
        if isinstance(out, Value):
            out.backward()
            return v.grad
    except Exception:
        pass
    h = 1e-6 * max(1.0, abs(x))
    return (_as_number(f(x + h)) - _as_number(f(x - h))) / (2 * h)


def plot_function(
    f: Callable, xlim: tuple[float, float] = (-5, 5), *, ax=None, label: str | None = None
):
    """Plot y = f(x) over `xlim`. `f` takes a float and returns a number (or a Value)."""
    f = _check_function(f)
    lo, hi = _check_range(xlim)
    xs = np.linspace(lo, hi, 201)
    ys = _evaluate(f, xs)
    fig, ax, made = _new_axes(ax)
    ax.plot(xs, ys, color="C0", label=label or "f(x)")
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"The function {label}" if label else "The function f(x)")
    ax.legend(loc="best")
    ax.grid(alpha=0.3)
    return _finish(fig, made)


def plot_slope(f: Callable, x: float, h: float, *, xlim=None, ax=None):
    """f, the point (x, f(x)), the secant through x and x+h, and the tangent at x."""
    f = _check_function(f)
    for name, val in (("x", x), ("h", h)):
        if isinstance(val, bool) or not isinstance(val, numbers.Real) or not math.isfinite(val):
            raise TypeError(f"{name} must be a finite number, got {_describe(val)}")
    if h == 0:
        raise ValueError("h must not be 0: the secant needs two different points")
    x, h = float(x), float(h)
    if xlim is None:
        span = max(3.0, 1.5 * abs(h))
        xlim = (x - span, x + span)
    lo, hi = _check_range(xlim)
    xs = np.linspace(lo, hi, 201)
    ys = _evaluate(f, xs)
    fig, ax, made = _new_axes(ax)
    ax.plot(xs, ys, color="C0", label="f(x)")
    parts = _slope_parts(f, x, h, xs)
    ax.plot(*parts["secant"], color="C1", linestyle="--", label=parts["secant_label"])
    ax.plot(*parts["tangent"], color="C2", label=parts["tangent_label"])
    ax.plot(*parts["point"], "o", color="black", zorder=5)
    ax.plot(*parts["point_h"], "o", color="C1", zorder=5)
    margin = 0.1 * (ys.max() - ys.min() or 1.0)
    ax.set_ylim(ys.min() - margin, ys.max() + margin)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(parts["title"])
    ax.legend(loc="best", fontsize=9)
    ax.grid(alpha=0.3)
    return _finish(fig, made)


def _slope_parts(f: Callable, x: float, h: float, xs: np.ndarray) -> dict:
    """What `plot_slope` draws that depends on x and h: lines, points, labels, title."""
    fx, fxh = _as_number(f(x)), _as_number(f(x + h))
    secant = (fxh - fx) / h
    tangent = _derivative(f, x)
    return {
        "secant": (xs, fx + secant * (xs - x)),
        "secant_label": f"secant through x and x+h: slope {secant:.4f}",
        "tangent": (xs, fx + tangent * (xs - x)),
        "tangent_label": f"tangent at x: slope {tangent:.4f}",
        "point": ([x], [fx]),
        "point_h": ([x + h], [fxh]),
        "title": f"Secant vs tangent at x = {x:g}, h = {h:.3g}",
    }


def move_slope(ax, f: Callable, x: float, h: float) -> list:
    """Move the secant, tangent, points, labels and title of a `plot_slope` drawing in
    `ax` to a new x and h (same f, same x range); returns the artists that moved."""
    curve, secant, tangent, point, point_h = ax.lines[:5]
    parts = _slope_parts(f, float(x), float(h), np.asarray(curve.get_xdata()))
    for line, key in ((secant, "secant"), (tangent, "tangent"), (point, "point"),
                      (point_h, "point_h")):
        line.set_data(*parts[key])
    legend = ax.get_legend()
    legend.get_texts()[1].set_text(parts["secant_label"])
    legend.get_texts()[2].set_text(parts["tangent_label"])
    ax.title.set_text(parts["title"])
    return [secant, tangent, point, point_h, legend, ax.title]


def plot_difference_errors(
    f: Callable, df: Callable, x: float, *, ax=None, hs: Sequence[float] | None = None
):
    """|estimate - exact| against h on log-log axes, for four ways of estimating f'(x).

    Forward differences (f(x+h) - f(x)) / h and central differences
    (f(x+h) - f(x-h)) / 2h, each computed in float64 and in float32. For large h the
    error is truncation (slope 1 for forward, 2 for central on the log-log plot); for
    tiny h it is round-off, which grows like eps / h. `f` must work on numpy floats
    (plain arithmetic does); `df` is the exact derivative.
    """
    f = _check_function(f)
    df = _check_function(df, "df")
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise TypeError(f"x must be a finite number, got {_describe(x)}")
    hs = np.logspace(-15, 0, 121) if hs is None else np.asarray(hs, dtype=float)
    exact = float(_as_number(df(float(x))))
    fig, ax, made = _new_axes(ax)
    # float32 in its own lighter colours and thicker dots: for large h both precisions
    # make the same error, and the dotted line must still show on top of the solid one
    styles = [
        ("float64", np.float64, dict(linestyle="-", linewidth=1.5), ("C0", "C3")),
        ("float32", np.float32, dict(linestyle=":", linewidth=2.5), ("C9", "C1")),
    ]
    curves = _difference_error_curves(f, exact, x, hs)
    for (tname, _t, style, (forward_colour, central_colour)), (fwd, ctr) in zip(styles, curves):
        ax.loglog(hs, fwd, color=forward_colour, label=f"forward, {tname}", **style)
        ax.loglog(hs, ctr, color=central_colour, label=f"central, {tname}", **style)
    for axis in (ax.xaxis, ax.yaxis):
        # plain-text powers of ten: the same labels as matplotlib's default, drawn
        # without its mathtext engine, which makes this plot several times faster
        axis.set_major_locator(mticker.LogLocator(base=10, numticks=9))
        axis.set_major_formatter(mticker.FuncFormatter(_power_of_ten))
        axis.set_minor_formatter(mticker.NullFormatter())
    ax.set_xlabel("step size h")
    ax.set_ylabel("|estimate - exact derivative|")
    ax.set_title(_difference_errors_title(x), fontsize=10)
    ax.legend(loc="best", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    return _finish(fig, made)


def _difference_errors_title(x: float) -> str:
    return f"Finite-difference error at x = {x:g}: truncation (right) vs round-off (left)"


def _difference_error_curves(f: Callable, exact: float, x: float, hs: np.ndarray) -> list:
    """[(forward, central) errors in float64, (forward, central) in float32], one per h."""
    curves = []
    for t in (np.float64, np.float32):
        xt = t(x)
        fwd, ctr = [], []
        for h in hs:
            ht = t(h)
            if xt + ht == xt:  # h too small to change x at this precision
                fwd.append(np.nan)
                ctr.append(np.nan)
                continue
            fx, fp, fm = t(f(xt)), t(f(xt + ht)), t(f(xt - ht))
            fwd.append(abs(float((fp - fx) / ht) - exact))
            ctr.append(abs(float((fp - fm) / (t(2) * ht)) - exact))
        fwd = np.array(fwd)
        ctr = np.array(ctr)
        fwd[fwd == 0] = np.nan  # log axes cannot show an exact 0
        ctr[ctr == 0] = np.nan
        curves.append((fwd, ctr))
    return curves


def move_difference_errors(ax, f: Callable, df: Callable, x: float) -> tuple[list, bool]:
    """Redraw the curves and title of a `plot_difference_errors` drawing in `ax` for a
    new x (same f, same h values). Returns (the artists that moved, whether the y axis
    had to change to show the new curves)."""
    lines = ax.lines[:4]
    hs = np.asarray(lines[0].get_xdata())
    exact = float(_as_number(df(float(x))))
    curves = _difference_error_curves(f, exact, float(x), hs)
    ys = [curve for pair in curves for curve in pair]
    for line, curve in zip((lines[0], lines[1], lines[2], lines[3]), ys):
        line.set_ydata(curve)
    ax.title.set_text(_difference_errors_title(float(x)))
    shown = np.concatenate([c[np.isfinite(c)] for c in ys])
    bottom, top = ax.get_ylim()
    refit = shown.size > 0 and (shown.min() < bottom or shown.max() > top)
    if refit:
        ax.relim()
        ax.autoscale_view()
    return [*lines, ax.title], refit


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: float, _pos=None) -> str:
    """Tick label 10⁻⁸ for 1e-8 (empty between powers of ten)."""
    if value <= 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return ""
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPTS)


_ACTIVATION_OPS = {
    "tanh": lambda v: v.tanh(),
    "relu": lambda v: v.relu(),
    "sigmoid": lambda v: v.sigmoid(),
    "linear": lambda v: v * 1.0,
}


def plot_activations(
    names: Sequence[str] = ("tanh", "relu", "sigmoid"), *, derivatives: bool = True,
    xlim: tuple[float, float] = (-4, 4)
):
    """One panel per activation: the function and (dashed) its derivative, against the
    neuron's sum n (the activation's input).

    Values are computed with the engine (derivatives by `backward()`), so the picture
    shows exactly what the course's `Value` does.
    """
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    if not names:
        raise ValueError("names must list at least one activation, e.g. ('tanh', 'relu')")
    for n in names:
        if n not in _ACTIVATION_OPS:
            raise ValueError(f"unknown activation {n!r}; choose from {', '.join(_ACTIVATION_OPS)}")
    lo, hi = _check_range(xlim)
    xs = np.linspace(lo, hi, 201)
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names) + 0.4, 3.4), squeeze=False)
    for ax, name in zip(axes[0], names):
        ys, ds = [], []
        for x in xs:
            v = Value(float(x))
            out = _ACTIVATION_OPS[name](v)
            out.backward()
            ys.append(out.data)
            ds.append(v.grad)
        ax.plot(xs, ys, color="C0", label=name)
        if derivatives:
            ax.plot(xs, ds, "--", color="C3", label="derivative")
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_title(name)
        ax.set_xlabel("n")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    axes[0][0].set_ylabel("activation(n)")
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_loss_curve(losses: Sequence[float], *, ax=None, title: str | None = None, log: bool = False):
    """The loss after each training step. `log=True` uses a logarithmic y axis."""
    try:
        ys = [float(_as_number(v)) for v in losses]
    except (TypeError, ValueError):
        raise TypeError(f"losses must be a list of numbers, got {_describe(losses)}") from None
    fig, ax, made = _new_axes(ax)
    if ys:
        # one curve, named by the axis label: a legend would only hide data
        ax.plot(range(1, len(ys) + 1), ys, color="C0", marker="." if len(ys) < 60 else None)
        if log and min(ys) > 0:
            ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, "no training steps yet", ha="center", va="center",
                transform=ax.transAxes, color="#666666")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title or "Training loss")
    ax.grid(alpha=0.3)
    return _finish(fig, made)


def _model_scores(model, points: np.ndarray) -> np.ndarray:
    """The model's output at each 2-D point (numpy fast path for the course's modules)."""
    from .nn import MLP, Layer, Neuron

    def neuron_np(n, inp):
        w = np.array([p.data for p in n.w])
        act = inp @ w + n.b.data
        if n.activation == "tanh":
            return np.tanh(act)
        if n.activation == "relu":
            return np.maximum(act, 0.0)
        if n.activation == "sigmoid":
            return 1.0 / (1.0 + np.exp(-act))
        return act

    def layer_np(layer, inp):
        return np.stack([neuron_np(n, inp) for n in layer.neurons], axis=1)

    if isinstance(model, Neuron):
        return neuron_np(model, points)
    if isinstance(model, (Layer, MLP)):
        layers = [model] if isinstance(model, Layer) else model.layers
        out = points
        for layer in layers:
            out = layer_np(layer, out)
        if out.shape[1] != 1:
            raise ValueError(f"the model must give one score per point, it gives {out.shape[1]}")
        return out[:, 0]
    if not callable(model):
        raise TypeError(f"model must be a Neuron, Layer, MLP or a function of [x1, x2], got {_describe(model)}")
    fast = _lecture_model_scores(model, points)
    if fast is not None:
        return fast
    scores = []
    for x1, x2 in points:
        out = model([float(x1), float(x2)])
        if isinstance(out, list):
            if len(out) != 1:
                raise ValueError(f"the model must give one score per point, it gives {len(out)}")
            out = out[0]
        scores.append(_as_number(out))
    return np.array(scores)


_ACTIVATIONS = {"tanh": np.tanh, "relu": lambda a: np.maximum(a, 0.0), "": lambda a: a}


def _lecture_model_scores(model, points: np.ndarray) -> np.ndarray | None:
    """The scores of a lecture-style model (the learner's own MLP, Layer or Neuron: layers
    of neurons with weights `w` and a bias `b`) on all points at once with numpy, or None
    when the model is not one. Each neuron's activation is read off the `_op` of its
    output on one input ('tanh', 'relu', or a linear sum), and the whole computation is
    compared with the model itself on one point before it is trusted, so a model that
    does something else is scored point by point instead."""
    try:
        if hasattr(model, "layers"):
            layers = [list(layer.neurons) for layer in model.layers]
        elif hasattr(model, "neurons"):
            layers = [list(model.neurons)]
        elif hasattr(model, "w") and hasattr(model, "b"):
            layers = [[model]]
        else:
            return None
        if not layers or len(layers[-1]) != 1:
            return None
        rng = np.random.default_rng(0)
        plan = []
        for neurons in layers:
            weights = np.array([[float(w.data) for w in n.w] for n in neurons])
            biases = np.array([float(n.b.data) for n in neurons])
            probe = [float(v) for v in rng.uniform(-1, 1, weights.shape[1])]
            functions = []
            for n, w, b in zip(neurons, weights, biases):
                op = getattr(n(probe), "_op", None)
                # a linear neuron's output is its last + (or nothing at all for one input)
                functions.append(_ACTIVATIONS.get(op, _ACTIVATIONS[""] if op in ("+", "w·x+b") else None))
                if functions[-1] is None:
                    return None
            plan.append((weights, biases, functions))

        def forward(inp: np.ndarray) -> np.ndarray:
            for weights, biases, functions in plan:
                act = inp @ weights.T + biases
                inp = np.stack([f(act[:, j]) for j, f in enumerate(functions)], axis=1)
            return inp[:, 0]

        check = points[len(points) // 2]
        out = model([float(check[0]), float(check[1])])
        out = out[0] if isinstance(out, list) and len(out) == 1 else out
        scores = forward(points)
        if not math.isclose(float(out.data), float(forward(check[None, :])[0]), rel_tol=1e-9, abs_tol=1e-12):
            return None
        return scores
    except Exception:  # anything unexpected: the point-by-point path gives the message
        return None


def _boundary_grid(X, y, resolution) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, gx, gy): the checked data and a `resolution` x `resolution` grid around it."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be an (n, 2) array of points, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per row of X ({X.shape[0]}), got shape {y.shape}")
    resolution = _check_limit(resolution, "resolution")
    pad = 0.5
    x_lo, x_hi = X[:, 0].min() - pad, X[:, 0].max() + pad
    y_lo, y_hi = X[:, 1].min() - pad, X[:, 1].max() + pad
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    return X, y, gx, gy


def _draw_regions(ax, gx, gy, scores) -> list:
    """The background coloured by the score's sign, and the line score = 0 (if it crosses)."""
    artists = [ax.contourf(gx, gy, (scores > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                           colors=["#f4a582", "#92c5de"], alpha=0.8)]
    if scores.min() < 0 < scores.max():
        artists.append(ax.contour(gx, gy, scores, levels=[0.0], colors="#333333", linewidths=1.0))
    return artists


def _draw_points(ax, X, y, gx, gy) -> list:
    """The data points by class, the axes' limits and labels, and the legend."""
    positive = y > 0
    negative_name = "-1" if (y < 0).any() else "0"
    artists = [
        ax.scatter(X[~positive, 0], X[~positive, 1], c="#b2182b", edgecolors="black", s=28,
                   label=f"class {negative_name}"),
        ax.scatter(X[positive, 0], X[positive, 1], c="#2166ac", edgecolors="black", s=28,
                   label="class 1"),
    ]
    ax.set_xlim(gx[0, 0], gx[0, -1])
    ax.set_ylim(gy[0, 0], gy[-1, 0])
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("Decision boundary (background: the model's prediction)")
    artists.append(ax.legend(loc="upper right", fontsize=9))
    return artists


def plot_decision_boundary(model, X, y, *, ax=None, resolution: int = 60):
    """Where a 2-input model says +1 and where -1, with the data points on top.

    The model's score is computed on a `resolution` x `resolution` grid; the background
    is coloured by its sign (score > 0: class 1) and the line score = 0 drawn. Labels `y`
    may be 0/1 or -1/+1. Micrograd's moons demo, drawn the same way.
    """
    X, y, gx, gy = _boundary_grid(X, y, resolution)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    scores = _model_scores(model, points).reshape(gx.shape)
    fig, ax, made = _new_axes(ax)
    _draw_regions(ax, gx, gy, scores)
    _draw_points(ax, X, y, gx, gy)
    return _finish(fig, made)


# ------------------------------------------------------------------ live figures


def _canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """What an Agg canvas holds now, as PNG bytes (fast compression: it is sent, not kept)."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


class LiveFigure:
    """A figure that stays open and is redrawn in place: fast enough to follow a slider
    or a training run.

    The parts that change are marked as moving. `png()` pastes back a saved picture of
    everything else (axes, ticks, labels), draws only the moving parts over it and
    returns the PNG bytes: a few milliseconds instead of drawing the whole figure.
    Moving parts that change less often can be marked `slow`: they are drawn once onto
    a second saved picture, kept until `slow_changed()`, and the others on top of it.
    When the still part changes too (new axis limits), `restyle()` makes the next
    `png()` draw everything again. `figure` is an ordinary matplotlib Figure (not
    registered with pyplot, so it never shows up twice): `figure_to_png(figure)` draws
    all of it. `redraws` and `full_redraws` count the pictures made.
    """

    def __init__(self, figsize: tuple[float, float] = (6, 4), dpi: int = 80) -> None:
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.subplots()
        self.redraws = 0
        self.full_redraws = 0
        self._moving: list = []  # drawn on every picture
        self._slow: list = []  # drawn when they change
        self._still = None  # the saved picture of the parts that do not move
        self._held = None  # the same with the slow parts on it
        self._stamps: list = []  # [artist, its saved pixels]: drawn once, then pasted

    def mark_moving(self, *artists, first: bool = False, slow: bool = False) -> None:
        """Mark artists as moving (`first`: drawn before the others of the same zorder;
        `slow`: kept in a saved picture until `slow_changed()`)."""
        for artist in artists:
            artist.set_animated(True)
        group = "_slow" if slow else "_moving"
        old = getattr(self, group)
        setattr(self, group, [*artists, *old] if first else [*old, *artists])
        self._held = None

    def mark_stamp(self, artist) -> None:
        """An opaque artist that never changes but must stay on top of the moving ones
        (a legend): drawn once, then its pixels are pasted over every picture."""
        artist.set_animated(True)
        self._stamps.append([artist, None])

    def _forget(self, artist) -> None:
        """Take a moving artist out of the figure."""
        for group in (self._moving, self._slow):
            if artist in group:
                group.remove(artist)
        artist.remove()
        self._held = None

    def clear(self) -> None:
        """Empty the axes, to draw them again from scratch."""
        self.ax.clear()
        self._moving, self._slow, self._stamps = [], [], []
        self._still = self._held = None

    def restyle(self) -> None:
        """The still part changed: draw everything on the next `png()`."""
        self._still = self._held = None
        for stamp in self._stamps:
            stamp[1] = None

    def slow_changed(self) -> None:
        """The slow moving parts changed: draw them again on the next `png()`."""
        self._held = None

    def _settle_legends(self, renderer) -> None:
        """A moving legend placed "best" stays where it is now until the next full
        redraw: searching for the best place on every picture is slow, and it would
        make the legend jump about while a slider moves."""
        for artist in self._moving + self._slow + [a for a, _ in self._stamps]:
            if isinstance(artist, matplotlib.legend.Legend) and artist._get_loc() == 0:
                corner = artist.get_window_extent(renderer).p0
                artist.set_loc(tuple(artist.axes.transAxes.inverted().transform(corner)))

    def _draw(self, artists: list) -> None:
        # in zorder, and in the order they were added where it ties (as matplotlib does)
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        canvas = self.figure.canvas
        if self._still is None:
            if not self.full_redraws:  # the margins, once: the labels keep their size
                self.figure.tight_layout()
            canvas.draw()  # everything but the moving artists
            self._still = canvas.copy_from_bbox(self.figure.bbox)
            self._held = None
            self.full_redraws += 1
            self._settle_legends(canvas.get_renderer())
        if self._held is None:
            canvas.restore_region(self._still)
            self._draw(self._slow)
            self._held = canvas.copy_from_bbox(self.figure.bbox) if self._slow else self._still
        else:
            canvas.restore_region(self._held)
        self._draw(self._moving)
        for stamp in self._stamps:
            artist, pixels = stamp
            if pixels is None:
                self.figure.draw_artist(artist)
                box = artist.get_window_extent(canvas.get_renderer())
                stamp[1] = canvas.copy_from_bbox(box)
            else:
                canvas.restore_region(pixels)
        self.redraws += 1
        return _canvas_png(canvas)


class LiveLossCurve(LiveFigure):
    """The loss after each step of a training run of `steps` steps, updated as it runs.

    The x axis spans the whole run from the start, so the curve grows to the right; the
    y axis runs from 0 (or the lowest loss, if negative) to just above the highest loss
    so far, and is only redrawn when a loss goes beyond it. `update(losses)` sets the
    curve; `png()` draws it.
    """

    def __init__(self, steps: int, *, title: str | None = None) -> None:
        steps = _check_limit(steps, "steps")
        super().__init__()
        ax = self.ax
        self.steps = steps
        (self.line,) = ax.plot([], [], color="C0", marker="." if steps < 60 else None)
        self.empty_text = ax.text(0.5, 0.5, "no training steps yet", ha="center", va="center",
                                  transform=ax.transAxes, color="#666666")
        ax.set_xlim(0, steps + 1)
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        ax.set_ylim(0, 1)
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
        ax.set_title(title or "Training loss")
        ax.grid(alpha=0.3)
        self.mark_moving(self.line, self.empty_text)

    def update(self, losses: Sequence[float]) -> None:
        """Show these losses (one per step taken so far)."""
        ys = [float(_as_number(v)) for v in losses]
        self.line.set_data(range(1, len(ys) + 1), ys)
        self.empty_text.set_visible(not ys)
        finite = [v for v in ys if math.isfinite(v)]
        bottom, top = self.ax.get_ylim()
        if not finite:
            limits = (0.0, 1.0)
        else:
            low, high = min(min(finite), 0.0), max(finite)
            span = (high - low) or 1.0
            limits = (low - 0.05 * span * (low < 0), high + 0.08 * span)
            if low >= bottom and high <= top and len(ys) > 1:
                limits = (bottom, top)  # still fits: only the curve is redrawn
        if limits != (bottom, top):
            self.ax.set_ylim(*limits)
            self.restyle()


class LiveDecisionBoundary(LiveFigure):
    """`plot_decision_boundary` for a model that is training: the data, the axes and the
    grid stay; `update(model)` recomputes the scores on the grid (from the weights, with
    numpy, as `plot_decision_boundary` does) and redraws the regions and the line.

    `scores` holds the latest grid of scores (`resolution` x `resolution`), `points`
    the grid's points in the same order as `scores.ravel()`.
    """

    def __init__(self, X, y, *, resolution: int = 60) -> None:
        X, y, self.gx, self.gy = _boundary_grid(X, y, resolution)
        super().__init__()
        self.points = np.column_stack([self.gx.ravel(), self.gy.ravel()])
        self.scores = None
        self._regions: list = []
        *points, legend = _draw_points(self.ax, X, y, self.gx, self.gy)
        self.mark_moving(*points, *self.ax.spines.values())
        # opaque and square: the same pixels whatever lies beneath
        legend.get_frame().set_alpha(1.0)
        legend.get_frame().set_boxstyle("square", pad=0.0)
        self.mark_stamp(legend)

    def update(self, model) -> None:
        """Recompute the scores of `model` on the grid and redraw the regions."""
        scores = _model_scores(model, self.points).reshape(self.gx.shape)
        for artist in self._regions:
            self._forget(artist)
        self._regions = _draw_regions(self.ax, self.gx, self.gy, scores)
        self._regions[0].set_zorder(0.9)  # under the points, which were drawn before it
        self.mark_moving(*self._regions)
        self.scores = scores


def figure_to_svg(fig) -> str:
    """A figure as SVG text (stable ids, no date), for widgets and tests."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "backproplab", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def figure_to_png(fig, dpi: int = 80) -> bytes:
    """A figure as PNG bytes, for image widgets."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
