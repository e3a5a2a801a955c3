"""Sanctions screening: fuzzy, cross-script, explained matching against loaded lists."""
