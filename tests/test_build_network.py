"""Notebook 06's pieces: a mistake in an earlier piece is named there, not blamed on a later one."""

import contextlib
import io
import math
import random

from backproplab import build
from backproplab.build import PIECES, check_piece
from backproplab.teaching import show_code


def engine(tmp_path, **replace):
    """A namespace with every piece up to notebook 06 run (the course's, or a replacement)."""
    ns = {"math": math, "random": random}
    for name, piece in PIECES.items():
        if piece.notebook <= "06":
            source = piece.reference
            for old, new in replace.get(name, []):
                assert old in source, old
                source = source.replace(old, new)
            with contextlib.redirect_stdout(io.StringIO()):
                build.build_cell(name, source, ns, folder=tmp_path)
    return ns


def test_the_course_network_passes_every_check(tmp_path):
    ns = engine(tmp_path)
    for name in ("neuron", "layer", "mlp", "train"):
        result = check_piece(name, ns)
        assert result.correct, result.message


def test_a_neuron_without_bias_is_named_in_the_later_pieces(tmp_path):
    ns = engine(tmp_path, neuron=[("        act = act + self.b", "        act = act")])
    assert "leaves out the bias" in check_piece("neuron", ns).message
    for name in ("layer", "mlp", "train"):
        result = check_piece(name, ns)
        assert not result.correct and result.kind == "earlier piece"
        assert "`neuron` piece does not pass" in result.message
        assert "leaves out the bias" in result.message


def test_a_layer_slip_is_named_in_the_mlp_and_train_checks_not_the_neuron(tmp_path):
    ns = engine(tmp_path, layer=[("return outs[0] if len(outs) == 1 else outs", "return outs")])
    assert check_piece("neuron", ns).correct
    for name in ("mlp", "train"):
        message = check_piece(name, ns).message
        assert "`layer` piece does not pass" in message and "bare Value" in message


def test_the_neuron_adds_the_bias_last_as_notebook_05_does(tmp_path):
    ns = engine(tmp_path)
    n = ns["Neuron"](2)
    out = n([1.0, 2.0])
    act = out._prev[0]
    assert act._op == "+" and act._prev[1] is n.b  # (w1*x1 + w2*x2) + b


def test_show_code_gives_the_course_source_under_its_file():
    from backproplab import nn
    assert show_code(nn.Layer).startswith("# backproplab/nn.py\nclass Layer(Module):")
    assert show_code(nn.Module.zero_grad).startswith("# backproplab/nn.py\ndef zero_grad(self)")
