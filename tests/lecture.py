"""The lecture's expression L = (a*b + c) * f, with its labels, for the viz and widget tests."""

from backproplab.engine import Value


def lecture_values():
    """L and its named values a, b, c, e, d, f (no backward pass yet)."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return L, {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f}
