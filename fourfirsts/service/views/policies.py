"""policies pages."""

urls = []
