"""The project's benchmarks: management commands that print their figures, and
what they need beside them (data, load and the settings they serve with)."""
