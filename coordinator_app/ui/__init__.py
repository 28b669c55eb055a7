"""Qt user interface: views, models, dialogs. Thin; calls services."""
