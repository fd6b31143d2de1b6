"""Heard: continuous engagement and lawful consultation for NHS bodies."""
