"""Build it yourself: the learner's own engine, grown piece by piece and checked at each step.

How the learner's code lives
----------------------------
The learner writes their own `Value` and network in notebooks 03-07, one *piece* at a
time, in cells that start with the cell magic ``%%build <piece>``::

    %%build value
    class Value:
        def __init__(self, data, _children=(), _op='', label=''):
            ...

Running such a cell

1. runs the code in the notebook (so `Value` exists there, as after any cell),
2. saves the code under the piece's name in the learner's own module file,
   ``my_engine.py`` next to the notebook: pieces in course order whatever order the
   cells ran in, each under a header comment that says whose it is
   (``# ==== piece: topo (notebook 04): yours, check passed ====``); running the cell
   again replaces that piece. The file is plain Python that imports and runs on its own
   (``import my_engine``, ``python my_engine.py``),
3. checks the piece against the course engine and prints one line: ✓ and what was
   checked, or ✗ with the operation, the input and the misunderstanding, and then a
   drawing of the smallest graph that shows it. A piece whose check fails is saved all
   the same (it is the learner's engine) and marked "check not passed yet".

A cell whose functions are still the stub (bodies of ``...``, as `stub_source(piece)`
gives them) is not the learner's yet: the magic says so in one line, naming the
functions still ``...`` when only some are, and uses the course's version of the
piece, in the notebook and in the file. "Run All" in a fresh clone therefore never
stops and later pieces always have something to build on. A cell that raises or does
not parse is reported in one line (with the line of the learner's code) and not saved.

Each notebook's setup cell calls ``backproplab.build.start("04")``: it registers the
magic and runs the pieces of the *earlier* notebooks from ``my_engine.py`` in the
notebook, so notebook 04 builds on the `Value` the learner wrote in 03, not on a fresh
copy. It prints one line ("Your engine (my_engine.py): 3 of 4 pieces from notebooks
before 05 are yours.") and one line per piece that is not simply the learner's and
passing: not written yet (the course's version is used and written into the file), its
check did not pass, or it no longer runs (the course's version is used; the learner's
code stays in the file to be fixed from its cell). `start` takes the folder of
``my_engine.py`` (default: the current folder, which Jupyter makes the notebook's).

Methods added after notebook 03 are plain functions attached to the class with one
assignment each::

    def tanh(self):
        ...
    Value.tanh = tanh

This is plain Python the learner can read in the file; it keeps the class made in 03
(values made earlier keep working and `isinstance` holds); and each piece is a short
cell rather than the whole class typed again. (The lecture retypes the class in one
growing cell; a subclass per notebook, ``class Value(Value)``, would let values of two
classes meet in one graph.) The one cost: running the ``value`` cell again makes a new
class without the methods added since, so the cells after it must run again too; the
notebook-state look below says so when old values are about.

The pieces and their checks
---------------------------
=================  ==  ======================================================================
piece              nb  what the check runs
=================  ==  ======================================================================
value              03  ``Value(2.5)``'s attributes, repr, label; + and * on ~20 graphs: data,
                       ``_prev`` (a tuple, operand order; a number on the left of + or * may
                       come first), ``_op`` '+'/'*', inputs untouched, numbers wrapped once
trace              03  ``trace(root)`` on the same graphs: ``(nodes, edges)``, sets or lists;
                       every value once, every edge ``(child, v)`` (input first), nothing
                       kept from an earlier call
add_mul_backward   04  one op at a time with out.grad = -0.5 and gradients already present,
                       then ~20 graphs (a + a, b = a + a; c = b + b, diamonds, numbers on both
                       sides, seeded random graphs, a chain of 50 values) walked with the
                       learner's ``_backward``s and an output gradient of -1.5
topo               04  ``topo_sort(root)`` on the same graphs: every value once, each after
                       its inputs, output last, nothing kept from an earlier call
backward           04  ``root.backward()`` on the same graphs against the course engine;
                       separates a wrong order from wrong rules by replaying the learner's
                       rules in the right order
tanh, relu, exp,   05  the op alone (upstream -0.5, gradients present), then graphs mixing
pow                    it with + and *; relu on both sides of 0; pow at n = 3, -1 and 0.5
div_sub            05  -a, a - b, a - 2, 2 - a, a / b, a / 2, 2 / a, then random graphs with
                       - and /: values, and the inputs' gradients (compositions may make
                       other intermediate values than the course's)
neuron             06  ``Neuron(3)`` with set weights: tanh(w · x + b), ``parameters()``,
                       gradients after backward()
layer              06  ``Layer(3, 2)``: own weights per neuron, outputs, parameters;
                       ``Layer(3, 1)`` gives a bare Value
mlp                06  ``MLP(3, [4, 4, 1])``: layer sizes, 41 parameters, output, gradients,
                       ``zero_grad()``
train              06  ``train_step(model, xs, ys, learning_rate)`` twice against the course
                       engine: loss, update direction and size, gradients reset between steps
=================  ==  ======================================================================

Every comparison is with the course engine (`backproplab.engine`), through its public
API, on a copy of the same graph, within a relative tolerance of 1e-6 (both engines do
the same float arithmetic, so a right rule differs by about 1e-15 and a wrong one by far
more than CS231n's 1e-2 threshold); where an input's gradient is wrong the message also
gives the central-difference estimate of the learner's own forward pass as a second
reference. The first failing graph is the smallest (graphs are tried in order of
size); it is drawn with `viz.draw_graph` (the course engine's copy of the graph,
carrying the learner's gradients, the wrong ones highlighted). The misunderstandings
named: missing the upstream gradient, ``=`` where ``+=`` is needed, a gradient sent to
the wrong input (swapped inputs of *, both shares into one input, one input left
out), the rule never stored on ``out``, a ``_backward`` that takes an argument, a Value
stored where a float belongs (in ``.data`` or ``.grad``), a number not wrapped, an
input changed by an operation, a forward value wrong, a missing method or attribute
(one sentence naming it), tanh/exp/pow rules using the input for the output or
dropping a factor, a sort that repeats, misses or misorders values or keeps state
between calls, backward without a seed or in the wrong order, and in the network a
missing bias or activation, parameters left out or given as numbers, shared neurons,
wrong layer sizes, no ``zero_grad``, an update uphill.

An error raised in the learner's code is reported as theirs, with its line; a check
that meets something it did not expect says it could not use the code, never a
traceback. The learner's code runs under a time limit (`TIME_LIMIT` seconds, the
exercise checks' own mechanism), so a loop that never ends is a ✗ too.

After each piece the magic also looks at the notebook's state (`check_state`): a value,
neuron, layer or MLP made by an older version of a class that has been defined again
since, and graphs whose gradients are what two to five backward() calls in a row give.
It says what happened and how to recover.

`draw(root, order=None)` draws the learner's own graph with `viz.draw_graph` (which
takes the learner's values as they are, see `valuelike`); with `order=topo_sort(root)`
each value is numbered by its place in the list, the picture of a depth-first visit
order notebook 04 needs.

Outside IPython the magic cannot exist: `start()` says so in one line and loads the
earlier pieces into the caller's globals; `build_cell(piece, source, namespace)` does
what the magic does, from plain Python (the tests use it).
"""

from __future__ import annotations

import ast
import linecache
import math
import os
import random
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .engine import Value as CourseValue
from .engine import numerical_gradient, topological_order
from .exercises import run_limited

__all__ = [
    "PIECES",
    "PIECE_NAMES",
    "CheckResult",
    "start",
    "load",
    "build_cell",
    "check_piece",
    "check_state",
    "solution",
    "is_stub_source",
    "stub_source",
    "Workspace",
    "TIME_LIMIT",
    "draw",
    "course_copy",
    "ENGINE_FILE",
]

ENGINE_FILE = "my_engine.py"

# how long one piece's check may run the learner's code before it is stopped (seconds)
TIME_LIMIT = 10.0

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


# ====================================================================== references
# The course's version of each piece: what a learner falls back on, lecture style.

_REF_VALUE = '''\
class Value:
    """A number that remembers how it was made."""

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0                   # d(output)/d(this value): 0 until backward()
        self._backward = lambda: None     # passes the gradient on (written in 04)
        self._prev = tuple(_children)     # the inputs, in operand order
        self._op = _op                    # the operation that made this value
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):             # self + other
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')
        return out

    def __mul__(self, other):             # self * other
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')
        return out

    def __radd__(self, other):            # other + self, where other is a plain number
        return self + other

    def __rmul__(self, other):            # other * self
        return self * other
'''

_REF_TRACE = '''\
def trace(root):
    """Every value in root's graph (nodes) and every arrow (edges): (input, value made from it)."""
    nodes, edges = set(), set()

    def build(v):                         # the lecture's first walk along _prev
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))     # an arrow from the input to the value made from it
                build(child)

    build(root)
    return nodes, edges
'''

_REF_ADD_MUL_BACKWARD = '''\
def __add__(self, other):                 # self + other, now with its backward rule
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), '+')

    def _backward():
        # += : a value used twice (a + a) gets a contribution from each use
        self.grad += 1.0 * out.grad       # d(out)/d(self) = 1
        other.grad += 1.0 * out.grad      # d(out)/d(other) = 1
    out._backward = _backward
    return out

def __mul__(self, other):                 # self * other
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), '*')

    def _backward():
        self.grad += other.data * out.grad    # d(out)/d(self) = other
        other.grad += self.data * out.grad    # d(out)/d(other) = self
    out._backward = _backward
    return out

Value.__add__ = __add__
Value.__mul__ = __mul__
'''

_REF_TOPO = '''\
def topo_sort(root):
    """Every value root was computed from, each after its inputs; root comes last."""
    topo = []
    visited = set()

    def build_topo(v):                    # depth first: first all of v's inputs, then v
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)                # v goes in after everything it was made from

    build_topo(root)
    return topo
'''

_REF_BACKWARD = '''\
def backward(self):
    """Fill in .grad of every value this one was computed from."""
    topo = topo_sort(self)
    self.grad = 1.0                       # d(self)/d(self) = 1
    for v in reversed(topo):              # output first: a node's gradient is complete
        v._backward()                     # before it passes it on to its inputs

Value.backward = backward
'''

_REF_TANH = '''\
def tanh(self):
    t = math.tanh(self.data)
    out = Value(t, (self,), 'tanh')

    def _backward():
        self.grad += (1 - t**2) * out.grad    # d(out)/d(self) = 1 - tanh(self)**2
    out._backward = _backward
    return out

Value.tanh = tanh
'''

_REF_RELU = '''\
def relu(self):
    out = Value(self.data if self.data > 0 else 0.0, (self,), 'relu')

    def _backward():
        self.grad += (out.data > 0) * out.grad    # d(out)/d(self) = 1 where self > 0, else 0
    out._backward = _backward
    return out

Value.relu = relu
'''

_REF_EXP = '''\
def exp(self):
    out = Value(math.exp(self.data), (self,), 'exp')

    def _backward():
        self.grad += out.data * out.grad      # d(out)/d(self) = e**self = out
    out._backward = _backward
    return out

Value.exp = exp
'''

_REF_POW = '''\
def __pow__(self, other):                 # self ** other, for a number other
    if not isinstance(other, (int, float)):
        raise TypeError("the exponent must be an int or a float")
    out = Value(self.data**other, (self,), f'**{other}')

    def _backward():
        self.grad += other * self.data**(other - 1) * out.grad   # d(out)/d(self) = other * self**(other-1)
    out._backward = _backward
    return out

Value.__pow__ = __pow__
'''

_REF_DIV_SUB = '''\
def __neg__(self):                        # -self
    return self * -1

def __sub__(self, other):                 # self - other
    return self + (-other)

def __rsub__(self, other):                # other - self
    return other + (-self)

def __truediv__(self, other):             # self / other = self * other**-1
    return self * other**-1

def __rtruediv__(self, other):            # other / self
    return other * self**-1

Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
'''

_REF_NEURON = '''\
class Module:
    """Anything with parameters."""

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []

class Neuron(Module):
    """tanh(w . x + b)"""

    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)

    def __call__(self, x):
        act = self.w[0] * x[0]                  # w1*x1
        for wi, xi in zip(self.w[1:], x[1:]):
            act = act + wi * xi                 # + w2*x2 + ...
        act = act + self.b                      # + b: notebook 05's order
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]
'''

_REF_LAYER = '''\
class Layer(Module):
    """nout neurons, each reading the same inputs."""

    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs    # one neuron: a bare Value

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]
'''

_REF_MLP = '''\
class MLP(Module):
    """Layers one after another: MLP(3, [4, 4, 1])."""

    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
'''

_REF_TRAIN = '''\
def train_step(model, xs, ys, learning_rate=0.05):
    """One step of gradient descent on the sum of squared errors; returns the loss."""
    ypred = [model(x) for x in xs]
    loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
    model.zero_grad()                     # forget the last step's gradients first
    loss.backward()
    for p in model.parameters():
        p.data += -learning_rate * p.grad     # a small step downhill
    return loss
'''


# =========================================================================== results


@dataclass
class CheckResult:
    """What a piece's check found: right or wrong, a message, and maybe a drawing."""

    piece: str
    correct: bool
    message: str
    graph: object = None  # a viz.GraphDrawing of the smallest failing graph, or None
    kind: str = ""  # a short name of the misunderstanding found ("missing upstream", ...)

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        mark = "✓" if self.correct else "✗"
        return f"{mark} {self.piece}: {self.message}"


class _Fail(Exception):
    """Raised inside a check to stop at the first problem found."""

    def __init__(self, message: str, kind: str = "", graph: object = None) -> None:
        super().__init__(message)
        self.message, self.kind, self.graph = message, kind, graph


# =================================================================== learner's code

_GRAPH_FILE = "<graph>"  # the expressions a check evaluates with the learner's Value


def _is_learner_file(filename: str) -> bool:
    """The learner's code is compiled as "<%%build piece>" (a cell) or
    "<piece in my_engine.py>" (a piece loaded from the file)."""
    return filename.startswith("<%%build ") or filename.endswith(f" in {ENGINE_FILE}>")


def _compile_learner(source: str, filename: str):
    """Compile a piece's code so that tracebacks show its lines."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return compile(source, filename, "exec")


def _learner_frame(error: BaseException) -> traceback.FrameSummary | None:
    """The innermost frame of `error`'s traceback that is the learner's code, if any."""
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if _is_learner_file(frame.filename):
            found = frame
    return found


def _is_theirs(error: BaseException) -> bool:
    """True when the error was raised in the learner's code (or by an operator applied
    to the learner's values), not in the check itself."""
    tb = traceback.extract_tb(error.__traceback__)
    if not tb:
        return False
    last = tb[-1]
    if _is_learner_file(last.filename) or last.filename == _GRAPH_FILE:
        return True
    # raised by Python itself (no frame of its own) while running the learner's code,
    # e.g. AttributeError in `other.data`: the innermost frame is then theirs
    return not last.filename.startswith(_PACKAGE_DIR)


def _describe_error(error: BaseException, doing: str) -> str:
    frame = _learner_frame(error)
    where = ""
    if frame is not None:
        where = f" (in {frame.name}, line {frame.lineno}: `{(frame.line or '').strip()}`)"
    return f"{doing} raised {type(error).__name__}: {error}{where}"


def _limited(task: Callable[[], object]):
    """`task()` under the course's time limit (the exercise core's: a thread that is
    stopped when it runs over, on every platform). Returns (timed_out, value); an error
    the task raised is raised again here. What the task prints is dropped."""
    outcome, _printed = run_limited(task, TIME_LIMIT)
    if outcome.timed_out:
        return True, None
    if outcome.error is not None:
        raise outcome.error
    return False, outcome.value


def _theirs(doing: str, fn: Callable, *args, **kwargs):
    """Call the learner's `fn`; an error in their code becomes a _Fail naming `doing`."""
    try:
        return fn(*args, **kwargs)
    except _Fail:
        raise
    except RecursionError as error:
        raise _Fail(
            f"{doing} recursed without end (RecursionError): a function calls itself "
            "again and again, e.g. an operator that uses itself (`self + other` inside "
            "__add__) or a visit that never stops.",
            "recursion",
        ) from error
    except Exception as error:
        target = fn.__init__ if isinstance(fn, type) else getattr(fn, "__func__", fn)
        code = getattr(target, "__code__", None)
        called_wrongly = (isinstance(error, TypeError) and code is not None
                          and _is_learner_file(code.co_filename))  # e.g. a wrong signature
        if not (_is_theirs(error) or called_wrongly):
            raise
        raise _Fail(_describe_error(error, doing), "error") from error


# ============================================================ graphs, in two engines


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(a: object, b: float, tol: float = 1e-6) -> bool:
    return _is_number(a) and math.isfinite(a) and abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _fmt(x: object) -> str:
    if _is_number(x):
        return f"{x:.6g}"
    return f"{type(x).__name__} {x!r}"[:60]


@dataclass
class _Case:
    """An expression graph: a short program over leaves a, b, c, ...; the last name it
    assigns (or `out`) is the output."""

    program: str
    leaves: dict[str, float]
    size: int = 0  # the number of values in the course engine's graph

    def run(self, value_class: type, theirs: bool = True) -> tuple[object, dict[str, object]]:
        """The output, and the names: leaves under their own names (even when the
        program reuses a name), the other values under the last name they were given."""
        env: dict[str, object] = {}
        for name, x in self.leaves.items():
            v = _theirs(f"Value({x:g})", value_class, x) if theirs else value_class(x)
            v.label = name
            env[name] = v
        leaves = dict(env)
        code = compile(self.program, _GRAPH_FILE, "exec")
        if theirs:
            _theirs(f"computing `{self.text()}` with your Value", exec, code, {}, env)
        else:
            exec(code, {}, env)
        out_name = _last_assigned(self.program)
        for name, v in env.items():
            if name not in self.leaves and hasattr(v, "data") and hasattr(v, "_prev"):
                v.label = name
        out = env[out_name]
        env.update(leaves)
        if theirs and out is None:
            raise _Fail(f"`{self.text()}` gives None instead of a Value: does the operation "
                        "end with `return out`?", "no return")
        return out, env

    def text(self) -> str:
        return self.program.strip().replace("\n", "; ")


def _inputs_of(program: str, values: dict[str, float]) -> dict[str, float]:
    """The names of `values` that `program` reads before it assigns them: its inputs."""
    assigned: set[str] = set()
    found = {}
    for statement in ast.parse(program).body:
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) \
                    and node.id in values and node.id not in assigned:
                found[node.id] = values[node.id]
        for t in targets:
            if isinstance(t, ast.Name):
                assigned.add(t.id)
        if isinstance(statement, ast.For) and isinstance(statement.target, ast.Name):
            assigned.add(statement.target.id)
    return found


def _last_assigned(program: str) -> str:
    names = [n.targets[0].id for n in ast.walk(ast.parse(program))
             if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)]
    return names[-1]


def _nodes(root: object, flip: bool = False) -> list:
    """Every value in the graph, inputs before outputs, by a walk of `_prev` in operand
    order (the check's own walk: it works on the learner's values and the course's)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            order.append(v)
            continue
        if id(v) in seen:
            continue
        seen.add(id(v))
        stack.append((v, True))
        children = tuple(v._prev)
        for child in (children if flip else reversed(children)):
            if id(child) not in seen:
                stack.append((child, False))
    return order


def _aligned(mine_root: object, ref_root: object) -> list:
    """The learner's values in the order `_nodes` walks the course's copy of the same
    graph. Where a plain number sits on the other side of + or * (`2 + a` stored as
    (2, a) rather than the course's (a, 2)), the learner's order is taken as the
    course's: both are right."""
    def is_constant(v: object) -> bool:
        return not tuple(getattr(v, "_prev", ())) and not getattr(v, "label", "")

    def children(m: object, r: object) -> tuple[tuple, tuple]:
        cm, cr = tuple(m._prev), tuple(r._prev)
        if len(cm) == 2 == len(cr):
            km, kr = [is_constant(c) for c in cm], [is_constant(c) for c in cr]
            if km.count(True) == 1 == kr.count(True):  # one number: where it sits says it
                return (cm[::-1], cr) if km != kr else (cm, cr)  # (equal data cannot)
        if len(cm) == 2 == len(cr) and (is_constant(cm[0]) or is_constant(cm[1])):
            dm = [getattr(c, "data", None) for c in cm]
            if not (_close(dm[0], cr[0].data) and _close(dm[1], cr[1].data)) and \
                    _close(dm[1], cr[0].data) and _close(dm[0], cr[1].data):
                return cm[::-1], cr
        return cm, cr

    order, seen, stack = [], set(), [(mine_root, ref_root, False)]
    while stack:
        m, r, done = stack.pop()
        if done:
            order.append(m)
            continue
        if id(r) in seen:
            continue
        seen.add(id(r))
        stack.append((m, r, True))
        cm, cr = children(m, r)
        for cmi, cri in reversed(list(zip(cm, cr))):
            if id(cri) not in seen:
                stack.append((cmi, cri, False))
    return order


def _names(order: list) -> list[str]:
    return [v.label if getattr(v, "label", "") else f"n{i}" for i, v in enumerate(order)]


def _drawing(case: _Case, grads: dict[int, object] | None = None, highlight=(), show_grad=True,
             by_label: dict[str, object] | None = None):
    """The course engine's copy of `case`, drawn with the learner's gradients on it
    (`grads`: position in the walk -> gradient, or `by_label`: label -> gradient) and
    `highlight` (positions, or labels with `by_label`)."""
    try:
        from . import viz
    except Exception:  # no graphviz: the message alone still says what is wrong
        return None
    root, _ = case.run(CourseValue, theirs=False)
    order = _nodes(root)
    if by_label is not None:
        grads = {i: by_label.get(v.label, 0.0) for i, v in enumerate(order)}
        highlight = [i for i, v in enumerate(order) if v.label in highlight]
    by_course = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    shown = None
    if grads is not None:
        shown = {v: float(grads[index[id(v)]]) if _is_number(grads.get(index[id(v)])) else 0.0
                 for v in by_course}
    return viz.draw_graph(root, grads=shown, show_grad=show_grad, show_names=True,
                          highlight=[order[i] for i in highlight])


def course_copy(root: object) -> tuple[CourseValue, dict[int, CourseValue]]:
    """A copy of the learner's graph made of the course engine's Values (same data, grad,
    inputs, operation names and labels), and a map id(learner value) -> its copy: for
    what needs the course engine's own rules on a learner's graph."""
    copies: dict[int, CourseValue] = {}
    for v in _nodes(root):
        data = v.data if _is_number(v.data) and math.isfinite(v.data) else 0.0
        copy = CourseValue(data, tuple(copies[id(c)] for c in v._prev), str(getattr(v, "_op", "")),
                           str(getattr(v, "label", "") or ""))
        copy.grad = float(v.grad) if _is_number(v.grad) and math.isfinite(v.grad) else 0.0
        copies[id(v)] = copy
    return copies[id(root)], copies


def draw(root: object, order: list | None = None, highlight=(), **options):
    """`viz.draw_graph` of the learner's own graph. With `order` (e.g. `topo_sort(root)`)
    each value is numbered by its place in that list, to show a visit order."""
    from . import viz
    from .valuelike import graph_order

    for attr in ("data", "grad", "_prev"):
        if not hasattr(root, attr):
            raise TypeError(f"draw needs a Value (with data, grad and _prev); this "
                            f"{type(root).__name__} has no `{attr}`")
    if order is None:
        return viz.draw_graph(root, highlight=highlight, **options)
    in_graph = {id(v) for v in graph_order(root, "draw")}
    saved = []  # the numbers go on for this drawing only: the labels are put back after
    try:
        for k, v in enumerate(order):
            if id(v) in in_graph:
                saved.append((v, v.label))
                v.label = f"{k + 1}. {v.label or ''}".rstrip()
        return viz.draw_graph(root, highlight=highlight, **options)
    finally:
        for v, label in reversed(saved):
            v.label = label


def _course_grads(case: _Case, upstream: float = 1.0) -> tuple[list[float], list[float]]:
    """Data and gradients of every value of `case` in the course engine, output seeded
    with `upstream`."""
    root, _ = case.run(CourseValue, theirs=False)
    order = _nodes(root)
    (root * upstream).backward()
    return [v.data for v in order], [v.grad for v in order]


def _central_difference(case: _Case, value_class: type, leaf: str) -> float | None:
    """d(output)/d(leaf) by central differences (the engine's `numerical_gradient`) on
    the learner's own forward pass: a second reference beside the course engine."""
    names = list(case.leaves)

    def forward(*course_leaves: CourseValue) -> float:
        shifted = _Case(case.program, {n: v.data for n, v in zip(names, course_leaves)})
        return float(shifted.run(value_class)[0].data)

    try:
        return numerical_gradient(forward, [case.leaves[n] for n in names])[names.index(leaf)]
    except Exception:  # the learner's forward pass fails there: no second reference
        return None


def _sorted_cases(cases: list[_Case]) -> list[_Case]:
    for case in cases:
        if not case.size:
            case.size = len(_nodes(case.run(CourseValue, theirs=False)[0]))
    return sorted(cases, key=lambda c: c.size)


def _random_program(rng: random.Random, ops: tuple[str, ...], n_lines: int) -> str:
    """A random program over a, b, c: each line combines earlier names and numbers."""
    names = ["a", "b", "c"]
    lines = []
    for i in range(n_lines):
        # each line uses the one before it, so the output depends on every line
        x = names[-1] if i else rng.choice(names)
        y = rng.choice(names)
        if rng.random() < 0.5:
            x, y = y, x
        k = rng.choice([2, -1.5, 0.5, 3])
        op = rng.choice(ops)
        if op in "+*-/":
            form = rng.choice(["v", "v", "kv", "vk"])
            left, right = {"v": (x, y), "kv": (str(k), y), "vk": (x, str(k))}[form]
            expr = f"{left} {op} {right}"
        elif op == "**":
            expr = f"{x} ** {rng.choice([2, 3, -1])}"
        else:
            expr = f"{x}.{op}()"
        name = f"d{i}"
        lines.append(f"{name} = {expr}")
        names.append(name)
    return "\n".join(lines)


def _graph_cases(ops: tuple[str, ...], seed: int, extra: list[str] = ()) -> list[_Case]:
    """The classic shapes, then seeded random graphs and a chain of about 50 values."""
    leaves = {"a": 1.5, "b": -2.0, "c": 0.75}
    programs = [
        "out = a + b", "out = a * b", "out = a + a", "out = a * a",
        "out = a + 2", "out = 2 + a", "out = a * 3", "out = 3 * a",
        "b = a + a\nc = b + b",
        "d = a * b\ne = a + b\nout = d * e",  # a diamond: a and b reach out two ways
        "e = a * b\nd = e + c\nf = -2.0 * a\nL = d * f",
        # d reaches out directly and through f and e: a sort by distance gets it wrong
        "d = a * b\ne = d * c\nf = e + a\nout = f + d",
        *extra,
    ]
    rng = random.Random(seed)
    programs += [_random_program(rng, ops, n) for n in (3, 4, 5, 6, 8, 10)]
    programs.append("x = a\nfor i in range(12):\n    x = x * 0.9 + a * b\nout = x * c")
    return _sorted_cases([_Case(p, _inputs_of(p, leaves)) for p in programs])


# ======================================================================= the checks


def _get(ns: dict, name: str, what: str, piece: str) -> object:
    if name not in ns:
        raise _Fail(f"the notebook has no `{name}` yet: {what} is defined in the "
                    f"`{piece}` cell; run that cell first.", "missing")
    return ns[name]


def _require(obj: object, attr: str, sentence: str) -> None:
    if not hasattr(obj, attr):
        raise _Fail(sentence, "missing")


def _listed_counts(listed: list, graph: list) -> tuple[dict[int, int], list[int], list[int]]:
    """How often each value of `graph` appears in the learner's `listed` (by identity),
    and the positions in `graph` of the values listed more than once and of those left
    out: what the trace and topo checks both look at."""
    counts: dict[int, int] = {}
    for v in listed:
        counts[id(v)] = counts.get(id(v), 0) + 1
    twice = [i for i, v in enumerate(graph) if counts.get(id(v), 0) > 1]
    missing = [i for i, v in enumerate(graph) if id(v) not in counts]
    return counts, twice, missing


def _check_value(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    if not isinstance(V, type):
        raise _Fail(f"`Value` should be a class, it is {_fmt(V)}.", "missing")
    a = _theirs("Value(2.5)", V, 2.5)
    for attr, what in [("data", "the number"), ("grad", "its gradient, 0.0 to start"),
                       ("_prev", "the tuple of inputs"), ("_op", "the operation that made it"),
                       ("label", "a name for drawings")]:
        _require(a, attr, f"your Value has no `{attr}` ({what}): set `self.{attr}` in `__init__`.")
    if a.data != 2.5:
        raise _Fail(f"Value(2.5).data is {_fmt(a.data)}: __init__ should keep the number "
                    "it is given as `self.data`.", "forward")
    if a.grad != 0 or not _is_number(a.grad):
        raise _Fail(f"a new Value's grad is {_fmt(a.grad)}: start it at 0.0 (nothing has "
                    "been passed back yet).", "grad")
    if tuple(getattr(a, "_prev", ())) != ():
        raise _Fail("a Value made from a number has inputs in `_prev`: it should be empty.", "prev")
    r = _theirs("repr(Value(2.5))", repr, a)
    if "2.5" not in r or " object at 0x" in r:
        raise _Fail(f"repr(Value(2.5)) is {r!r}: write `__repr__` so that it shows the "
                    "data, e.g. 'Value(data=2.5, grad=0.0)'.", "repr")
    lab = _theirs("Value(1.0, label='x')", V, 1.0, label="x")
    if lab.label != "x":
        raise _Fail("Value(1.0, label='x').label is not 'x': keep the label you are given.", "label")
    for name, sentence in [("__add__", "`a + b`"), ("__mul__", "`a * b`"),
                           ("__radd__", "`2 + a` (a plain number on the left)"),
                           ("__rmul__", "`2 * a` (a plain number on the left)")]:
        if getattr(V, name, None) is getattr(object, name, None):
            raise _Fail(f"your Value has no `{name}`, so {sentence} does not work: define it.",
                        "missing")
    cases = _graph_cases(("+", "*"), seed=3)
    for case in cases:
        _compare_forward(case, V)
    return (f"+ and * give the right values, inputs and operations on {len(cases)} graphs, "
            "with plain numbers on either side.")


def _compare_forward(case: _Case, V: type) -> None:
    """The learner's graph of `case` has the course's data, inputs and operations, and
    leaves the inputs untouched."""
    try:
        root, env = case.run(V)
    except _Fail as fail:
        if "'int' object has no attribute" in fail.message or "'float' object has no attribute" in fail.message:
            raise _Fail(f"{fail.message}. A plain number is not wrapped: turn it into a Value "
                        "first (`other = other if isinstance(other, Value) else Value(other)`).",
                        "not wrapped", _drawing(case, show_grad=False)) from None
        if "'NoneType'" in fail.message:
            raise _Fail(f"{fail.message}. An operation gave None instead of a Value: end it "
                        "with `return out`.", "no return") from None
        if "unsupported operand" in fail.message:
            raise _Fail(f"{fail.message}. Your Value does not handle this operation yet.",
                        "missing") from None
        raise
    ref_root, ref_env = case.run(CourseValue, theirs=False)
    mine, ref = _nodes(root), _nodes(ref_root)
    names = _names(ref)
    for leaf, x in case.leaves.items():
        got = getattr(env[leaf], "data", None)
        if got != x:
            raise _Fail(f"after `{case.text()}`, input {leaf}.data is {_fmt(got)}, it was {x:g}: "
                        "an operation changed its input. Make a new Value for the result "
                        "(`out = Value(...)`) and leave self and other as they are.",
                        "mutated", _drawing(case, show_grad=False))
    for i, m in enumerate(mine):
        if isinstance(m, V) and not _is_number(m.data):
            raise _Fail(f"in `{case.text()}`, a value's .data is {_fmt(m.data)}, not a number: "
                        "a Value was stored where a float belongs. Wrap `other` only when it "
                        "is a plain number (`other if isinstance(other, Value) else Value(other)`) "
                        "and compute with `.data`.", "value as data")
    if len(mine) != len(ref):
        prev = getattr(root, "_prev", None)
        if isinstance(prev, (set, frozenset)):
            raise _Fail("`_prev` is a set: keep the inputs as a tuple in operand order "
                        "(`self._prev = tuple(_children)`), so `a + a` has both inputs and "
                        "drawings come out the same every time.", "prev")
        raise _Fail(f"in `{case.text()}` your graph has {len(mine)} values, the course's "
                    f"{len(ref)}: each operation's output should list its inputs in `_prev`, "
                    "(self, other).", "prev", _drawing(case, show_grad=False))
    mine = _aligned(root, ref_root)
    flipped = _nodes(root, flip=True)
    if any(not _close(getattr(m, "data", None), r.data, 1e-9) for m, r in zip(mine, ref)) and all(
            _close(getattr(m, "data", None), r.data, 1e-9) for m, r in zip(flipped, ref)):
        raise _Fail(f"in `{case.text()}` the inputs are stored in the other operand order: "
                    "`_prev` should be (self, other), self first.", "prev",
                    _drawing(case, show_grad=False))
    for i, (m, r) in enumerate(zip(mine, ref)):
        if not isinstance(m, V):
            raise _Fail(f"in `{case.text()}`, an input of {names[-1]} is {_fmt(m)}, not a "
                        "Value: wrap plain numbers as Values before using them.", "not wrapped")
        if not _is_number(m.data):
            raise _Fail(f"in `{case.text()}`, {names[i]}.data is {_fmt(m.data)}, not a number: "
                        "a Value was stored where a float belongs. Wrap `other` only when it "
                        "is a plain number (`other if isinstance(other, Value) else Value(other)`) "
                        "and compute with `.data`.", "value as data",
                        _drawing(case, show_grad=False, highlight=[i]))
        if not isinstance(m._prev, tuple):
            raise _Fail(f"`_prev` is a {type(m._prev).__name__}: keep the inputs as a tuple "
                        "in operand order (`self._prev = tuple(_children)`), so `a + a` has "
                        "both inputs and drawings come out the same every time.", "prev")
        if r._op in ("+", "*") and m._op != r._op:
            raise _Fail(f"in `{case.text()}`, {names[i]}._op is {m._op!r}: the output of "
                        f"{r._op} should record the operation as {r._op!r} (the drawings "
                        "show it).", "op",
                        _drawing(case, show_grad=False, highlight=[i]))
        if not _close(m.data, r.data, 1e-9):
            raise _Fail(f"in `{case.text()}`, {names[i]} = {_fmt(m.data)} but should be "
                        f"{r.data:.6g}: the forward value of {r._op} is wrong.", "forward",
                        _drawing(case, show_grad=False, highlight=[i]))
    ref_pos = {id(v): i for i, v in enumerate(ref)}
    mine_pos = {id(v): i for i, v in enumerate(mine)}
    for m, r in zip(mine, ref):
        got = [mine_pos.get(id(c)) for c in m._prev]
        want = [ref_pos[id(c)] for c in r._prev]
        constant = any(not c._prev and not c.label for c in r._prev)
        if got != want and not (constant and got[::-1] == want):
            raise _Fail(f"in `{case.text()}` the inputs of a {r._op} are stored in another "
                        "order: `_prev` should be (self, other), in operand order.", "prev",
                        _drawing(case, show_grad=False))


# ---------------------------------------------------------------------- trace (03)


def _check_trace(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    trace = _get(ns, "trace", "the function trace(root)", "trace")
    if not callable(trace):
        raise _Fail(f"`trace` should be a function, it is {_fmt(trace)}.", "missing")
    cases = _graph_cases(("+", "*"), seed=5)
    earlier: list = []  # the values of the graphs traced before (kept, so ids stay theirs)
    for case in cases:
        try:
            _compare_forward(case, V)
        except _Fail as fail:
            fail.message = ("this check walks graphs made with your Value, and your Value "
                            f"(piece `value`, above) is not right yet: {fail.message}")
            raise
        root, _ = case.run(V)
        result = _theirs(f"trace on `{case.text()}`", trace, root)
        if result is None:
            raise _Fail("trace returned None: end it with `return nodes, edges`.", "no return")
        try:
            nodes, edges = result
            nodes, edges = list(nodes), list(edges)
        except (TypeError, ValueError):
            raise _Fail(f"trace returned {_fmt(result)}: it should return two collections, "
                        "`return nodes, edges`.", "no return") from None
        graph = _aligned(root, case.run(CourseValue, theirs=False)[0])
        names = _names(graph)
        pos = {id(v): i for i, v in enumerate(graph)}
        old = {id(v) for v in earlier}
        if any(id(v) in old and id(v) not in pos for v in nodes):
            raise _Fail("trace's nodes hold values from an earlier call: `nodes` and `edges` "
                        "must be made inside the function, fresh for each call (made outside "
                        "it, they keep everything from the last graph).", "stale")
        for v in nodes:
            if id(v) not in pos:
                if _is_number(v):
                    raise _Fail(f"for `{case.text()}` trace's nodes hold the number {_fmt(v)}: "
                                "collect the values themselves (`v`), not their numbers "
                                "(`v.data`).", "foreign")
                raise _Fail(f"for `{case.text()}` trace's nodes hold {_fmt(v)}, which is not "
                            "a value of this graph.", "foreign")
        counts, twice, missing = _listed_counts(nodes, graph)
        if twice:
            raise _Fail(f"for `{case.text()}` trace lists {names[twice[0]]} "
                        f"{counts[id(graph[twice[0]])]} times in nodes: add a value only the "
                        "first time you reach it (`if v not in nodes:`); a value used twice "
                        "is reached twice.", "duplicates",
                        _drawing(case, show_grad=False, highlight=twice))
        if missing:
            raise _Fail(f"for `{case.text()}` trace leaves out {names[missing[0]]}: walk into "
                        "every input in `v._prev`, and into their inputs in turn (call "
                        "`build(child)` for each child).", "missing node",
                        _drawing(case, show_grad=False, highlight=missing))
        want: dict[tuple[int, int], int] = {}
        for v in graph:
            for c in v._prev:
                want[(id(c), id(v))] = want.get((id(c), id(v)), 0) + 1
        got: dict[tuple[int, int], int] = {}
        for edge in edges:
            if not isinstance(edge, (tuple, list)) or len(edge) != 2:
                raise _Fail(f"for `{case.text()}` an edge is {_fmt(edge)}: each edge should be "
                            "a pair `(child, v)`, the input and the value made from it.", "edge")
            key = (id(edge[0]), id(edge[1]))
            if key not in want:
                if key[::-1] in want:
                    i, j = pos[key[0]], pos[key[1]]
                    raise _Fail(f"for `{case.text()}` the edge ({names[i]}, {names[j]}) points "
                                f"the wrong way: {names[j]} is an input of {names[i]}. Write "
                                "each edge as `(child, v)`, from the input to the value made "
                                "from it, as the arrows are drawn.", "edge direction",
                                _drawing(case, show_grad=False, highlight=[i, j]))
                raise _Fail(f"for `{case.text()}` trace's edges hold {_fmt(edge)}, which is not "
                            "an arrow of this graph: each edge is `(child, v)` for a child "
                            "in `v._prev`.", "edge")
            got[key] = got.get(key, 0) + 1
            if got[key] > want[key]:
                i, j = pos[key[0]], pos[key[1]]
                raise _Fail(f"for `{case.text()}` trace lists the edge ({names[i]}, {names[j]}) "
                            f"{got[key]} times: visit each value once, so its edges go in "
                            "once.", "duplicates")
        for key in want:
            if key not in got:
                i, j = pos[key[0]], pos[key[1]]
                raise _Fail(f"for `{case.text()}` trace leaves out the edge from {names[i]} "
                            f"into {names[j]}: add `(child, v)` for every child in `v._prev`.",
                            "missing edge", _drawing(case, show_grad=False, highlight=[i, j]))
        earlier.extend(graph)
    return (f"trace finds every value once and every edge (input, value made from it) on "
            f"{len(cases)} graphs up to {cases[-1].size} values.")


# ------------------------------------------------------------------ single operations


@dataclass
class _OpCase:
    """One operation with an upstream gradient other than 1 and gradients already
    present on its inputs."""

    text: str  # e.g. "a * b"
    x: float
    y: float | None  # None: a one-input operation
    make: Callable  # (a, b) -> out
    local: Callable  # (x, y) -> (d out/d a, d out/d b)
    upstream: float = -0.5
    before: tuple[float, float] = (0.25, -0.75)
    slips: tuple = ()  # (function (x, y, g) -> the learner's d a.grad, kind, message)


def _run_op(case: _OpCase, V: type, fresh: bool) -> tuple[object, object, object]:
    a = _theirs("Value(...)", V, case.x)
    a.label = "a"
    b = None
    if case.y is not None:
        b = V(case.y)
        b.label = "b"
    out = _theirs(f"`{case.text}`", case.make, a, b)
    if not fresh:
        a.grad = case.before[0]
        if b is not None:
            b.grad = case.before[1]
    return a, b, out


def _check_op(case: _OpCase, V: type, op_name: str) -> None:
    """Run out._backward() once with out.grad = upstream and diagnose what came back."""
    a, b, out = _run_op(case, V, fresh=False)
    _require(out, "_backward", f"the output of `{case.text}` has no `_backward`: every Value "
             "needs one (`self._backward = lambda: None` in __init__).")
    leaf = V(1.0)
    if getattr(type(out), "_backward", None) is None and getattr(out, "_backward", None) is not None:
        try:
            code_out = out._backward.__code__
            code_leaf = leaf._backward.__code__
        except AttributeError:
            code_out = code_leaf = None
        if code_out is not None and code_out is code_leaf:
            raise _Fail(f"`{case.text}`: its output still has the do-nothing `_backward` of a "
                        "new Value. Store the rule you wrote on the output: "
                        "`out._backward = _backward`.", "not stored")
    out.grad = case.upstream
    try:
        _theirs(f"`{case.text}`: out._backward()", out._backward)
    except _Fail as fail:
        if "positional argument" in fail.message:
            raise _Fail(f"{fail.message}. In this course's version `_backward` takes no "
                        "arguments: it reads the output's gradient as `out.grad`.", "signature") from None
        raise
    g = case.upstream
    x, y = case.x, case.y
    da, db = case.local(x, y)
    inputs = [("a", a, case.before[0], da)]
    if b is not None:
        inputs.append(("b", b, case.before[1], db))
    for name, v, before, local in inputs:
        if not _is_number(v.grad):
            raise _Fail(f"`{case.text}`: after out._backward(), {name}.grad is {_fmt(v.grad)}, "
                        "not a number: a Value was stored where a float belongs; use `.data` "
                        "(e.g. `other.data * out.grad`, not `other * out.grad`).", "value as grad")
        if getattr(v, "data", None) != (x if name == "a" else y):
            raise _Fail(f"`{case.text}`: out._backward() changed {name}.data; a backward rule "
                        "only adds to `.grad`.", "mutated")
    leaves = {"a": x} if b is None else {"a": x, "b": y}
    program = "out = " + case.text
    shown = {"a": a.grad, "out": g, **({} if b is None else {"b": b.grad})}
    try:
        _diagnose_op(case, a, b, inputs, op_name)
    except _Fail as fail:
        wrong = [n for n, v, before, local in inputs if not _close(v.grad, before + local * g)]
        fail.graph = _drawing(_Case(program, leaves), by_label=shown, highlight=wrong)
        raise


def _diagnose_op(case: _OpCase, a: object, b: object, inputs: list, op_name: str) -> None:
    """Say which misunderstanding the gradients after one `_backward()` show."""
    g, x, y = case.upstream, case.x, case.y
    da, db = case.local(x, y)
    if b is not None:
        deltas = {"a": a.grad - case.before[0], "b": b.grad - case.before[1]}
        for name, other in (("a", "b"), ("b", "a")):
            if _close(deltas[name], 0.0) and _close(deltas[other], (da + db) * g) and (da + db) * g != 0:
                raise _Fail(f"`{case.text}` with out.grad = {g:g}: out._backward() leaves "
                            f"{name}.grad as it was and adds both shares to {other}.grad: a "
                            f"gradient written into the wrong input (the line meant for "
                            f"{'self' if name == 'a' else 'other'}.grad updates "
                            f"{'other' if name == 'a' else 'self'}.grad).", "wrong input")
    for name, v, before, local in inputs:
        want = before + local * g
        if _close(v.grad, want):
            continue
        got = v.grad - before
        story = (f"`{case.text}` with out.grad = {g:g} and {name}.grad = {before:g} before: "
                 f"out._backward() should make {name}.grad = {before:g} + {local:g} * {g:g}".replace("* -", "* (-") + (")" if g < 0 else "") + " = "
                 f"{want:.6g}, yours makes {_fmt(v.grad)}.")
        if _close(v.grad, before):
            raise _Fail(f"{story} Your rule does not change {name}.grad: "
                        f"{'self' if name == 'a' else 'other'}.grad needs its own line.",
                        "input left out")
        if _close(v.grad, local * g):
            raise _Fail(f"{story} `=` where `+=` is needed: `=` throws away the gradient "
                        f"{name} already had from its other uses (a value used twice gets a "
                        "contribution from each use). Write `self.grad += ...` and "
                        "`other.grad += ...`.", "= for +=")
        if _close(got, local) or _close(v.grad, local):
            raise _Fail(f"{story} Missing the upstream gradient: multiply the local "
                        "derivative by `out.grad`.", "missing upstream")
        for slip, kind, message in case.slips:
            if _close(got, slip(x, y, g)) or _close(v.grad, slip(x, y, g)):
                raise _Fail(f"{story} {message}", kind)
        if _close(got, -local * g):
            raise _Fail(f"{story} The sign is flipped.", "sign")
        raise _Fail(f"{story} The local derivative d(out)/d{name} of {op_name} is "
                    f"{local:.6g} here.", "wrong rule")


_SWAP = "Gradient sent to the wrong input: for self * other, self gets other.data * out.grad and other gets self.data * out.grad (the inputs swap)."

_OPS = {
    "+": [
        _OpCase("a + b", 2.0, -3.0, lambda a, b: a + b, lambda x, y: (1.0, 1.0)),
        _OpCase("a + 2", 2.0, None, lambda a, b: a + 2, lambda x, y: (1.0, 0.0)),
        _OpCase("2 + a", 2.0, None, lambda a, b: 2 + a, lambda x, y: (1.0, 0.0), upstream=2.5),
    ],
    "*": [
        _OpCase("a * b", 2.0, -3.0, lambda a, b: a * b, lambda x, y: (y, x),
                slips=((lambda x, y, g: x * g, "swapped", _SWAP),)),
        _OpCase("a * 3", 2.0, None, lambda a, b: a * 3, lambda x, y: (3.0, 0.0),
                slips=((lambda x, y, g: x * g, "swapped", _SWAP),)),
        _OpCase("3 * a", 2.0, None, lambda a, b: 3 * a, lambda x, y: (3.0, 0.0), upstream=2.5,
                slips=((lambda x, y, g: x * g, "swapped", _SWAP),)),
    ],
    "tanh": [
        _OpCase("a.tanh()", 0.7, None, lambda a, b: a.tanh(),
                lambda x, y: (1 - math.tanh(x) ** 2, 0.0),
                slips=((lambda x, y, g: (1 - x**2) * g, "input for output",
                        "That is 1 - x**2 with x the input; the rule is 1 - t**2 with "
                        "t = tanh(x), the output."),
                       (lambda x, y, g: (1 - math.tanh(x)) * g, "square",
                        "That is 1 - t; the derivative of tanh is 1 - t**2."))),
    ],
    "relu": [
        _OpCase("a.relu()", 0.7, None, lambda a, b: a.relu(), lambda x, y: (1.0, 0.0)),
        _OpCase("a.relu()", -0.4, None, lambda a, b: a.relu(), lambda x, y: (0.0, 0.0),
                slips=((lambda x, y, g: g, "negative",
                        "relu passes no gradient where its input is negative: its output is "
                        "0 there whatever the input, so d(out)/d(self) = 0."),)),
    ],
    "exp": [
        _OpCase("a.exp()", 0.8, None, lambda a, b: a.exp(), lambda x, y: (math.exp(x), 0.0),
                slips=((lambda x, y, g: x * g, "input for output",
                        "That uses the input x; the derivative of e**x is e**x itself, "
                        "`out.data`."),)),
    ],
    "**": [
        _OpCase("a ** 3", 1.5, None, lambda a, b: a**3, lambda x, y: (3 * x**2, 0.0),
                slips=((lambda x, y, g: 3 * x**3 * g, "exponent",
                        "That is n * x**n; the exponent drops by one: n * x**(n - 1)."),
                       (lambda x, y, g: x**2 * g, "exponent",
                        "That is x**(n - 1); it needs the factor n: n * x**(n - 1)."))),
        _OpCase("a ** -1", 1.5, None, lambda a, b: a**-1, lambda x, y: (-1 / x**2, 0.0)),
        _OpCase("a ** 0.5", 1.5, None, lambda a, b: a**0.5, lambda x, y: (0.5 / math.sqrt(x), 0.0)),
    ],
}


def _walk_backward(root: object, upstream: float) -> None:
    """A correct backward pass that calls the learner's own `_backward` rules."""
    order = _nodes(root)
    root.grad = upstream
    for v in reversed(order):
        _theirs("a `_backward`", v._backward)


def _compare_grads(case: _Case, V: type, run: Callable[[object], None], upstream: float,
                   what: str) -> None:
    """Run `run(root)` on the learner's graph of `case`: the inputs' gradients must match
    the course engine's, and every other value's too where the two graphs have the same
    shape (a composition such as `a / 2` may make other intermediate values)."""
    root, env = case.run(V)
    _theirs(what, run, root)
    ref_root, ref_env = case.run(CourseValue, theirs=False)
    ref = _nodes(ref_root)
    mine = _aligned(root, ref_root)
    (ref_root * upstream).backward()
    names = _names(mine)
    same_shape = len(mine) == len(ref) and all(m._op == r._op for m, r in zip(mine, ref))
    pairs = list(zip(mine, ref)) if same_shape else [(env[k], ref_env[k]) for k in case.leaves]
    wrong = [m for m, r in pairs if not _close(m.grad, r.grad)]
    if not wrong:
        return
    leaves = [m for m in wrong if getattr(m, "label", "") in case.leaves]
    bad = leaves[0] if leaves else wrong[0]
    want = dict((id(m), r.grad) for m, r in pairs)[id(bad)]
    i = next(k for k, m in enumerate(mine) if m is bad)
    numeric = ""
    if bad.label in case.leaves:
        cd = _central_difference(case, V, bad.label)
        if cd is not None:
            numeric = f"; central differences give {cd * upstream:.6g}"
    if same_shape:
        drawing = _drawing(case, {k: m.grad for k, m in enumerate(mine)},
                           highlight=[k for k, m in enumerate(mine) if any(m is w for w in wrong)])
    else:  # the learner's graph has other values than the course's: draw theirs
        try:
            drawing = draw(root, highlight=wrong, show_names=True)
        except Exception:
            drawing = None
    raise _Fail(f"in `{case.text()}` (output gradient {upstream:g}), {what} gives "
                f"{names[i]}.grad = {_fmt(bad.grad)}, the course engine "
                f"{want:.6g}{numeric}.", "graph", drawing)


def _require_leaf_backward(V: type) -> None:
    leaf = _theirs("Value(1.0)", V, 1.0)
    _require(leaf, "_backward", "a new Value has no `_backward`: add `self._backward = "
             "lambda: None` to __init__ (a leaf has nothing to pass back, but backward() "
             "calls it on every value).")


def _check_rules(ns: dict, ops: tuple[str, ...], names: dict[str, str], seed: int) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    _require_leaf_backward(V)
    for op, label in names.items():
        for case in _OPS[op]:
            _check_op(case, V, label)
    _check_earlier(V, [op for op in ops if op not in names])
    cases = _graph_cases(ops, seed)
    for case in cases:
        _compare_forward(case, V)
        _compare_grads(case, V, lambda root: _walk_backward(root, -1.5), -1.5,
                       "passing the gradient back with your `_backward`s")
    biggest = cases[-1].size
    verb = "pass" if len(names) > 1 else "passes"
    return (f"{' and '.join(names)} {verb} gradients back correctly, with upstream gradients "
            f"other than 1, on {len(cases)} graphs up to {biggest} values (a + a, diamonds, "
            "plain numbers on either side).")


def _check_earlier(V: type, ops: list[str]) -> None:
    """The earlier pieces' rules a check's graphs use must be right first: a wrong one is
    named as the cause, rather than blamed on the piece being checked."""
    for op in ops:
        if op in _OPS:
            for case in _OPS[op]:
                try:
                    _check_op(case, V, op)
                except _Fail as fail:
                    earlier = next(p.name for p in PIECES.values() if p.checker in _rule_checks()[op])
                    fail.message = (f"this check's graphs use {op} too, and your {op} (piece "
                                    f"`{earlier}`) is not right yet: {fail.message}")
                    raise


def _check_add_mul_backward(ns: dict) -> str:
    return _check_rules(ns, ("+", "*"), {"+": "+", "*": "*"}, seed=4)


def _rule_checks() -> dict[str, tuple]:
    return {"+": (_check_add_mul_backward,), "*": (_check_add_mul_backward,),
            "tanh": (_check_tanh,), "relu": (_check_relu,), "exp": (_check_exp,),
            "**": (_check_pow,)}


def _check_method(method: str, seed: int) -> Callable[[dict], str]:
    """The check of a one-input method (tanh, relu, exp) written and attached by the learner."""

    def check(ns: dict) -> str:
        V = _get(ns, "Value", "the Value class", "value")
        _require(V, method, f"your Value has no `{method}` method: define `def {method}(self)` "
                 f"and attach it with `Value.{method} = {method}`.")
        return _check_rules(ns, ("+", "*", method), {method: method}, seed=seed)

    check.__name__ = f"_check_{method}"
    return check


_check_tanh = _check_method("tanh", seed=5)
_check_relu = _check_method("relu", seed=11)
_check_exp = _check_method("exp", seed=6)


def _check_pow(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    if getattr(V, "__pow__", None) is None:
        raise _Fail("your Value has no `__pow__`, so `a ** 2` does not work: define it and "
                    "attach it with `Value.__pow__ = __pow__`.", "missing")
    return _check_rules(ns, ("+", "*", "**"), {"**": "** with a number"}, seed=7)


def _check_div_sub(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    for name, sentence in [("__neg__", "-a"), ("__sub__", "a - b"), ("__rsub__", "2 - a"),
                           ("__truediv__", "a / b"), ("__rtruediv__", "2 / a")]:
        if getattr(V, name, None) is None:
            raise _Fail(f"your Value has no `{name}`, so `{sentence}` does not work: define it "
                        f"and attach it with `Value.{name} = {name}`.", "missing")
    # - and / are made of +, * and **: those rules must be right before these can be
    _check_earlier(V, ["+", "*", "**"])
    singles = ["out = -a", "out = a - b", "out = a - 2", "out = 2 - a", "out = a / b",
               "out = a / 2", "out = 2 / a"]
    cases = _sorted_cases([_Case(p, _inputs_of(p, {"a": 1.5, "b": -2.0, "c": 0.75})) for p in singles])
    cases += _graph_cases(("+", "*", "-", "/"), seed=8)
    for case in cases:
        root, _ = case.run(V)
        want = case.run(CourseValue, theirs=False)[0].data
        if not _close(getattr(root, "data", None), want, 1e-9):
            raise _Fail(f"`{case.text()}` gives {_fmt(getattr(root, 'data', root))}, it should "
                        f"be {want:.6g}: check which side is self and which is other.",
                        "forward", _drawing(case, show_grad=False))
        _compare_grads(case, V, lambda root: _walk_backward(root, 2.5), 2.5,
                       "passing the gradient back with your `_backward`s")
    return (f"-, / and negation give the right values and gradients on {len(cases)} "
            "expressions, with plain numbers on either side.")


# ------------------------------------------------------------------ topo and backward


def _check_topo(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    topo_sort = _get(ns, "topo_sort", "the function topo_sort(root)", "topo")
    if not callable(topo_sort):
        raise _Fail(f"`topo_sort` should be a function, it is {_fmt(topo_sort)}.", "missing")
    cases = _graph_cases(("+", "*"), seed=9)
    first = None
    for case in cases:
        _compare_forward(case, V)
        root, env = case.run(V)
        order = _theirs(f"topo_sort on `{case.text()}`", topo_sort, root)
        if order is None:
            raise _Fail("topo_sort returned None: end it with `return topo`.", "no return")
        try:
            order = list(order)
        except TypeError:
            raise _Fail(f"topo_sort returned {_fmt(order)}: it should return a list of "
                        "Values.", "no return") from None
        nodes = _aligned(root, case.run(CourseValue, theirs=False)[0])
        names = _names(nodes)
        pos = {id(v): i for i, v in enumerate(nodes)}
        if first is not None and any(id(v) not in pos for v in order) and any(
                v is w for v in order for w in first):
            raise _Fail("topo_sort's list holds values from an earlier call: `topo` and "
                        "`visited` must be made inside the function, fresh for each call "
                        "(defined outside it, they keep everything from the last graph).",
                        "stale")
        first = nodes
        if any(id(v) not in pos for v in order):
            raise _Fail(f"for `{case.text()}` topo_sort's list holds something that is not "
                        "in the graph.", "foreign")
        counts, twice, missing = _listed_counts(order, nodes)
        if twice:
            raise _Fail(f"for `{case.text()}` topo_sort lists {names[twice[0]]} "
                        f"{counts[id(nodes[twice[0]])]} times: mark a value as visited when "
                        "you first reach it and skip it after that (a value used twice "
                        "is reached twice).", "duplicates",
                        _drawing(case, show_grad=False, highlight=twice))
        if missing:
            raise _Fail(f"for `{case.text()}` topo_sort leaves out {names[missing[0]]}: visit "
                        "every input in `v._prev`, and their inputs in turn.", "missing node",
                        _drawing(case, show_grad=False, highlight=missing))
        place = {id(v): k for k, v in enumerate(order)}
        reversed_ok = all(place[id(c)] > place[id(v)] for v in nodes for c in v._prev)
        if order[0] is root and reversed_ok and len(order) > 1:
            raise _Fail(f"for `{case.text()}` topo_sort puts the output first and the inputs "
                        "last: the reverse of what backward() needs. Append a value after "
                        "visiting its inputs, so the output comes last.", "reversed",
                        _drawing(case, show_grad=False))
        for v in order:
            for c in v._prev:
                if place[id(c)] > place[id(v)]:
                    i, j = pos[id(v)], pos[id(c)]
                    raise _Fail(f"for `{case.text()}` topo_sort lists {names[i]} before its "
                                f"input {names[j]}: wrong order. Append v only after the loop "
                                "over its inputs (`topo.append(v)` below the `for`).", "order",
                                _drawing(case, show_grad=False, highlight=[i, j]))
        if order[-1] is not root:
            raise _Fail(f"for `{case.text()}` the output is not last in topo_sort's list.", "order")
    return (f"topo_sort lists every value once, each after its inputs, on {len(cases)} "
            f"graphs up to {cases[-1].size} values.")


def _check_backward(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    _require(V, "backward", "your Value has no `backward` method: define "
             "`def backward(self)` and attach it with `Value.backward = backward`.")
    _require_leaf_backward(V)
    cases = _graph_cases(("+", "*"), seed=10)
    for case in cases:
        _compare_forward(case, V)
        root, _ = case.run(V)
        _theirs(f"backward() on `{case.text()}`", root.backward)
        ref_root = case.run(CourseValue, theirs=False)[0]
        mine = _aligned(root, ref_root)
        data, want = _course_grads(case)
        if all(_close(m.grad, w) for m, w in zip(mine, want)):
            continue
        got = {i: m.grad for i, m in enumerate(mine)}
        wrong = [i for i, (m, w) in enumerate(zip(mine, want)) if not _close(m.grad, w)]
        draw = _drawing(case, got, highlight=wrong)
        if not _close(root.grad, 1.0):
            raise _Fail(f"after backward() on `{case.text()}`, the output's grad is "
                        f"{_fmt(root.grad)}: start by seeding `self.grad = 1.0` "
                        "(d(out)/d(out) = 1).", "no seed", draw)
        # the learner's own rules in the right order: if that is right, the order is not
        twin, _ = case.run(V)
        _walk_backward(twin, 1.0)
        right = [v.grad for v in _aligned(twin, ref_root)]
        if not all(_close(r, w) for r, w in zip(right, want)):
            raise _Fail(f"in `{case.text()}` your `_backward` rules give wrong gradients even "
                        "in the right order: run the + and * check again.", "rules", draw)
        forward, _ = case.run(V)
        forward.grad = 1.0
        for v in _aligned(forward, ref_root):
            _theirs("a `_backward`", v._backward)
        names = _names(mine)
        i = wrong[0]
        if all(_close(m.grad, f.grad) for m, f in zip(mine, _aligned(forward, ref_root))):
                raise _Fail(f"in `{case.text()}` backward() gives {names[i]}.grad = "
                        f"{_fmt(mine[i].grad)}, the course engine {want[i]:.6g}: only the "
                        "output's own inputs got a gradient. Either the `_backward`s run in "
                        "the wrong order (inputs first, so a node passes on its gradient "
                        "before it has received it) or only the output's runs. Call every "
                        "node's `_backward`, output first: `for v in reversed(topo): "
                        "v._backward()`.", "wrong order", draw)
        raise _Fail(f"in `{case.text()}` backward() gives {names[i]}.grad = "
                    f"{_fmt(mine[i].grad)}, the course engine {want[i]:.6g}: call every "
                    "node's `_backward` once, in reversed topological order.", "graph", draw)
    return (f"backward() fills in every gradient right on {len(cases)} graphs up to "
            f"{cases[-1].size} values.")


# ------------------------------------------------------------------ the network


def _course_neuron(ws: list[float], b: float, xs: list) -> CourseValue:
    act = CourseValue(b)
    for w, x in zip(ws, xs):
        act = act + CourseValue(w) * x
    return act.tanh()


def _neuron_parts(n: object, what: str) -> tuple[list, object]:
    _require(n, "w", f"{what} has no `w`: keep the weights as a list `self.w`.")
    _require(n, "b", f"{what} has no `b`: keep the bias as `self.b`.")
    return list(n.w), n.b


def _check_params(module: object, expected: list, what: str) -> None:
    _require(module, "parameters", f"{what} has no `parameters()` method: it should return "
             "every weight and bias as a list of Values.")
    params = _theirs(f"{what}.parameters()", module.parameters)
    try:
        params = list(params)
    except TypeError:
        raise _Fail(f"{what}.parameters() returned {_fmt(params)}, not a list of Values.",
                    "parameters") from None
    lists = [p for p in params if isinstance(p, (list, tuple))]
    if lists:
        raise _Fail(f"{what}.parameters() returned {len(params)} items of which {len(lists)} "
                    f"are lists, not Values: flatten them into one list, e.g. "
                    "`[p for layer in self.layers for p in layer.parameters()]`.", "parameters")
    if any(_is_number(p) for p in params):
        raise _Fail(f"{what}.parameters() gives numbers: return the Values themselves "
                    "(`self.w + [self.b]`), so training can change them.", "parameters")
    ids = {id(p) for p in params}
    missing = [p for p in expected if id(p) not in ids]
    if missing:
        is_bias = any(p is getattr(module, "b", None) for p in missing)
        raise _Fail(f"{what}.parameters() leaves out {len(missing)} of its "
                    f"{len(expected)} parameters{' (the bias)' if is_bias else ''}: list every "
                    "weight and bias.", "parameters")
    if len(params) != len(expected):
        raise _Fail(f"{what}.parameters() lists {len(params)} Values, it has {len(expected)} "
                    "parameters: each once.", "parameters")


def _set_weights(parts: list[tuple[list, object]], rng: random.Random) -> list[tuple[list[float], float]]:
    numbers = []
    for ws, b in parts:
        wn = [round(rng.uniform(-1, 1), 3) for _ in ws]
        bn = round(rng.uniform(-0.5, 0.5), 3)
        for w, x in zip(ws, wn):
            w.data = x
        b.data = bn
        numbers.append((wn, bn))
    return numbers


def _check_neuron(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    Neuron = _get(ns, "Neuron", "the Neuron class", "neuron")
    n = _theirs("Neuron(3)", Neuron, 3)
    ws, b = _neuron_parts(n, "your Neuron(3)")
    if len(ws) != 3:
        raise _Fail(f"Neuron(3) has {len(ws)} weights, it should have 3: one per input.", "size")
    if not all(isinstance(w, V) for w in ws + [b]):
        raise _Fail("a Neuron's weights and bias should be Values (so they get gradients).", "types")
    _check_params(n, ws + [b], "your Neuron(3)")
    (wn, bn), = _set_weights([(ws, b)], random.Random(11))
    xs = [0.5, -1.5, 2.0]
    out = _theirs("calling your Neuron on [0.5, -1.5, 2.0]", n, xs)
    want = _course_neuron(wn, bn, xs)
    act = bn + sum(w * x for w, x in zip(wn, xs))
    if not isinstance(out, V):
        raise _Fail(f"calling a Neuron gives {_fmt(out)}: it should return a Value.", "types")
    if not _close(out.data, want.data, 1e-9):
        if _close(out.data, act, 1e-9):
            msg = "that is w · x + b without tanh: return `act.tanh()`."
        elif _close(out.data, math.tanh(act - bn), 1e-9):
            msg = "that leaves out the bias: add `self.b` to the weighted sum."
        else:
            msg = "it should be tanh(w · x + b)."
        raise _Fail(f"Neuron(3) with w = {wn}, b = {bn} on x = {xs} gives {out.data:.6g}, "
                    f"expected {want.data:.6g}: {msg}", "forward")
    _theirs("backward() through your Neuron", out.backward)
    cw = [CourseValue(w) for w in wn]
    cb = CourseValue(bn)
    act_c = cb
    for w, x in zip(cw, xs):
        act_c = act_c + w * x
    act_c.tanh().backward()
    for name, m, c in [*[(f"w[{i}]", w, c) for i, (w, c) in enumerate(zip(ws, cw))], ("b", b, cb)]:
        if not _close(m.grad, c.grad):
            raise _Fail(f"after backward() through the Neuron, {name}.grad = {_fmt(m.grad)}, "
                        f"expected {c.grad:.6g}.", "graph")
    return "Neuron(3) computes tanh(w · x + b), lists its 4 parameters, and passes gradients back."


def _needs(ns: dict, now: str, earlier: list[tuple[str, Callable[[dict], str]]]) -> None:
    """Stop, naming the earlier piece, when one that `now` is built from fails its own
    check: its mistake would otherwise show up as a wrong number blamed on `now`."""
    for piece, checker in earlier:
        try:
            checker(ns)
        except _Fail as fail:
            if fail.kind == "earlier piece":
                raise
            raise _Fail(f"your `{piece}` piece does not pass its own check yet, and your {now} "
                        f"is built from it: fix its `%%build {piece}` cell and run it first "
                        f"(its check says: {fail.message})", "earlier piece") from None


def _check_layer(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    Layer = _get(ns, "Layer", "the Layer class", "layer")
    _needs(ns, "Layer", [("neuron", _check_neuron)])
    layer = _theirs("Layer(3, 2)", Layer, 3, 2)
    _require(layer, "neurons", "your Layer has no `neurons`: keep its neurons as a list "
             "`self.neurons`.")
    neurons = list(layer.neurons)
    if len(neurons) != 2:
        raise _Fail(f"Layer(3, 2) has {len(neurons)} neurons, it should have 2 (nout).", "size")
    if neurons[0] is neurons[1] or any(w1 is w2 for w1 in neurons[0].w for w2 in neurons[1].w):
        raise _Fail("the neurons of Layer(3, 2) share their weights: make a new Neuron for "
                    "each (`[Neuron(nin) for _ in range(nout)]`, not `[Neuron(nin)] * nout`).",
                    "shared")
    parts = [_neuron_parts(n, "a neuron of your Layer") for n in neurons]
    _check_params(layer, [p for ws, b in parts for p in ws + [b]], "your Layer(3, 2)")
    numbers = _set_weights(parts, random.Random(12))
    xs = [0.5, -1.5, 2.0]
    outs = _theirs("calling your Layer on [0.5, -1.5, 2.0]", layer, xs)
    if isinstance(outs, V) or not isinstance(outs, (list, tuple)) or len(outs) != 2:
        raise _Fail(f"Layer(3, 2) gives {_fmt(outs)}: it should return a list of 2 Values, "
                    "one per neuron.", "types")
    for k, (out, (wn, bn)) in enumerate(zip(outs, numbers)):
        want = _course_neuron(wn, bn, xs).data
        if not _close(getattr(out, "data", None), want, 1e-9):
            raise _Fail(f"output {k} of Layer(3, 2) is {_fmt(getattr(out, 'data', out))}, "
                        f"neuron {k} gives {want:.6g}.", "forward")
    one = _theirs("Layer(3, 1)", Layer, 3, 1)
    single = _theirs("calling your Layer(3, 1)", one, xs)
    if not isinstance(single, V):
        raise _Fail(f"Layer(3, 1) gives {_fmt(single)}: a layer of one neuron returns a bare "
                    "Value (`outs[0] if len(outs) == 1 else outs`), so a network's output can "
                    "go straight into a loss.", "single")
    return "Layer(3, 2) gives one output per neuron, each with its own weights; Layer(3, 1) a bare Value."


def _check_mlp(ns: dict) -> str:
    V = _get(ns, "Value", "the Value class", "value")
    MLP = _get(ns, "MLP", "the MLP class", "mlp")
    _needs(ns, "MLP", [("neuron", _check_neuron), ("layer", _check_layer)])
    model = _theirs("MLP(3, [4, 4, 1])", MLP, 3, [4, 4, 1])
    _require(model, "layers", "your MLP has no `layers`: keep its layers as a list `self.layers`.")
    layers = list(model.layers)
    sizes = [len(getattr(layer, "neurons", ())) for layer in layers]
    nins = [len(layer.neurons[0].w) if sizes[i] else 0 for i, layer in enumerate(layers)]
    if sizes != [4, 4, 1] or nins != [3, 4, 4]:
        raise _Fail(f"MLP(3, [4, 4, 1]) has layers of {sizes} neurons reading {nins} inputs; "
                    "expected [4, 4, 1] neurons reading [3, 4, 4] inputs: layer i reads "
                    "sz[i] inputs and has sz[i+1] neurons, with sz = [nin] + nouts.", "size")
    parts = [_neuron_parts(n, "a neuron of your MLP") for layer in layers for n in layer.neurons]
    _check_params(model, [p for ws, b in parts for p in ws + [b]], "your MLP(3, [4, 4, 1])")
    numbers = _set_weights(parts, random.Random(13))
    xs = [0.5, -1.5, 2.0]
    out = _theirs("calling your MLP on [0.5, -1.5, 2.0]", model, xs)
    if not isinstance(out, V):
        raise _Fail(f"MLP(3, [4, 4, 1]) gives {_fmt(out)}: with one output neuron it should "
                    "give a bare Value.", "types")
    # the course's copy, neuron by neuron
    k = 0
    inputs: list = list(xs)
    cparts = []
    for size in sizes:
        outs = []
        for _ in range(size):
            wn, bn = numbers[k]
            k += 1
            cw, cb = [CourseValue(w) for w in wn], CourseValue(bn)
            cparts.append((cw, cb))
            act = cb
            for w, x in zip(cw, inputs):
                act = act + w * x
            outs.append(act.tanh())
        inputs = outs
    want = inputs[0]
    if not _close(out.data, want.data, 1e-9):
        raise _Fail(f"MLP(3, [4, 4, 1]) gives {out.data:.6g}, expected {want.data:.6g}: each "
                    "layer should read the previous layer's outputs.", "forward")
    _theirs("backward() through your MLP", out.backward)
    want.backward()
    for (ws, b), (cw, cb) in zip(parts, cparts):
        for m, c in zip(ws + [b], cw + [cb]):
            if not _close(m.grad, c.grad):
                raise _Fail(f"after backward() through the MLP a parameter has grad "
                            f"{_fmt(m.grad)}, expected {c.grad:.6g}.", "graph")
    _require(model, "zero_grad", "your MLP has no `zero_grad()` method: it should set every "
             "parameter's grad to 0 (micrograd puts it in a `Module` base class).")
    _theirs("your MLP's zero_grad()", model.zero_grad)
    left = [p for ws, b in parts for p in ws + [b] if p.grad != 0]
    if left:
        raise _Fail(f"after zero_grad() {len(left)} parameters still have a gradient: set "
                    "`p.grad = 0.0` for every p in parameters().", "zero_grad")
    return "MLP(3, [4, 4, 1]) has the right layers, 41 parameters, output and gradients; zero_grad() resets them."


def _check_train(ns: dict) -> str:
    MLP = _get(ns, "MLP", "the MLP class", "mlp")
    train_step = _get(ns, "train_step", "the function train_step(model, xs, ys, learning_rate)", "train")
    _needs(ns, "train_step", [("neuron", _check_neuron), ("layer", _check_layer), ("mlp", _check_mlp)])
    xs = [[2.0, 3.0], [3.0, -1.0], [0.5, 1.0], [1.0, 1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    lr = 0.1
    model = _theirs("MLP(2, [3, 1])", MLP, 2, [3, 1])
    parts = [_neuron_parts(n, "a neuron of your MLP") for layer in model.layers for n in layer.neurons]
    numbers = _set_weights(parts, random.Random(14))
    flat = [p for ws, b in parts for p in ws + [b]]
    # the course's copy of the same two steps
    cparts = [([CourseValue(w) for w in wn], CourseValue(bn)) for wn, bn in numbers]
    cflat = [p for ws, b in cparts for p in ws + [b]]

    def course_step() -> float:
        loss = CourseValue(0.0)
        for x, y in zip(xs, ys):
            hidden = []
            for cw, cb in cparts[:3]:
                act = cb
                for w, xi in zip(cw, x):
                    act = act + w * xi
                hidden.append(act.tanh())
            cw, cb = cparts[3]
            act = cb
            for w, h in zip(cw, hidden):
                act = act + w * h
            loss = loss + (act.tanh() - y) ** 2
        for p in cflat:
            p.grad = 0.0
        loss.backward()
        grads = [p.grad for p in cflat]
        for p in cflat:
            p.data -= lr * p.grad
        return loss.data, grads

    for step in (1, 2):
        before = [p.data for p in flat]
        loss = _theirs(f"train_step (step {step})", train_step, model, xs, ys, lr)
        want_loss, grads = course_step()
        if _is_number(loss):
            raise _Fail(f"step {step}: train_step returns the number {_fmt(loss)}: return the "
                        "loss Value itself (`return loss`), as micrograd does; the notebook "
                        "reads its `.data`.", "loss")
        got_loss = getattr(loss, "data", loss)
        if not _close(got_loss, want_loss, 1e-9):
            raise _Fail(f"step {step}: train_step returns a loss of {_fmt(got_loss)}, expected "
                        f"{want_loss:.6g} (the sum of (prediction - target)**2 before the "
                        "update).", "loss")
        moved = [p.data - b for p, b in zip(flat, before)]
        want = [-lr * g for g in grads]
        if all(_close(m, w) for m, w in zip(moved, want)):
            continue
        if all(abs(m) < 1e-15 for m in moved):
            raise _Fail(f"step {step}: no parameter changed. Update after backward() (and "
                        "zero the gradients before it, not after): "
                        "`p.data += -learning_rate * p.grad`.", "no update")
        if all(_close(m, -w) for m, w in zip(moved, want)):
            raise _Fail(f"step {step}: every parameter moved uphill: the step should be "
                        "`p.data += -learning_rate * p.grad` (minus: against the gradient).",
                        "sign")
        if step == 2:
            raise _Fail("step 2 moves the parameters by the wrong amounts while step 1 was "
                        "right: the gradients of step 1 were still there. Call "
                        "`model.zero_grad()` before `loss.backward()`.", "no zero_grad")
        raise _Fail(f"step {step}: the parameters moved by the wrong amounts; each should move "
                    "by -learning_rate * its gradient.", "update")
    return "train_step computes the loss, resets and fills the gradients, and steps downhill, twice in a row."


# ======================================================================= the pieces


@dataclass
class Piece:
    """One piece of the learner's engine: its notebook, its reference and its check."""

    name: str
    notebook: str
    what: str  # one line: what the learner writes
    reference: str
    checker: Callable[[dict], str]
    defines: tuple[str, ...] = ()  # names the piece's cell makes (classes are watched for staleness)

    def check(self, namespace: dict) -> CheckResult:
        """Check this piece in `namespace` (the notebook's names); never raises for the
        learner's mistakes."""
        return check_piece(self.name, namespace)


PIECES: dict[str, Piece] = {p.name: p for p in [
    Piece("value", "03", "the Value class: data, grad, _prev, _op, label, repr, + and *",
          _REF_VALUE, _check_value, ("Value",)),
    Piece("trace", "03", "trace(root): every value and every edge, by a walk along _prev",
          _REF_TRACE, _check_trace, ("trace",)),
    Piece("add_mul_backward", "04", "the _backward rules of + and *", _REF_ADD_MUL_BACKWARD,
          _check_add_mul_backward),
    Piece("topo", "04", "topo_sort(root): the depth-first topological sort", _REF_TOPO,
          _check_topo, ("topo_sort",)),
    Piece("backward", "04", "Value.backward(): seed 1.0, _backward in reverse order",
          _REF_BACKWARD, _check_backward),
    Piece("tanh", "05", "Value.tanh and its backward rule", _REF_TANH, _check_tanh),
    Piece("relu", "05", "Value.relu and its backward rule (micrograd's moons network uses it)",
          _REF_RELU, _check_relu),
    Piece("exp", "05", "Value.exp and its backward rule", _REF_EXP, _check_exp),
    Piece("pow", "05", "Value ** number and its backward rule", _REF_POW, _check_pow),
    Piece("div_sub", "05", "-, / and negation as compositions", _REF_DIV_SUB, _check_div_sub),
    Piece("neuron", "06", "Module and Neuron(nin)", _REF_NEURON, _check_neuron, ("Module", "Neuron")),
    Piece("layer", "06", "Layer(nin, nout)", _REF_LAYER, _check_layer, ("Layer",)),
    Piece("mlp", "06", "MLP(nin, nouts)", _REF_MLP, _check_mlp, ("MLP",)),
    Piece("train", "06", "train_step(model, xs, ys, learning_rate)", _REF_TRAIN, _check_train,
          ("train_step",)),
]}

PIECE_NAMES = tuple(PIECES)


def _piece(name: object) -> Piece:
    if name not in PIECES:
        raise ValueError(f"there is no piece {name!r}; the pieces are: {', '.join(PIECE_NAMES)}")
    return PIECES[name]


def check_piece(name: str, namespace: dict) -> CheckResult:
    """Check piece `name` against the course engine, with the learner's code taken from
    `namespace`. A mistake in the learner's code is a ✗ result, never an exception."""
    piece = _piece(name)
    try:
        timed_out, message = _limited(lambda: piece.checker(namespace))
        if timed_out:
            return CheckResult(name, False, f"the check stopped after {TIME_LIMIT:g} seconds: "
                               "your code is still running, e.g. a loop that never ends or a "
                               "walk that visits the same values again and again.", None, "time")
        return CheckResult(name, True, message)
    except _Fail as fail:
        return CheckResult(name, False, fail.message, fail.graph, fail.kind)
    except Exception as error:  # the check met something in the learner's code it did not expect
        return CheckResult(name, False, f"the check could not use your code: "
                           f"{type(error).__name__}: {error}.", None, "unexpected")


def solution(name: str) -> None:
    """Print the course's version of a piece."""
    piece = _piece(name)
    print(f"The course's version of `{name}` ({piece.what}):\n\n{piece.reference}")


# ================================================================ stubs and the file


def is_stub_source(source: str) -> bool:
    """True when a cell's code is still the stub: it defines functions (or classes of
    them) whose bodies are all `...` or `pass`, or is itself only `...`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not functions:
        body = [n for n in tree.body if not _is_placeholder(n)]
        return not body
    return all(_stub_body(f.body) for f in functions)


def stub_source(name: str) -> str:
    """The cell a notebook starts a piece with: the course's version with every function
    body replaced by `...` (signatures, docstrings and the `Value.x = x` lines kept)."""
    tree = ast.parse(_piece(name).reference)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = node.body[0] if _is_placeholder(node.body[0]) and isinstance(
                getattr(node.body[0], "value", None), ast.Constant) and isinstance(
                node.body[0].value.value, str) else None
            node.body = ([doc] if doc is not None else []) + [ast.Expr(ast.Constant(...))]
    return ast.unparse(tree) + "\n"


def _stub_functions(source: str) -> list[str]:
    """The names of the functions in `source` whose body is still `...`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [f.name for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and _stub_body(f.body)]


def _is_placeholder(node: ast.stmt) -> bool:
    if isinstance(node, ast.Pass):
        return True
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and (
        node.value.value is Ellipsis or isinstance(node.value.value, str))


def _stub_body(body: list[ast.stmt]) -> bool:
    return all(_is_placeholder(n) for n in body)


_HEADER = re.compile(r"^# ={3,} piece: (\w+) \(notebook (\d+)\): (.*?) =+$", re.M)

_PREAMBLE = '''\
"""My own autograd engine, written piece by piece in the Backprop Lab notebooks 03-07.

Each piece below was saved by a `%%build <piece>` cell. To change a piece, edit its
cell in the notebook and run it again: the cell's code replaces the piece here.
Pieces marked "the course's version" are ones whose cell was not written yet.
This file runs on its own: `python my_engine.py`.
"""

import math
import random
'''


def _read_pieces(path: Path) -> dict[str, tuple[str, str]]:
    """piece name -> (status text, source) from the learner's file."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    found = {}
    matches = list(_HEADER.finditer(text))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        found[m[1]] = (m[3], text[m.end():end].strip("\n") + "\n")
    return found


def _save(path: Path, pieces: dict[str, tuple[str, str]]) -> bool:
    """Write the file; a folder that cannot be written is one line, not a traceback."""
    try:
        _write_pieces(path, pieces)
        return True
    except OSError as error:
        print(f"Could not save {path.name} ({type(error).__name__}: {error}): your code runs "
              "in this notebook, but later notebooks will not find it. Pass a folder you can "
              "write to: build.start(..., folder=...).")
        return False


def _write_pieces(path: Path, pieces: dict[str, tuple[str, str]]) -> None:
    known = [n for n in PIECE_NAMES if n in pieces]
    unknown = [n for n in pieces if n not in PIECES]  # kept, at the end
    parts = [_PREAMBLE]
    for name in known + unknown:
        status, source = pieces[name]
        notebook = PIECES[name].notebook if name in PIECES else "00"
        parts.append(f"\n# {'=' * 10} piece: {name} (notebook {notebook}): {status} {'=' * 10}\n"
                     f"{source.rstrip()}\n")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(parts), encoding="utf-8")
    os.replace(tmp, path)


_YOURS_PASSED = "yours, check passed"
_YOURS_FAILED = "yours, check not passed yet"
_COURSE = "the course's version"


# ===================================================================== notebook state


def check_state(namespace: dict) -> list[str]:
    """Sentences about the notebook's state that would make numbers look wrong: values
    made by an older version of a class, and gradients from more than one backward()."""
    notes = []
    classes = {}
    for piece in PIECES.values():
        for name in piece.defines:
            current = namespace.get(name)
            if isinstance(current, type):
                classes[name] = current
    stale: dict[str, list[str]] = {}  # class name -> the variables made by an older version
    for var, obj in list(namespace.items()):
        if var.startswith("_"):
            continue
        items = obj if isinstance(obj, list) and len(obj) <= 100 else [obj]
        for item in items:
            cls = type(item)
            current = classes.get(cls.__name__)
            if current is not None and cls is not current and cls is not CourseValue \
                    and cls.__module__ == current.__module__:
                stale.setdefault(cls.__name__, []).append(var)
                break
    for name, found in stale.items():
        if len(found) == 1:
            notes.append(f"`{found[0]}` was made by an older version of your {name} class "
                         f"(the cell that defines {name} ran again since), so it "
                         "lacks what you changed: run the cell that makes it again (or "
                         "Kernel > Restart & Run All).")
            continue
        shown = ", ".join(f"`{v}`" for v in found[:4])
        more = f" and {len(found) - 4} more" if len(found) > 4 else ""
        notes.append(f"{shown}{more} were made by an older version of your {name} class "
                     f"(the cell that defines {name} ran again since), so they lack what "
                     "you changed: run the cells below that one again (Run > Run Selected "
                     "Cell and All Below), or Kernel > Restart & Run All.")
    V = classes.get("Value")
    if V is not None and hasattr(V, "backward"):
        for var, obj in list(namespace.items()):
            if not var.startswith("_") and isinstance(obj, V) and getattr(obj, "_prev", ()):
                k = _backward_count(obj)
                if k and k > 1:
                    notes.append(f"the gradients in `{var}`'s graph are what {k} calls of "
                                 f"backward() give, one after another: gradients add up from "
                                 "one call to the next. Set every .grad back to 0 (or run the "
                                 f"cell that builds `{var}` again) before calling backward().")
    return notes


def _backward_count(root: object, limit: int = 2000) -> int | None:
    """How many backward() passes, one after another without resetting, the gradients of
    `root`'s graph hold (2 to 5); None when they are one pass, or no such number, or the
    graph is too large to look at. The passes are replayed with the learner's own
    `_backward`s, seeding the output with 1.0 each time as the lecture's backward does."""
    try:
        order = _nodes(root)
        if len(order) > limit:
            return None
        leaves = [v for v in order if not v._prev]
        saved = [v.grad for v in order]
        if not any(_is_number(v.grad) and v.grad != 0 for v in leaves):
            return None
        found = None
        try:
            for v in order:
                v.grad = 0.0
            for k in range(1, 6):
                root.grad = 1.0
                for v in reversed(order):
                    v._backward()
                if all(_close(v.grad, g, 1e-9) for v, g in zip(leaves, (saved[order.index(v)] for v in leaves))):
                    found = k
                    break
        finally:
            for v, g in zip(order, saved):
                v.grad = g
        return found if found and found > 1 else None
    except Exception:  # a look at the learner's graph that fails says nothing
        return None


# ========================================================= running a cell, the magic


class Workspace:
    """Where one notebook's pieces live: the namespace they run in and the folder of
    `my_engine.py`."""

    def __init__(self, namespace: dict, folder: str | os.PathLike | None = None) -> None:
        self.namespace = namespace
        self.folder = Path(folder) if folder is not None else Path.cwd()

    @property
    def path(self) -> Path:
        return self.folder / ENGINE_FILE

    def run(self, name: str, source: str, filename: str) -> BaseException | None:
        """Run piece source in the namespace; the learner's error is returned, not raised."""
        code = _compile_learner(source, filename)
        try:
            exec(code, self.namespace)
        except Exception as error:
            return error
        return None

    def build(self, name: str, source: str, show: Callable[[object], None] | None = None) -> CheckResult | None:
        """What `%%build name` does with a cell's `source`: run, save, check, report."""
        piece = _piece(name)
        pieces = _read_pieces(self.path)
        if is_stub_source(source) or _stub_functions(source):
            stubs = _stub_functions(source)
            left = f" (`{'`, `'.join(stubs)}` still `...`)" if stubs and not is_stub_source(source) else ""
            print(f"`{name}` is not written yet{left}: using the course's version for now. "
                  f"Fill in the cell and run it again (`build.solution({name!r})` shows the "
                  "course's version).")
            error = self.run(name, piece.reference, f"<course version of {name}>")
            if error is not None:  # the course's own code: its failure is the course's
                raise error
            pieces[name] = (_COURSE, piece.reference)
            _save(self.path, pieces)
            return None
        try:
            ast.parse(source)
        except SyntaxError as error:
            print(f"✗ {name}: your cell has a syntax error on line {error.lineno}: {error.msg}. "
                  f"Nothing was saved; fix it and run the cell again.")
            return CheckResult(name, False, f"syntax error on line {error.lineno}", kind="syntax")
        error = self.run(name, source, f"<%%build {name}>")
        if error is not None:
            frames = [f for f in traceback.extract_tb(error.__traceback__)
                      if _is_learner_file(f.filename)]
            where = f" (line {frames[-1].lineno}: `{(frames[-1].line or '').strip()}`)" if frames else ""
            print(f"✗ {name}: your cell raised {type(error).__name__}: {error}{where}. "
                  "Nothing was saved; fix it and run the cell again.")
            return CheckResult(name, False, f"the cell raised {type(error).__name__}", kind="error")
        result = check_piece(name, self.namespace)
        pieces[name] = (_YOURS_PASSED if result.correct else _YOURS_FAILED, source)
        _save(self.path, pieces)
        print(str(result) + (f" Saved in {ENGINE_FILE}." if result.correct else
                             f" (saved in {ENGINE_FILE} anyway: it is your engine; "
                             f"`build.solution({name!r})` shows the course's version)"))
        # a look at the notebook's state runs the learner's _backward rules too
        timed_out, notes = _limited(lambda: check_state(self.namespace))
        notes = [] if timed_out else notes
        for note in notes:
            print("Note: " + note)
        if result.graph is not None and show is not None:
            show(result.graph)
        return result

    def load(self, before: str) -> list[str]:
        """Run every piece of the notebooks before `before` from the file, in course
        order; a piece missing there (or one that no longer runs) is the course's
        version. Returns one line per piece."""
        pieces = _read_pieces(self.path)
        lines, changed = [], False
        # the pieces use math and random, which the file imports at its top (_PREAMBLE):
        # the notebook gets them too, so a setup cell that forgets them still works
        self.namespace.setdefault("math", math)
        self.namespace.setdefault("random", random)
        for piece in PIECES.values():
            if piece.notebook >= before:
                continue
            status, source = pieces.get(piece.name, ("", ""))
            if source and status != _COURSE:
                error = self.run(piece.name, source, f"<{piece.name} in {ENGINE_FILE}>")
                if error is None:
                    note = "" if status == _YOURS_PASSED else " (its check did not pass yet)"
                    lines.append(f"{piece.name}: yours{note}")
                    continue
                # the learner's source stays in the file, to be fixed in its cell
                lines.append(f"{piece.name}: yours raised {type(error).__name__}: {error}; "
                             "using the course's version (run its cell again to fix it)")
            else:
                lines.append(f"{piece.name}: the course's version (not written yet)")
                if not source:
                    pieces[piece.name] = (_COURSE, piece.reference)
                    changed = True
            error = self.run(piece.name, piece.reference, f"<course version of {piece.name}>")
            if error is not None:  # the course's own code: its failure is the course's
                raise error
        if changed:
            _save(self.path, pieces)
        return lines


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def load(notebook: str, namespace: dict, folder: str | os.PathLike | None = None) -> Workspace:
    """Run the pieces of the notebooks before `notebook` from `my_engine.py` into
    `namespace` and print which are the learner's; returns the Workspace."""
    notebook = _notebook_number(notebook)
    space = Workspace(namespace, folder)
    lines = space.load(notebook)
    if lines:
        yours = sum(line.split(": ", 1)[1].startswith("yours") for line in lines)
        print(f"Your engine ({space.path.name}): {yours} of {len(lines)} pieces from notebooks "
              f"before {notebook} are yours.")
        for line in lines:
            if not line.split(": ", 1)[1].startswith("yours") or "(" in line:
                print("  " + line)
    return space


def _notebook_number(notebook: object) -> str:
    text = str(notebook)
    m = re.match(r"(\d\d)", text)
    if not m:
        raise ValueError(f"notebook must be a notebook's number such as '04', got {notebook!r}")
    return m[1]


def build_cell(piece: str, source: str, namespace: dict, folder: str | os.PathLike | None = None,
               show: Callable[[object], None] | None = None) -> CheckResult | None:
    """What a `%%build piece` cell does, from plain Python: run `source` in `namespace`,
    save it in `my_engine.py` in `folder` (default: the current folder), check it."""
    return Workspace(namespace, folder).build(piece, source, show)


def start(notebook: str, folder: str | os.PathLike | None = None) -> Workspace | None:
    """The setup cell's call: register `%%build` and load the earlier notebooks' pieces.

    `folder` is where `my_engine.py` lives (default: the current folder, which in Jupyter
    is the notebook's folder). Outside IPython it says the magic needs Jupyter, loads the
    pieces into the caller's globals and returns the Workspace; in IPython it returns
    None (so a setup cell shows nothing more).
    """
    shell = _ipython()
    if shell is None or not hasattr(shell, "register_magic_function"):
        frame = sys._getframe(1)
        print("The `%%build` cell magic needs Jupyter (IPython); here, run a piece with "
              "`backproplab.build.build_cell(piece, source, globals())`.")
        return load(notebook, frame.f_globals, folder)
    earlier = any(p.notebook < _notebook_number(notebook) for p in PIECES.values())
    again = earlier and isinstance(shell.user_ns.get("Value"), type)
    space = load(notebook, shell.user_ns, folder)
    if again:
        print("The setup cell ran again, so your classes were made afresh from "
              f"{ENGINE_FILE}: run this notebook's %%build cells again (and the cells "
              "that use them), or Kernel > Restart & Run All.")

    def show(obj: object) -> None:
        from IPython.display import display
        display(obj)

    def build_magic(line: str, cell: str) -> None:
        name = line.strip()
        if name not in PIECES:
            print(f"`%%build` needs a piece's name: %%build {PIECE_NAMES[0]}; the pieces are "
                  f"{', '.join(PIECE_NAMES)}." + (f" (got {name!r})" if name else ""))
            return
        space.build(name, cell, show)

    shell.register_magic_function(build_magic, magic_kind="cell", magic_name="build")
    return None
