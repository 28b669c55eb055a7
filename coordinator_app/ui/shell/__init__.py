"""The application start (``app``, ``startup``), the main window that composes the feature tabs, login, idle lock, help
and About."""
