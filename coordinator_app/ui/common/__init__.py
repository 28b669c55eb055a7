"""What every feature uses: styles, small widgets, labels, the one error presenter, printing and the export password,
the conflict dialog."""
