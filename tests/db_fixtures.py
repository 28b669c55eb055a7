"""Database fixtures: placeholder until the storage layer lands (owned by the storage work)."""
