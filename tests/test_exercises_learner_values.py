"""Exercise checks meet the learner's own Value class (notebooks 03-07 build one, and the
notebook's `Value` is then theirs, not the course's): a Value answer is read as its number,
and a function that wraps numbers in a new Value of its own is told what it did."""

import pytest

from backproplab.exercises import nb03, nb05, nb07, read_number


class LearnerValue:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, tuple(_children), _op, label
        self._backward = lambda: None


def test_a_learner_value_as_an_answer_is_read_as_its_number():
    assert read_number(LearnerValue(2.5)) == 2.5


@pytest.mark.parametrize("exercise, answer, says", [
    (nb03.neuron_sum, lambda x1, w1, x2, w2, b: LearnerValue(x1.data * w1.data + x2.data * w2.data + b.data),
     "built from x1, w1, x2, w2 and b"),
    (nb05.tanh_from_exp, lambda n: LearnerValue(0.5), "built from n"),
    (nb07.hinge_l2_loss, lambda scores, labels, params, alpha: LearnerValue(1.0),
     "built from the scores and params"),
])
def test_a_new_value_made_from_numbers_is_named_as_the_slip(exercise, answer, says, capsys):
    assert exercise.check(answer) is False
    out = capsys.readouterr().out
    assert says in out and "not their .data" in out and "should be a number" not in out
