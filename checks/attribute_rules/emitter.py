"""Collecting findings; those naming a plot get the plot's point on surface."""
from typing import Dict, List

from ..finding import Finding
from .tables import text


class Emitter:
    """Collects findings; those naming a plot get its point on surface at the end."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.items: List[Finding] = []
        self._plots: Dict[int, str] = {}

    def add(self, finding: Finding, plot: str = ""):
        if plot:
            self._plots[len(self.items)] = plot
        self.items.append(finding)

    def finish(self) -> List[Finding]:
        if self._plots and self.ctx.db is not None and self.ctx.db.has("DK"):
            points = plot_points_for(self.ctx, set(self._plots.values()))
            for i, dkbm in self._plots.items():
                self.items[i].geom = points.get(dkbm)
        return self.items


def plot_points_for(ctx, dkbms) -> Dict[str, object]:
    """Point on surface of the named plots: from the run's plot cache when a geometry
    family loaded it, else read for just these plots (an A/X-only run of a clean
    township then never parses 100,000 geometries)."""
    import shapely
    from ..plots import repair_polygon
    cached = ctx.cache.get("plot_points")
    if cached is not None:
        return cached
    ps = ctx.cache.get("plots")
    if ps is not None:
        index = ps.index_by_key()
        idx = [index[k] for k in sorted(dkbms) if k in index and ps.repaired[index[k]] is not None]
        pts = shapely.point_on_surface(ps.repaired[idx]) if idx else []
        return {ps.keys[i]: p for i, p in zip(idx, pts)}
    from ...core.gpkg_blob import wkb_of
    db = ctx.db
    gcol, key = db.geometry_column("DK"), db.columns("DK").get("DKBM", ("DKBM",))[0]
    out: Dict[str, object] = {}
    wanted = sorted(dkbms)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        sql = 'SELECT "%s", "%s" FROM "%s" WHERE "%s" IN (%s) ORDER BY fid' % (
            key, gcol, db.name("DK"), key, ",".join("?" * len(chunk)))
        for code, blob in db.conn.execute(sql, chunk):
            code = text(code)
            if code in out:
                continue
            try:
                g = shapely.from_wkb(wkb_of(blob)) if blob is not None else None
                if g is None or g.is_empty:
                    continue
                if not g.is_valid:
                    g = repair_polygon(g)
                out[code] = None if g is None else shapely.point_on_surface(g)
            except Exception:  # noqa: BLE001 (a broken geometry is T01's matter)
                continue
    return out
