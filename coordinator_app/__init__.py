"""Koordinator — discharge coordination for Danish adult psychiatry (Samarbejdsaftalen 2022).

The package root holds the domain: plain Python that knows the agreement. It imports neither Qt nor
the database (checked by import-linter contracts in pyproject.toml).
"""

__version__ = "0.1.0"
