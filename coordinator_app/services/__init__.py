"""Application services: the operations the UI calls (open a session, call the domain, commit, return what changed)."""
