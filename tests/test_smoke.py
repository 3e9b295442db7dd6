from backproplab.engine import Value


def test_reused_value_gets_both_gradients():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
