"""Exchange with survey companies: import deliveries into the township map and
write the 汇交 layout (全镇一张图, F1).

Qt-free. Entry points:
  import_submission(folder, township_db_path, progress=None) -> ImportReport
  import_layer(source, township_db_path, mapping=None, ledger=None, ...) -> ImportReport
  suggest_mapping(source, ledger=None) -> FieldMapping
  export_submission_layout(township_db_path, folder, encoding='GBK') -> ExportReport
"""
from .errors import ExchangeError, ImportCancelled  # noqa: F401
from .export_layout import ExportReport, export_submission_layout  # noqa: F401
from .import_layer import import_layer, read_layer, suggest_mapping  # noqa: F401
from .import_submission import import_submission  # noqa: F401
from .mapping import FieldMapping, load_mapping, save_mapping  # noqa: F401
from .ownership import (MDB_NOT_SUPPORTED, OwnershipSource, PerTableFiles,  # noqa: F401
                        register_ownership_source)
from .report import ImportReport  # noqa: F401

__all__ = ["ExchangeError", "ImportCancelled", "ExportReport", "export_submission_layout", "import_layer",
           "read_layer", "suggest_mapping", "import_submission", "FieldMapping", "load_mapping",
           "save_mapping", "MDB_NOT_SUPPORTED", "OwnershipSource", "PerTableFiles",
           "register_ownership_source", "ImportReport"]
