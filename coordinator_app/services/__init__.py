"""Application services: the operations the UI calls.

Each opens a session, calls the domain, commits, and returns what changed.
"""
