"""Shared test settings.

hypothesis runs without a per-example deadline: the machines that run the course's
tests are often busy, and a slow example is not a wrong one.
"""

from hypothesis import settings

settings.register_profile("backproplab", deadline=None)
settings.load_profile("backproplab")
