"""Patienter: the list's table model and the details panel, admission and ambulant patient dialogs, consents, sending
notifications, the scenario wizard."""
