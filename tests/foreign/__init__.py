"""An independent "foreign" township for measuring T-rule recall and precision end to end.

Written from the specification only (shared/spec: schema.md, codes.md, checks.md); it does
not use core/demo. Modules:

- lattice.py   the jittered lattice of cells with roads, ditches and wiggly shared edges
- township.py  plots, regions, ditches, ponds and grave sites built from the lattice
- rings.py     small ring helpers (shared segments, exact vertex insertion)
- boundary.py  JZD / JZX / KJZB built from the final plots
- writer.py    the GeoPackage, written with plain OGR
- inject*.py   defects and look-alikes for every rule T01-T16, with a manifest
               (inject_limits.py: just inside / just outside the thresholds)
- score.py     runs ``qgis_process.bin run quequan:selfcheck`` and scores the findings:
               ``python -m tests.foreign.score [--seed N --nx 60 --ny 30 --noise 0.0003]``
"""
