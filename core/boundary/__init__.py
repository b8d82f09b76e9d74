"""四至 and 界址 (F5): 四至 from the neighbours, JZD/JZX and KJZB built from the plots.

Qt-free; the processing algorithms (processing/alg_boundary.py) and the ownership
dock call the functions re-exported here.
"""
from .sizhi import (SIZHI_ACTION, SizhiResult, apply_sizhi, compute_sizhi, sizhi_batches,  # noqa: F401
                    undo_sizhi)
from .build import BuildSummary, build_boundary_for_plots, build_township_boundary  # noqa: F401,E402
