"""Prefect flows, the I/O they orchestrate (feeds, pages, mail) and the command line."""
