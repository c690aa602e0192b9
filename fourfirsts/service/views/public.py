"""public pages."""

urls = []
