"""The learner's own engine (`backproplab.build`): the course's version of every piece
passes its check, and each classic slip fails at the piece it belongs to, saying which
misunderstanding it is."""

from __future__ import annotations

import pytest

from backproplab import build
from backproplab.engine import Value as CourseValue
from backproplab.engine import numerical_gradient


def sources(slips: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, str]:
    """Each piece's source: the course's version with `slips` applied, piece ->
    [(text in the course's version, text the learner wrote instead)]."""
    found = {}
    for name, piece in build.PIECES.items():
        source = piece.reference
        for old, new in (slips or {}).get(name, []):
            assert old in source, f"{old!r} is not in the course's version of {name}"
            source = source.replace(old, new)
        found[name] = source
    return found


def first_failure(slips: dict | None = None) -> build.CheckResult | None:
    """Run the pieces in course order as a notebook does, checking each right after it
    runs; the first check that fails."""
    ns: dict = {}
    exec("import math, random", ns)
    for name, source in sources(slips).items():
        exec(build._compile_learner(source, f"<%%build {name}>"), ns)
        result = build.check_piece(name, ns)
        if not result.correct:
            return result
    return None


def test_the_course_version_passes_every_piece():
    ns: dict = {}
    exec("import math, random", ns)
    for name, source in sources().items():
        exec(source, ns)
        result = build.check_piece(name, ns)
        assert result.correct, str(result)
        assert result.message


# a classic wrong sort: breadth first from the output, reversed. A value reached early
# by a short path is then listed before a value it is an input of by a longer path.
BREADTH_FIRST = """\
def topo_sort(root):
    topo = []
    visited = {root}
    queue = [root]
    while queue:
        v = queue.pop(0)
        topo.append(v)
        for child in v._prev:
            if child not in visited:
                visited.add(child)
                queue.append(child)
    return topo[::-1]
"""

# each: (id, piece the slip is made in, [(course text, learner text)], piece that must
# fail, words the message must contain)
CATALOGUE = [
    # ---- 03 value
    ("no __radd__", "value", [("    def __radd__(self, other):            # other + self, where other is a plain number\n        return self + other\n", "")],
     "value", "`__radd__`"),
    ("no __rmul__", "value", [("    def __rmul__(self, other):            # other * self\n        return self * other\n", "")],
     "value", "`__rmul__`"),
    ("plain number not wrapped", "value", [("        other = other if isinstance(other, Value) else Value(other)\n        out = Value(self.data + other.data", "        out = Value(self.data + other.data")],
     "value", "plain number is not wrapped"),
    ("always wraps: a Value as data", "value", [("        other = other if isinstance(other, Value) else Value(other)\n        out = Value(self.data * other.data", "        other = Value(other)\n        out = Value(self.data * other.data")],
     "value", "a Value was stored where a float belongs"),
    ("_prev a set", "value", [("self._prev = tuple(_children)", "self._prev = set(_children)")],
     "value", "tuple"),
    ("_op named in words", "value", [("(self, other), '+')", "(self, other), 'add')")],
     "value", "'+'"),
    ("+ mutates self", "value", [("        out = Value(self.data + other.data, (self, other), '+')\n        return out\n", "        self.data = self.data + other.data\n        return self\n")],
     "value", "changed its input"),
    ("* adds", "value", [("Value(self.data * other.data, (self, other), '*')", "Value(self.data + other.data, (self, other), '*')")],
     "value", "forward value of *"),
    ("inputs in the other order", "value", [("(self, other), '*')", "(other, self), '*')")],
     "value", "operand order"),
    ("* without return", "value", [("        out = Value(self.data * other.data, (self, other), '*')\n        return out\n", "        out = Value(self.data * other.data, (self, other), '*')\n")],
     "value", "`return out`"),
    ("no __repr__", "value", [("    def __repr__(self):\n        return f\"Value(data={self.data}, grad={self.grad})\"\n", "")],
     "value", "__repr__"),
    ("label dropped", "value", [("self.label = label", "self.label = ''")],
     "value", "label"),
    ("grad starts at 1", "value", [("self.grad = 0.0 ", "self.grad = 1.0 ")],
     "value", "start it at 0.0"),
    ("no _backward on a leaf", "value", [("        self._backward = lambda: None     # passes the gradient on (written in 04)\n", "")],
     "add_mul_backward", "add `self._backward = lambda: None` to __init__"),
    # ---- 03 trace: the first walk along _prev
    ("trace edges point backwards", "trace", [("edges.add((child, v))", "edges.add((v, child))")],
     "trace", "points the wrong way"),
    ("trace does not walk into the inputs", "trace", [("                build(child)\n", "")],
     "trace", "trace leaves out"),
    ("trace collects numbers", "trace", [("            nodes.add(v)\n", "            nodes.add(v.data)\n"),
                                         ("        if v not in nodes:", "        if v.data not in nodes:")],
     "trace", "not their numbers"),
    ("trace keeps nodes from the last call", "trace",
     [("    nodes, edges = set(), set()\n\n", ""),
      ("def trace(root):\n", "nodes, edges = set(), set()\n\ndef trace(root):\n")],
     "trace", "earlier call"),
    ("trace without edges", "trace", [("                edges.add((child, v))     # an arrow from the input to the value made from it\n", "")],
     "trace", "leaves out the edge"),
    ("trace returns nodes only", "trace", [("    return nodes, edges\n", "    return nodes\n")],
     "trace", "return nodes, edges"),
    ("trace lists a reused value twice", "trace",
     [("    nodes, edges = set(), set()", "    nodes, edges = [], []"),
      ("        if v not in nodes:\n            nodes.add(v)", "        if True:\n            nodes.append(v)"),
      ("edges.add((child, v))", "edges.append((child, v))")],
     "trace", "times in nodes"),
    # ---- 04 the backward rules of + and *
    ("+ missing upstream", "add_mul_backward", [("self.grad += 1.0 * out.grad", "self.grad += 1.0")],
     "add_mul_backward", "Missing the upstream gradient"),
    ("+ = for +=", "add_mul_backward", [("self.grad += 1.0 * out.grad", "self.grad = 1.0 * out.grad")],
     "add_mul_backward", "`=` where `+=` is needed"),
    ("* = for +=", "add_mul_backward", [("other.grad += self.data * out.grad", "other.grad = self.data * out.grad")],
     "add_mul_backward", "`=` where `+=` is needed"),
    ("* swapped", "add_mul_backward", [("self.grad += other.data * out.grad", "self.grad += self.data * out.grad"),
                                       ("other.grad += self.data * out.grad", "other.grad += other.data * out.grad")],
     "add_mul_backward", "wrong input"),
    ("* missing upstream", "add_mul_backward", [("self.grad += other.data * out.grad", "self.grad += other.data")],
     "add_mul_backward", "Missing the upstream gradient"),
    ("* rule not stored", "add_mul_backward", [("        other.grad += self.data * out.grad    # d(out)/d(other) = self\n    out._backward = _backward\n", "        other.grad += self.data * out.grad    # d(out)/d(other) = self\n")],
     "add_mul_backward", "`out._backward = _backward`"),
    ("_backward takes the gradient", "add_mul_backward", [("    def _backward():\n        # += ", "    def _backward(grad):\n        # += ")],
     "add_mul_backward", "takes no arguments"),
    ("+ forgets other", "add_mul_backward", [("        other.grad += 1.0 * out.grad      # d(out)/d(other) = 1\n", "")],
     "add_mul_backward", "other.grad needs its own line"),
    ("+ both into self", "add_mul_backward", [("other.grad += 1.0 * out.grad", "self.grad += 1.0 * out.grad")],
     "add_mul_backward", "written into the wrong input"),
    ("* a Value as grad", "add_mul_backward", [("self.grad += other.data * out.grad", "self.grad += other * out.grad")],
     "add_mul_backward", "a Value was stored where a float belongs"),
    # ---- 04 the topological sort
    ("no visited set", "topo", [("        if v not in visited:\n            visited.add(v)\n            for child in v._prev:\n                build_topo(child)\n            topo.append(v)",
                                 "        for child in v._prev:\n            build_topo(child)\n        topo.append(v)")],
     "topo", "mark a value as visited"),
    ("appends before the inputs", "topo", [("            for child in v._prev:\n                build_topo(child)\n            topo.append(v)",
                                            "            topo.append(v)\n            for child in v._prev:\n                build_topo(child)")],
     "topo", "output first"),
    ("topo and visited outside the function", "topo", [("def topo_sort(root):\n    \"\"\"Every value root was computed from, each after its inputs; root comes last.\"\"\"\n    topo = []\n    visited = set()\n",
                                                        "topo = []\nvisited = set()\n\ndef topo_sort(root):\n")],
     "topo", "earlier call"),
    ("returns the reversed list", "topo", [("    return topo\n", "    return topo[::-1]\n")],
     "topo", "output first"),
    ("no return", "topo", [("    return topo\n", "")],
     "topo", "return topo"),
    ("no recursion into the inputs", "topo", [("                build_topo(child)", "                topo.append(child) if child not in topo else None")],
     "topo", "leaves out a"),
    ("breadth first, reversed", "topo", [(build.PIECES["topo"].reference, BREADTH_FIRST)],
     "topo", "before its input"),
    # ---- 04 backward()
    ("no seed", "backward", [("    self.grad = 1.0                       # d(self)/d(self) = 1\n", "")],
     "backward", "seeding `self.grad = 1.0`"),
    ("inputs first", "backward", [("for v in reversed(topo):", "for v in topo:")],
     "backward", "reversed(topo)"),
    ("only the output's rule", "backward", [("    for v in reversed(topo):              # output first: a node's gradient is complete\n        v._backward()                     # before it passes it on to its inputs\n",
                                             "    self._backward()\n")],
     "backward", "only the output's runs"),
    # ---- 05 tanh, exp, **, - and /
    ("tanh 1 - t", "tanh", [("(1 - t**2) * out.grad", "(1 - t) * out.grad")], "tanh", "1 - t**2"),
    ("tanh uses its input", "tanh", [("(1 - t**2) * out.grad", "(1 - self.data**2) * out.grad")], "tanh", "the output"),
    ("tanh missing upstream", "tanh", [("(1 - t**2) * out.grad", "(1 - t**2)")], "tanh", "Missing the upstream gradient"),
    ("relu passes a negative input's gradient", "relu", [("(out.data > 0) * out.grad", "out.grad")], "relu", "no gradient where its input is negative"),
    ("relu = for +=", "relu", [("self.grad += (out.data > 0)", "self.grad = (out.data > 0)")], "relu", "`=` where `+=` is needed"),
    ("exp uses its input", "exp", [("self.grad += out.data * out.grad", "self.grad += self.data * out.grad")], "exp", "e**x itself"),
    ("exp = for +=", "exp", [("self.grad += out.data * out.grad", "self.grad = out.data * out.grad")], "exp", "`=` where `+=` is needed"),
    ("pow keeps the exponent", "pow", [("self.data**(other - 1)", "self.data**other")], "pow", "drops by one"),
    ("pow forgets n", "pow", [("other * self.data**(other - 1) * out.grad", "self.data**(other - 1) * out.grad")], "pow", "factor n"),
    ("rsub the wrong way round", "div_sub", [("    return other + (-self)", "    return self + (-other)")], "div_sub", "which side is self"),
    ("truediv multiplies", "div_sub", [("return self * other**-1\n\ndef __rtruediv__", "return self * other\n\ndef __rtruediv__")], "div_sub", "which side is self"),
    ("rtruediv inverted", "div_sub", [("    return other * self**-1", "    return self * other**-1")], "div_sub", "which side is self"),
    ("neg as a primitive without its minus", "div_sub", [("def __neg__(self):                        # -self\n    return self * -1\n",
                                                         "def __neg__(self):\n    out = Value(-self.data, (self,), 'neg')\n\n    def _backward():\n        self.grad += out.grad\n    out._backward = _backward\n    return out\n")],
     "div_sub", "the course engine -2.5; central differences give -2.5"),
    ("no __rsub__", "div_sub", [("Value.__rsub__ = __rsub__\n", "")], "div_sub", "`__rsub__`"),
    ("tanh = for +=", "tanh", [("self.grad += (1 - t**2)", "self.grad = (1 - t**2)")], "tanh", "`=` where `+=` is needed"),
    ("tanh rule never stored", "tanh", [("    out._backward = _backward\n    return out\n\nValue.tanh", "    return out\n\nValue.tanh")],
     "tanh", "out._backward = _backward"),
    ("exp not attached", "exp", [("Value.exp = exp\n", "")], "exp", "`Value.exp = exp`"),
    ("pow = for +=", "pow", [("self.grad += other *", "self.grad = other *")], "pow", "`=` where `+=` is needed"),
    # ---- 06 the network
    ("neuron without bias", "neuron", [("        act = act + self.b", "        act = act")], "neuron", "leaves out the bias"),
    ("neuron without tanh", "neuron", [("        return act.tanh()", "        return act")], "neuron", "without tanh"),
    ("parameters without the bias", "neuron", [("return self.w + [self.b]", "return self.w")], "neuron", "(the bias)"),
    ("parameters as numbers", "neuron", [("return self.w + [self.b]", "return [p.data for p in self.w + [self.b]]")], "neuron", "gives numbers"),
    ("one neuron nout times", "layer", [("[Neuron(nin) for _ in range(nout)]", "[Neuron(nin)] * nout")], "layer", "share their weights"),
    ("layer parameters of one neuron", "layer", [("return [p for n in self.neurons for p in n.parameters()]", "return self.neurons[0].parameters()")], "layer", "leaves out"),
    ("a layer of one returns a list", "layer", [("return outs[0] if len(outs) == 1 else outs", "return outs")], "layer", "bare Value"),
    ("mlp layers all nin wide", "mlp", [("Layer(sz[i], sz[i + 1])", "Layer(sz[0], sz[i + 1])")], "mlp", "sz = [nin] + nouts"),
    ("mlp parameters not flattened", "mlp", [("return [p for layer in self.layers for p in layer.parameters()]", "return [layer.parameters() for layer in self.layers]")], "mlp", "flatten them"),
    ("zero_grad does nothing", "neuron", [("            p.grad = 0.0", "            p.grad = p.grad")], "mlp", "still have a gradient"),
    # ---- 06 the training step
    ("no zero_grad", "train", [("    model.zero_grad()                     # forget the last step's gradients first\n", "")], "train", "zero_grad()"),
    ("train_step returns loss.data", "train", [("    return loss\n", "    return loss.data\n")], "train", "return the loss Value itself"),
    ("neuron sums only the first weight", "neuron", [("        for wi, xi in zip(self.w[1:], x[1:]):\n            act = act + wi * xi                 # + w2*x2 + ...\n", "")], "neuron", "expected"),
    ("steps uphill", "train", [("p.data += -learning_rate * p.grad", "p.data += learning_rate * p.grad")], "train", "uphill"),
    ("zero_grad after backward", "train", [("    model.zero_grad()                     # forget the last step's gradients first\n    loss.backward()\n", "    loss.backward()\n    model.zero_grad()\n")], "train", "no parameter changed"),
]


def test_the_catalogue_is_large_and_names_each_slip_once():
    assert len(CATALOGUE) >= 25
    assert len({c[0] for c in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("slip, piece, edits, fails_at, words", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_each_slip_fails_at_its_piece_with_its_message(slip, piece, edits, fails_at, words):
    result = first_failure({piece: edits})
    assert result is not None, f"{slip}: every check passed"
    assert result.piece == fails_at, str(result)
    assert words in result.message, str(result)


def test_a_number_on_the_left_may_be_stored_first():
    """`2 + a` stored as (2, a) is as right as the course's (a, 2)."""
    result = first_failure({"value": [
        ("        return self + other\n", "        return Value(other) + self\n"),
        ("        return self * other\n", "        return Value(other) * self\n")]})
    assert result is None, str(result)


@pytest.mark.parametrize("ops", [("+", "*"), ("+", "*", "tanh"), ("+", "*", "relu"), ("+", "*", "exp"),
                                 ("+", "*", "**"), ("+", "*", "-", "/")])
def test_the_checks_reference_agrees_with_central_differences(ops):
    """The course engine's gradients that the checks compare with are right: central
    differences (the engine's numerical_gradient) give the same on every graph."""
    for case in build._graph_cases(ops, seed=1):
        names = list(case.leaves)

        def f(*leaves):
            env = dict(zip(names, leaves))
            exec(case.program, {}, env)
            return env[build._last_assigned(case.program)]

        leaves = [CourseValue(case.leaves[n]) for n in names]
        f(*leaves).backward()
        numeric = numerical_gradient(f, [case.leaves[n] for n in names])
        for n, v, g in zip(names, leaves, numeric):
            assert abs(v.grad - g) <= 1e-5 * max(1.0, abs(g)), (case.program, n)


def test_a_value_without_a_label_argument_is_one_sentence():
    result = first_failure({"value": [("_op='', label=''", "_op=''"), ("self.label = label", "self.label = ''")]})
    assert result.piece == "value"
    assert "raised TypeError" in result.message and "label" in result.message


def test_a_later_piece_names_the_earlier_piece_that_is_wrong():
    ns: dict = {}
    exec("import math, random", ns)
    src = sources({"add_mul_backward": [("self.grad += 1.0 * out.grad", "self.grad = 1.0 * out.grad")]})
    for name in ["value", "add_mul_backward", "topo", "backward", "tanh"]:
        exec(src[name], ns)
    result = build.check_piece("tanh", ns)
    assert not result.correct
    assert result.message.startswith("this check's graphs use + too, and your + (piece "
                                     "`add_mul_backward`) is not right yet")


def test_draw_shows_the_learners_own_graph_and_a_visit_order():
    ns: dict = {}
    exec("import math, random", ns)
    for name in ["value", "add_mul_backward", "topo", "backward"]:
        exec(sources()[name], ns)
    exec("a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = a * b; c.label = 'c'\n"
         "L = c + a; L.label = 'L'; L.backward()", ns)
    drawing = build.draw(ns["L"], order=ns["topo_sort"](ns["L"]))
    assert drawing.value_count == 4
    for text in ("1. a", "2. b", "3. c", "4. L", "grad 1.0000", "grad -2.0000"):
        assert text in drawing.source, text
    with pytest.raises(TypeError, match="this int has no `data`"):
        build.draw(3)


def test_trace_names_the_value_piece_when_that_is_what_is_wrong():
    result = first_failure({"value": [("self._prev = tuple(_children)", "self._prev = set(_children)")],
                            "trace": []})
    assert result.piece == "value"
    ns: dict = {}
    src = sources({"value": [("self._prev = tuple(_children)", "self._prev = set(_children)")]})
    exec(src["value"] + src["trace"], ns)
    result = build.check_piece("trace", ns)
    assert not result.correct
    assert result.message.startswith("this check walks graphs made with your Value, and your "
                                     "Value (piece `value`, above) is not right yet: `_prev` is a set")
