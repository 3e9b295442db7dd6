"""A scalar autograd engine: `Value` and the chain rule, one operation at a time.

Every differentiable operation below has the same four steps, in this order:

1. coerce the other operand to a `Value`,
2. compute the output `out`,
3. store the operation's backward rule on it, `out._backward`,
4. return `out`.

The backward rule comes right under the operation: a function `_mul_backward(out, grad)`
that, given d(loss)/d(out) as `grad`, adds each input's share to that input's `.grad`.
It finds the inputs in `out._prev`, so one function serves every multiplication ever
made; the node only records which rule applies. (micrograd, in the lecture, makes a new
closure for every node instead. Sharing one function per operation is what PyTorch does
too: each result's `grad_fn` names its operation's backward, `MulBackward0` for `*`.)
A node then holds its data, its inputs and its rule, nothing that points back at it: a
graph has no reference cycles, and Python frees it as soon as the last name for it goes.

Gradients always accumulate with `+=`: a value used twice (`a + a`, or a weight shared
by many samples) gets one contribution per use, and the chain rule says to add them.

Standard library only: plots and widgets live elsewhere and depend on this file, never
the other way round.
"""

from __future__ import annotations

import gc
import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

__all__ = [
    "Value",
    "weighted_sum",
    "topological_order",
    "local_gradients",
    "numerical_gradient",
    "check_gradients",
    "GradientCheck",
]


# Graphs of Values hold no reference cycles (see the backward rules below), so reference
# counting alone frees them. Python's cyclic garbage collector still scans every
# container object made since its last run once there are more than a threshold of
# them (700 by default), and a training step makes two per node (the node and the tuple
# of its inputs): the demo's step makes about 130,000, all freed at the step's end.
# Scanning a graph that is about to be freed, and promoting it to older generations
# that are scanned again later, made that step 1.8x slower at 700 and 1.2x at 100,000
# than at 150,000 or more, where it is never scanned (bench/bench_training.py measures
# this). 500,000 leaves room for graphs four times the demo's. The cost: garbage that
# does hold cycles (other code can make it) waits for up to 500,000 new objects before
# it is freed, and that collection scans them all, a pause of about 0.05-0.1 s.
# A threshold already higher, or 0 (collection switched off), is left alone.
_GC_FIRST_GENERATION = 500_000
if 0 < gc.get_threshold()[0] < _GC_FIRST_GENERATION:
    gc.set_threshold(_GC_FIRST_GENERATION, *gc.get_threshold()[1:])


def _no_backward(out: Value, grad: float) -> None:
    """A leaf has no inputs, so there is nothing to pass its gradient on to."""


_grad_of = attrgetter("grad")  # _grad_of(v) is v.grad


def _describe(x: object) -> str:
    """A short description of an unsupported value for error messages."""
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _as_float(x: object, what: str) -> float:
    """Convert an int/float to a finite float, or raise an error that says what was wrong."""
    if type(x) is float:  # the usual case, answered quickly
        value = x
    elif type(x) is int or (not isinstance(x, bool) and isinstance(x, numbers.Real)):
        try:
            value = float(x)
        except OverflowError:  # an int with more than about 308 digits
            raise ValueError(
                f"{what} must fit in a float (magnitude up to about 1.8e308), "
                f"got {_describe(x)}"
            ) from None
    else:
        raise TypeError(
            f"{what} must be a real number (int or float), got {_describe(x)}"
        )
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return value


def _constant(other: object, op: str) -> Value:
    """Wrap a plain number as a constant Value; anything else is a clear TypeError."""
    if type(other) not in (float, int) and (
        isinstance(other, bool) or not isinstance(other, numbers.Real)
    ):
        raise TypeError(
            f"unsupported operand for {op}: {_describe(other)}; "
            "a Value combines with another Value, an int or a float"
        )
    return Value(other)


def _as_value(x: object, op: str) -> Value:
    """`x` itself if it is a Value, else `x` wrapped as a constant."""
    return x if isinstance(x, Value) else _constant(x, op)


def _power(x: float, y: float) -> float:
    """x ** y, or inf where the result is too large for a float (the caller reports it)."""
    try:
        return x**y
    except OverflowError:
        return math.inf


def _node(data: float, children: tuple[Value, ...], op: str) -> Value:
    """An operation's output: `data` (checked finite) made from `children` by `op`.

    The caller stores the operation's backward rule in `out._backward`.
    """
    if not math.isfinite(data):
        raise OverflowError(
            f"the result of {op} is too large for a float ({data!r}); "
            "keep inputs smaller (a float holds magnitudes up to about 1.8e308)"
        )
    out = Value.__new__(Value)  # skips __init__'s checks: data is a float we just made
    out.data = data
    out.grad = 0.0
    out._prev = children
    out._op = op
    out.label = ""
    return out


class Value:
    """A scalar that remembers how it was computed, so it can pass gradients back."""

    # A fixed set of fields (no per-object dictionary): smaller and faster to make.
    # `_exponent` is set on `x ** n` nodes only: the one rule that needs a number
    # besides its inputs and its output.
    __slots__ = (
        "data", "grad", "_prev", "_op", "label", "_backward", "_exponent", "__weakref__"
    )

    def __init__(
        self,
        data: float,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        label: str = "",
    ) -> None:
        self.data = _as_float(data, "Value data")
        self.grad = 0.0
        # the inputs, in operand order (a tuple, not a set: drawings and traversals
        # then come out the same on every run)
        self._prev = tuple(_children)
        self._op = _op
        self.label = label
        self._backward = _no_backward

    # ----------------------------------------------------------------- primitives
    # Each backward rule `_..._backward(out, grad)` is a plain function kept in the
    # class next to its operation; `out._backward(out, grad)` runs it for one node.

    def __add__(self, other: Value | float) -> Value:
        """self + other"""
        other = other if isinstance(other, Value) else _constant(other, "+")
        out = _node(self.data + other.data, (self, other), "+")
        out._backward = Value._add_backward
        return out

    def _add_backward(out: Value, grad: float) -> None:
        self, other = out._prev
        self.grad += grad  # d(out)/d(self) = 1
        other.grad += grad  # d(out)/d(other) = 1

    def __mul__(self, other: Value | float) -> Value:
        """self * other"""
        other = other if isinstance(other, Value) else _constant(other, "*")
        out = _node(self.data * other.data, (self, other), "*")
        out._backward = Value._mul_backward
        return out

    def _mul_backward(out: Value, grad: float) -> None:
        self, other = out._prev
        self.grad += other.data * grad  # d(out)/d(self) = other
        other.grad += self.data * grad  # d(out)/d(other) = self

    def __pow__(self, other: Value | float) -> Value:
        """self ** other, for a number exponent or a Value exponent."""
        if isinstance(other, Value):
            return self._pow_value(other)
        n = _as_float(other, "the exponent of **")
        x = self.data
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (it divides by zero)")
        if x < 0 and n != int(n):
            raise ValueError(
                f"({x:g}) ** {n:g}: a negative base needs a whole-number exponent "
                "(the result would be a complex number)"
            )
        out = _node(_power(x, n), (self,), f"**{n:g}")
        out._exponent = n
        out._backward = Value._pow_backward
        return out

    def _pow_backward(out: Value, grad: float) -> None:
        (self,) = out._prev
        n = out._exponent
        if n == 0:
            return  # out = 1 whatever self is: d(out)/d(self) = 0
        if self.data == 0 and n < 1:
            raise ZeroDivisionError(f"the derivative of x ** {n:g} at x = 0 is infinite")
        self.grad += n * _power(self.data, n - 1) * grad  # d(out)/d(self) = n * self**(n-1)

    def _pow_value(self, other: Value) -> Value:
        """self ** other where the exponent is itself a Value (gradients for both)."""
        if self.data <= 0:
            raise ValueError(
                f"Value ** Value needs a positive base (its gradient uses log(base)), "
                f"got base {self.data:g}; for a negative base use a number exponent"
            )
        out = _node(_power(self.data, other.data), (self, other), "**")
        out._backward = Value._pow_value_backward
        return out

    def _pow_value_backward(out: Value, grad: float) -> None:
        self, other = out._prev
        # d(out)/d(self) = other * self**(other - 1)
        self.grad += other.data * _power(self.data, other.data - 1) * grad
        # d(out)/d(other) = out * log(self)
        other.grad += out.data * math.log(self.data) * grad

    def exp(self) -> Value:
        """e ** self"""
        try:
            data = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp({self.data:g}) is too large for a float; "
                "exp accepts inputs up to about 709.78"
            ) from None
        out = _node(data, (self,), "exp")
        out._backward = Value._exp_backward
        return out

    def _exp_backward(out: Value, grad: float) -> None:
        (self,) = out._prev
        self.grad += out.data * grad  # d(out)/d(self) = exp(self) = out

    def log(self) -> Value:
        """The natural logarithm of self (self must be positive)."""
        if self.data <= 0:
            raise ValueError(
                f"log is defined for positive numbers only, got {self.data:g}"
            )
        out = _node(math.log(self.data), (self,), "log")
        out._backward = Value._log_backward
        return out

    def _log_backward(out: Value, grad: float) -> None:
        (self,) = out._prev
        self.grad += grad / self.data  # d(out)/d(self) = 1 / self

    def tanh(self) -> Value:
        """The hyperbolic tangent: squashes any number into (-1, 1)."""
        out = _node(math.tanh(self.data), (self,), "tanh")
        out._backward = Value._tanh_backward
        return out

    def _tanh_backward(out: Value, grad: float) -> None:
        (self,) = out._prev
        t = out.data
        self.grad += (1 - t * t) * grad  # d(out)/d(self) = 1 - tanh**2 = 1 - out**2

    def relu(self) -> Value:
        """max(0, self): passes positive numbers through, clips negatives to 0."""
        out = _node(self.data if self.data > 0 else 0.0, (self,), "relu")
        out._backward = Value._relu_backward
        return out

    def _relu_backward(out: Value, grad: float) -> None:
        if out.data > 0:
            (self,) = out._prev
            self.grad += grad  # d(out)/d(self) = 1 where self > 0, else 0

    def sigmoid(self) -> Value:
        """1 / (1 + e ** -self): squashes any number into (0, 1)."""
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:  # the same formula rearranged, so exp never overflows
            e = math.exp(x)
            s = e / (1.0 + e)
        out = _node(s, (self,), "sigmoid")
        out._backward = Value._sigmoid_backward
        return out

    def _sigmoid_backward(out: Value, grad: float) -> None:
        (self,) = out._prev
        s = out.data
        self.grad += s * (1 - s) * grad  # d(out)/d(self) = out * (1 - out)

    # ----------------------------------------------- compositions of the primitives

    def __neg__(self) -> Value:  # -self
        return self * -1

    def __radd__(self, other: float) -> Value:  # other + self
        return self + other

    def __sub__(self, other: Value | float) -> Value:  # self - other
        return self + (-_as_value(other, "-"))

    def __rsub__(self, other: float) -> Value:  # other - self
        return _as_value(other, "-") + (-self)

    def __rmul__(self, other: float) -> Value:  # other * self
        return self * other

    def __truediv__(self, other: Value | float) -> Value:  # self / other = self * other**-1
        other = other if isinstance(other, Value) else _constant(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"division by zero: {self.data:g} / 0")
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:  # other / self
        return _as_value(other, "/") / self

    def __rpow__(self, other: float) -> Value:  # other ** self, a number base
        return _as_value(other, "**") ** self

    # ------------------------------------------------------------------ backprop

    def backward(self, gradient: float = 1.0) -> None:
        """Fill in `.grad` of every value this one depends on, by the chain rule.

        The output's own gradient is seeded with `gradient` (1.0: d(self)/d(self)), then
        each node, from the output back to the leaves, passes its gradient to its inputs.
        Gradients accumulate: calling `backward()` twice adds every gradient twice, so
        call `zero_grad()` (or a module's `zero_grad()`) between steps.
        """
        seed = _as_float(gradient, "the gradient passed to backward()")
        order = topological_order(self)
        # Each call passes back only its own gradient: gradients left by an earlier call
        # are set aside and added back at the end. (Passing them on again would count
        # the earlier call twice in every input.)
        had_gradients = any(map(_grad_of, order))
        if had_gradients:
            earlier = [node.grad for node in order]
            for node in order:
                node.grad = 0.0
        self.grad = seed
        try:
            for node in reversed(order):
                node._backward(node, node.grad)
        finally:  # also when a node raises, so the earlier gradients are not lost
            if had_gradients:
                for node, grad in zip(order, earlier):
                    node.grad += grad
        # One sum checks every gradient quickly: an inf or nan anywhere makes it inf or
        # nan. (A sum of large finite gradients can overflow too, so look before raising.)
        if not math.isfinite(sum(map(_grad_of, order))):
            for node in order:
                if not math.isfinite(node.grad):
                    raise OverflowError(
                        f"a gradient overflowed to {node.grad!r} at a "
                        f"{node._op or 'leaf'} node (data {node.data:g}); the inputs or "
                        "the upstream gradient are too large for this expression"
                    )

    def zero_grad(self) -> None:
        """Reset `.grad` to 0 on this value and everything it was computed from."""
        for node in topological_order(self):
            node.grad = 0.0

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


def _check_list(items: object, what: str) -> None:
    """A TypeError unless `items` is a list, a tuple or another sequence (not a string)."""
    if type(items) in (list, tuple):
        return  # the usual case, answered quickly
    if isinstance(items, (Value, str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(f"weighted_sum needs a list of {what}, got {_describe(items)}")


def weighted_sum(
    weights: Sequence[Value], inputs: Sequence[Value | float], bias: Value
) -> Value:
    """w . x + b as one node: the same value and gradients as the chain of * and +.

    A neuron's sum drawn as single node: fewer nodes to build and walk, so training runs
    faster. Inputs may be Values or plain numbers (numbers get no gradient).
    """
    _check_list(weights, "weights")
    _check_list(inputs, "inputs")
    if len(weights) != len(inputs):
        raise ValueError(
            f"weighted_sum needs as many inputs as weights: "
            f"got {len(inputs)} inputs for {len(weights)} weights"
        )
    xs = [x if isinstance(x, Value) else _constant(x, "weighted_sum") for x in inputs]
    try:
        return _weighted_sum(weights, xs, bias)
    except (AttributeError, TypeError):  # a weight or the bias is not a Value
        bad = next(v for v in (*weights, bias) if not isinstance(v, Value))
        raise TypeError(
            f"weighted_sum needs Values as weights and bias (they get gradients), "
            f"got {_describe(bad)}"
        ) from None


def _weighted_sum(weights: Sequence[Value], xs: Sequence[Value], bias: Value) -> Value:
    """`weighted_sum` for arguments already checked: all Values, as many xs as weights.

    `nn.Layer` checks its inputs once and then calls this for each of its neurons.
    """
    total = bias.data
    for w, x in zip(weights, xs):
        total += w.data * x.data
    out = _node(total, (*weights, *xs, bias), "w·x+b")
    out._backward = _weighted_sum_backward
    return out


def _weighted_sum_backward(out: Value, grad: float) -> None:
    inputs = out._prev  # (w_1 ... w_k, x_1 ... x_k, b)
    k = len(inputs) // 2
    for w, x in zip(inputs, inputs[k:-1]):  # (w_1, x_1) ... (w_k, x_k): zip stops at x_k
        w.grad += x.data * grad  # d(out)/d(w_i) = x_i
        x.grad += w.data * grad  # d(out)/d(x_i) = w_i
    inputs[-1].grad += grad  # d(out)/d(b) = 1


def topological_order(root: Value) -> list[Value]:
    """Every value `root` depends on, inputs before the values computed from them.

    Iterative depth-first search (no recursion limit), visiting inputs in operand order,
    so the same graph always gives the same order; `root` comes last.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {_describe(root)}")
    order: list[Value] = []
    visited = {root}  # Values hash by identity (Value defines no __eq__)
    # each entry: a node and an iterator over the inputs it has still to visit
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for child in inputs:
            if child not in visited:
                visited.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:  # all inputs are in `order`: the node can follow them
            stack.pop()
            order.append(node)
    return order


def local_gradients(node: Value) -> tuple[float, ...]:
    """d(node)/d(input) for each distinct input of `node`, in operand order.

    Computed by running the node's own backward rule with an upstream gradient of 1, so
    it always agrees with what `backward()` does. An input used twice (`a * a`) appears
    once, with both contributions added.
    """
    if not isinstance(node, Value):
        raise TypeError(f"expected a Value, got {_describe(node)}")
    inputs = list(dict.fromkeys(node._prev))
    saved = [v.grad for v in inputs]
    try:
        for v in inputs:
            v.grad = 0.0
        node._backward(node, 1.0)
        grads = tuple(v.grad for v in inputs)
    finally:
        for v, g in zip(inputs, saved):
            v.grad = g
    if not all(math.isfinite(g) for g in grads):
        raise OverflowError(
            f"a local derivative of this {node._op or 'leaf'} node (data {node.data:g}) "
            f"is too large for a float: {grads!r}"
        )
    return grads


# ---------------------------------------------------------- numerical gradients


def _check_function_and_inputs(f: object, inputs: object) -> list[float]:
    """The inputs as finite floats, after checking that `f` can be called."""
    if not callable(f):
        raise TypeError(f"f must be a function of Values, got {_describe(f)}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Iterable):
        raise TypeError(
            f"inputs must be a list of numbers, one per argument of f, "
            f"got {_describe(inputs)}"
        )
    return [_as_float(x, "each input") for x in inputs]


def _check_h(h: object) -> float:
    h = _as_float(h, "h")
    if h <= 0:
        raise ValueError(f"h must be a small positive number, got {h!r}")
    return h


def _call(f: Callable[..., Value], xs: Sequence[float]) -> float:
    out = f(*[Value(x) for x in xs])
    if isinstance(out, Value):
        return out.data
    return _as_float(out, "the function's result")


def numerical_gradient(
    f: Callable[..., Value], inputs: Sequence[float], h: float = 1e-6
) -> list[float]:
    """Estimate d f / d input_i by central differences: (f(x+h) - f(x-h)) / 2h."""
    xs = _check_function_and_inputs(f, inputs)
    h = _check_h(h)
    grads = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += h
        down[i] -= h
        slope = (_call(f, up) - _call(f, down)) / (2 * h)
        if not math.isfinite(slope):
            raise OverflowError(
                f"the numerical gradient for input {i} is too large for a float ({slope!r})"
            )
        grads.append(slope)
    return grads


class GradientCheck:
    """The result of `check_gradients`: a table of backprop vs numerical gradients."""

    def __init__(
        self,
        names: list[str],
        analytic: list[float],
        numeric: list[float],
        tolerance: float,
    ) -> None:
        self.names = names
        self.analytic = analytic
        self.numeric = numeric
        self.tolerance = tolerance
        self.errors = [
            abs(a - n) / max(1.0, abs(a), abs(n)) for a, n in zip(analytic, numeric)
        ]
        self.ok = all(e <= tolerance for e in self.errors)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        width = max([5] + [len(n) for n in self.names])
        lines = [
            f"{'input':<{width}}  {'backprop':>14}  {'numerical':>14}  {'rel. error':>10}"
        ]
        for name, a, n, e in zip(self.names, self.analytic, self.numeric, self.errors):
            mark = "ok" if e <= self.tolerance else "MISMATCH"
            lines.append(f"{name:<{width}}  {a:>14.8f}  {n:>14.8f}  {e:>10.2e}  {mark}")
        verdict = "all gradients agree" if self.ok else "some gradients disagree"
        lines.append(f"{verdict} (tolerance {self.tolerance:g})")
        return "\n".join(lines)


def check_gradients(
    f: Callable[..., Value],
    inputs: Sequence[float] | Iterable[float],
    h: float = 1e-6,
    tolerance: float = 1e-5,
) -> GradientCheck:
    """Compare `backward()`'s gradients of f at `inputs` with central differences.

    `f` takes one Value per input and returns a Value, e.g.
    `check_gradients(lambda a, b: a * b + b.tanh(), [2.0, -0.5])`. The result prints
    as a table and is truthy when every gradient agrees within `tolerance`
    (relative error, or absolute error for gradients smaller than 1).
    """
    xs = _check_function_and_inputs(f, inputs)
    h = _check_h(h)
    tolerance = _as_float(tolerance, "tolerance")
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 or more, got {tolerance!r}")
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"f must return a Value, got {_describe(out)}")
    out.backward()
    analytic = [v.grad for v in leaves]
    numeric = numerical_gradient(f, xs, h)
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    starred = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    params = [p.name for p in parameters]
    if len(params) != len(xs) or any(p.kind in starred for p in parameters):
        params = [f"x{i}" for i in range(len(xs))]  # f(*xs): no name per input
    return GradientCheck(params, analytic, numeric, tolerance)
