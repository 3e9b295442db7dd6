"""`teaching.show_code`: the course engine's code, shown beside the learner's own piece."""

import pytest

from backproplab import engine
from backproplab.teaching import show_code


def test_show_code_gives_the_source_of_each_function_in_turn():
    code = show_code(engine.Value.tanh, engine.Value._tanh_backward)
    # the methods come out dedented, as they would read at the top of a file
    assert code.startswith("# backproplab/engine.py\ndef tanh(self) -> Value:")
    assert "\n\n# backproplab/engine.py\ndef _tanh_backward(out: Value, grad: float) -> None:" in code
    assert "self.grad += (1 - t * t) * grad" in code
    # a notebook shows it as a highlighted Python block; a console as plain code
    assert code._repr_markdown_() == f"```python\n{code}\n```"
    assert repr(code) == str(code)


def test_show_code_says_what_it_can_show():
    with pytest.raises(TypeError, match="functions and classes written in Python, got int 3"):
        show_code(3)
    with pytest.raises(TypeError, match="at least one function"):
        show_code()
