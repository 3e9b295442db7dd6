"""A small reverse-mode autograd over numpy arrays: `Tensor`, the engine of notebook 08.

`Value` (engine.py) holds one number; a `Tensor` holds a whole array of them, and one
operation on it does the work of thousands of `Value` operations in a single numpy call.
The rest is the same idea: every Tensor remembers the Tensors it was made from and the
rule that passes a gradient back to them, and `backward()` runs those rules from the
output back to the leaves.

Every differentiable operation has the engine's four steps, in this order:

1. look at the other operand: a Tensor, or a number or array (a constant),
2. compute the output's array,
3. name the backward rule, defined right under the operation,
4. return the output node, which stores its inputs and that rule.

As in PyTorch (whose nodes record a `MulBackward0`, a `TanhBackward0`, ...), each
operation has ONE backward rule, a plain function shared by every node the operation
makes: `rule(out, grad)` receives the node and d(loss)/d(out), and returns each input's
share of the gradient, in operand order (matmul returns None for an input that needs
no gradient, rather than compute a matrix product nobody reads). A node refers to its
inputs and its rule, never to itself, so a graph has no reference cycles.

Broadcasting: `x + b` with `x` of shape (n, 3) and `b` of shape (3,) adds `b` to every
row. Each number of `b` was used n times, so its gradient is the sum of n
contributions: backward() sums every share down to its input's shape (`_unbroadcast`,
over the axes that broadcasting added or stretched), in one place for every operation.

Data needs no gradient: `Tensor(X, requires_grad=False)` marks a tensor (the inputs of a
network, its labels) whose gradient nobody will read, as PyTorch's flag of the same name
does. A node needs a gradient when one of its inputs does; backward() passes gradients
only along such nodes, and the `.grad` of a tensor that needs none stays None.

Gradients always accumulate: a tensor used twice (`a + a`, a weight shared by every row
of a batch) gets one contribution per use, and the chain rule adds them (see
`_accumulate`).

numpy only: plots and widgets live elsewhere.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

__all__ = ["Tensor", "cross_entropy", "topological_order"]

Rule = Callable[["Tensor", np.ndarray], tuple]

# exp overflows a float64 above this
_EXP_LIMIT = float(np.log(np.finfo(np.float64).max))


def _describe(x: object) -> str:
    """A short description of an unsupported value for error messages."""
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _as_array(data: object, what: str) -> np.ndarray:
    """`data` as a float64 array of finite numbers, or a clear TypeError/ValueError."""
    if isinstance(data, Tensor):
        raise TypeError(f"{what} must be numbers or an array, got a Tensor; "
                        "use its .data for the numbers")
    if isinstance(data, (bool, np.bool_)):
        raise TypeError(f"{what} must be real numbers, got the bool {data!r}")
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{what} must be real numbers (int or float), got {_describe(data)}")
    try:
        array = np.asarray(data)
    except ValueError as error:  # ragged lists such as [[1, 2], [3]]
        raise ValueError(f"{what} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind not in "iuf":
        kind = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes",
                "O": "Python objects", "M": "dates", "m": "time spans"}.get(
                    array.dtype.kind, f"dtype {array.dtype}")
        raise TypeError(f"{what} must be real numbers (ints or floats), got an array of "
                        f"{kind}: {_describe(data)}")
    array = np.array(array, dtype=np.float64)  # a copy: the Tensor owns its numbers
    if not np.isfinite(array).all():
        bad = array[~np.isfinite(array)].ravel()[0]
        raise ValueError(f"{what} must be finite numbers, got {float(bad)!r} among them")
    return array


def _shape(shape: tuple[int, ...]) -> str:
    return str(tuple(shape))


def _node(data: np.ndarray, children: tuple[Tensor, ...], op: str, rule: Rule,
          saved: object = None) -> Tensor:
    """An operation's output: `data` made from `children` by `op`, with `rule` to go back."""
    out = Tensor.__new__(Tensor)  # skips __init__'s checks: data is an array we just made
    out.data = data
    # it needs a gradient if one of its inputs does (one or two inputs: looked at directly)
    out.requires_grad = children[0].requires_grad or (
        len(children) > 1 and children[1].requires_grad)
    out._grad = None  # made (zeros) when first asked for
    out._prev = children
    out._op = op
    out._backward = rule
    out._saved = saved
    out.label = ""
    return out


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`: the gradient of a broadcast is a sum over its axes.

    Broadcasting adds leading axes and stretches axes of length 1; every number on such
    an axis was used once per position, so its gradient adds up those uses.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))  # the leading axes broadcasting added
    if 1 not in shape:  # no axis of length 1: nothing was stretched
        return grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)  # axes of length 1 it stretched
    return grad


def _no_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
    """A leaf has no inputs, so there is nothing to pass its gradient on to."""
    return ()


def _accumulate(node: Tensor, grad: np.ndarray) -> None:
    """Add one contribution to `node`'s gradient.

    Gradients accumulate: a tensor used twice (`a + a`, a weight shared by every row of a
    batch) gets one contribution per use, and the chain rule adds them. The sum is a new
    array (`node._grad + grad`, not `+=` in place): a rule may hand the same array to two
    inputs, and changing one in place would change the other.
    """
    node._grad = grad if node._grad is None else node._grad + grad


def _own_leaf_gradients(leaves: list[Tensor]) -> list[Tensor]:
    """Give every leaf a `.grad` of its own: an array no other tensor shares.

    Returns the leaves that have a gradient.
    """
    reached = []
    seen: set[int] = set()
    for node in leaves:
        grad = node._grad
        if grad is None:
            continue
        if id(grad) in seen or grad.base is not None:  # shared, or a view of another array
            grad = node._grad = np.array(grad, dtype=np.float64)
        seen.add(id(grad))
        reached.append(node)
    return reached


class Tensor:
    """An array of numbers that remembers how it was computed, so it can pass gradients back."""

    __slots__ = ("data", "_grad", "requires_grad", "_prev", "_op", "_backward", "_saved", "label",
                 "__weakref__")
    __array_ufunc__ = None  # `array + tensor`: numpy steps aside, so Tensor.__radd__ runs

    def __init__(self, data: object, label: str = "", requires_grad: bool = True) -> None:
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad must be True or False, got {_describe(requires_grad)}")
        self.data = _as_array(data, "Tensor data")
        self._grad = None
        # False for data (inputs, labels): no gradient is computed for it, .grad stays None
        self.requires_grad = bool(requires_grad)
        self._prev: tuple[Tensor, ...] = ()
        self._op = ""
        self._backward = _no_backward
        self._saved = None
        self.label = label

    # .grad is an array of zeros, the shape of .data, until backward() adds to it; it is
    # made when first asked for, so the many nodes a training step builds cost no zeros.
    # A tensor that needs no gradient (requires_grad=False) has none: its .grad is None.
    @property
    def grad(self) -> np.ndarray | None:
        """d(output)/d(this tensor): a float64 array of the same shape as `.data`
        (None for a tensor made with requires_grad=False, and those computed only from such)."""
        if self._grad is None:
            if not self.requires_grad:
                return None
            self._grad = np.zeros(self.data.shape)
        return self._grad

    @grad.setter
    def grad(self, value: object) -> None:
        if type(value) is not np.ndarray or value.shape != self.data.shape:
            value = np.asarray(value, dtype=np.float64)
            if value.shape != self.data.shape:
                raise ValueError(f"grad must have the shape of data, {_shape(self.data.shape)}; "
                                 f"got shape {_shape(value.shape)}")
        self._grad = value

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of `.data`."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes of `.data`."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """How many numbers `.data` holds."""
        return self.data.size

    def __len__(self) -> int:
        return len(self.data)

    def item(self) -> float:
        """The number of a one-number tensor, as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor of one number, got shape {_shape(self.shape)}")
        return float(self.data.reshape(()))

    # ----------------------------------------------------------------- primitives
    #
    # Each operation is followed by its backward rule, `_<op>_backward(out, grad)`: given
    # the output node and d(loss)/d(out), it returns d(loss)/d(input) for each input, in
    # operand order, with the local derivative beside each. backward() adds them up.

    # A plain number or array as the other operand is a constant: it needs no gradient
    # and no node of its own, so `x * 2` is one node with its own rule (PyTorch, too, has
    # MulBackward0 for tensor * tensor and MulBackward1 for tensor * number).

    def __add__(self, other: Tensor | float | np.ndarray) -> Tensor:
        """self + other, broadcasting."""
        if not isinstance(other, Tensor):
            c = _constant(other, "+")
            return _node(_broadcasting(np.add, self.data, c, "+"), (self,), "+",
                         Tensor._add_constant_backward)
        data = _broadcasting(np.add, self.data, other.data, "+")
        return _node(data, (self, other), "+", Tensor._add_backward)

    @staticmethod
    def _add_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad,  # d(out)/d(self) = 1
                grad)  # d(out)/d(other) = 1

    @staticmethod
    def _add_constant_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad,)  # d(out)/d(self) = 1

    def __mul__(self, other: Tensor | float | np.ndarray) -> Tensor:
        """self * other, number by number, broadcasting."""
        if not isinstance(other, Tensor):
            c = _constant(other, "*")
            return _node(_broadcasting(np.multiply, self.data, c, "*"), (self,), "*",
                         Tensor._mul_constant_backward, c)
        data = _broadcasting(np.multiply, self.data, other.data, "*")
        return _node(data, (self, other), "*", Tensor._mul_backward)

    @staticmethod
    def _mul_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        a, b = out._prev
        return (grad * b.data,  # d(out)/d(self) = other
                grad * a.data)  # d(out)/d(other) = self

    @staticmethod
    def _mul_constant_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad * out._saved,)  # d(out)/d(self) = the constant

    def __matmul__(self, other: Tensor | np.ndarray) -> Tensor:
        """self @ other: the matrix product of two 2-D tensors, (n, k) @ (k, m) -> (n, m)."""
        other = other if isinstance(other, Tensor) else _constant_tensor(other, "@")
        a, b = self.data, other.data
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
            raise ValueError(
                f"@ needs two matrices (2-D) whose inner sizes agree, (n, k) @ (k, m); "
                f"got shapes {_shape(a.shape)} and {_shape(b.shape)}")
        return _node(a @ b, (self, other), "@", Tensor._matmul_backward)

    @staticmethod
    def _matmul_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        a, b = out._prev
        # out[i, j] = sum over k of a[i, k] * b[k, j]
        # d(loss)/d(a[i, k]) = sum over j of grad[i, j] * b[k, j]
        # d(loss)/d(b[k, j]) = sum over i of a[i, k] * grad[i, j]
        # (None: that input needs no gradient, data such as a batch X; no product is made)
        return (grad @ b.data.T if a.requires_grad else None,
                a.data.T @ grad if b.requires_grad else None)

    def __pow__(self, exponent: float) -> Tensor:
        """self ** exponent, number by number, for a number exponent."""
        if isinstance(exponent, Tensor):
            raise TypeError("the exponent of ** must be a number (int or float), not a Tensor")
        n = _number(exponent, "the exponent of **")
        x = self.data
        if n < 0 and (x == 0).any():
            raise ZeroDivisionError(f"0 ** {n:g} is undefined (it divides by zero); "
                                    "the tensor holds a 0")
        if n != int(n) and (x < 0).any():
            raise ValueError(f"x ** {n:g} with a negative x would be a complex number; the "
                             "tensor holds negative numbers (use a whole-number exponent)")
        with np.errstate(over="ignore"):
            data = x**n
        if not np.isfinite(data).all():
            raise OverflowError(f"x ** {n:g} is too large for a float for some numbers of "
                                f"this tensor (the largest is {np.abs(x).max():g})")
        return _node(data, (self,), f"**{n:g}", Tensor._pow_backward, n)

    @staticmethod
    def _pow_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        (a,), n = out._prev, out._saved
        if n == 0:
            return (np.zeros(a.data.shape),)  # out = 1 whatever a is
        if n < 1 and (a.data == 0).any():
            raise ZeroDivisionError(f"the derivative of x ** {n:g} at x = 0 is infinite; "
                                    "the tensor holds a 0")
        return (grad * n * a.data ** (n - 1),)  # d(out)/d(self) = n * self**(n-1)

    def exp(self) -> Tensor:
        """e ** self, number by number."""
        if self.data.size and self.data.max() > _EXP_LIMIT:
            raise OverflowError(f"exp({self.data.max():g}) is too large for a float; exp "
                                f"accepts inputs up to about {_EXP_LIMIT:.2f}")
        return _node(np.exp(self.data), (self,), "exp", Tensor._exp_backward)

    @staticmethod
    def _exp_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad * out.data,)  # d(out)/d(self) = exp(self) = out

    def log(self) -> Tensor:
        """The natural logarithm, number by number (every number must be positive)."""
        if self.data.size and self.data.min() <= 0:
            raise ValueError(f"log is defined for positive numbers only; the tensor holds "
                             f"{self.data.min():g}")
        return _node(np.log(self.data), (self,), "log", Tensor._log_backward)

    @staticmethod
    def _log_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        (a,) = out._prev
        return (grad / a.data,)  # d(out)/d(self) = 1 / self

    def tanh(self) -> Tensor:
        """The hyperbolic tangent, number by number: squashes into (-1, 1)."""
        return _node(np.tanh(self.data), (self,), "tanh", Tensor._tanh_backward)

    @staticmethod
    def _tanh_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad * (1.0 - out.data**2),)  # d(out)/d(self) = 1 - tanh**2 = 1 - out**2

    def relu(self) -> Tensor:
        """max(0, x), number by number."""
        return _node(np.maximum(self.data, 0.0), (self,), "relu", Tensor._relu_backward)

    @staticmethod
    def _relu_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad * (out.data > 0),)  # d(out)/d(self) = 1 where self > 0, else 0

    def sigmoid(self) -> Tensor:
        """1 / (1 + e ** -x), number by number: squashes into (0, 1)."""
        # written with tanh, which never overflows: 1 / (1 + e^-x) = (1 + tanh(x/2)) / 2
        data = 0.5 + 0.5 * np.tanh(0.5 * self.data)
        return _node(data, (self,), "sigmoid", Tensor._sigmoid_backward)

    @staticmethod
    def _sigmoid_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad * out.data * (1.0 - out.data),)  # d(out)/d(self) = out * (1 - out)

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """The sum over `axis` (every axis when None); `keepdims` keeps them as length 1."""
        axes = _axes(axis, self.data.ndim, "sum")
        data = self.data.sum(axis=axes, keepdims=bool(keepdims))
        return _node(data, (self,), "sum", Tensor._sum_backward, (axes, bool(keepdims)))

    @staticmethod
    def _sum_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        (a,), (axes, keepdims) = out._prev, out._saved
        # d(out)/d(self) = 1 for every number summed: the gradient spreads back unchanged
        if axes is None:
            return (np.full(a.data.shape, grad),)  # one number, copied to every position
        if not keepdims:
            grad = np.expand_dims(grad, axes)  # put the summed axes back, as length 1
        return (np.zeros(a.data.shape) + grad,)

    def reshape(self, *shape: int) -> Tensor:
        """The same numbers in a new shape (one size may be -1: "whatever fits")."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError):
            raise ValueError(f"reshape: cannot arrange {self.data.size} numbers (shape "
                             f"{_shape(self.shape)}) as shape {_shape(shape)}") from None
        return _node(data, (self,), "reshape", Tensor._reshape_backward)

    @staticmethod
    def _reshape_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        (a,) = out._prev
        return (grad.reshape(a.data.shape),)  # each number keeps its gradient, in self's shape

    def transpose(self, *axes: int) -> Tensor:
        """The axes in a new order (reversed when none are given); `.T` for a matrix."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        order = tuple(axes) if axes else tuple(reversed(range(self.data.ndim)))
        if sorted(order) != list(range(self.data.ndim)):
            raise ValueError(f"transpose: {order} is not an order of the axes of a tensor "
                             f"of shape {_shape(self.shape)}")
        data = self.data.transpose(order)
        return _node(data, (self,), "transpose", Tensor._transpose_backward, order)

    @staticmethod
    def _transpose_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return (grad.transpose(np.argsort(out._saved)),)  # the inverse order puts axes back

    def __getitem__(self, index: object) -> Tensor:
        """Rows (or any numpy index) of the tensor: `x[idx]` picks a batch."""
        if isinstance(index, Tensor):
            raise TypeError("index a Tensor with ints, slices or an int array, not a Tensor")
        try:
            data = self.data[index]
        except IndexError as error:
            raise IndexError(f"indexing a tensor of shape {_shape(self.shape)}: {error}") from None
        data = np.array(data, dtype=np.float64)  # a copy, never a view of self's numbers
        return _node(data, (self,), "index", Tensor._index_backward, index)

    @staticmethod
    def _index_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        (a,), index = out._prev, out._saved
        picked = np.zeros(a.data.shape)
        np.add.at(picked, index, grad)  # 1 where picked, 0 elsewhere; a row picked twice gets 2
        return (picked,)

    # ----------------------------------------------- compositions of the primitives

    def __neg__(self) -> Tensor:  # -self
        return self * -1.0

    def __radd__(self, other: float | np.ndarray) -> Tensor:  # other + self
        return self + other

    def __sub__(self, other: Tensor | float | np.ndarray) -> Tensor:  # self - other
        return self + (-other if isinstance(other, Tensor) else -_constant(other, "-"))

    def __rsub__(self, other: float | np.ndarray) -> Tensor:  # other - self
        return (-self) + _constant(other, "-")

    def __rmul__(self, other: float | np.ndarray) -> Tensor:  # other * self
        return self * other

    def __truediv__(self, other: Tensor | float | np.ndarray) -> Tensor:  # self * other**-1
        divisor = other.data if isinstance(other, Tensor) else _constant(other, "/")
        if np.any(divisor == 0):
            raise ZeroDivisionError("division by zero: the divisor holds a 0")
        return self * (other**-1 if isinstance(other, Tensor) else 1.0 / divisor)

    def __rtruediv__(self, other: float | np.ndarray) -> Tensor:  # other / self
        return self**-1 * _constant(other, "/")

    def __rmatmul__(self, other: np.ndarray) -> Tensor:  # other @ self
        return _constant_tensor(other, "@") @ self

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """The mean over `axis` (every axis when None): the sum divided by the count."""
        axes = _axes(axis, self.data.ndim, "mean")
        count = self.data.size if axes is None else int(np.prod([self.data.shape[a] for a in axes]))
        if count == 0:
            raise ValueError(f"mean of an empty tensor (shape {_shape(self.shape)}) is undefined")
        return self.sum(axes, keepdims) * (1.0 / count)

    @property
    def T(self) -> Tensor:
        """The transpose: rows become columns."""
        return self.transpose()

    # ------------------------------------------------------------------ backprop

    def backward(self, gradient: float = 1.0) -> None:
        """Fill in `.grad` of every tensor this one depends on, by the chain rule.

        Only a scalar (a tensor of one number, such as a loss) has a gradient to start
        from: its own `.grad` is seeded with `gradient` (1.0: d(self)/d(self)), then each
        node, from the output back to the leaves, passes its gradient to its inputs.
        Gradients accumulate: calling `backward()` twice adds every gradient twice, so
        call `zero_grad()` between steps. Tensors that need no gradient
        (requires_grad=False) are skipped: no rule computes a share for them.
        """
        if self.data.size != 1:
            raise ValueError(
                f"backward() starts from a single number (a loss), but this tensor has shape "
                f"{_shape(self.shape)}; reduce it first, e.g. with .sum() or .mean()")
        seed = _number(gradient, "the gradient passed to backward()")
        if not self.requires_grad:
            raise ValueError(
                "backward() from a tensor that needs no gradient: it was computed only from "
                "tensors made with requires_grad=False (data), so there is nothing to pass a "
                "gradient to; make the parameters with Tensor(array), requires_grad=True")
        if not math.isfinite(self.data.item()):  # only add, * and @ can overflow unchecked
            raise OverflowError(f"this tensor is {self.data.ravel()[0]!r}: a number in the "
                                "forward pass grew too large for a float")
        inner, leaves = _inner_nodes_and_leaves(self)
        # Each call passes back only its own gradient: gradients an earlier call left on
        # inner nodes are set aside and added back at the end (passing them on again
        # would count the earlier call twice in every input).
        earlier = [(node, node._grad) for node in inner if node._grad is not None]
        for node, _ in earlier:
            node._grad = None
        _accumulate(self, np.full(self.data.shape, seed))
        try:
            for node in reversed(inner):
                grad = node._grad
                if grad is None:  # no gradient reached this node
                    continue
                for child, share in zip(node._prev, node._backward(node, grad)):
                    if not child.requires_grad:  # data: its share is None or unused
                        continue
                    if share.shape != child.data.shape:
                        # a broadcast input: sum its shares over the axes it was copied along
                        share = _unbroadcast(share, child.data.shape)
                    # gradients accumulate (see _accumulate), written out here for speed
                    child._grad = share if child._grad is None else child._grad + share
        finally:  # also when a rule raises, so the earlier gradients are not lost
            for node, grad in earlier:
                _accumulate(node, grad)
        leaves = _own_leaf_gradients(leaves)
        # an inf or nan reaches some leaf wherever it starts: looking there is enough. The
        # sum of squares of every leaf's gradient (np.vdot, quick) is inf or nan if one is.
        if not np.isfinite(sum([np.vdot(leaf._grad, leaf._grad) for leaf in leaves])):
            bad = next((n for n in reversed(inner + leaves)
                        if n._grad is not None and not np.isfinite(n._grad).all()), None)
            if bad is not None:  # (None: the gradients are finite, their squares overflowed)
                raise OverflowError(
                    f"a gradient overflowed (inf or nan) at a {bad._op or 'leaf'} node of "
                    f"shape {_shape(bad.shape)}; the inputs or the upstream gradient are "
                    "too large for this expression")

    def zero_grad(self) -> None:
        """Reset `.grad` to zeros on this tensor and everything it was computed from."""
        if not self._prev:  # a leaf, such as a parameter: the usual case
            self._grad = None
            return
        for node in topological_order(self):
            node._grad = None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        if self.data.size <= 6:
            numbers_ = np.array2string(self.data, precision=4, separator=", ")
            return f"Tensor({numbers_}{label})"
        return f"Tensor(shape={_shape(self.shape)}{label})"


# ------------------------------------------------------ softmax cross-entropy


def cross_entropy(logits: Tensor, labels: object) -> Tensor:
    """The mean softmax cross-entropy of `logits` (n, classes) against int `labels` (n,).

    For each row: -log(softmax(row)[label]) = log(sum(exp(row))) - row[label], computed
    with the largest number of each row subtracted first (the log-sum-exp trick), so exp
    never overflows however large the logits get.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"cross_entropy needs the logits as a Tensor, got {_describe(logits)}")
    z = logits.data
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"cross_entropy needs logits of shape (n, classes), one row per "
                         f"sample; got shape {_shape(z.shape)}")
    labels = _labels(labels, z.shape)
    rows = np.arange(z.shape[0])
    shifted = z - z.max(axis=1, keepdims=True)  # the largest of each row is now 0
    log_sum_exp = np.log(np.exp(shifted).sum(axis=1))  # >= 0: one of the terms is e^0 = 1
    losses = log_sum_exp - shifted[rows, labels]
    probs = np.exp(shifted - log_sum_exp[:, None])  # softmax, each row sums to 1
    return _node(np.array(losses.mean()), (logits,), "cross_entropy", _cross_entropy_backward,
                 (probs, labels))


def _cross_entropy_backward(out: Tensor, grad: np.ndarray) -> tuple[np.ndarray, ...]:
    probs, labels = out._saved
    d = probs.copy()
    d[np.arange(len(labels)), labels] -= 1.0  # d(loss_i)/d(z_ij) = softmax_ij - [j == label_i]
    return (d * (grad / len(labels)),)  # the mean divides each row's share by n


def _labels(labels: object, shape: tuple[int, int]) -> np.ndarray:
    """Class labels as an int array of one label per row, each 0 to classes - 1."""
    if isinstance(labels, Tensor):
        labels = labels.data
    array = np.asarray(labels)
    if array.dtype.kind == "f" and np.isfinite(array).all() and (array == np.round(array)).all():
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy needs whole-number class labels, got {_describe(labels)}")
    n, classes = shape
    if array.shape != (n,):
        raise ValueError(f"cross_entropy needs one label per row of the logits: logits of "
                         f"shape {_shape(shape)} need labels of shape ({n},), got shape "
                         f"{_shape(array.shape)}")
    if array.size and (array.min() < 0 or array.max() >= classes):
        raise ValueError(f"labels must be classes 0 to {classes - 1} (the logits have "
                         f"{classes} columns), got labels from {array.min()} to {array.max()}")
    return array


# ------------------------------------------------------------------- helpers


def _number(x: object, what: str) -> float:
    """A real, finite number as a float, or a clear error."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number (int or float), got {_describe(x)}")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return value


def _constant(other: object, op: str) -> float | np.ndarray:
    """A number (as a float) or an array (as a float64 array) to combine with a Tensor;
    anything else is a clear TypeError or ValueError."""
    if type(other) is float or type(other) is int:  # the usual case, answered quickly
        value = float(other)
        if value - value != 0:  # inf or nan
            raise ValueError(f"the other operand of {op} must be a finite number, got {other!r}")
        return value
    if type(other) is np.ndarray and other.dtype == np.float64:  # checked without a copy
        if not np.isfinite(other).all():
            raise ValueError(f"unsupported operand for {op}: the array holds inf or nan")
        return other
    try:
        return _as_array(other, "the other operand")
    except (TypeError, ValueError) as error:
        raise type(error)(f"unsupported operand for {op}: {error}; a Tensor combines with "
                          "another Tensor, a number or a numpy array of numbers") from None


def _constant_tensor(other: object, op: str) -> Tensor:
    """A number or an array as a Tensor (a leaf that needs no gradient), for the operations
    that need one."""
    return Tensor(_constant(other, op), requires_grad=False)


def _broadcasting(ufunc: np.ufunc, a: np.ndarray, b: float | np.ndarray, op: str) -> np.ndarray:
    """ufunc(a, b) with numpy's broadcasting, or an error that names both shapes and op."""
    try:
        return ufunc(a, b)
    except ValueError:
        raise ValueError(
            f"{op}: shapes {_shape(np.shape(a))} and {_shape(np.shape(b))} do not broadcast; "
            "compared from the right, each pair of sizes must be equal or one of them 1"
        ) from None


def _axes(axis: object, ndim: int, op: str) -> tuple[int, ...] | None:
    """`axis` (an int, a tuple of ints or None) as a tuple of axes from 0, or an error."""
    if axis is None:
        return None
    items = axis if isinstance(axis, tuple) else (axis,)
    axes = []
    for a in items:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, numbers.Integral):
            raise TypeError(f"{op}: axis must be an int, a tuple of ints or None, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} does not exist in a tensor with {ndim} axes")
        axes.append(int(a) % ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: axis {axis!r} names an axis twice")
    return tuple(sorted(axes))


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor `root` depends on, inputs before the tensors computed from them.

    Iterative depth-first search (no recursion limit), visiting inputs in operand order;
    `root` comes last.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"expected a Tensor, got {_describe(root)}")
    order: list[Tensor] = []
    visited = {root}  # Tensors hash by identity (Tensor defines no __eq__)
    # each entry: a node and an iterator over the inputs it has still to visit
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for child in inputs:
            if child not in visited:
                visited.add(child)
                if child._prev:
                    stack.append((child, iter(child._prev)))
                    break
                order.append(child)  # a leaf: nothing to visit first
        else:  # every input is in `order`: the node can follow them
            stack.pop()
            order.append(node)
    return order


def _inner_nodes_and_leaves(root: Tensor) -> tuple[list[Tensor], list[Tensor]]:
    """`topological_order(root)` split in two: the computed nodes in order, and the leaves.

    backward() walks only the computed nodes (a leaf has no rule to run), then looks at
    the leaves' gradients. Only tensors that need a gradient are visited: a part of the
    graph computed from data alone (requires_grad=False) is left out.
    """
    inner: list[Tensor] = []
    leaves: list[Tensor] = []
    if not root._prev:
        return inner, [root]
    visited = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for child in inputs:
            if child.requires_grad and child not in visited:
                visited.add(child)
                if child._prev:
                    stack.append((child, iter(child._prev)))
                    break
                leaves.append(child)
        else:
            stack.pop()
            inner.append(node)
    return inner, leaves
