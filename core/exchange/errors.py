"""Exceptions of the exchange (import/export) package.

Every message is Chinese and names the file, the record and what to do,
because the township technician reads it, not a developer.
"""


class ExchangeError(Exception):
    """An import or export that cannot go on; the township database is unchanged."""


class ImportCancelled(ExchangeError):
    """The user cancelled; nothing was written."""

    def __init__(self, message: str = "导入已取消，数据库未改变"):
        super().__init__(message)
