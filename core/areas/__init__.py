"""Area reconciliation and adjustment (面积核对与平差), Qt-free.

- rounding: decimal arithmetic shared with the M rules (亩, tolerances, largest remainder)
- data: reading plots, households and regions from the township database
- reconcile: reconciliation tables per plot / household / group / village / township
- adjust: previews of the adjustments (recompute 亩, SCMJ, contract totals; 面积平差)
- apply: writing a preview with backup and audit, and undo by batch
- control: control areas for 平差 (file or region minus mask)
- fitness: topology blockers that make a group unfit for adjustment
- workbook: xlsx output of tables and previews
"""
