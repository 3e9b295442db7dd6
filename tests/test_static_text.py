"""What a static page (GitHub, nbviewer, an HTML export) shows where a widget would be.

Those pages cannot run widgets and show the widget's text form instead, which by default
is ipywidgets' repr: `Lab(children=(HBox(children=(Play(value=0, ...`. Each course widget
gives a sentence instead: what it does, and where it runs.
"""

from __future__ import annotations

import json

import pytest

from backproplab import widgets
from backproplab.setup_check import widget_test
from notebook_tools import NOTEBOOKS, ids

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def readable(text: str) -> None:
    assert "children=" not in text and "Layout(" not in text, text
    assert all(place in text for place in ("Jupyter", "Binder", "Colab")), text
    assert text.endswith(".") and not text.endswith("…"), text


@pytest.fixture(scope="module")
def every_widget():
    from backproplab import train
    from backproplab.engine import Value
    from backproplab.nn import MLP

    out = (Value(2.0, label="a") * Value(-3.0, label="b")).tanh()
    trainer = train.Trainer(MLP(2, [3, 1], seed=0), [[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0], loss="mse")
    return {
        "graph_explorer": widgets.graph_explorer(lambda a, b: a * b, a=2.0, b=-3.0),
        "chain_rule_paths": widgets.chain_rule_paths(lambda x, y: x * y + x, x=2.0, y=-3.0),
        "neuron_playground": widgets.neuron_playground(),
        "derivative_lab": widgets.derivative_lab(),
        "backprop_stepper": widgets.backprop_stepper(out),
        "training_dashboard": widgets.training_dashboard(trainer),
        "widget_test": widget_test(),
    }


@pytest.mark.parametrize("name", ["graph_explorer", "chain_rule_paths", "neuron_playground",
                                  "derivative_lab", "backprop_stepper", "training_dashboard",
                                  "widget_test"])
def test_widget_reads_as_a_sentence_on_a_static_page(every_widget, name):
    bundle = every_widget[name]._repr_mimebundle_()
    assert WIDGET_VIEW in bundle, "the live widget must still be sent to Jupyter"
    readable(bundle["text/plain"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_widget_outputs_read_as_sentences(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = ["".join(out["data"].get("text/plain", "")) for cell in nb["cells"]
             for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    for text in texts:
        readable(text)
