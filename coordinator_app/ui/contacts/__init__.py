"""The Kontaktbog: people the ward meets with, and the kommuner's entrances."""
