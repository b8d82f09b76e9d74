"""The error record every rule emits (spec checks.md §3)."""
import hashlib
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from . import catalogue


@dataclass
class Finding:
    rule: str
    layer: str                      # DK, JZD, CBF, CBDKXX …
    key: str                        # value of key_field (fid when empty)
    message: str                    # Chinese, names objects and numbers
    key_field: str = ""
    related: Tuple[str, ...] = ()   # other keys (values)
    related_field: str = ""
    unit_code: str = ""             # FBFBM or region code, for filtering
    values: Dict[str, Any] = field(default_factory=dict)
    geom: Any = None                # shapely geometry or None
    anchor: Optional[Tuple[float, float]] = None  # representative point (gaps, holes)
    object_hash: str = ""           # hash of the objects' data, for accepted states

    @property
    def severity(self) -> str:
        return catalogue.severity(self.rule)

    @property
    def severity_text(self) -> str:
        return catalogue.SEVERITY_TEXT[self.severity]

    @property
    def list_name(self) -> str:
        return catalogue.list_of(self.rule)

    @property
    def related_text(self) -> str:
        return ",".join(str(r) for r in self.related)

    @property
    def fingerprint(self) -> str:
        """rule + layer + key + sorted related keys (+ anchor rounded to 0.1 m)."""
        parts = [self.rule, self.layer, str(self.key)] + sorted(str(r) for r in self.related)
        if self.anchor is not None:
            parts.append("%.1f,%.1f" % (round(self.anchor[0], 1), round(self.anchor[1], 1)))
        extra = self.values.get("_fp")
        if extra:
            parts.append(str(extra))
        return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()

    def sort_key(self):
        return (self.unit_code or "", catalogue.sort_key(self.rule), str(self.key),
                self.related_text, self.message)

