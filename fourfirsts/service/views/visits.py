"""visits pages."""

urls = []
