"""The demo's governance rows (see the module that fills it)."""


def build(b) -> None:
    """Rows appended to the builder's."""
