"""The exercises of 03 Computation graphs accept the right answers and reject wrong ones."""

from backproplab.engine import Value, topological_order, weighted_sum
from backproplab.exercises import is_stub, nb03


# ------------------------------------------------------------------ neuron_sum


def test_neuron_sum_accepts_the_solution(capsys):
    def neuron_sum(x1, w1, x2, w2, b):
        return x1 * w1 + x2 * w2 + b

    assert nb03.neuron_sum.check(neuron_sum) is True
    assert "✓" in capsys.readouterr().out


def test_neuron_sum_accepts_another_order_of_the_same_ops():
    assert nb03.neuron_sum.check(lambda x1, w1, x2, w2, b: b + w2 * x2 + w1 * x1)


def test_neuron_sum_rejects_a_result_built_from_plain_numbers(capsys):
    def from_data(x1, w1, x2, w2, b):
        return Value(x1.data * w1.data + x2.data * w2.data + b.data)

    assert nb03.neuron_sum.check(from_data) is False
    assert "no gradient reaches" in capsys.readouterr().out


def test_neuron_sum_rejects_hand_built_nodes_whose_gradients_never_flow(capsys):
    def hand_built(x1, w1, x2, w2, b):
        return Value(x1.data * w1.data + x2.data * w2.data + b.data, (x1, w1, x2, w2, b), "+")

    assert nb03.neuron_sum.check(hand_built) is False
    assert "no gradient reaches" in capsys.readouterr().out


def test_neuron_sum_rejects_a_float_result(capsys):
    def returns_float(x1, w1, x2, w2, b):
        return x1.data * w1.data + x2.data * w2.data + b.data

    assert nb03.neuron_sum.check(returns_float) is False
    assert "return a Value" in capsys.readouterr().out


def test_neuron_sum_rejects_a_forgotten_bias(capsys):
    assert nb03.neuron_sum.check(lambda x1, w1, x2, w2, b: x1 * w1 + x2 * w2) is False
    assert "the result is" in capsys.readouterr().out


def test_neuron_sum_accepts_every_correct_construction(capsys):
    # what the result does is checked (value, gradients), not which nodes build it
    fused = lambda x1, w1, x2, w2, b: weighted_sum([w1, w2], [x1, x2], b)  # noqa: E731
    extra = lambda x1, w1, x2, w2, b: (x1 * w1 + x2 * w2 + b) * 1  # noqa: E731
    micrograd = lambda x1, w1, x2, w2, b: sum([x1 * w1, x2 * w2, b])  # noqa: E731
    for right in (fused, extra, micrograd):
        assert nb03.neuron_sum.check(right) is True


def test_neuron_sum_stub_is_not_answered(capsys):
    def neuron_sum(x1, w1, x2, w2, b):
        """Return x1*w1 + x2*w2 + b as a Value."""
        ...

    assert nb03.neuron_sum.check(neuron_sum) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb03.neuron_sum.check(...) is False


def test_is_stub_tells_stubs_from_answers():
    def stub(a):
        ...

    def passes(a):
        pass

    def answer(a):
        return a

    def adds(a):
        a.grad += 1.0

    assert is_stub(stub) and is_stub(passes)
    assert not is_stub(answer)
    assert not is_stub(adds)
    assert not is_stub(3.0)


# ----------------------------------------------------------------- count_graph


def test_count_graph_accepts_the_true_counts():
    z = nb03.count_graph_expression()
    nodes = topological_order(z)
    assert nb03.count_graph.check((len(nodes), sum(len(v._prev) for v in nodes)))
    # and the worked solution's numbers are those counts
    assert nb03.count_graph.check((7, 8))


def test_count_graph_rejects_wrong_counts(capsys):
    assert nb03.count_graph.check((6, 8)) is False  # forgot the constant 2
    assert "constant 2" in capsys.readouterr().out
    assert nb03.count_graph.check((7, 4)) is False  # counted op nodes, not links
    assert nb03.count_graph.check((5, 8)) is False
    assert nb03.count_graph.check(7) is False


def test_count_graph_placeholder_is_not_answered(capsys):
    assert nb03.count_graph.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


# ----------------------------------------------------------------- stale_value


def test_stale_value_accepts_the_stored_value():
    assert nb03.stale_value.check(10.0)
    assert nb03.stale_value.check(10)


def test_stale_value_rejects_the_recomputed_and_other_values(capsys):
    assert nb03.stale_value.check(17.0) is False
    assert "nothing ran it again" in capsys.readouterr().out
    assert nb03.stale_value.check(16.0) is False
    assert nb03.stale_value.check("10") is False


def test_stale_value_placeholder_is_not_answered(capsys):
    assert nb03.stale_value.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


def test_every_exercise_has_graded_hints_and_a_solution(capsys):
    for exercise in (nb03.neuron_sum, nb03.count_graph, nb03.stale_value):
        assert 2 <= len(exercise.hints) <= 3
        exercise.solution()
        assert exercise.title in capsys.readouterr().out
