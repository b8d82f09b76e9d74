"""Ownership editing (权属编辑, feature F4), Qt-free.

Technicians correct who holds which plot after the first publicity. Every edit
is one undoable step: one sqlite transaction on the township GeoPackage that
writes the standard tables and their qq_audit rows together, after validating
the touched objects (refused edits write nothing).

- journal: the audited write primitives (insert / update / delete with row snapshots)
- step: one edit step = transaction + journal + validation before commit
- validation: the A/X rules on the touched objects (own validators, and the
  registered rule families through checks.engine when present)
- allocation: next free CBFBM / DKBM, contract codes, retired codes
- queries: plots, households, contracts, search
- contracts: reassign / unassign plots, contract totals
- households: new contractor, members, head of household
- plots: codes and mandatory fields of newly digitised plots
- history: undo / redo of steps
- disputes: boundary disputes (界址争议)
"""
