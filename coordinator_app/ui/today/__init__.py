"""I dag (every open deadline of the ward) and Færdigmeldte (who the kommuner pay bed days for)."""
