"""Exercises for notebook 07, Training on real-looking data.

    from backproplab.exercises import nb07
    nb07.hinge_values.check(answer)

Five exercises: the hinge loss of a few score/label pairs by hand, the hinge data loss
plus L2 regularisation as a function of Values (value and gradients checked), which
points a model gets wrong, the learning rate at step k of the decaying schedule, and
which relu neurons of a layer are dead on a set of points.
"""

from __future__ import annotations

from ..engine import Value
from . import (Exercise, Verdict, call, close, need_function, read_indices, read_number,
               read_numbers, same, value_verdict)
from .variants import Variant

__all__ = ["hinge_values", "hinge_l2_loss", "misclassified", "learning_rate", "dead_neurons"]


# ------------------------------------------------------------ 1. hinge by hand

# (label, score) pairs for exercise 1; the loss of each is max(0, 1 - label * score).
# Margins 2.5, 0.25, -0.5, 1.0, -0.5: beyond, inside, wrong side, exactly on the margin;
# the slips (no max, the sign, no label, no 1) each change a different pair.
HINGE_PAIRS = ((+1, 2.5), (+1, 0.25), (-1, 0.5), (-1, -1.0), (+1, -0.5))


def _hinge(label: float, score: float) -> float:
    return max(0.0, 1.0 - label * score)


def _pairs_of(n: dict) -> tuple[tuple[int, float], ...]:
    return tuple(zip((+1, +1, -1, -1, +1), (n["s0"], n["s1"], n["s2"], n["s3"], n["s4"])))


def _hinge_slips(pairs) -> list[list[float]]:
    return [[_hinge(y, s) for y, s in pairs], [1.0 - y * s for y, s in pairs],
            [max(0.0, 1.0 + y * s) for y, s in pairs], [max(0.0, 1.0 - s) for _, s in pairs],
            [max(0.0, -y * s) for y, s in pairs]]


def _hinge_derived(n: dict) -> dict:
    pairs = _pairs_of(n)
    return {"margins": ", ".join(f"{y * s:g}" for y, s in pairs),
            "losses": ", ".join(f"{_hinge(y, s):g}" for y, s in pairs),
            "inside": f"{_hinge(*pairs[1]):g}"}


# a student's own scores, each pair keeping its part: beyond the margin, inside it, on
# the wrong side, exactly on it (-1, -1.0), on the wrong side; every slip still differs
_HINGE_VARIANT = Variant(
    dict(zip(("s0", "s1", "s2", "s3", "s4"), (s for _, s in HINGE_PAIRS))),
    lambda rng: {"s0": rng.choice((2.5, 1.5, 3.0, 2.0)), "s1": rng.choice((0.25, 0.5, 0.75, 0.4)),
                 "s2": rng.choice((0.5, 0.3, 0.8, 1.2)), "s3": -1.0,
                 "s4": rng.choice((-0.5, -0.2, -1.5, -0.8))},
    lambda n: "(label, score) pairs " + ", ".join(f"({y:+d}, {s:g})" for y, s in _pairs_of(n)),
    valid=lambda n: all(not same(slip, _hinge_slips(_pairs_of(n))[0], 1e-6)
                        for slip in _hinge_slips(_pairs_of(n))[1:]),
    derived=_hinge_derived,
)


def _check_hinge_values(answer: object) -> Verdict:
    pairs = _pairs_of(_HINGE_VARIANT.numbers())
    got = read_numbers(answer, [f"loss {i}" for i in range(len(pairs))])
    expected = [_hinge(y, s) for y, s in pairs]
    if same(got, expected, 1e-6):
        return Verdict(True, "Points 0 and 3 sit at or beyond the margin (label * score "
                             ">= 1) and cost nothing; the others are pushed.")
    slips = [
        ([1.0 - y * s for y, s in pairs],
         "some of your losses are negative. The hinge is max(0, 1 - y*s): it never goes "
         "below 0, so a point beyond the margin costs exactly 0."),
        ([max(0.0, 1.0 + y * s) for y, s in pairs],
         "the sign is flipped: with your formula a confident right answer costs the most. "
         "The margin is label * score, and the loss is 1 minus it."),
        ([max(0.0, 1.0 - s) for _, s in pairs],
         "the label is missing: for a label of -1 a negative score is the right answer. "
         "Multiply the score by the label first."),
        ([max(0.0, -y * s) for y, s in pairs],
         "the 1 is missing: the hinge is max(0, 1 - label * score), so a right answer "
         "inside the margin still costs something."),
    ]
    for numbers, message in slips:
        if same(got, numbers, 1e-6):
            return Verdict(False, message)
    wrong = [i for i, (g, e) in enumerate(zip(got, expected)) if not close(g, e, 1e-6)]
    y, s = pairs[wrong[0]]
    return Verdict(False, f"Pair {wrong[0]} (label {y:+d}, score {s}) should not cost "
                          f"{got[wrong[0]]:g}. Work out label * score first.")


hinge_values = Exercise(
    "The hinge loss by hand",
    _check_hinge_values,
    hints=[
        "For each pair, first compute the margin label * score. Positive means the "
        "point is on the right side; 1 or more means it is safely on the right side.",
        "The loss is max(0, 1 - margin). A margin of 2.5 costs max(0, -1.5) = 0.",
        "The margins are {margins}. Now apply max(0, 1 - margin) to each.",
    ],
    solution=(
        "margins = [y * s for y, s in pairs]        # {margins}\n"
        "answer = [max(0, 1 - m) for m in margins]  # [{losses}]\n\n"
        "Point 3 sits exactly on the margin (label * score = 1) and costs 0; point 1 is\n"
        "classified correctly (positive margin) yet still costs {inside}: it is inside the margin."
    ),
    expects="a list of five numbers, one hinge loss per pair",
    variant=_HINGE_VARIANT,
)


# ------------------------------------------- 2. hinge data loss + L2, as Values

# the data the check uses: (scores, labels, params, alpha, upstream gradient).
# No margin is exactly 1, where relu's kink would make the gradient ambiguous; upstream
# gradients other than 1 and of both signs; more points than params and the other way
# round (so a sum for a mean, or scores regularised in place of params, shows).
LOSS_CASES = (
    ([1.5, 0.3, -0.8, -2.0, 0.9], [1, -1, -1, 1, 1], [0.5, -1.2, 2.0], 0.01, 2.5),
    ([0.2, -3.0, 0.7], [-1, -1, 1], [1.0, -0.25, 0.75, -2.0], 1e-4, -0.5),
    ([4.0, -1.1], [1, -1], [3.0], 0.1, 3.0),
)
_LOSS_SHOWN = "total_loss(scores, labels, params, alpha)"


def _reference_loss(scores: list[float], labels: list[int], params: list[float],
                    alpha: float) -> tuple[float, list[float], list[float]]:
    """The loss and its gradients (upstream 1), worked out by hand with floats."""
    n = len(scores)
    data = sum(_hinge(y, s) for y, s in zip(labels, scores)) / n
    total = data + alpha * sum(p * p for p in params)
    d_scores = [(-y / n if y * s < 1 else 0.0) for y, s in zip(labels, scores)]
    d_params = [2 * alpha * p for p in params]
    return total, d_scores, d_params


def _check_hinge_l2_loss(answer: object) -> Verdict:
    fn = need_function(answer, _LOSS_SHOWN)
    for scores, labels, params, alpha, upstream in LOSS_CASES:
        s_values = [Value(s) for s in scores]
        p_values = [Value(p) for p in params]
        out = call(fn, (s_values, list(labels), p_values, alpha), _LOSS_SHOWN)
        verdict = value_verdict(out, "the scores and params")
        if verdict is not None:
            return verdict
        if [v.data for v in s_values] != scores or [v.data for v in p_values] != params:
            return Verdict(False, "Your function changed the .data of a score or a "
                                  "parameter; build new Values from them.")
        total, d_scores, d_params = _reference_loss(scores, list(labels), params, alpha)
        case = f"With scores {scores}, labels {list(labels)}, params {params}, alpha {alpha}"
        if not close(out.data, total):
            reg = alpha * sum(p * p for p in params)
            data_only = total - reg
            reason = ""
            if close(out.data, data_only):
                reason = " That is the data loss alone: add alpha * sum(p*p) over params."
            elif close(out.data, data_only * len(scores) + reg):
                reason = " That is the sum of the hinge losses: take their mean."
            elif close(out.data, data_only + reg / len(params)):
                reason = " The regularisation is alpha times the sum of p*p, not the mean."
            return Verdict(False, f"{case} the loss should be {total:.6g}, "
                                  f"yours is {out.data:.6g}.{reason}")
        out.backward(upstream)
        got_s = [v.grad for v in s_values]
        got_p = [v.grad for v in p_values]
        want_s = [upstream * g for g in d_scores]
        want_p = [upstream * g for g in d_params]
        if not (same(got_s, want_s) and same(got_p, want_p)):
            return Verdict(False, f"{case} the value is right, but after "
                                  f"backward({upstream}) the gradients are "
                                  f"scores {[round(g, 6) for g in got_s]}, params "
                                  f"{[round(g, 6) for g in got_p]}; expected scores "
                                  f"{[round(g, 6) for g in want_s]}, params "
                                  f"{[round(g, 6) for g in want_p]}. Build the loss only "
                                  "from Value operations (relu, *, +) on the inputs.")
    return Verdict(True, "Value and gradients agree on every case, including an upstream "
                         "gradient of 2.5 and one of -0.5.")


def _hinge_l2_error(error: BaseException) -> str | None:
    """The likely cause of an error in total_loss: Python's max() on Values."""
    text = str(error)
    if isinstance(error, TypeError) and "not supported between instances of" in text \
            and "Value" in text:
        return ("A Value cannot be compared with < or >, so Python's max() cannot pick "
                "between 0 and a Value. (1 - y * s).relu() is max(0, 1 - y*s) as a Value.")
    return None


hinge_l2_loss = Exercise(
    "Hinge loss plus L2 regularisation",
    _check_hinge_l2_loss,
    hints=[
        "Two parts: the mean over the points of the hinge loss max(0, 1 - label * score), "
        "plus alpha times the sum of every parameter squared. Both parts must be Values.",
        "A Value has no max(); v.relu() is max(0, v) as a Value. Python's sum() works on "
        "Values, and dividing a Value by a number works too.",
        "data_loss = sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)\n"
        "Now add the regularisation term and return the total.",
    ],
    solution=(
        "def total_loss(scores, labels, params, alpha):\n"
        "    data_loss = sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)\n"
        "    reg_loss = alpha * sum(p * p for p in params)\n"
        "    return data_loss + reg_loss\n\n"
        "d(total)/d(score_i) is -label_i / n for a point inside the margin and 0 otherwise;\n"
        "d(total)/d(p) = 2 * alpha * p. backward(g) multiplies every gradient by g."
    ),
    expects=f"a function {_LOSS_SHOWN} returning a Value",
    usage="check(total_loss)",
    on_error=_hinge_l2_error,
)


# ----------------------------------------------------- 3. which points are wrong

# scores a model gives six points, and their labels (+1 or -1): two wrong (1, 2), two
# right but inside the margin (4, 5), two safely right (0, 3); no score is 0.
SCORES = (2.3, -0.4, 0.6, -1.8, 0.2, -0.1)
LABELS = (1, 1, -1, -1, 1, -1)

# a student's own table: the same six parts (two wrong, two inside the margin, two safe,
# one of each label), shuffled, with scores of their own; never the notebook's two wrong
# points, and each named slip (counted from 1, the hinge's points, the right ones) apart
_ROLES = (((+1, (2.3, 1.7, 3.1)), (+1, (-0.4, -0.9, -1.3)), (-1, (0.6, 0.35, 1.4)),
           (-1, (-1.8, -2.2, -1.2)), (+1, (0.2, 0.45, 0.7)), (-1, (-0.1, -0.3, -0.6))))


def _draw_table(rng) -> dict:
    roles = list(_ROLES)
    rng.shuffle(roles)
    drawn = {}
    for i, (label, scores) in enumerate(roles):
        drawn[f"s{i}"], drawn[f"l{i}"] = rng.choice(scores), label
    return drawn


def _table(n: dict) -> tuple[tuple[float, ...], tuple[int, ...]]:
    return (tuple(n[f"s{i}"] for i in range(6)), tuple(n[f"l{i}"] for i in range(6)))


def _table_sets(n: dict) -> tuple[set, set]:
    scores, labels = _table(n)
    wrong = {i for i, (s, y) in enumerate(zip(scores, labels)) if y * s <= 0}
    inside = {i for i, (s, y) in enumerate(zip(scores, labels)) if 0 < y * s < 1}
    return wrong, inside


def _table_valid(n: dict) -> bool:
    wrong, inside = _table_sets(n)
    return wrong != {1, 2} and {i + 1 for i in wrong} not in (wrong, wrong | inside)


def _table_derived(n: dict) -> dict:
    scores, labels = _table(n)
    wrong, inside = _table_sets(n)
    return {"margins": ", ".join(f"{y * s:g}" for s, y in zip(scores, labels)),
            "wrong": str(sorted(wrong)), "right_count": 6 - len(wrong),
            "inside": " and ".join(map(str, sorted(inside))),
            "inside_margins": " and ".join(f"{labels[i] * scores[i]:g}" for i in sorted(inside))}


_TABLE = Variant(
    {**{f"s{i}": s for i, s in enumerate(SCORES)}, **{f"l{i}": y for i, y in enumerate(LABELS)}},
    _draw_table,
    lambda n: "scores " + ", ".join(f"{s:g}" for s in _table(n)[0]) + "; labels "
              + ", ".join(f"{y:+d}" for y in _table(n)[1]) + " (points 0 to 5)",
    valid=_table_valid, derived=_table_derived,
)


def _check_misclassified(answer: object) -> Verdict:
    SCORES, LABELS = _table(_TABLE.numbers())  # noqa: N806 (this student's table)
    items = read_indices(answer, "your list of points")
    for a in items:
        if not 0 <= a < len(SCORES):
            return Verdict(False, f"{a} is not an index of a point: use whole numbers "
                                  f"0 to {len(SCORES) - 1} (Python counts from 0).")
    if len(set(items)) != len(items):
        return Verdict(False, f"{sorted(items)} lists a point twice.")
    expected = {i for i, (s, y) in enumerate(zip(SCORES, LABELS)) if y * s <= 0}
    chosen = set(items)
    inside = {i for i, (s, y) in enumerate(zip(SCORES, LABELS)) if 0 < y * s < 1}
    points = " and ".join(map(str, sorted(inside)))
    if chosen == expected:
        accuracy = 1 - len(expected) / len(SCORES)
        return Verdict(True, f"Accuracy {len(SCORES) - len(expected)}/{len(SCORES)} = "
                             f"{accuracy:.0%}. Points {points} are right but inside the "
                             "margin: they still add to the hinge loss.")
    if chosen == {i + 1 for i in expected}:
        return Verdict(False, "Those are the right points counted from 1; Python "
                              "indices start at 0.")
    if chosen == expected | inside:
        return Verdict(False, f"Those are the points with a hinge loss above 0. Points "
                              f"{points} are inside the margin but on the right side: the "
                              "signs of score and label agree.")
    if chosen == set(range(len(SCORES))) - expected:
        return Verdict(False, "Those are the points the model gets right; the question "
                              "asks for the ones it gets wrong.")
    extra = sorted(chosen - expected)
    if extra:
        i = extra[0]
        return Verdict(False, f"Point {i} has score {SCORES[i]} and label "
                              f"{LABELS[i]:+d}: the signs agree, so it is classified "
                              "correctly (even if it still has some hinge loss).")
    i = sorted(expected - chosen)[0]
    return Verdict(False, f"You missed a point: one of them has a score whose sign "
                          f"disagrees with its label (look at point {i}).")


misclassified = Exercise(
    "Which points are misclassified?",
    _check_misclassified,
    hints=[
        "The model predicts the class by the sign of the score. A point is wrong when "
        "that sign differs from its label.",
        "Compute label * score for each point: negative means misclassified. (Positive "
        "but below 1 means right, yet still inside the margin.)",
        "label * score is {margins}. Which are negative?",
    ],
    solution=(
        "answer = [i for i, (s, y) in enumerate(zip(scores, labels)) if y * s <= 0]  # {wrong}\n\n"
        "Accuracy is {right_count}/6. Points {inside} are classified correctly, but their margins\n"
        "({inside_margins}) are below 1, so the hinge loss still pushes them outwards."
    ),
    expects="a list of point indices such as [0, 5]",
    variant=_TABLE,
)


# ------------------------------------------------ 4. the learning-rate schedule

# (k, steps, lr0) the check tries; 100 steps from 1.0 is micrograd's demo. Runs of other
# lengths and other starting rates fail a hard-coded 100 or an ignored lr0; k = 0 and the
# last step catch an off-by-one and a schedule that decays to 0.
SCHEDULE_CASES = ((0, 100, 1.0), (50, 100, 1.0), (99, 100, 1.0), (100, 200, 0.5),
                  (10, 20, 2.0), (3, 7, 0.3))
_RATE_SHOWN = "learning_rate(k, steps, lr0)"


def _schedule(k: int, steps: int, lr0: float) -> float:
    return lr0 * (1.0 - 0.9 * k / steps)


def _check_learning_rate(answer: object) -> Verdict:
    fn = need_function(answer, _RATE_SHOWN)
    got = {}
    for case in SCHEDULE_CASES:
        got[case] = read_number(call(fn, case, _RATE_SHOWN),
                                f"what learning_rate{case} returned")
    if all(close(got[c], _schedule(*c), 1e-6) for c in SCHEDULE_CASES):
        return Verdict(True, "At the last step of 100 the rate is 0.109: about a tenth of "
                             "where it started.")
    slips = [
        (lambda k, steps, lr0: 1.0 - 0.9 * k / steps,
         "your rate does not scale with lr0: the whole schedule is lr0 times "
         "(1 - 0.9 * k / steps)."),
        (lambda k, steps, lr0: lr0 * (1.0 - 0.9 * k / 100),
         "your rate uses 100 for the number of steps; use `steps`."),
        (lambda k, steps, lr0: lr0 * (1.0 - k / steps),
         "your rate decays to 0; this schedule loses 90% of lr0 over the run, not all of it."),
        (lambda k, steps, lr0: lr0 * (0.1 + 0.9 * k / steps),
         "your rate grows; it should start at lr0 and shrink."),
        (lambda k, steps, lr0: lr0 * (1.0 - 0.9 * (k + 1) / steps),
         "your rate is one step ahead: at step k = 0 it should be lr0 itself."),
    ]
    for slip, message in slips:
        if all(close(got[c], slip(*c), 1e-6) for c in SCHEDULE_CASES):
            return Verdict(False, message)
    case = next(c for c in SCHEDULE_CASES if not close(got[c], _schedule(*c), 1e-6))
    return Verdict(False, f"learning_rate{case} should be {_schedule(*case):.6g}, "
                          f"yours gives {got[case]:.6g}.")


learning_rate = Exercise(
    "The learning rate at step k",
    _check_learning_rate,
    hints=[
        "The schedule starts at lr0 at step 0 and shrinks in a straight line. How far "
        "through the run is step k, as a fraction?",
        "k / steps is the fraction of the run done. Over the whole run the rate loses 90% "
        "of lr0, in proportion to that fraction.",
        "Check your formula on numbers: step 50 of 100 from lr0 = 1.0 gives 0.55, and "
        "from lr0 = 0.5 gives 0.275.",
    ],
    solution=(
        "def learning_rate(k, steps, lr0):\n"
        "    return lr0 * (1.0 - 0.9 * k / steps)\n\n"
        "With steps=100 and lr0=1.0 this is micrograd's 1.0 - 0.9*k/100: 1.0 at step 0,\n"
        "0.55 at step 50, 0.109 at step 99."
    ),
    expects=f"a function {_RATE_SHOWN} returning a number",
    usage="check(learning_rate)",
)


# ------------------------------------------------------------ 5. dead neurons

# A relu layer of 3 inputs and 6 neurons, weights set by hand, and 4 input points.
# Neuron 0 fires on every point, 1 on none (dead), 2 on one point only, 3 has a weighted
# sum of exactly 0 on one point and below 0 on the others (relu(0) = 0: dead too), 4 is
# dead only because of its bias (its w · x alone is positive on one point), 5 never fires.
DEAD_WEIGHTS = (
    ((1.0, 0.5, 0.0), 0.5),
    ((-1.0, -0.5, 0.0), -0.5),
    ((1.0, 0.0, 0.0), -1.5),
    ((0.0, 1.0, 1.0), -2.0),
    ((0.5, 0.0, 0.0), -2.0),
    ((-0.5, -0.5, -0.5), -0.1),
)
DEAD_POINTS = ((1.0, 0.0, 0.0), (2.0, 1.0, 0.5), (0.0, 1.0, 1.0), (0.5, 0.5, 0.0))
_DEAD_SHOWN = "dead_neurons(layer, points)"


def _weighted_sums(with_bias: bool = True) -> list[list[float]]:
    """sums[i][j]: neuron i's weighted sum on point j."""
    return [[sum(w * x for w, x in zip(ws, p)) + (b if with_bias else 0.0) for p in DEAD_POINTS]
            for ws, b in DEAD_WEIGHTS]


def _dead_layer():
    from ..nn import Layer

    layer = Layer(3, len(DEAD_WEIGHTS), activation="relu", seed=0)
    for neuron, (ws, b) in zip(layer.neurons, DEAD_WEIGHTS):
        for w, value in zip(neuron.w, ws):
            w.data = value
        neuron.b.data = b
    return layer


def _check_dead_neurons(answer: object) -> Verdict:
    fn = need_function(answer, _DEAD_SHOWN)
    points = [list(p) for p in DEAD_POINTS]
    got = sorted(read_indices(call(fn, (_dead_layer(), points), _DEAD_SHOWN),
                              f"what {_DEAD_SHOWN} returned"))
    if len(set(got)) != len(got):
        twice = next(i for i in got if got.count(i) > 1)
        return Verdict(False, f"your list has neuron {twice} twice: list each dead neuron once.")
    sums = _weighted_sums()
    expected = [i for i, row in enumerate(sums) if all(s <= 0 for s in row)]
    if got == expected:
        return Verdict(True, f"Neurons {expected} output 0 on every point. relu's slope is 0 "
                             "wherever its input is <= 0, so no gradient reaches those neurons' "
                             "weights and bias from any point: a step changes them only by the "
                             "L2 term's small pull towards 0, and the neuron stays dead.")
    slips = [
        ([i for i, row in enumerate(sums) if any(s <= 0 for s in row)],
         "you listed the neurons that are off on *some* point; a dead neuron is off on "
         "every point (a neuron that fires on one point still learns from it)."),
        ([i for i, row in enumerate(sums) if any(s > 0 for s in row)],
         "you listed the neurons that fire; the question asks for the ones that never do."),
        ([i for i, row in enumerate(sums) if all(s < 0 for s in row)],
         "a neuron whose weighted sum is exactly 0 outputs relu(0) = 0 and sends back no "
         "gradient either: count <= 0, not only < 0."),
        ([i for i, row in enumerate(_weighted_sums(with_bias=False)) if all(s <= 0 for s in row)],
         "the bias is missing: a neuron's weighted sum is w · x + b."),
    ]
    for numbers, message in slips:
        if got == sorted(numbers):
            return Verdict(False, message)
    extra = [i for i in got if i not in expected]
    if extra:
        row = ", ".join(f"{s:g}" for s in sums[extra[0]])
        return Verdict(False, f"neuron {extra[0]} is not dead: its weighted sums on the four "
                              f"points are {row}, and relu passes a positive one on.")
    missing = next(i for i in expected if i not in got)
    row = ", ".join(f"{s:g}" for s in sums[missing])
    return Verdict(False, f"neuron {missing} is dead too: its weighted sums on the four points "
                          f"are {row}, never above 0.")


dead_neurons = Exercise(
    "Dead neurons",
    _check_dead_neurons,
    hints=[
        "A relu neuron outputs 0 when its weighted sum w · x + b is 0 or less. Which neurons "
        "output 0 for every one of the points?",
        "Loop over enumerate(layer.neurons); for each neuron, look at n(x).data for every x "
        "in points (or work out the weighted sum yourself from n.w and n.b).",
        "[i for i, n in enumerate(layer.neurons) if all(n(x).data == 0 for x in points)]",
    ],
    solution=(
        "def dead_neurons(layer, points):\n"
        "    return [i for i, n in enumerate(layer.neurons)\n"
        "            if all(n(x).data <= 0 for x in points)]\n\n"
        "A dead neuron's relu has input <= 0 on every point, so its output is 0 and its\n"
        "local slope is 0: backward() multiplies every gradient that would reach its\n"
        "weights by 0, so the data moves them no more (only L2's weight decay shrinks\n"
        "them a little each step), and the neuron stays dead."
    ),
    expects=f"a function {_DEAD_SHOWN} returning a list of neuron indices",
    usage="check(dead_neurons)",
)
