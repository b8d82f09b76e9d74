"""A publicity job: which units, which documents, where; run by processing and by the dock.

prepare() does everything that may run in a background task (reading, checks of
the preconditions, tables and household documents, label plans) and hands the
planned 公示图 sheets over a queue; render()/map_steps() draw them one per step in
the main thread, while the preparation goes on; finish() closes the merged PDF.
run() does it all from the main thread with a worker thread (processing).
"""
import datetime as _dt
import os
import queue
import threading
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional

from ...checks.context import Feedback
from ...core.publicity import stage
from ...core.publicity.data import load_units
from ...core.publicity.forms import declarations, household_forms, notice
from ...core.publicity.settings import DOCUMENT_NAMES, ROUND_NAMES, PublicitySettings
from ...core.publicity.table_rows import build_table
from ...core.township_db import TownshipDB
from .household_docs import (safe_name, write_declarations_pdf, write_household_pdf,
                             write_household_pdfs, write_household_xlsx, write_notice_pdf)
from .publicity_table import write_table_pdf, write_table_xlsx


@dataclass
class PublicityRequest:
    db_path: str
    out_dir: str
    documents: List[str]                    # ids of settings.DOCUMENTS
    round_no: int = 1
    units: Optional[List[str]] = None       # 发包方 codes or prefixes; None = all
    start: Optional[_dt.date] = None
    end: Optional[_dt.date] = None
    settings: PublicitySettings = field(default_factory=PublicitySettings)
    family: str = "Noto Sans CJK SC"
    merged: bool = False
    png: bool = False
    members: bool = False                   # 公示表 with the members' columns (local variant)
    record_round: bool = True               # write the period into qq_publicity
    override_reason: str = ""               # proceed with blocked units, recorded
    user: str = ""


@dataclass
class JobReport:
    files: List[str] = field(default_factory=list)
    skipped: Dict[str, str] = field(default_factory=dict)       # unit -> reason
    conditions: Dict[str, object] = field(default_factory=dict)  # unit -> Preconditions
    maps: List[object] = field(default_factory=list)             # MapResult
    merged: Optional[str] = None
    messages: List[str] = field(default_factory=list)


def unit_folder(out_dir: str, unit) -> str:
    return os.path.join(out_dir, "%s%s" % (unit.code, safe_name(unit.unit.name)))


_DONE = object()


class PublicityJob:
    def __init__(self, request: PublicityRequest, feedback: Optional[Feedback] = None):
        self.req = request
        self.fb = feedback or Feedback()
        self.report = JobReport()
        self.units = []
        # sheets planned by prepare() (any thread) and drawn by map_steps() (main thread)
        self.map_queue: "queue.Queue" = queue.Queue()
        self.map_total = 0
        self._exporter = None
        self._present = ()
        self._epsg = 4526

    # --- background part --------------------------------------------------------
    def prepare(self):
        """Select the units, write the tables and documents, plan the sheets.

        Planned sheets are put on map_queue one by one; the queue always ends with a
        marker (or the exception that stopped the preparation).
        """
        try:
            self._prepare()
        except BaseException as exc:
            self.map_queue.put(exc)
            raise
        self.map_queue.put(_DONE)

    def _prepare(self):
        req, fb = self.req, self.fb
        os.makedirs(req.out_dir, exist_ok=True)
        db = TownshipDB(req.db_path)
        try:
            stage.ensure_stage_tables(db)
            units = load_units(db, req.units)
            if not units:
                self.report.messages.append("没有找到发包方单位（范围：%s）" % (req.units or "全部"))
            allowed = []
            for u in units:
                pre = stage.check_preconditions(db, u.code, req.round_no)
                if pre.blocking and not pre.override and req.override_reason.strip():
                    pre = stage.record_override(db, u.code, req.round_no, req.override_reason, req.user)
                self.report.conditions[u.code] = pre
                if pre.allowed:
                    allowed.append(u)
                else:
                    self.report.skipped[u.code] = pre.summary
            self.units = allowed
            docs = [d for d in req.documents if d != "map"]
            maps = "map" in req.documents and allowed
            share = 50.0 if maps and docs else (0.0 if maps else 100.0)
            n = max(1, len(allowed))
            for i, u in enumerate(allowed if docs else ()):
                fb.check()
                fb.progress(share * i / n)
                self._unit_documents(db, u, docs)
                if req.record_round and req.start and req.end:
                    try:
                        stage.start_round(db, u.code, req.round_no, req.start, req.end,
                                          req.settings.place, req.user)
                    except stage.StageError as exc:
                        self.report.messages.append(str(exc))
            if maps:
                from ...core.publicity.map_data import iter_unit_maps
                from .fonts import label_metrics
                from .map_style import LABEL_LINE_HEIGHT
                metrics = label_metrics(req.family, LABEL_LINE_HEIGHT)
                self._present = [name for name in ("XZDW", "MZDW", "DZDW") if db.count(name)]
                self._epsg = db.epsg("DK") or 4526
                self.map_total = len(allowed)
                for um in iter_unit_maps(db, allowed, req.settings, metrics, req.round_no,
                                         fb.scaled(share, 100.0 - share)):
                    self.map_queue.put(um)
        finally:
            db.close()
        fb.progress(100.0)

    def _unit_documents(self, db, u, docs):
        req, s = self.req, self.req.settings
        folder = unit_folder(req.out_dir, u)
        os.makedirs(folder, exist_ok=True)
        rn = ROUND_NAMES.get(req.round_no, str(req.round_no))
        files = self.report.files
        if "table" in docs:
            t = build_table(u, s, req.round_no, req.start, req.end, members=req.members)
            base = os.path.join(folder, "%s_%s公示.%%s" % (DOCUMENT_NAMES["table"], rn))
            files.append(write_table_xlsx(base % "xlsx", t, s.paper_table))
            write_table_pdf(base % "pdf", t, req.family, s.paper_table)
            files.append(base % "pdf")
        if "household" in docs:
            forms = household_forms(u, s, req.round_no, req.start, req.end)
            base = os.path.join(folder, DOCUMENT_NAMES["household"] + ".%s")
            files.append(write_household_xlsx(base % "xlsx", forms))
            if forms:
                write_household_pdf(base % "pdf", forms, req.family)
                files.append(base % "pdf")
                if s.household_pdf_per_file:
                    files += write_household_pdfs(os.path.join(folder, "归户表"), forms, req.family)
        if "notice" in docs:
            path = os.path.join(folder, "%s_%s公示.pdf" % (DOCUMENT_NAMES["notice"], rn))
            write_notice_pdf(path, notice(u, s, req.round_no, req.start, req.end), req.family)
            files.append(path)
        if "declaration" in docs:
            items = declarations(u, s, req.round_no)
            if items:
                path = os.path.join(folder, DOCUMENT_NAMES["declaration"] + ".pdf")
                write_declarations_pdf(path, items, req.family)
                files.append(path)

    # --- main-thread part --------------------------------------------------------
    def next_map(self, block: bool = True, timeout: Optional[float] = None):
        """The next planned sheet, None when none is ready yet (block=False), _DONE at the end."""
        try:
            item = self.map_queue.get(block, timeout)
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    def render(self, um) -> Optional[object]:
        """Draw one sheet (main thread): its PDF, PNG and page of the merged PDF."""
        from .map_export import MapExporter
        req = self.req
        rn = ROUND_NAMES.get(req.round_no, str(req.round_no))
        if self._exporter is None:
            merged = os.path.join(req.out_dir, "地块分布图_%s公示_合并.pdf" % rn) if req.merged else ""
            self._exporter = MapExporter(req.db_path, self._epsg, req.family, req.settings, merged,
                                         req.png, self._present)
        if um.choice is None:
            self.report.messages.append("%s 没有可绘制的地块图形，未生成公示图" % um.unit.code)
            return None
        unit = next(u for u in self.units if u.code == um.unit.code)
        path = os.path.join(unit_folder(req.out_dir, unit), "地块分布图_%s公示.pdf" % rn)
        res = self._exporter.export(um, path)
        self.report.maps.append(res)
        self.report.files.append(res.pdf)
        if res.png:
            self.report.files.append(res.png)
        if um.missing_geometry:
            self.report.messages.append("%s 有 %d 个地块没有图形，未画入公示图：%s" % (
                um.unit.code, len(um.missing_geometry), "、".join(um.missing_geometry[:5])))
        return res

    def map_steps(self) -> Iterator[int]:
        """Draw the sheets as they are planned; yields the number of sheets done."""
        done = 0
        while True:
            um = self.next_map(timeout=0.5)
            if um is _DONE:
                return
            if um is None:
                self.fb.check()
                continue
            self.render(um)
            done += 1
            yield done

    def finish(self) -> JobReport:
        if self._exporter is not None:
            self.report.merged = self._exporter.close()
            if self.report.merged:
                self.report.files.append(self.report.merged)
            self._exporter = None
        return self.report

    def run(self) -> JobReport:
        """Everything, from the main thread; the sheets are planned in a worker thread
        while the main thread draws them (QGIS releases the GIL while rendering)."""
        outer = self.fb
        if "map" not in self.req.documents:
            self.prepare()
            return self.finish()
        errors = []
        self.fb = Feedback(None, outer.canceled, outer.log)   # progress comes from drawing

        def work():
            try:
                self.prepare()
            except BaseException as exc:  # noqa: BLE001 (re-raised in the main thread)
                errors.append(exc)
        worker = threading.Thread(target=work, name="publicity-prepare", daemon=True)
        worker.start()
        try:
            for done in self.map_steps():
                outer.check()
                outer.progress(100.0 * done / max(1, self.map_total or done))
        finally:
            self.finish()
            worker.join()
            self.fb = outer
        if errors:
            raise errors[0]
        return self.report
