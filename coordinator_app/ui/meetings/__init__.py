"""Netværksmøder: the Møder tab, scheduling, the live meeting, the referat, the meeting template editor."""
