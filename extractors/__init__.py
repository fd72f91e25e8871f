"""Pure functions, no I/O: feed bytes to entries, HTML to text and metadata, text to events.

Nothing in this package imports ``warehouse`` or ``prefect``; domain knowledge lives in ``data/``.
"""
