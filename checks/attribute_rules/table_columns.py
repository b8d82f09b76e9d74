"""A table's values by column: the input of the whole-column value rules."""
from operator import itemgetter
from typing import Dict

# Tables the ownership rules read row by row; the layers (DK, JZD, JZX … hundreds of
# thousands of features) are read as columns only.
ROW_TABLES = frozenset(["FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "LZHT", "QSLYZLFJ",
                        "CBJYQZDJB", "CBJYQZ", "CBJYQZ_QZBF", "CBJYQZ_QZHF", "CBJYQZ_QZZX",
                        "ZJQY", "CJQY", "XJQY"])


class TableColumns:
    """A table's values by column, for the whole-column value rules (A01–A04, A06, A13,
    A15, A17).

    Row tables reuse the run's row dicts. Other layers (JZD, JZX … hundreds of thousands
    of features) are read once as tuples and turned into columns at C speed; a row dict
    is built only for a value that fails.
    """

    def __init__(self, data, table: str):
        self.data, self.table = data, table
        self._cols: Dict[str, list] = {}
        self._scope = None
        if table in ROW_TABLES:
            self.rows = data.rows(table)
            self.n = len(self.rows)
            return
        self.rows = None
        db = data.db
        gcol = (db.geometry_column(table) or "").upper()
        names = [c for c in db.columns(table) if c != gcol]
        stored = [db.columns(table)[c][0] for c in names]
        # one scan for all attribute columns (a scan per column rereads every page)
        tuples = db.conn.execute('SELECT %s FROM "%s"' % (
            ", ".join('"%s"' % c for c in stored), db.name(table))).fetchall()
        self.n = len(tuples)
        cols = list(zip(*tuples)) if tuples else [()] * len(names)
        del tuples
        self._cols = {name: list(c) for name, c in zip(names, cols)}

    def col(self, fld: str) -> list:
        if fld not in self._cols:
            if self.rows is None:
                self._cols[fld] = [None] * self.n
            else:
                try:
                    self._cols[fld] = list(map(itemgetter(fld), self.rows))   # C speed
                except KeyError:
                    self._cols[fld] = [r.get(fld) for r in self.rows]
        return self._cols[fld]

    def row(self, i: int) -> dict:
        if self.rows is not None:
            return self.rows[i]
        return {f: c[i] for f, c in self._cols.items()}

    def unit(self, i: int) -> str:
        return self.data.units(self.table)[i]

    def _scoped_set(self):
        """Indices inside the run's scope (None = township: every row)."""
        if self.data.ctx.scope is None:
            return None
        if self._scope is None:
            units = self.data.units(self.table)
            self._scope = {i for i, u in enumerate(units) if self.data.in_scope(u)}
        return self._scope

    def scoped_col(self, fld: str) -> list:
        col, keep = self.col(fld), self._scoped_set()
        return col if keep is None else [col[i] for i in sorted(keep)]

    def pick(self, indices):
        """(index, row, unit) of the given indices that lie inside the scope."""
        keep = self._scoped_set()
        indices = [i for i in indices if keep is None or i in keep]
        return [(i, self.row(i), self.unit(i)) for i in indices]
