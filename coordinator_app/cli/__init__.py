"""The command line: ``commands`` registers and dispatches (``koordinator …``, ``python -m coordinator_app``),
``audit`` holds the administrator's audit-log commands."""
