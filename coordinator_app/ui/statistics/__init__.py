"""Statistik: the figures the ward and its kommuner discuss, their charts and the admissions behind a figure."""
