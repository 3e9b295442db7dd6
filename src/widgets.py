"""The interactive pieces of the course: each function returns one ipywidgets widget.

A notebook shows one with a one-line cell, e.g.
`graph_explorer(lambda a, b, c: a*b + c, a=2.0, b=-3.0, c=10.0)`.

Every widget returned here is a `Lab` (an `ipywidgets.VBox`) with attributes that tests
and curious learners can use without a browser:

- `controls`: a dict of the input controls by name (sliders, dropdowns, buttons);
  setting a control's `.value` updates the widget exactly as moving it would;
- `errors`: an HTML widget where an error raised while updating is shown (with its
  message) instead of disappearing; `last_error` holds the exception itself;
- `refresh()`: redraw from the current control values;
- widget-specific results, listed in each function's docstring (e.g. `root`, the latest
  output Value, and `drawing`/`dot`, the latest graph drawing and its DOT text).

Pictures are updated in place (a new SVG or PNG into the same HTML or Image widget), so
nothing flickers while a slider moves.
"""

from __future__ import annotations

import asyncio
import functools
import html
import inspect
import math
import numbers
import time
import traceback
from collections.abc import Callable

import ipywidgets as W

from . import viz
from .engine import Value, topological_order
from .nn import ACTIVATIONS
from .valuelike import graph_order, is_value_like, require_value, run_rule

__all__ = [
    "Lab",
    "graph_explorer",
    "backprop_stepper",
    "gradients_by_hand",
    "derivative_lab",
    "chain_rule_paths",
    "neuron_playground",
    "training_dashboard",
]


def _describe(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


# what a static page (GitHub, nbviewer, an HTML export) shows in place of a widget
_RUNS_WHERE = ("It is interactive when the notebook runs in Jupyter, Binder or Colab; "
               "here the cells before it show where it starts.")


class Lab(W.VBox):
    """A course widget: a VBox that also keeps its controls and latest results.

    `static_text` is what a page that cannot run widgets shows instead of this one
    (GitHub and nbviewer read a widget's text form): a sentence saying what it does.
    """

    def __init__(self, children=(), static_text: str = "", **kwargs):
        super().__init__(children=list(children), **kwargs)
        self.static_text = f"{static_text} {_RUNS_WHERE}" if static_text else ""
        self.controls: dict[str, W.Widget] = {}
        self.errors = W.HTML(value="")
        self.last_error: BaseException | None = None
        self._refresh: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        return self.static_text or super().__repr__()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if self.static_text and isinstance(bundle, dict):
            bundle["text/plain"] = self.static_text  # whole, not cut at 110 characters
        return bundle

    if hasattr(W.DOMWidget, "_ipython_display_"):  # ipywidgets 7 (Colab's) shows itself so
        def _ipython_display_(self, **kwargs):
            from IPython.display import display

            data = {"text/plain": self.static_text or repr(self)[:110]}
            if self._view_name is not None:
                data["application/vnd.jupyter.widget-view+json"] = {
                    "version_major": 2, "version_minor": 0, "model_id": self._model_id}
            display(data, raw=True)
            if self._view_name is not None:
                self._handle_displayed(**kwargs)

    def refresh(self) -> None:
        """Redraw from the current control values (errors are shown, not raised)."""
        self._guarded(self._refresh)()

    def _guarded(self, fn: Callable) -> Callable:
        """`fn` wrapped so that an error shows in `errors` rather than vanishing."""

        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                result = fn(*args, **kwargs)
            except Exception as err:  # shown to the learner, never swallowed
                self.last_error = err
                summary = "".join(traceback.format_exception_only(type(err), err)).strip()
                self.errors.value = (
                    '<pre style="color:#b71c1c; white-space:pre-wrap; margin:4px 0">'
                    "Error while updating: " + html.escape(summary) + "</pre>"
                )
                return None
            self.last_error = None
            if self.errors.value:
                self.errors.value = ""
            return result

        return run


_num = viz.format_number
# a picture that shrinks (keeping its shape) to half the notebook's width at most
_HALF_WIDTH = W.Layout(max_width="50%", height="auto", object_fit="contain")


def _panel() -> W.Layout:
    """A picture that shares a row with another where there is room for both at a
    readable size (460 px each, about 0.75 of their drawn size), and goes under it
    where there is not (a 1024 px laptop window), instead of shrinking its text."""
    return W.Layout(flex="1 1 460px", min_width="460px", max_width="640px", height="auto",
                    object_fit="contain")


_WRAPPING_ROW = dict(flex_flow="row wrap", align_items="flex-start")


def _svg_html(drawing: viz.GraphDrawing) -> str:
    """The drawing as inline SVG, or the missing-`dot` message plus the outline."""
    try:
        svg = drawing.svg()
    except viz.graphviz.ExecutableNotFound:
        return "<pre>" + html.escape(viz.DOT_MISSING_MESSAGE + "\n\n" + drawing.outline) + "</pre>"
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    # shrink a wide graph to the width of the widget's area
    svg = svg.replace("<svg ", '<svg style="max-width:100%; height:auto" ', 1)
    return '<div style="overflow:auto">' + svg + "</div>"


def _slider_range(value: float) -> tuple[float, float]:
    """A symmetric range that comfortably contains `value`: +-5, +-10, +-20, ..."""
    lim = 5.0
    while abs(value) > 0.8 * lim:
        lim *= 2
    return -lim, lim


def _bracketed(x: float) -> str:
    """A number as a factor in a written-out product: -3 * -2 reads (-3.0000) * (-2.0000)."""
    text = _num(x)
    return f"({text})" if text.startswith("-") else text


def _number(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise TypeError(f"{what} must be a finite number, got {_describe(x)}")
    return float(x)


def _float_slider(name: str, spec: object, continuous_update: bool) -> W.FloatSlider:
    """A slider from a number (the start value) or a (min, max, value) triple."""
    if isinstance(spec, tuple):
        if len(spec) != 3:
            raise ValueError(f"{name}: give a number or (min, max, value), got {spec!r}")
        lo, hi, value = (_number(v, name) for v in spec)
        if not lo <= value <= hi or lo == hi:
            raise ValueError(f"{name}: need min <= value <= max, got {spec!r}")
    else:
        value = _number(spec, f"the start value of {name}")
        lo, hi = _slider_range(value)
    if round(value, 2) != value:
        # the browser snaps a slider's value to the steps min, min + 0.01, ... as soon as
        # it shows it, so a start value off that grid (the lecture's bias
        # 6.8813735870195432) gets a grid through it: the ends move inwards by less than
        # one step and every arrow key still moves the value by 0.01
        lo = value - math.floor((value - lo) / 0.01 + 1e-9) * 0.01
        hi = value + math.floor((hi - value) / 0.01 + 1e-9) * 0.01
    return W.FloatSlider(
        min=lo,
        max=hi,
        value=value,
        step=0.01,
        description=name,
        continuous_update=continuous_update,
        readout_format=".2f",
        style={"description_width": "initial"},
        layout=W.Layout(width="420px"),
    )


def _input_names(f: object, defaults: dict) -> list[str]:
    """The names of f's inputs, one slider each."""
    if not callable(f):
        raise TypeError(
            f"f must be a function of Values such as lambda a, b, c: a*b + c, got {_describe(f)}"
        )
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        raise TypeError("cannot read f's inputs: pass a plain function or lambda") from None
    names = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(
                f"f must name each input (lambda a, b: ...), not take *{p.name} or **{p.name}"
            )
        names.append(p.name)
    if not names:
        raise ValueError("f must take at least one input")
    unknown = sorted(set(defaults) - set(names))
    if unknown:
        raise ValueError(
            f"start values given for {', '.join(unknown)}, but f's inputs are {', '.join(names)}"
        )
    return names


def _start_value(f: Callable, name: str, defaults: dict) -> object:
    if name in defaults:
        return defaults[name]
    default = inspect.signature(f).parameters[name].default
    if default is not inspect.Parameter.empty and isinstance(default, numbers.Real):
        return default
    return 1.0


def _leaf(value_class: type, x: float, name: str) -> object:
    """value_class(x) labelled `name` (a learner's __init__ may not take label=)."""
    try:
        leaf = value_class(x, label=name)
    except TypeError:
        leaf = value_class(x)
        leaf.label = name
    return require_value(leaf, "graph_explorer", f"a {value_class.__name__} for each input")


def _evaluate_graph(f: Callable, names: list[str], values: list[float],
                    value_class: type = Value, backward: bool = True) -> Value:
    """f applied to fresh labelled leaves (of `value_class`), with backward() run on the
    result when `backward`."""
    leaves = [_leaf(value_class, v, n) for n, v in zip(names, values)]
    out = f(*leaves)
    if not isinstance(out, Value):
        if not hasattr(out, "_prev") or not hasattr(out, "data"):
            raise TypeError(f"f must return a Value (built from its inputs), got {_describe(out)}")
        require_value(out, "graph_explorer")
    if not out.label:
        out.label = "out"
    if backward:
        if not callable(getattr(out, "backward", None)):
            raise TypeError(
                f"graph_explorer shows gradients by calling backward(), and this "
                f"{type(out).__name__} has no `backward` method (notebook 04 writes it); "
                "pass show_grad=False to show the data only")
        out.backward()
    return out


def _grads_line(root: Value, leaves_only: bool = True) -> str:
    order = graph_order(root, "graph_explorer")
    parts = [f"<b>{html.escape(root.label or 'out')} = {_num(root.data)}</b>"]
    for v in order:
        if v.label and (not v._prev or not leaves_only) and v is not root:
            parts.append(f"d{html.escape(root.label or 'out')}/d{html.escape(v.label)} = {_num(v.grad)}")
    return "&nbsp;&nbsp; ".join(parts)


# ------------------------------------------------------------------ graph_explorer

# the explorer's drawing beside its sliders: at most this many inches (about 620 x 480
# pixels), so sliders, result and graph fit a 1280 x 800 laptop screen together
_EXPLORER_SIZE = (6.5, 5.0)  # (width, height) in inches


def _data_line(root: object) -> str:
    """The output's value alone (for an explorer that does not show gradients)."""
    return f"<b>{html.escape(str(root.label or 'out'))} = {_num(float(root.data))}</b>"


def graph_explorer(
    f: Callable[..., Value],
    /,
    *,
    rankdir: str = "LR",
    color_by_grad: bool = False,
    continuous_update: bool = True,
    max_nodes: int = 300,
    show_grad: bool = True,
    value_class: type | None = None,
    **defaults: float,
) -> Lab:
    """A slider per input of `f`; the graph of `f` with data and grads, redrawn on every move.

    `f` takes one Value per input and returns a Value, e.g.
    `graph_explorer(lambda a, b, c: a*b + c, a=2.0, b=-3.0, c=10.0)`. A start value may
    also be a triple `(min, max, value)` to set the slider's range. Each redraw builds the
    graph afresh from the slider values and runs `backward()` on it.

    `show_grad=False` shows the data only and never calls `backward()` (for a notebook
    that has not explained gradients yet). `value_class` makes the inputs of that class
    instead of the course's Value: the learner's own (anything with data, grad, _prev,
    _op and label; see `valuelike`). The sliders and the result sit beside the drawing,
    which is kept under 6.5 x 5 inches, so the whole widget fits a laptop screen.

    Attributes: `controls` (one FloatSlider per input), `root` (the latest output Value),
    `drawing` (its GraphDrawing), `dot` (its DOT text), `graph` (the HTML widget
    holding the SVG), `summary` (the output value and input gradients).
    """
    names = _input_names(f, defaults)
    if value_class is None:
        value_class = Value
    elif not isinstance(value_class, type):
        raise TypeError(f"value_class must be a class (your Value), got {_describe(value_class)}")
    shown = "value and gradient" if show_grad else "value"
    lab = Lab(static_text="Graph explorer: a slider for each input; the computation graph is redrawn "
                          f"with every node's {shown} as the sliders move.")
    sliders = {n: _float_slider(n, _start_value(f, n, defaults), continuous_update) for n in names}
    for s in sliders.values():
        s.layout.width = "300px"  # narrow: the drawing sits beside the sliders
    lab.controls = sliders
    lab.graph = W.HTML()
    lab.summary = W.HTML()
    lab.root = None
    lab.drawing = None
    lab.dot = ""

    def update():
        root = _evaluate_graph(f, names, [sliders[n].value for n in names], value_class, show_grad)
        drawing = viz.draw_graph(root, rankdir=rankdir, color_by_grad=color_by_grad and show_grad,
                                 max_nodes=max_nodes, show_grad=show_grad,
                                 max_width=_EXPLORER_SIZE[0], max_height=_EXPLORER_SIZE[1])
        lab.root, lab.drawing, lab.dot = root, drawing, drawing.source
        lab.summary.value = _grads_line(root) if show_grad else _data_line(root)
        lab.graph.value = _svg_html(drawing)

    lab._refresh = update
    for s in sliders.values():
        s.observe(lab._guarded(lambda change: update()), names="value")
    lab.summary.layout = W.Layout(width="300px")
    lab.errors.layout = W.Layout(width="300px")
    lab.graph.layout = W.Layout(flex="1 1 auto", min_width="0")
    controls = W.VBox([*sliders.values(), lab.summary, lab.errors], layout=W.Layout(flex="0 0 auto"))
    lab.children = [W.HBox([controls, lab.graph], layout=W.Layout(align_items="flex-start"))]
    lab.refresh()
    return lab


# ------------------------------------------------------------------ chain_rule_paths


def _paths_html(root: Value, table: list[dict], names: dict[Value, str]) -> str:
    out = html.escape(names[root])
    rows = []
    head = (
        "<tr><th style='text-align:left'>input</th><th style='text-align:left'>path</th>"
        "<th style='text-align:left'>local slope of each edge</th>"
        "<th style='text-align:right'>product</th></tr>"
    )
    for entry in table:
        leaf = entry["leaf"]
        name = html.escape(entry["name"])
        for k, path in enumerate(entry["paths"]):
            route = " &rarr; ".join(html.escape(names[v]) for v in path["nodes"])
            factors = " &times; ".join(
                f"<span title='how much {html.escape(names[b])} moves per unit of "
                f"{html.escape(names[a])}, along this one edge'>"
                f"{html.escape(names[a])}&rarr;{html.escape(names[b])}: {_num(fac)}</span>"
                for a, b, fac in zip(path["nodes"], path["nodes"][1:], path["factors"])
            )
            first = f"{name} = {_num(leaf.data)}" if k == 0 else ""
            rows.append(
                f"<tr><td>{first}</td><td>{route}</td><td>{factors}</td>"
                f"<td style='text-align:right'>{_num(path['product'])}</td></tr>"
            )
        agree = math.isclose(entry["total"], leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
        mark = "&#10003; agrees" if agree else "&#10007; differs"
        more = "" if entry["complete"] else " (some paths not listed)"
        rows.append(
            "<tr style='border-bottom:1px solid #999'>"
            f"<td></td><td colspan='2'><i>total &part;{out}/&part;{name} = sum over "
            f"{len(entry['paths'])} path(s){more}; backward() gives {name}.grad = "
            f"{_num(leaf.grad)}</i> {mark}</td>"
            f"<td style='text-align:right'><b>{_num(entry['total'])}</b></td></tr>"
        )
    return (
        f"<div class='bpl-paths'><b>total &part;{out}/&part;(input) = the sum over paths of the "
        "product of the edges' local slopes</b>"
        "<style>.bpl-paths td, .bpl-paths th {padding: 2px 10px}</style>"
        "<table style='border-collapse:collapse; font-family:monospace'>"
        + head + "".join(rows) + "</table></div>"
    )


def chain_rule_paths(
    f: Callable[..., Value],
    /,
    *,
    rankdir: str = "LR",
    continuous_update: bool = True,
    show_graph: bool = True,
    max_paths: int = 200,
    **defaults: float,
) -> Lab:
    """Sliders for the inputs of `f`; every path input -> output with its local derivatives.

    Same calling convention as `graph_explorer`. For each input: each path to the
    output, the local derivative on each edge, their product, the sum over paths, and
    `backward()`'s gradient next to it (they agree). The graph is drawn below.

    Attributes: `controls`, `root`, `table` (the list from `viz.chain_rule_paths_table`),
    `paths` (the HTML widget with the table), `drawing`, `dot`, `graph`.
    """
    names = _input_names(f, defaults)
    lab = Lab(static_text="Chain-rule paths: a slider for each input; a table lists every path from "
                          "each input to the output, the local slope on each edge and their product.")
    sliders = {n: _float_slider(n, _start_value(f, n, defaults), continuous_update) for n in names}
    lab.controls = sliders
    lab.paths = W.HTML()
    lab.graph = W.HTML()
    lab.root = None
    lab.table = []
    lab.drawing = None
    lab.dot = ""

    def update():
        root = _evaluate_graph(f, names, [sliders[n].value for n in names])
        table = viz.chain_rule_paths_table(root, max_paths=max_paths)
        node_names = viz.node_names(topological_order(root))
        lab.root, lab.table = root, table
        lab.paths.value = _paths_html(root, table, node_names)
        if show_graph:
            drawing = viz.draw_graph(root, rankdir=rankdir, show_names=True)
            lab.drawing, lab.dot = drawing, drawing.source
            lab.graph.value = _svg_html(drawing)

    lab._refresh = update
    for s in sliders.values():
        s.observe(lab._guarded(lambda change: update()), names="value")
    lab.children = [W.VBox(list(sliders.values())), lab.errors, lab.paths, lab.graph]
    lab.refresh()
    return lab


# ------------------------------------------------------------------ neuron_playground


def _activate(v: Value, activation: str) -> Value:
    if activation == "tanh":
        return v.tanh()
    if activation == "relu":
        return v.relu()
    if activation == "sigmoid":
        return v.sigmoid()
    return v


def neuron_playground(
    x=(2.0, 0.0),
    w=(-3.0, 1.0),
    b: float = 6.8813735870195432,
    activation: str = "tanh",
    *,
    rankdir: str = "LR",
    continuous_update: bool = True,
) -> Lab:
    """One neuron, o = activation(x1*w1 + x2*w2 + ... + b), with a control for everything.

    The defaults are the lecture's neuron (its output is tanh(0.8814) = 0.7071). The
    graph uses the lecture's labels: x1, w1, x1*w1, ..., n (the sum), o (the output).

    Attributes: `controls` (sliders "x1", "w1", ..., "b" and the Dropdown "activation"),
    `root` (the latest output o), `values` (a dict of the named Values, e.g.
    `values["w1"].grad`), `drawing`, `dot`, `graph`, `summary`.
    """
    try:
        xs = [_number(v, "each input x") for v in x]
        ws = [_number(v, "each weight w") for v in w]
    except TypeError as err:
        if "finite number" in str(err):
            raise
        raise TypeError(f"x and w must be lists of numbers, got x={x!r}, w={w!r}") from None
    if len(xs) != len(ws) or not xs:
        raise ValueError(
            f"x and w need the same number of entries (at least 1): got {len(xs)} inputs "
            f"and {len(ws)} weights"
        )
    b = _number(b, "b")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    lab = Lab(static_text="Neuron playground: sliders for the inputs, weights and bias and a menu for "
                          "the activation; the neuron's graph, output and gradients follow them.")
    controls: dict[str, W.Widget] = {}
    for i, v in enumerate(xs, 1):
        controls[f"x{i}"] = _float_slider(f"x{i}", v, continuous_update)
    for i, v in enumerate(ws, 1):
        controls[f"w{i}"] = _float_slider(f"w{i}", v, continuous_update)
    controls["b"] = _float_slider("b", b, continuous_update)
    controls["b"].readout_format = ".4f"
    controls["activation"] = W.Dropdown(
        options=list(ACTIVATIONS), value=activation, description="activation"
    )
    lab.controls = controls
    lab.graph = W.HTML()
    lab.summary = W.HTML()
    lab.root = None
    lab.values = {}
    lab.drawing = None
    lab.dot = ""
    n_in = len(xs)

    def update():
        values = {}
        for i in range(1, n_in + 1):
            values[f"x{i}"] = Value(controls[f"x{i}"].value, label=f"x{i}")
            values[f"w{i}"] = Value(controls[f"w{i}"].value, label=f"w{i}")
        total = None
        acc_name = ""
        for i in range(1, n_in + 1):
            term = values[f"x{i}"] * values[f"w{i}"]
            term.label = f"x{i}*w{i}"
            values[term.label] = term
            if total is None:
                total, acc_name = term, term.label
            else:
                acc_name = acc_name + " + " + term.label
                total = total + term
                total.label = acc_name
                values[acc_name] = total
        values["b"] = Value(controls["b"].value, label="b")
        n = total + values["b"]
        n.label = "n"
        values["n"] = n
        act = controls["activation"].value
        o = _activate(n, act) if act != "linear" else n * 1.0
        o.label = "o"
        values["o"] = o
        o.backward()
        drawing = viz.draw_graph(o, rankdir=rankdir)
        lab.root, lab.values, lab.drawing, lab.dot = o, values, drawing, drawing.source
        grads = "&nbsp;&nbsp; ".join(
            f"do/d{k} = {_num(values[k].grad)}"
            for k in [f"x{i}" for i in range(1, n_in + 1)] + [f"w{i}" for i in range(1, n_in + 1)] + ["b"]
        )
        lab.summary.value = (
            f"<b>o = {act}(n) = {_num(o.data)}</b> with n = {_num(n.data)}<br>{grads}"
        )
        lab.graph.value = _svg_html(drawing)

    lab._refresh = update
    for c in controls.values():
        c.observe(lab._guarded(lambda change: update()), names="value")
    sliders = list(controls.values())
    lab.children = [
        W.HBox([W.VBox(sliders[:n_in]), W.VBox(sliders[n_in:2 * n_in])]),
        W.HBox([sliders[2 * n_in], sliders[2 * n_in + 1]]),
        lab.summary,
        lab.errors,
        lab.graph,
    ]
    lab.refresh()
    return lab


# ------------------------------------------------------------------ derivative_lab


def _default_f(x):
    return 3 * x**2 - 4 * x + 5


def derivative_lab(
    f: Callable | None = None,
    x: float = 2.0,
    h: float = 0.5,
    *,
    xlim: tuple[float, float] = (-5.0, 5.0),
    continuous_update: bool = True,
) -> Lab:
    """Move x and h: the secant through x and x+h against the tangent at x.

    `f` takes a number (and works on Values too, for the exact slope; plain arithmetic
    does); by default f(x) = 3x**2 - 4x + 5. `h` moves on a log scale from 1e-10 to 1.
    Shown: the secant/tangent plot, the forward and central difference estimates with
    their errors, and the error against h on log-log axes with the current h marked.
    The pictures follow the sliders while they are dragged (`continuous_update=False`:
    only when a slider is let go).

    Attributes: `controls` ("x": FloatSlider, "h": FloatLogSlider), `estimates` (a dict
    with forward, central, exact and their errors), `table` (HTML widget), `slope_image`
    and `error_image` (Image widgets), `slope_figure` and `error_figure` (the latest
    matplotlib Figures).
    """
    f = _default_f if f is None else f
    if not callable(f):
        raise TypeError(f"f must be a function of one number, got {_describe(f)}")
    x = _number(x, "x")
    h = _number(h, "h")
    if not 1e-10 <= h <= 1:
        raise ValueError(f"h must be between 1e-10 and 1, got {h!r}")
    lo, hi = viz._check_range(xlim)
    if not lo <= x <= hi:
        raise ValueError(f"x = {x} is outside xlim {xlim}")
    # the browser snaps h to the slider's grid 10**(min + 0.1 k) as soon as it shows it:
    # the grid goes through the start value (h = 0.5 stays 0.5, not 10**-0.3 = 0.501),
    # its ends less than a step inside 1e-10 and 1
    exponent = math.log10(h)
    h_lo = exponent - math.floor((exponent + 10) / 0.1 + 1e-9) * 0.1
    h_hi = exponent + math.floor((0 - exponent) / 0.1 + 1e-9) * 0.1
    lab = Lab(static_text="Derivative lab: sliders for x and the step h; the secant through x and x + h "
                          "against the tangent, the difference estimates and their error against h.")
    lab.controls = {
        "x": W.FloatSlider(min=lo, max=hi, value=x, step=0.05, description="x",
                           continuous_update=continuous_update, readout_format=".2f",
                           layout=W.Layout(width="380px")),
        # ten decades of h: a long track (about 40 px per decade), each arrow key 0.1 decade
        "h": W.FloatLogSlider(min=h_lo, max=h_hi, base=10, value=h, step=0.1,
                              description="h", continuous_update=continuous_update,
                              readout_format=".1e", layout=W.Layout(width="460px")),
    }
    lab.table = W.HTML()
    # each picture takes half the width, so both stay in view side by side
    lab.slope_image = W.Image(format="png", layout=_panel())
    lab.error_image = W.Image(format="png", layout=_panel())
    lab.estimates = {}
    # the two figures stay open and are redrawn in place while a slider is dragged
    slope = viz.LiveFigure()
    errors = viz.LiveFigure()
    lab.slope_figure = slope.figure
    lab.error_figure = errors.figure
    state: dict = {"error_x": None}

    def exact_derivative(t: float) -> float:
        return viz._derivative(f, float(t))

    def update():
        xv, hv = lab.controls["x"].value, lab.controls["h"].value
        fx, fp, fm = (viz._as_number(f(v)) for v in (xv, xv + hv, xv - hv))
        exact = exact_derivative(xv)
        forward = (fp - fx) / hv
        central = (fp - fm) / (2 * hv)
        lab.estimates = {
            "x": xv, "h": hv, "exact": exact, "forward": forward, "central": central,
            "forward_error": abs(forward - exact), "central_error": abs(central - exact),
        }
        lab.table.value = (
            "<style>.bpl-diffs td {padding: 1px 12px 1px 0}</style>"
            "<table class='bpl-diffs' style='font-family:monospace'>"
            f"<tr><td>exact slope f'(x)</td><td>{exact:.10f}</td><td></td></tr>"
            f"<tr><td>forward (f(x+h) - f(x)) / h</td><td>{forward:.10f}</td>"
            f"<td>error {abs(forward - exact):.3e}</td></tr>"
            f"<tr><td>central (f(x+h) - f(x-h)) / 2h</td><td>{central:.10f}</td>"
            f"<td>error {abs(central - exact):.3e}</td></tr></table>"
        )
        slope_xlim = (lo, hi) if hv < (hi - lo) else None
        if state.get("slope_xlim", False) == slope_xlim and slope_xlim is not None:
            viz.move_slope(slope.ax, f, xv, hv)  # same axes: only the lines move
        else:
            slope.clear()
            viz.plot_slope(f, xv, hv, xlim=slope_xlim, ax=slope.ax)
            slope.mark_moving(*viz.move_slope(slope.ax, f, xv, hv))
            state["slope_xlim"] = slope_xlim
        lab.slope_image.value = slope.png()
        if state["error_x"] is not None and state["error_x"] != xv:
            # the error curves depend on x only: redraw them on the same axes
            _moved, refit = viz.move_difference_errors(errors.ax, f, exact_derivative, xv)
            errors.restyle() if refit else errors.slow_changed()
            state["error_x"] = xv
        elif state["error_x"] is None:
            errors.clear()
            viz.plot_difference_errors(f, exact_derivative, xv, ax=errors.ax)
            ax = errors.ax
            state["marker"] = ax.axvline(hv, color="#555555", linestyle="--", linewidth=1,
                                         label="_current h")
            state["marker_text"] = ax.text(hv, 0.02, "", transform=ax.get_xaxis_transform(),
                                           fontsize=8)
            # the curves and the title move with x, the marker with h; the legend (made
            # opaque) stays on top of them
            errors.mark_moving(*ax.lines[:4], ax.title, slow=True)
            errors.mark_moving(state["marker"], state["marker_text"])
            ax.get_legend().get_frame().set_alpha(1.0)
            errors.mark_stamp(ax.get_legend())
            state["error_x"] = xv
        state["marker"].set_xdata([hv, hv])
        state["marker_text"].set_x(hv)
        state["marker_text"].set_text(f" h = {hv:.1e} ")
        state["marker_text"].set_horizontalalignment("right" if hv > 1e-4 else "left")
        lab.error_image.value = errors.png()

    lab._refresh = update
    for c in lab.controls.values():
        c.observe(lab._guarded(lambda change: update()), names="value")
    lab.children = [
        W.HBox([lab.controls["x"], lab.controls["h"]], layout=W.Layout(**_WRAPPING_ROW)),
        lab.errors,
        lab.table,
        W.HBox([lab.slope_image, lab.error_image], layout=W.Layout(**_WRAPPING_ROW)),
    ]
    lab.refresh()
    return lab


# ------------------------------------------------------------------ backprop_stepper


def _local_rule(node: Value, child: Value, names: dict[Value, str]) -> str:
    """The local derivative d node / d child as a formula in the node's own names."""
    op = node._op
    o, c = names[node], names[child]
    others = [names[v] for v in node._prev if v is not child]
    uses = sum(1 for v in node._prev if v is child)
    if op == "+":
        return "1" if uses == 1 else f"{uses} (used {uses} times)"
    if op == "*":
        if uses == 2:
            return f"2·{c}"
        return others[0] if others else "1"
    if op == "tanh":
        return f"1 - {o}²"
    if op == "exp":
        return o
    if op == "log":
        return f"1/{c}"
    if op == "relu":
        return f"1 (as {c} > 0)" if child.data > 0 else f"0 (as {c} ≤ 0)"
    if op == "sigmoid":
        return f"{o}·(1 - {o})"
    if op.startswith("**") and len(node._prev) == 1:
        try:
            n = float(op[2:])
        except ValueError:  # a learner's op name such as "**n"
            return "its local derivative"
        return f"{n:g}·{c}**{n - 1:g}"
    if op == "**" and len(node._prev) == 2:
        base, expo = node._prev
        if child is base and child is not expo:
            return f"{names[expo]}·{c}**({names[expo]} - 1)"
        if child is expo and child is not base:
            return f"{o}·log({names[base]})"
    if op == "w·x+b" and len(node._prev) % 2 == 1:
        k = len(node._prev) // 2  # _prev is (w1..wk, x1..xk, b)
        ws, xs = node._prev[:k], node._prev[k:2 * k]
        if child is node._prev[-1] and child not in ws and child not in xs:
            return "1"
        if child in ws and child not in xs:
            return names[xs[ws.index(child)]]
        if child in xs and child not in ws:
            return names[ws[xs.index(child)]]
    return "its local derivative"


def _short(x: float) -> str:
    """A number for a written-out sum: up to 4 decimals, trailing zeros dropped."""
    text = _num(x)
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _term(x: float) -> str:
    """A number as the right-hand term of a sum: negative ones in brackets."""
    text = _short(x)
    return f"({text})" if text.startswith("-") else text


def _drawable(root: object) -> tuple[Value, Callable[[object], Value]]:
    """The graph as the course's drawings take it: `root` itself for the course's Value;
    for a learner's, a copy made of course Values (same data, inputs, ops and labels),
    and a map from each learner value to its copy."""
    if isinstance(root, Value):
        return root, lambda v: v
    from .build import course_copy

    copy, copies = course_copy(root)
    return copy, lambda v: copies[id(v)]


def backprop_stepper(
    root: object,
    *,
    rankdir: str = "TB",
    interval: int = 900,
    max_nodes: int = 300,
) -> Lab:
    """Walk the backward pass of `root`'s graph node by node (Play, or drag the slider).

    `root` is the course engine's Value or the learner's own (anything with data, grad,
    _prev, _op, label and a `_backward`, in either style: see `valuelike`). Step 0
    seeds d root/d root = 1. Step k (1 .. number of values) takes the k-th value in
    reverse topological order (the root first, the inputs last) and runs its own
    `_backward`: each input's gradient grows by (local derivative) x (this node's
    gradient). The current node is highlighted and a line spells out the rule applied
    and the sum it makes (`x.grad: -2 + 6 = 4`).

    What it does to `.grad`: nothing you can see. The gradients of every step are
    worked out once, up front, starting from 0 (the graph's existing `.grad` values are
    saved and put back afterwards), so the drawing at the last step shows exactly what a
    fresh `root.backward()` gives, whatever `.grad` held before. Call `root.backward()`
    yourself to fill in `.grad`.

    The drawing is top to bottom (inputs at the top) by default, as the notebooks'
    static drawings are; rankdir="LR" lays it out left to right.

    Attributes: `controls` ("play": Play, "step": IntSlider), `sequence` (the Values in
    the order they are processed), `steps` (one dict per slider position: `node`,
    `message`, `grads`), `grads_at(k)` (a dict Value -> gradient after step k),
    `message` (HTML widget), `drawing`, `dot`, `graph`.
    """
    if isinstance(root, (bool, numbers.Number, str)) or not is_value_like(root):
        try:
            require_value(root, "backprop_stepper", "the Value at the end of a graph")
        except TypeError as err:
            raise TypeError(str(err)) from None
    order = graph_order(root, "backprop_stepper")
    if len(order) > max_nodes:
        raise ValueError(
            f"this graph has {len(order)} values; the stepper walks graphs of up to "
            f"max_nodes={max_nodes} (pass max_nodes={len(order)} to walk it anyway)"
        )
    names = viz.node_names(order)
    sequence = list(reversed(order))
    steps = _record_backward(root, order, sequence, names)
    drawn_root, drawn = _drawable(root)
    lab = Lab(static_text="Backpropagation stepper: Play, or the step slider, fills in one node's "
                          "gradient at a time, with the chain-rule line for that step.")
    n = len(sequence)
    play = W.Play(min=0, max=n, value=0, step=1, interval=interval, description="Play",
                  repeat=False, show_repeat=False)
    slider = W.IntSlider(min=0, max=n, value=0, step=1, description="step",
                         continuous_update=True)
    W.link((play, "value"), (slider, "value"))
    lab.controls = {"play": play, "step": slider}
    lab.sequence = sequence
    lab.steps = steps
    lab.message = W.HTML(layout=W.Layout(min_height="3em"))
    lab.graph = W.HTML()
    lab.drawing = None
    lab.dot = ""
    lab.grads_at = lambda k: dict(zip(order, steps[k]["grads"]))

    def update():
        k = slider.value
        step = steps[k]
        drawing = viz.draw_graph(
            drawn_root, rankdir=rankdir,
            grads={drawn(v): g for v, g in zip(order, step["grads"])},
            highlight=[drawn(step["node"])], max_nodes=max_nodes,
        )
        lab.drawing, lab.dot = drawing, drawing.source
        lab.message.value = (
            f"<div style='font-size:14px; line-height:1.5'><b>step {k} of {n}</b>: "
            + step["message"] + "</div>"
        )
        lab.graph.value = _svg_html(drawing)

    lab._refresh = update
    slider.observe(lab._guarded(lambda change: update()), names="value")
    lab.children = [W.HBox([play, slider]), lab.message, lab.errors, lab.graph]
    lab.refresh()
    return lab


def _record_backward(root: object, order: list, sequence: list,
                     names: dict) -> list[dict]:
    """Run the backward pass from zero gradients with each node's own `_backward`
    (`valuelike.run_rule`), keeping the gradients after each step."""
    from .teaching import local_derivatives

    saved = [v.grad for v in order]
    out = html.escape(names[root])
    try:
        for v in order:
            v.grad = 0.0
        root.grad = 1.0
        steps = [{
            "node": root,
            "message": f"start: d{out}/d{out} = 1, so {out}.grad = 1. Every other gradient starts at 0.",
            "grads": [v.grad for v in order],
        }]
        for node in sequence:
            name = html.escape(names[node])
            inputs = list({id(v): v for v in node._prev}.values())
            if not inputs:
                msg = (f"'{name}' is an input: nothing to pass on; its gradient "
                       f"d{out}/d{name} = {_num(node.grad)} is final.")
                run_rule(node)
            else:
                local = local_derivatives(node)
                before = [float(c.grad) for c in inputs]
                run_rule(node)
                parts = []
                for child, d, was in zip(inputs, local, before):
                    c = html.escape(names[child])
                    rule = html.escape(_local_rule(node, child, names))
                    now = float(child.grad)
                    # "d s/d m = 1", not "= 1 = 1.0000"; a negative factor in brackets
                    local_text = rule if rule == _num(d) or rule in ("1", "1.0") else f"{rule} = {_num(d)}"
                    parts.append(
                        f"d {name}/d {c} = {local_text}, so {c}.grad += "
                        f"{_bracketed(d)} * {_bracketed(node.grad)}, "
                        f"<b>{c}.grad: {_short(was)} + {_term(now - was)} = {_short(now)}</b>"
                    )
                msg = f"node '{name}' ({html.escape(str(node._op))}): " + ";<br>".join(parts)
            steps.append({"node": node, "message": msg, "grads": [float(v.grad) for v in order]})
        return steps
    finally:
        for v, g in zip(order, saved):
            v.grad = g


# ------------------------------------------------------------------ gradients_by_hand

_RIGHT_FILL, _WRONG_FILL = "#c8e6c9", "#ffcdd2"  # green: right, red: wrong


def _parse_number(text: str) -> float | None:
    """A typed number ("-2", "0.5", "−3" with a typographic minus, "1/3"), or None."""
    text = text.strip().replace("−", "-").replace(",", ".")
    if "/" in text:
        top, _, bottom = text.partition("/")
        top_value, bottom_value = _parse_number(top), _parse_number(bottom)
        if top_value is None or not bottom_value:
            return None
        return top_value / bottom_value
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _hand_rule(node: object, users: list, names: dict, out: str) -> str:
    """How `node`'s gradient is found from the nodes that use it: the local rule."""
    if not users:
        return f"{names[node]} is the output: d{out}/d{out} = 1, the seed."
    parts = []
    for user in users:
        u = names[user]
        uses = sum(1 for v in user._prev if v is node)
        if user._op == "+":
            share = f"add copies the gradient: {names[node]} gets {u}.grad"
        elif user._op == "*":
            others = [v for v in user._prev if v is not node]
            if others:
                other = others[0]
                share = (f"mul swaps the inputs: {names[node]} gets {names[other]}.data "
                         f"× {u}.grad = {_short(other.data)} × {u}.grad")
            else:
                share = f"{u} = {names[node]} * {names[node]}: {names[node]} gets 2 × {names[node]}.data × {u}.grad"
        else:
            share = f"{names[node]} gets (d {u}/d {names[node]}) × {u}.grad"
        if uses > 1 and user._op == "+":
            share += f", once per use ({uses} uses)"
        ins = [names[v] for v in user._prev]
        made = f" {user._op} ".join(ins) if len(ins) == 2 else f"{user._op}({', '.join(ins)})"
        parts.append(f"{u} = {made} uses {names[node]}; {share}")
    text = "; ".join(parts)
    if len(users) > 1 or any(sum(1 for v in u._prev if v is node) > 1 for u in users):
        text += f". {names[node]} is used more than once: add up the shares"
    return text + "."


_RULES = {"+": Value._add_backward, "*": Value._mul_backward, "tanh": Value._tanh_backward,
          "exp": Value._exp_backward, "relu": Value._relu_backward, "log": Value._log_backward,
          "sigmoid": Value._sigmoid_backward}


def _course_rules_copy(root: object, order: list, where: str) -> tuple[Value, dict]:
    """A copy of `root`'s graph made of course Values that carry the course's backward
    rule for each operation named in `_op`, so that its backward() gives the right
    gradients whatever the original's own rules do (or before they are written)."""
    from .build import course_copy

    copy, copies = course_copy(root)
    for v in order:
        c, op = copies[id(v)], str(v._op)
        if not c._prev:
            continue
        if op in _RULES:
            c._backward = _RULES[op]
        elif op.startswith("**") and len(c._prev) == 1 and _parse_number(op[2:]) is not None:
            c._exponent, c._backward = _parse_number(op[2:]), Value._pow_backward
        elif op == "**" and len(c._prev) == 2:
            c._backward = Value._pow_value_backward
        elif isinstance(v, Value):
            c._backward = v._backward
        else:
            raise ValueError(f"{where} knows the gradients of +, *, **n, tanh, exp, relu, log "
                             f"and sigmoid; this graph has a value made by {op!r}")
    return copy, copies


def gradients_by_hand(root: object, *, rankdir: str = "TB", tolerance: float = 1e-3) -> Lab:
    """Fill in every value's gradient by hand, on the drawn graph of `root`.

    One field per value (the output first, then in the order a backward pass reaches
    them). Each field turns green when its number is d root/d value and red when it is
    not, as you type, and a red one shows the local rule that gives it ("add copies the
    gradient, mul swaps the inputs"). The drawing shows your numbers in its `grad` boxes,
    coloured the same way. Nothing in `root`'s graph changes: the right answers come
    from a copy of it made of the course engine's Values.

    `root` is the course engine's Value or the learner's own (see `valuelike`). A typed
    answer is right within `tolerance` (relative, or absolute near 0); "1/3" and a
    typographic minus are accepted.

    Attributes: `fields` (name -> Text), `status` (name -> HTML: right or wrong),
    `rules` (name -> HTML: the local rule, for a wrong answer), `expected`
    (name -> the right gradient), `right()` (the names answered right so far),
    `summary` (HTML), `drawing`, `dot`, `graph`.
    """
    require_value(root, "gradients_by_hand", "the Value at the end of a graph")
    order = graph_order(root, "gradients_by_hand")
    names = viz.node_names(order)
    copy, copies = _course_rules_copy(root, order, "gradients_by_hand")
    for v in order:
        copies[id(v)].label = names[v]
    copy.zero_grad()
    copy.backward()
    expected = {names[v]: copies[id(v)].grad for v in order}
    users: dict[int, list] = {id(v): [] for v in order}
    for v in order:
        for child in {id(c): c for c in v._prev}.values():
            users[id(child)].append(v)
    out = names[root]

    lab = Lab(static_text="Gradients by hand: a field per value of the drawn graph; each turns "
                          "green when your gradient is right and red, with the local rule, "
                          "when it is not.")
    lab.expected = expected
    lab.fields, lab.status, lab.rules = {}, {}, {}
    rows = []
    label_layout = W.Layout(width="5.5em")
    for v in reversed(order):
        name = names[v]
        field = W.Text(value="", placeholder=f"d{out}/d{name}", continuous_update=True,
                       layout=W.Layout(width="7em"))
        status = W.HTML(value="", layout=W.Layout(width="auto", overflow="hidden"))
        # the rule wraps inside the column (a fixed width wider than the column gave every
        # row a scrollbar and cut the rule off at the right)
        rule = W.HTML(value="", layout=W.Layout(width="100%", overflow="hidden"))
        lab.fields[name], lab.status[name], lab.rules[name] = field, status, rule
        rows.append(W.VBox([W.HBox([W.HTML(f"<code>{html.escape(name)}.grad</code>",
                                           layout=label_layout), field, status],
                                   layout=W.Layout(flex_flow="row wrap", overflow="hidden")),
                            rule], layout=W.Layout(overflow="hidden")))
    lab.summary = W.HTML()
    lab.graph = W.HTML()
    lab.drawing, lab.dot = None, ""
    by_name = {names[v]: v for v in order}

    def verdict(name: str) -> bool | None:
        typed = _parse_number(lab.fields[name].value)
        if typed is None:
            return None
        want = expected[name]
        return abs(typed - want) <= tolerance * max(1.0, abs(want))

    lab.right = lambda: [name for name in lab.fields if verdict(name)]

    def update():
        shown, fills = {}, {}
        for name, field in lab.fields.items():
            text = field.value.strip()
            typed = _parse_number(text)
            v = by_name[name]
            lab.rules[name].value = ""
            if not text:
                lab.status[name].value = ""
                continue
            if typed is None:
                lab.status[name].value = "<span style='color:#8a6d00'>a number?</span>"
                lab.rules[name].value = ("<div style='color:#8a6d00'>type a number, e.g. -2, "
                                         "0.5 or 1/3</div>")
                continue
            shown[copies[id(v)]] = typed
            if verdict(name):
                fills[name] = _RIGHT_FILL
                lab.status[name].value = "<span style='color:#1b5e20'>✓ right</span>"
            else:
                fills[name] = _WRONG_FILL
                rule = html.escape(_hand_rule(v, users[id(v)], names, out))
                lab.status[name].value = f"<span style='color:#b71c1c'>✗ not {html.escape(text)}</span>"
                lab.rules[name].value = (f"<div style='color:#b71c1c; line-height:1.35; "
                                         f"margin-bottom:4px; white-space:normal; "
                                         f"overflow-wrap:anywhere'>{rule}</div>")
        drawing = viz.draw_graph(copy, rankdir=rankdir, grads=shown, show_names=True)
        for name, fill in fills.items():
            drawing.node(drawing.node_ids[copies[id(by_name[name])]], style="filled", fillcolor=fill)
        lab.drawing, lab.dot = drawing, drawing.source
        lab.graph.value = _svg_html(drawing)
        done = len(lab.right())
        lab.summary.value = (f"<b>{done} of {len(order)} right</b>"
                             + (": every gradient of the graph, by hand." if done == len(order) else
                                " (a box with no number shows grad 0 in the drawing)"))

    lab._refresh = update
    for field in lab.fields.values():
        field.observe(lab._guarded(lambda change: update()), names="value")
    lab.controls = dict(lab.fields)
    lab.children = [lab.summary, lab.errors,
                    W.HBox([W.Box([lab.graph], layout=W.Layout(flex="1 1 auto", min_width="18em")),
                            W.VBox(rows, layout=W.Layout(flex="0 0 24em", padding="0 0 0 1em",
                                                          overflow="hidden"))])]
    lab.refresh()
    return lab


# ------------------------------------------------------------------ training_dashboard

# whether Play is playing: `playing` since ipywidgets 8, `_playing` in ipywidgets 7
_PLAYING = "playing" if "playing" in W.Play.class_trait_names() else "_playing"



def training_dashboard(trainer, *, boundary_every: int = 1, interval: int = 40,
                       redraw_interval: int = 120, resolution: int = 40) -> Lab:
    """Train with play / pause / step / reset, a learning-rate control and live plots.

    Play trains step after step, at most one step every `interval` milliseconds, until
    the run is over or you press pause (or stop). The kernel keeps the time: each step
    is a separate, short callback, so the notebook stays responsive, and pause or stop
    takes effect before the next step. The pictures are redrawn at most every
    `redraw_interval` milliseconds while training runs (a few steps may pass between
    two pictures), and always when it pauses or finishes: the loss curve, and the
    decision boundary (when X has two columns; at most every `boundary_every` steps).
    The learning-rate slider sets `trainer.learning_rate` (the base rate; a schedule
    still scales it).

    Attributes: `controls` ("play": Play, "step": Button, "reset": Button,
    "learning_rate": FloatLogSlider), `trainer`, `progress` (HTML: step k of N, loss,
    accuracy), `progress_bar`, `loss_image` and `boundary_image` (Image widgets),
    `loss_figure` and `boundary_figure` (the Figures shown), `loss_plot` and
    `boundary_plot` (their `viz.LiveFigure`s, which count their `redraws`),
    `run_steps(n)` (take n steps as Play would, without waiting between them, for
    scripted use).
    """
    from .train import Trainer

    if not isinstance(trainer, Trainer):
        if callable(trainer) and hasattr(trainer, "parameters"):
            raise TypeError("training_dashboard needs a Trainer, not the model itself: make one "
                            "with train.Trainer(model, X, y) and pass that")
        raise TypeError(f"training_dashboard needs a Trainer, got {_describe(trainer)}")
    for name, value, least in (("boundary_every", boundary_every, 1), ("interval", interval, 0),
                               ("redraw_interval", redraw_interval, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    lab = Lab(static_text="Training dashboard: Play or Step runs training steps, with a learning-rate "
                          "slider; the loss curve and the decision boundary follow.")
    lab.trainer = trainer
    # The Play widget is the play / pause / stop buttons; its own ticks are not used
    # (they queue up in the kernel behind a step that is still running, and would run
    # on after a pause), so its interval is longer than any run.
    play = W.Play(min=0, max=trainer.steps, value=trainer.steps_taken, step=1,
                  interval=86_400_000, description="Play", repeat=False, show_repeat=False)
    step_button = W.Button(description="Step", tooltip="one training step", icon="step-forward")
    reset_button = W.Button(description="Reset", tooltip="back to the starting weights", icon="undo")
    # with a schedule the slider sets the rate of step 0; the status line shows the
    # rate the last step used, which the schedule has scaled down since
    decays = trainer.schedule != "constant"
    lr = W.FloatLogSlider(min=-3, max=1, base=10, value=trainer.learning_rate, step=0.05,
                          description="starting learning rate" if decays else "learning rate",
                          continuous_update=False,
                          # the rest of the row: a track long enough to pick a rate on
                          layout=W.Layout(flex="1 1 auto", min_width="320px"),
                          readout_format=".3g", style={"description_width": "initial"})
    lab.controls = {"play": play, "step": step_button, "reset": reset_button,
                    "learning_rate": lr}
    lab.progress = W.HTML()
    lab.progress_bar = W.IntProgress(min=0, max=trainer.steps, value=trainer.steps_taken)
    # side by side at half the width each: the boundary stays in view while training runs
    lab.loss_image = W.Image(format="png", layout=_HALF_WIDTH)
    lab.boundary_image = W.Image(format="png", layout=_HALF_WIDTH)
    two_d = trainer.X.shape[1] == 2
    # the figures stay open and are redrawn in place
    lab.loss_plot = viz.LiveLossCurve(trainer.steps)
    lab.boundary_plot = (viz.LiveDecisionBoundary(trainer.X, trainer.labels, resolution=resolution)
                         if two_d else None)
    lab.loss_figure = lab.loss_plot.figure
    lab.boundary_figure = lab.boundary_plot.figure if two_d else None
    # syncing: the kernel is setting Play's value; timer: the next step's callback;
    # drawn_at: the time of the last picture; boundary_step: the step it was drawn at
    state = {"syncing": False, "timer": None, "drawn_at": -math.inf, "boundary_step": None}

    def show_progress():
        t = lab.trainer
        if t.losses:
            rate = "rate of this step" if decays else "learning rate"
            text = (f"<b>step {t.steps_taken} of {t.steps}</b> &nbsp; loss {_num(t.losses[-1])}"
                    f" &nbsp; accuracy {100 * t.accuracies[-1]:.0f}% &nbsp; "
                    f"{rate} {t.learning_rates[-1]:.3g}")
        else:
            text = f"<b>step 0 of {t.steps}</b> &nbsp; press Play or Step to train"
        if t.done:
            text += " &nbsp; (finished: Reset to train again)"
        # one line: the numbers keep their place while they change
        lab.progress.value = f'<span style="white-space: nowrap">{text}</span>'

        lab.progress_bar.value = t.steps_taken

    def sync_play():
        state["syncing"] = True
        try:
            play.value = lab.trainer.steps_taken
        finally:
            state["syncing"] = False

    def redraw(force_boundary: bool):
        """Progress, loss curve and (when due) the boundary, as they are now."""
        # the pace of the pictures counts from the start of one to the start of the next
        state["drawn_at"] = time.perf_counter()
        t = lab.trainer
        sync_play()
        show_progress()
        lab.loss_plot.update(t.losses)
        lab.loss_image.value = lab.loss_plot.png()
        last = state["boundary_step"]
        due = last is None or abs(t.steps_taken - last) >= boundary_every
        if two_d and (force_boundary or ((due or t.done) and last != t.steps_taken)):
            lab.boundary_plot.update(t.model)
            lab.boundary_image.value = lab.boundary_plot.png()
            state["boundary_step"] = t.steps_taken

    def one_step() -> bool:
        t = lab.trainer
        if t.done:
            return False
        t.step()
        return True

    def redraw_if_due():
        if (time.perf_counter() - state["drawn_at"]) * 1000 >= redraw_interval:
            redraw(force_boundary=False)

    # ---- Play: the kernel's own clock

    def cancel_timer():
        if state["timer"] is not None:
            state["timer"].cancel()
            state["timer"] = None

    def tick():
        """One step of a run started by Play, then the next one scheduled."""
        state["timer"] = None
        if not getattr(play, _PLAYING):
            return
        started = time.perf_counter()
        try:
            stepped = one_step()
            if stepped and not lab.trainer.done:
                redraw_if_due()
        except Exception:
            setattr(play, _PLAYING, False)  # an error stops the run; it is shown in `errors`
            raise
        if not stepped or lab.trainer.done:
            # the run is over: on_playing draws the final picture
            setattr(play, _PLAYING, False)
            return
        wait = max(0.0, interval / 1000 - (time.perf_counter() - started))
        state["timer"] = state["loop"].call_later(wait, lab._guarded(tick))

    def on_playing(change):
        cancel_timer()
        if not change["new"]:  # paused or stopped: before the next step, with a picture
            redraw(force_boundary=True)
            return
        if lab.trainer.done:
            setattr(play, _PLAYING, False)
            return
        try:
            state["loop"] = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script): run to the end now
            while getattr(play, _PLAYING) and one_step():
                redraw_if_due()
            setattr(play, _PLAYING, False)
            return
        state["timer"] = state["loop"].call_soon(lab._guarded(tick))

    def on_value(change):
        """Play's value: set by the kernel as training runs; from Python, a step target."""
        if state["syncing"]:
            return
        # the browser changes it too (Play's own tick, Stop): those take no steps
        from_browser = "value" in getattr(play, "_property_lock", {})
        target = change["new"]
        if from_browser or getattr(play, _PLAYING) or target < lab.trainer.steps_taken:
            sync_play()
            return
        while lab.trainer.steps_taken < target and one_step():
            pass
        redraw(force_boundary=False)

    def on_step(_button):
        setattr(play, _PLAYING, False)
        one_step()
        redraw(force_boundary=True)

    def on_reset(_button):
        setattr(play, _PLAYING, False)
        lab.trainer.reset()
        state["boundary_step"] = None
        redraw(force_boundary=True)

    def on_lr(change):
        lab.trainer.learning_rate = change["new"]

    def run_steps(count: int) -> None:
        for _ in range(count):
            if not one_step():
                break
            redraw_if_due()
        redraw(force_boundary=True)

    lab.run_steps = run_steps
    lab._refresh = lambda: redraw(force_boundary=True)
    play.observe(lab._guarded(on_playing), names=_PLAYING)
    play.observe(lab._guarded(on_value), names="value")
    step_button.on_click(lab._guarded(on_step))
    reset_button.on_click(lab._guarded(on_reset))
    lr.observe(lab._guarded(on_lr), names="value")
    pictures = [lab.loss_image] + ([lab.boundary_image] if two_d else [])
    lab.children = [
        W.HBox([play, step_button, reset_button, lr]),
        W.HBox([lab.progress_bar, lab.progress]),
        lab.errors,
        W.HBox(pictures),
    ]
    lab.refresh()
    return lab
