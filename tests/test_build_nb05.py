"""Notebook 05's pieces: a check names the earlier piece that is really wrong."""

from __future__ import annotations

from backproplab import build
from test_build import sources


def test_div_sub_names_a_wrong_pow_instead_of_blaming_division():
    """a / b is a * b**-1: with the learner's ** wrong, / gives wrong gradients, and the
    message says the cause is ** (piece `pow`), not the one-line composition."""
    ns: dict = {}
    exec("import math, random", ns)
    src = sources({"pow": [("self.data**(other - 1)", "self.data**other")]})
    for name in ["value", "add_mul_backward", "topo", "backward", "tanh", "relu", "exp", "pow", "div_sub"]:
        exec(src[name], ns)
    result = build.check_piece("div_sub", ns)
    assert not result.correct
    assert result.message.startswith("this check's graphs use ** too, and your ** (piece "
                                     "`pow`) is not right yet"), result.message
    assert "drops by one" in result.message
