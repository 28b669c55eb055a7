"""The first-run wizard: this computer or a shared database, the administrator, the ward and its kommuner."""
