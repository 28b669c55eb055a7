"""What every feature uses: styles, small widgets, labels, the one error presenter, printing and the export password,
the conflict dialog, and the list-and-form editor (a table of items with a form for the selected one)."""
