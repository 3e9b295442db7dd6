"""Graph drawings (DOT text, SVG, determinism, the missing-`dot` fallback, the size guard),
the chain-rule path listing and the course plots."""

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from backproplab import viz
from backproplab.data import make_moons
from backproplab.engine import Value
from lecture import lecture_values
from backproplab.nn import MLP
from backproplab.viz import (
    describe_paths,
    draw_graph,
    graph_outline,
    plot_activations,
    plot_decision_boundary,
    plot_difference_errors,
    plot_function,
    plot_loss_curve,
    plot_slope,
)


def lecture_graph(run_backward=True):
    """L = (a*b + c) * f from the lecture, with its labels."""
    L, _ = lecture_values()
    if run_backward:
        L.backward()
    return L


def node_lines(dot_source):
    return [ln.strip() for ln in dot_source.splitlines() if "[label=" in ln]


def edges(dot_source):
    return [ln.strip() for ln in dot_source.splitlines() if "->" in ln]


# ------------------------------------------------------------------ DOT text


def test_dot_has_a_record_per_value_with_label_data_and_grad():
    src = draw_graph(lecture_graph()).source
    records = [ln for ln in node_lines(src) if "shape=record" in ln]
    labels = [re.search(r'label="([^"]*)"', ln).group(1) for ln in records]
    assert labels == [
        "{ a | data 2.0000 | grad 6.0000 }",
        "{ b | data -3.0000 | grad -4.0000 }",
        "{ e | data -6.0000 | grad -2.0000 }",
        "{ c | data 10.0000 | grad -2.0000 }",
        "{ d | data 4.0000 | grad -2.0000 }",
        "{ f | data -2.0000 | grad 4.0000 }",
        "{ L | data -8.0000 | grad 1.0000 }",
    ]


def test_dot_has_an_op_node_per_operation_and_edges_in_operand_order():
    src = draw_graph(lecture_graph()).source
    ops = [ln for ln in node_lines(src) if "shape=record" not in ln]
    assert [re.search(r'label="([^"]*)"', ln).group(1) for ln in ops] == ["*", "+", "*"]
    assert edges(src) == [
        "n2op -> n2",
        "n4op -> n4",
        "n6op -> n6",
        "n0 -> n2op",  # a  -> (*) -> e
        "n1 -> n2op",  # b  -> (*)
        "n2 -> n4op",  # e  -> (+) -> d
        "n3 -> n4op",  # c  -> (+)
        "n4 -> n6op",  # d  -> (*) -> L
        "n5 -> n6op",  # f  -> (*)
    ]
    assert "rankdir=LR" in src


def test_value_used_twice_gets_two_edges_into_its_operation():
    a = Value(3.0, label="a")
    b = a + a
    src = draw_graph(b).source
    assert edges(src).count("n0 -> n1op") == 2


def test_same_graph_built_twice_gives_identical_dot_without_memory_addresses():
    first = draw_graph(lecture_graph()).source
    second = draw_graph(lecture_graph()).source
    assert first == second
    assert not re.search(r"\d{8,}|0x[0-9a-f]+", first)


def test_same_graph_gives_identical_svg_bytes():
    first = draw_graph(lecture_graph()).pipe(format="svg")
    second = draw_graph(lecture_graph()).pipe(format="svg")
    assert first == second
    assert first.lstrip().startswith(b"<?xml") and b"<svg" in first


def test_svg_shows_labels_values_and_grads():
    svg = draw_graph(lecture_graph()).svg()
    for text in ("data 2.0000", "grad 6.0000", "data &#45;8.0000", "grad 1.0000", ">L<", ">*<", ">+<"):
        assert text in svg, text


def test_show_grad_false_leaves_grads_out():
    src = draw_graph(lecture_graph(), show_grad=False).source
    assert "grad" not in src
    assert "{ a | data 2.0000 }" in src


def test_top_to_bottom_layout_keeps_fields_reading_across():
    src = draw_graph(lecture_graph(), rankdir="TB").source
    assert "rankdir=TB" in src
    assert 'label="a | data 2.0000 | grad 6.0000"' in src


def test_highlight_fills_only_the_given_node():
    L = lecture_graph()
    e = L._prev[0]._prev[0]
    src = draw_graph(L, highlight=[e]).source
    filled = [ln for ln in node_lines(src) if "fillcolor" in ln]
    assert filled and all(ln.startswith(("n2 ", "n2op ")) for ln in filled)
    with pytest.raises(TypeError, match="highlight"):
        draw_graph(L, highlight=["e"])


def test_color_by_grad_uses_blue_for_positive_and_red_for_negative():
    src = draw_graph(lecture_graph(), color_by_grad=True).source
    colours = dict(re.findall(r'(n\d) \[label="\{ \w.*?fillcolor="#(\w+)"', src))
    r, g, b = (int(colours["n0"][i : i + 2], 16) for i in (0, 2, 4))  # a: grad +6
    assert b > r
    r, g, b = (int(colours["n1"][i : i + 2], 16) for i in (0, 2, 4))  # b: grad -4
    assert r > b


def test_grads_override_shows_given_gradients_without_touching_values():
    L = lecture_graph(run_backward=False)
    src = draw_graph(L, grads={L: 1.0}).source
    assert "{ L | data -8.0000 | grad 1.0000 }" in src
    assert "{ a | data 2.0000 | grad 0.0000 }" in src
    assert L.grad == 0.0


def test_record_special_characters_in_labels_are_escaped():
    a = Value(1.0, label="x|y{z}")
    b = a * 2
    b.label = "<out>"
    drawing = draw_graph(b)
    svg = drawing.svg()
    assert "x|y{z}" in svg and "&lt;out&gt;" in svg


def test_bad_arguments_are_clear_errors():
    with pytest.raises(TypeError, match="expected the Value"):
        draw_graph(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(lecture_graph(), rankdir="sideways")
    with pytest.raises(ValueError, match="max_nodes"):
        draw_graph(lecture_graph(), max_nodes=0)


# ------------------------------------------------------------------ no dot / big graphs


def test_missing_dot_displays_message_and_outline_instead_of_raising(monkeypatch, tmp_path):
    drawing = draw_graph(lecture_graph())
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` anywhere
    bundle = drawing._repr_mimebundle_()
    text = bundle["text/plain"]
    assert "`dot` program was not found" in text
    assert "apt-get install graphviz" in text and "brew install graphviz" in text
    assert "conda install" in text and "Windows" in text
    assert "L  data    -8.0000  grad     1.0000  = d * f" in text
    assert "&lt;" not in text and "<pre>" in bundle["text/html"]
    # what Jupyter does when a cell's value is the drawing: no exception either
    data, _ = DisplayFormatter().format(drawing)
    assert "`dot` program was not found" in data["text/plain"]


def test_a_copy_keeps_the_outline_for_the_missing_dot_message(monkeypatch, tmp_path):
    copy = draw_graph(lecture_graph()).copy()
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "L  data    -8.0000" in copy._repr_mimebundle_()["text/plain"]


def test_with_dot_jupyter_gets_svg():
    data, _ = DisplayFormatter().format(draw_graph(lecture_graph()))
    assert "<svg" in data["image/svg+xml"]


def chain(n):
    v = Value(1.0, label="x")
    for _ in range(n):
        v = v * 1.0001 + 0.1
    return v


def test_huge_graph_is_summarised_quickly_with_a_way_to_raise_the_limit():
    root = chain(15_000)  # 60,001 values
    drawing = draw_graph(root)
    assert drawing.summarised and drawing.value_count == 60_001
    assert len(node_lines(drawing.source)) == 1
    assert "60001 values, more than max_nodes=300" in drawing.source
    assert "pass max_nodes=60001" in drawing.outline
    assert "<svg" in drawing.svg()


def test_raising_max_nodes_draws_the_graph_in_full():
    root = chain(100)  # 401 values
    assert draw_graph(root).summarised
    full = draw_graph(root, max_nodes=401)
    assert not full.summarised
    assert len([ln for ln in node_lines(full.source) if "shape=record" in ln]) == 401


def test_outline_lists_every_value_inputs_first():
    text = graph_outline(lecture_graph())
    lines = text.splitlines()
    assert [ln.split()[0] for ln in lines] == ["a", "b", "e", "c", "d", "f", "L"]
    assert lines[0].endswith("(input)") and lines[2].endswith("= a * b")
    assert "grad     6.0000" in lines[0]
    x = Value(0.5)
    y = (x**2).tanh()
    assert graph_outline(y).splitlines()[-1].endswith("= tanh(n1)")
    assert "= n0**2" in graph_outline(y)


def test_tiny_and_huge_numbers_stay_readable():
    a = Value(1e-7, label="a")
    b = a * 1e15
    b.label = "b"
    src = draw_graph(b).source
    assert "{ a | data 1.0000e-07 | grad 0.0000 }" in src
    assert "{ b | data 1.0000e+08 | grad 0.0000 }" in src
    assert "data 1.0000e-07" in graph_outline(b)
    assert "data 2.5000 |" in draw_graph(Value(2.5)).source


def test_path_listing_is_capped_and_says_so():
    x = Value(0.5, label="x")
    v = x
    for _ in range(12):  # each level doubles the number of paths: 4096 in all
        v = v * v.tanh()
    v.label = "out"
    text = describe_paths(v, max_paths=50)
    assert "path 50:" in text and "path 51:" not in text
    assert "only the first 50 paths are listed" in text
    assert "sum over 50 paths listed (a partial sum)" in text


def test_outline_of_a_huge_graph_is_cut_short():
    text = graph_outline(chain(1000))
    assert len(text.splitlines()) == 301
    assert text.endswith("... and 3701 more values (the last is the output)")


# ------------------------------------------------------------------ chain rule paths


def test_describe_paths_spells_out_each_path_and_sums_them():
    x = Value(3.0, label="x")
    y = x * x + x
    y.label = "y"
    text = describe_paths(y)
    assert "path 1: x -> n1 -> y" in text
    assert "local slopes (x->n1: 6.0000) * (n1->y: 1.0000) = 6.0000" in text
    assert "path 2: x -> y" in text
    assert "∂y/∂x = sum over 2 paths: 7.0000" in text
    assert "(x->y: 1.0000) = 1.0000" in text  # the direct edge: its local slope, not ∂y/∂x
    y.backward()
    assert x.grad == 7.0


def test_path_sums_equal_backward_on_a_diamond_with_reuse():
    a = Value(0.7, label="a")
    b = Value(-1.3, label="b")
    c = a * b
    d = c.tanh() + c * a
    e = (d * b + a.exp()).sigmoid()
    e.label = "e"
    table = viz.chain_rule_paths_table(e)
    e.backward()
    assert [entry["name"] for entry in table] == ["a", "b"]
    for entry in table:
        assert entry["total"] == pytest.approx(entry["leaf"].grad, rel=1e-12)
        for path in entry["paths"]:
            assert path["nodes"][0] is entry["leaf"] and path["nodes"][-1] is e
    assert len(table[0]["paths"]) == 4  # a reaches e through c (twice), a*..., exp


def test_describe_paths_leaves_out_constants_unless_asked():
    a = Value(2.0, label="a")
    out = a * 3.0
    out.label = "out"
    assert "∂out/∂n1" not in describe_paths(out)
    assert "∂out/∂n1" in describe_paths(out, include_unlabelled=True)


# ------------------------------------------------------------------ plots


def quad(x):
    return 3 * x**2 - 4 * x + 5


def assert_readable(fig, n_axes=1, legend=True):
    assert len(fig.axes) == n_axes
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel()
        if legend:
            assert ax.get_legend() is not None
    assert fig.number not in plt.get_fignums()  # closed: Jupyter shows it once


def test_plot_function_draws_f_over_the_range():
    fig = plot_function(quad, (-5, 5), label="3x² - 4x + 5")
    assert_readable(fig)
    line = fig.axes[0].lines[0]
    assert line.get_xdata()[0] == -5 and line.get_ydata()[-1] == quad(5.0)
    assert tuple(fig.get_size_inches()) == (6, 4)


def test_plot_slope_reports_secant_and_tangent_slopes():
    fig = plot_slope(quad, 2.0, 0.5)
    assert_readable(fig)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "secant through x and x+h: slope 9.5000" in legend
    assert "tangent at x: slope 8.0000" in legend
    with pytest.raises(ValueError, match="h must not be 0"):
        plot_slope(quad, 2.0, 0)


def test_difference_errors_show_truncation_and_round_off():
    fig = plot_difference_errors(np.sin, np.cos, 1.0)
    assert_readable(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    curves = {ln.get_label(): (ln.get_xdata(), ln.get_ydata()) for ln in ax.lines}
    assert set(curves) == {"forward, float64", "central, float64", "forward, float32", "central, float32"}

    def error_at(name, h):
        hs, errs = curves[name]
        return errs[np.argmin(abs(np.log(hs) - np.log(h)))]

    # truncation: forward error ~ h * |f''|/2, central ~ h**2 * |f'''|/6
    assert error_at("forward, float64", 1e-2) == pytest.approx(1e-2 * np.sin(1) / 2, rel=0.05)
    assert error_at("central, float64", 1e-2) == pytest.approx(1e-4 * np.cos(1) / 6, rel=0.05)
    # round-off: tiny h is worse than a moderate one, and far worse in float32
    assert error_at("forward, float64", 1e-13) > 100 * error_at("forward, float64", 1e-8)
    assert error_at("central, float32", 1e-4) > 100 * error_at("central, float64", 1e-4)


def test_plot_activations_uses_the_engine_derivatives():
    fig = plot_activations()
    assert [ax.get_title() for ax in fig.axes] == ["tanh", "relu", "sigmoid"]
    # notebook 05 calls the activation's input n, the neuron's sum
    assert [ax.get_xlabel() for ax in fig.axes] == ["n", "n", "n"]
    assert fig.axes[0].get_ylabel() == "activation(n)"
    assert fig.number not in plt.get_fignums()
    tanh_ax = fig.axes[0]
    xs, ys = tanh_ax.lines[0].get_data()
    _, ds = tanh_ax.lines[1].get_data()
    assert np.allclose(ys, np.tanh(xs)) and np.allclose(ds, 1 - np.tanh(xs) ** 2)
    only_relu = plot_activations(["relu"], derivatives=False).axes[0]
    assert [t.get_text() for t in only_relu.get_legend().get_texts()] == ["relu"]
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        plot_activations(["softmax"])


def test_plot_loss_curve_and_its_empty_state():
    fig = plot_loss_curve([3.0, 2.0, 1.5], title="Squared error")
    # a single curve is named by its axis; a legend would only cover the curve's end
    assert_readable(fig, legend=False)
    assert fig.axes[0].get_ylabel() == "loss" and fig.axes[0].get_legend() is None
    assert fig.axes[0].get_title() == "Squared error"
    assert list(fig.axes[0].lines[0].get_ydata()) == [3.0, 2.0, 1.5]
    empty = plot_loss_curve([])
    assert "no training steps yet" in empty.axes[0].texts[0].get_text()


def test_decision_boundary_matches_the_models_own_predictions():
    X, y = make_moons(40, seed=3)
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=5)
    points = np.array([[0.3, -0.2], [1.5, 0.4], [-1.0, 1.0]])
    fast = viz._model_scores(model, points)
    slow = [model(list(p)).data for p in points]
    assert np.allclose(fast, slow, rtol=1e-12, atol=1e-12)
    fig = plot_decision_boundary(model, X, y, resolution=30)
    assert_readable(fig)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["class 0", "class 1"]
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plot_decision_boundary(model, X[:, :1], y)


@pytest.mark.parametrize("activation, output, fused", [
    ("relu", "linear", True), ("tanh", "tanh", False), ("sigmoid", "linear", False)])
def test_the_boundary_from_the_weights_equals_the_value_graph_on_every_grid_point(
        activation, output, fused):
    X, y = make_moons(30, seed=7)
    model = MLP(2, [5, 4, 1], activation=activation, output_activation=output, seed=3,
                fused=fused)
    live = viz.LiveDecisionBoundary(X, y, resolution=15)
    live.update(model)
    # each grid point through the model's own Value graph, as a learner would call it
    by_graph = np.array([model([float(a), float(b)]).data for a, b in live.points])
    assert live.scores.shape == (15, 15)
    assert np.allclose(live.scores.ravel(), by_graph, rtol=1e-12, atol=1e-12)
    assert np.array_equal(live.scores.ravel() > 0, by_graph > 0)  # the same colours
    # the still picture draws the same regions on the same grid
    static = plot_decision_boundary(model, X, y, resolution=15)
    drawn = [c for c in static.axes[0].collections if hasattr(c, "levels")]
    live_drawn = [c for c in live.ax.collections if hasattr(c, "levels")]
    assert len(drawn) == len(live_drawn) >= 1
    for a, b in zip(drawn, live_drawn):
        assert [p.vertices.tolist() for p in a.get_paths()] == [
            p.vertices.tolist() for p in b.get_paths()]


def test_live_loss_curve_grows_to_the_right_and_rescales_only_when_needed():
    live = viz.LiveLossCurve(50)
    live.update([])
    live.png()
    assert live.empty_text.get_visible() and live.ax.get_xlim() == (0, 51)
    live.update([2.0])
    live.png()
    assert not live.empty_text.get_visible() and live.ax.get_ylim()[1] > 2.0
    full = live.full_redraws
    live.update([2.0, 1.5, 1.0])
    png = live.png()
    assert live.full_redraws == full and png.startswith(b"\x89PNG")  # only the curve moved
    assert list(live.line.get_ydata()) == [2.0, 1.5, 1.0]
    live.update([2.0, 1.5, 1.0, 5.0])  # beyond the top: the axis is redrawn to show it
    live.png()
    assert live.full_redraws == full + 1 and live.ax.get_ylim()[1] > 5.0


def test_plots_are_deterministic():
    first = viz.figure_to_svg(plot_slope(quad, 2.0, 0.5))
    second = viz.figure_to_svg(plot_slope(quad, 2.0, 0.5))
    assert first == second


def test_plot_into_given_axes_returns_that_figure_open():
    fig, ax = plt.subplots()
    try:
        assert plot_loss_curve([1.0, 0.5], ax=ax) is fig
        assert fig.number in plt.get_fignums()
    finally:
        plt.close(fig)


def test_wide_drawings_are_scaled_to_fit_a_notebook_column():
    xs = [Value(float(i), label=f"x{i}") for i in range(8)]
    total = sum(x * x for x in xs)
    assert 'size="8,1000"' in draw_graph(total).source
    assert not re.search(r"[\s\[]size=", draw_graph(total, max_width=None).source)
    width = float(re.search(r'<svg width="([\d.]+)pt"', draw_graph(total).svg()).group(1))
    assert width <= 8 * 72 + 1  # 768 px: JupyterLab's column at 1280 px, file browser open
    with pytest.raises(ValueError, match="max_width"):
        draw_graph(total, max_width=0)


def test_zero_never_reads_as_minus_zero():
    # (c - 6) * f at c = 6, f = -2 is -0.0 in floating point; a learner should see 0
    c = Value(6.0, label="c")
    out = (c - 6) * Value(-2.0, label="f")
    out.label = "L"
    assert out.data == 0 and math.copysign(1, out.data) == -1
    assert "-0.0000" not in draw_graph(out).source
    assert "data 0.0000" in draw_graph(out).source


def test_a_drawing_carries_a_png_for_untrusted_notebooks():
    """JupyterLab shows stored SVG only in a trusted notebook: a fresh clone's notebook
    shows the PNG beside it instead of the text line."""
    import base64

    x = Value(2.0, label="x")
    bundle = draw_graph(x * x + 1)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith(("<?xml", "<svg", "<!--"))
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
