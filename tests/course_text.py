"""The headings and sentences of the course that its tests look for, in one place.

A translated or shortened copy of the course changes them here (and in the notebooks and
`src/`), not in every test. Tests import what they need:

    from course_text import SUMMARY_HEADING, NOT_YET

Only the words a test matches are here; the tests' numbers and the checks' logic stay in
the tests. A test that matches a new heading or sentence of the course adds it here.
"""

from __future__ import annotations

# ------------------------------------------------------------------ notebook structure
# each notebook opens with a `#` title and a `## Setup` section (or its setup cell), and
# closes with these two sections, in this order (00 has no exercises)
SETUP_SECTION = "Setup"
SUMMARY_SECTION = "Summary"
EXERCISES_SECTION = "Exercises"
SUMMARY_HEADING = f"## {SUMMARY_SECTION}"
EXERCISES_HEADING = f"## {EXERCISES_SECTION}"

# ----------------------------------------------------------- what an exercise check prints
# (src/exercises/__init__.py, Exercise.check and Exercise._say)
RIGHT_MARK = "✓"
WRONG_MARK = "✗"
CORRECT = RIGHT_MARK + " {title}: correct."
NOT_YET = WRONG_MARK + " {title}: not yet."
NOT_ANSWERED = "not answered yet"
HINT_OFFER = "Try `.hint()` if you are stuck."
YOUR_NUMBERS = "Your numbers (student {student}):"
NO_SOLUTION_HERE = "not part of this copy"  # .solution() in the students' copy

# ------------------------------------------------------------------------ progress()
PROGRESS_SUMMARY = "{right} of {total} exercises right, {wrong} not yet, {unanswered} not answered"

# ------------------------------------------------------------ the grading tool's words
GRADES_SUMMARY_HEADER = "student,right,wrong,not answered,not graded"
GRADING_CELL_STOPPED = "was stopped"
GRADING_NOT_A_NOTEBOOK = "not a readable notebook"
GRADING_NOT_A_FOLDER = "is not a folder"

# ------------------------------------------------------------- the widgets' own words
# (src/widgets.py, src/playground.py, src/setup_check.py): what the browser tests press
# and read
STEP_BUTTON = "Step"
RESET_BUTTON = "Reset"
TEST_SLIDER = "Test slider"  # 00's check that widgets are drawn
KERNEL_SAW = "The kernel saw {value}: widgets work here."
DASHBOARD_ACCURACY = "accuracy {percent}%"
DASHBOARD_RATE = "rate of this step"
DASHBOARD_STARTING_RATE = "starting learning rate"  # the slider, when the rate decays
DASHBOARD_STEP = "step {step} of {steps}"

# ------------------------------------------------- build.start's line (src/build.py)
PIECES_YOURS = "{yours} of {count} pieces from notebooks before {notebook} are yours"
