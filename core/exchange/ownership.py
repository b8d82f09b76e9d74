"""Where the ownership tables (权属数据) of a delivery come from.

Today: one file per table (CBF.dbf / CBF.csv / CBF.xlsx …). The national
package holds them in an Access MDB; reading it is separate work that plugs
in here as another OwnershipSource (register_ownership_source), so the
importer does not change when it arrives.
"""
import os
from typing import List, Optional, Type

from .errors import ExchangeError
from .layout import TABLE_CODES, find_files
from .source import SourceTable
from .tabular import TABLE_EXTENSIONS, read_table_file

MDB_EXTENSIONS = (".mdb", ".accdb")
MDB_NOT_SUPPORTED = "MDB 导入尚未支持，请先导出为每表一个 DBF/CSV/XLSX 文件"


class OwnershipSource:
    """Interface: the ownership tables found in one folder."""
    label = ""

    @classmethod
    def detect(cls, folder: str) -> Optional["OwnershipSource"]:
        """An instance when this source recognises the folder's content, else None."""
        raise NotImplementedError

    def tables(self) -> List[str]:
        """Standard table codes available, in schema order."""
        raise NotImplementedError

    def read(self, code: str, encoding: Optional[str] = None) -> List[SourceTable]:
        """The table's rows (several SourceTables when it comes in parts)."""
        raise NotImplementedError

    def notes(self) -> List[str]:
        return []


class PerTableFiles(OwnershipSource):
    """CBF.dbf, CBF_JTCY.csv, CBDKXX.xlsx … (file stem = table code, any case)."""
    label = "每表一个文件"

    def __init__(self, folder: str, files, other):
        self.folder, self.files, self.other = folder, files, other

    @classmethod
    def detect(cls, folder):
        files, other = find_files(folder, TABLE_EXTENSIONS, TABLE_CODES)
        return cls(folder, files, other) if files else None

    def tables(self):
        from .. import schema
        return [t.code for t in schema.TABLES if t.code in self.files]

    def read(self, code, encoding=None):
        paths = self.files[code]
        kinds = {os.path.splitext(p)[1].lower() for p in paths}
        if len(kinds) > 1:
            raise ExchangeError("表 %s 同时有 %s 文件；请只保留一种" % (
                code, "、".join(os.path.basename(p) for p in paths)))
        out = []
        for p in paths:
            sheets = read_table_file(p, encoding)
            if sheets:
                out.append(sheets[0])
                for extra in sheets[1:]:
                    out[-1].notes.append("%s 只导入第一个工作表，工作表 %s 未导入" % (
                        os.path.basename(p), extra.sheet))
        return out

    def notes(self):
        out = ["权属数据文件夹中未识别的文件（未导入）：%s" % "、".join(self.other)] if self.other else []
        mdbs = [n for n in os.listdir(self.folder) if os.path.splitext(n)[1].lower() in MDB_EXTENSIONS]
        if mdbs:
            out.append("%s 未读取（MDB 导入尚未支持），权属数据按每表一个文件导入" % "、".join(mdbs))
        return out


OWNERSHIP_SOURCES: List[Type[OwnershipSource]] = [PerTableFiles]


def register_ownership_source(cls: Type[OwnershipSource], first: bool = True):
    """Plug in another source (e.g. an MdbSource); first=True gives it priority."""
    if cls not in OWNERSHIP_SOURCES:
        OWNERSHIP_SOURCES.insert(0 if first else len(OWNERSHIP_SOURCES), cls)
    return cls


def open_ownership_source(folder: str) -> Optional[OwnershipSource]:
    """The first registered source that recognises the folder; None when it holds no tables."""
    if not os.path.isdir(folder):
        return None
    for cls in OWNERSHIP_SOURCES:
        src = cls.detect(folder)
        if src is not None:
            return src
    if any(os.path.splitext(n)[1].lower() in MDB_EXTENSIONS for n in os.listdir(folder)):
        raise ExchangeError(MDB_NOT_SUPPORTED)
    return None
