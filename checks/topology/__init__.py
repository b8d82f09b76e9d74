"""T01–T16: geometry, topology and edge-matching checks on the plots (checks.md §7).

Importing the package registers the rule families:
validity (T01–T03, T08), overlaps (T04, T07, T13b), gaps (T05, T06, T13b),
vertices (T09–T12), regions (T13a, T14, T15), boundary (T16).
"""
from . import validity, overlaps, gaps, vertices, regions, boundary  # noqa: F401
