"""Backprop Lab: the code the course notebooks import."""
