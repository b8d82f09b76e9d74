"""Publicity settings: the templates of documents.md §1 as one object with defaults.

Practice differs by province and county, so columns, texts, masking, label
content and page choice are settings. They can be stored in qq_settings
(key "publicity", JSON) so a township keeps its choices.
"""
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Dict, List, Tuple

ROUND_NAMES = {1: "一轮", 2: "二轮"}
ROUND_LONG = {1: "第一轮", 2: "第二轮"}

# Document kinds: id -> Chinese name. The id is used in file names, settings and
# the processing DOCUMENTS enum.
DOCUMENTS = (
    ("table", "调查信息公示表"),
    ("household", "公示结果归户表"),
    ("notice", "公示公告"),
    ("declaration", "公示无异议声明书"),
    ("map", "公示图"),
)
DOCUMENT_NAMES = dict(DOCUMENTS)

# documents.md §1: public displays masked, household/archive documents full.
DEFAULT_MASKING = {"table": True, "notice": True, "map": True,
                   "household": False, "declaration": False}

PAGE_SIZES = ("auto", "A0", "A1", "A2", "A3")
ORIENTATIONS = ("auto", "portrait", "landscape")

# Label items of a plot on the 公示图 (documents.md §6).
LABEL_ITEMS = ("name", "code", "dkmc", "area")

DEFAULT_NOTICE = (
    "根据《中华人民共和国农村土地承包法》和农村土地承包经营权确权登记颁证工作的有关规定，"
    "现将{fbfmc}农村土地承包经营权调查结果进行{round}公示。"
    "本次公示涉及承包农户{households}户，承包地块{plots}块，合同面积{area_contract}亩，"
    "实测面积{area_measured}亩。\n"
    "公示时间：{start}至{end}（共 {days} 天）。\n"
    "公示地点：{place}。\n"
    "公示内容：调查信息公示表、地块分布图（公示图）。\n"
    "请各承包农户认真核对本户承包地块的名称、四至、面积及家庭成员等信息。"
    "如有异议，请于{deadline}前以书面形式向{contact}提出，联系电话：{phone}。"
    "逾期未提出异议的，视为对公示结果无异议。")

DEFAULT_DECLARATION = (
    "本户已对{fbfmc}{round}公示的本户承包地块信息进行了认真核对，"
    "包括承包地块 {plots} 块、面积合计 {area} 亩，以及各地块的位置、四至和界址。"
    "经核实，本户对公示结果无异议。\n"
    "特此声明。")

DEFAULT_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "SimSun", "宋体", "NSimSun",
                 "Microsoft YaHei", "微软雅黑", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                 "AR PL UMing CN", "Droid Sans Fallback")


@dataclass
class PublicitySettings:
    # --- 公示表 (documents.md §2)
    contract_area: str = "YHTMJM"        # column K: YHTMJM (二轮合同) or HTMJM (确权)
    remark: str = "DKBZXX"               # column M: DKBZXX or M03 (实测比合同多…%)
    remark_diff_pct: float = 10.0        # M03 threshold for the remark
    include_individuals: bool = False    # 个人/单位 承包方 (CBFLX 2, 3)
    include_noncontract: bool = False    # plots with DKLB other than 10
    paper_table: str = "A3"              # A3 / A4 landscape
    days_default: int = 7                # minimum period (unconfirmed, documents.md §1)
    # --- masking (documents.md §1)
    masking: Dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_MASKING))
    mask_char: str = "*"
    mask_head: int = 6
    mask_tail: int = 4
    # --- people, places, texts
    maker: str = ""                      # 制表人 / 制图人
    reviewer: str = ""                   # 审核人
    map_unit: str = ""                   # 制图单位 (default: <乡>人民政府)
    place: str = "村务公开栏"
    contact: str = "村民小组长"
    phone: str = ""
    notice_text: str = DEFAULT_NOTICE
    declaration_text: str = DEFAULT_DECLARATION
    declaration_plot_list: bool = True
    household_pdf_per_file: bool = False  # also one PDF per household
    # --- 公示图 (documents.md §6)
    label_items: Tuple[str, ...] = ("name", "code", "area")
    code_digits: int = 5
    map_area: str = "HTMJM"              # HTMJM (确权, else SCMJM), SCMJM or YHTMJM
    page_size: str = "auto"
    orientation: str = "auto"
    base_image: str = ""                 # optional DOM GeoTIFF
    label_size_mm: float = 2.6           # 7.4 pt
    label_min_mm: float = 1.9            # 5.4 pt: smaller is not legible on a posted map
    legible_share: float = 0.9           # auto page: share of plots with their whole label
    inside_share: float = 0.8            # … of which at least this share inside the plot
    fonts: Tuple[str, ...] = DEFAULT_FONTS
    png_dpi: int = 150

    def masked(self, document: str) -> bool:
        return bool(self.masking.get(document, DEFAULT_MASKING.get(document, True)))

    def mask(self, document: str, number) -> str:
        from ..codes import mask_id
        if number is None:
            return ""
        if not self.masked(document):
            return str(number).strip()
        return mask_id(number, self.mask_head, self.mask_tail, self.mask_char)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "PublicitySettings":
        data = json.loads(text) if text else {}
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        for key in ("label_items", "fonts"):
            if key in kw:
                kw[key] = tuple(kw[key])
        s = cls(**kw)
        merged = dict(DEFAULT_MASKING)
        merged.update(s.masking or {})
        s.masking = merged
        return s


SETTINGS_KEY = "publicity"


def load_settings(db) -> PublicitySettings:
    from ..plugin_tables import get_setting
    text = get_setting(db, SETTINGS_KEY)
    try:
        return PublicitySettings.from_json(text) if text else PublicitySettings()
    except (ValueError, TypeError):
        return PublicitySettings()


def save_settings(db, settings: PublicitySettings) -> None:
    from ..plugin_tables import set_setting
    set_setting(db, SETTINGS_KEY, settings.to_json())


def parse_documents(values) -> List[str]:
    """'table,household' / ['公示表', …] / indices -> document ids in canonical order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").split(",") if v.strip()]
    ids = [d for d, _ in DOCUMENTS]
    out = set()
    for v in values:
        v = str(v).strip()
        if v in ids:
            out.add(v)
        elif v.isdigit() and int(v) < len(ids):
            out.add(ids[int(v)])
        else:
            for d, name in DOCUMENTS:
                if v and (v in name or name.startswith(v)):
                    out.add(d)
    return [d for d in ids if d in out]
