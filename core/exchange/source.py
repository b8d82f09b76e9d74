"""What every reader hands on: a source table of raw values, in file order."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import math


@dataclass
class SourceTable:
    label: str                          # file (and sheet/layer) name for messages
    path: str
    fields: List[str]                   # source field names, file order
    rows: List[Dict[str, object]]       # source field -> raw value
    row_numbers: List[int]              # record / spreadsheet row number for messages
    wkbs: Optional[List[Optional[bytes]]] = None   # layers only
    prj: Optional[str] = None           # CRS definition text, layers only
    geometry_type: Optional[str] = None  # POINT / LINE / POLYGON
    encoding: str = ""
    encoding_source: str = ""
    sheet: str = ""                     # XLSX sheet name
    notes: List[str] = field(default_factory=list)

    @property
    def is_layer(self) -> bool:
        return self.wkbs is not None

    def __len__(self):
        return len(self.rows)

    def bounds(self):
        """(minx, miny, maxx, maxy) of all geometries, NaN when none."""
        import shapely
        if not self.wkbs:
            return (math.nan,) * 4
        geoms = shapely.from_wkb([w for w in self.wkbs if w], on_invalid="ignore")
        if len(geoms) == 0:
            return (math.nan,) * 4
        return tuple(float(v) for v in shapely.total_bounds(geoms))

    def extend(self, other: "SourceTable"):
        """Append a split part (DK2205812016-1.shp …) of the same layer."""
        offset = self.row_numbers[-1] if self.row_numbers else 0
        for name in other.fields:
            if name not in self.fields:
                self.fields.append(name)
        self.rows.extend(other.rows)
        self.row_numbers.extend(offset + n for n in other.row_numbers)
        if self.wkbs is not None and other.wkbs is not None:
            self.wkbs.extend(other.wkbs)
        self.notes.extend(other.notes)
        self.label += " + " + other.label
