"""appeals pages."""

urls = []
