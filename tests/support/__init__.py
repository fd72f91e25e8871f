"""Helpers for the tests (no tests here): what test modules share, imported by them and by
``tests/conftest.py``; test modules never import each other."""
