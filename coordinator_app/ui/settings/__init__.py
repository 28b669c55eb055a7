"""Indstillinger: bed-day rate, calendar and rules, the ward's profile, kommuner and centres; users; backups."""
