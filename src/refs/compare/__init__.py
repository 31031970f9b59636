"""Comparing what a reference prints with what the registry holds."""
