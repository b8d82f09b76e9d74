"""The NY/T 2539-2016 township database schema, declared once.

Everything that creates, validates, imports or exports the township database
reads this module. Each layer/table is declared in a compact text block, one
field per line:  CODE 名称 TYPE CON [DOMAIN]
TYPE: C<n> = Char(n); F<w>.<d> = Float(w,d); I<n> = Int(n); D = Date.
CON: M / O / C.  DOMAIN: a code list id of codelists.py (e.g. C.7, GB4761).
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

CHAR, FLOAT, INT, DATE = "Char", "Float", "Int", "Date"


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    kind: str            # Char / Float / Int / Date
    length: int = 0      # Char length or Int digits or Float width
    decimals: int = 0
    con: str = "O"       # M / O / C
    domain: Optional[str] = None

    @property
    def gpkg_type(self) -> str:
        if self.kind == CHAR:
            return "TEXT(%d)" % self.length
        if self.kind == FLOAT:
            return "REAL"
        if self.kind == INT:
            return "INTEGER"
        return "DATE"

    @property
    def type_text(self) -> str:
        if self.kind == FLOAT:
            return "Float(%d,%d)" % (self.length, self.decimals)
        if self.kind == DATE:
            return "Date"
        return "%s(%d)" % (self.kind, self.length)


@dataclass(frozen=True)
class Table:
    code: str
    name: str
    con: str                      # M / O / C (existence)
    fields: Tuple[Field, ...]
    ysdm: Optional[str] = None    # vector layers only
    geometry: Optional[str] = None  # POINT / MULTILINESTRING / MULTIPOLYGON
    group: str = ""

    @property
    def is_layer(self) -> bool:
        return self.geometry is not None

    def field(self, code: str) -> Field:
        return self._index()[code.upper()]

    def has_field(self, code: str) -> bool:
        return code.upper() in self._index()

    def _index(self) -> Dict[str, Field]:
        idx = self.__dict__.get("_idx")
        if idx is None:
            idx = {f.code: f for f in self.fields}
            object.__setattr__(self, "_idx", idx)
        return idx

    @property
    def field_codes(self) -> List[str]:
        return [f.code for f in self.fields]


def _parse_type(tok: str):
    if tok == "D":
        return DATE, 8, 0
    kind = {"C": CHAR, "F": FLOAT, "I": INT}[tok[0]]
    if kind == FLOAT:
        w, d = tok[1:].split(".")
        return kind, int(w), int(d)
    return kind, int(tok[1:]), 0


def _fields(block: str) -> Tuple[Field, ...]:
    out = []
    for line in block.strip().splitlines():
        parts = line.split()
        if not parts:
            continue
        code, name, typ, con = parts[:4]
        domain = parts[4] if len(parts) > 4 else None
        kind, length, dec = _parse_type(typ)
        out.append(Field(code, name, kind, length, dec, con, domain))
    return tuple(out)


_COMMON = """
BSM 标识码 I10 M
YSDM 要素代码 C6 M
"""


def _layer(code, name, ysdm, geometry, con, group, block):
    return Table(code, name, con, _fields(_COMMON + block), ysdm, geometry, group)


def _table(code, name, con, block):
    return Table(code, name, con, _fields(block), group="权属数据")


LAYERS: Tuple[Table, ...] = (
    _layer("KZD", "控制点", "111000", "POINT", "M", "定位基础", """
KZDMC 控制点名称 C50 O
KZDDH 控制点点号 C10 O
KZDLX 控制点类型 C6 M C.1
KZDDJ 控制点等级 C20 M C.1G
BSLX 标石类型 C1 M C.2
BZLX 标志类型 C1 M C.3
KZDZT 控制点状态 C100 O
DZJ 点之记 C254 M
X2000 X_2000 F10.3 M
Y2000 Y_2000 F10.3 M
X80 X(E)_XA80 F10.3 C
Y80 Y(E)_XA80 F10.3 C
"""),
    _layer("XJXZQ", "县级行政区", "162010", "MULTIPOLYGON", "M", "境界与管辖区域", """
XZQDM 行政区代码 C6 M
XZQMC 行政区名称 C100 M
"""),
    _layer("XJQY", "乡级区域", "162020", "MULTIPOLYGON", "O", "境界与管辖区域", """
XJQYDM 乡级区域代码 C9 M
XJQYMC 乡级区域名称 C100 M
"""),
    _layer("CJQY", "村级区域", "162030", "MULTIPOLYGON", "O", "境界与管辖区域", """
CJQYDM 村级区域代码 C12 M
CJQYMC 村级区域名称 C100 M
"""),
    _layer("ZJQY", "组级区域", "162040", "MULTIPOLYGON", "O", "境界与管辖区域", """
ZJQYDM 组级区域代码 C14 M
ZJQYMC 组级区域名称 C100 M
"""),
    _layer("QYJX", "区域界线", "161051", "MULTILINESTRING", "M", "境界与管辖区域", """
JXLX 界线类型 C6 M C.4
JXXZ 界线性质 C6 M C.5
"""),
    _layer("DZDW", "点状地物", "196011", "POINT", "O", "其他地物", """
DWMC 地物名称 C10 M
BZ 备注 C50 O
"""),
    _layer("XZDW", "线状地物", "196021", "MULTILINESTRING", "O", "其他地物", """
DWMC 地物名称 C10 M
CD 长度 F10.2 O
KD 宽度 F10.2 O
BZ 备注 C50 O
"""),
    _layer("MZDW", "面状地物", "196031", "MULTIPOLYGON", "O", "其他地物", """
DWMC 地物名称 C10 M
MJ 面积 F15.2 O
BZ 备注 C50 O
MJM 面积(亩) F15.2 O
"""),
    _layer("DK", "地块", "211011", "MULTIPOLYGON", "M", "承包地块", """
DKBM 地块代码 C19 M
DKMC 地块名称 C50 M
SYQXZ 所有权性质 C2 O C.6
DKLB 地块类别 C2 M C.7
TDLYLX 土地利用类型 C3 O GB21010
DLDJ 地力等级 C2 M C.8
TDYT 土地用途 C1 M C.9
SFJBNT 是否基本农田 C1 M C.19
SCMJ 实测面积 F15.2 M
DKDZ 地块东至 C50 C
DKXZ 地块西至 C50 C
DKNZ 地块南至 C50 C
DKBZ 地块北至 C50 C
DKBZXX 地块备注信息 C254 O
ZJRXM 指界人姓名 C100 C
KJZB 空间坐标 C254 M
SCMJM 实测面积(亩) F15.2 O
"""),
    _layer("JZD", "界址点", "211021", "POINT", "M", "承包地块", """
JZDH 界址点号 C10 M
JZDLX 界址点类型 C1 M C.11
JBLX 界标类型 C1 O C.12
DKBM 地块代码 C254 M
XZBZ X坐标值 F10.3 M
YZBZ Y坐标值 F10.3 M
"""),
    _layer("JZX", "界址线", "211031", "MULTILINESTRING", "M", "承包地块", """
JXXZ 界线性质 C6 O C.5
JZXLB 界址线类别 C2 O C.13
JZXWZ 界址线位置 C1 M C.14
JZXSM 界址线说明 C254 M
PLDWQLR 毗邻地物权利人 C100 M
PLDWZJR 毗邻地物指界人 C100 M
JZXH 界址线号 C10 O
QJZDH 起界址点号 C10 O
ZJZDH 止界址点号 C10 O
DKBM 地块代码 C254 M
"""),
    _layer("JBNTBHQ", "基本农田保护区", "251100", "MULTIPOLYGON", "M", "基本农田", """
BHQBH 保护区编号 C13 O
JBNTMJ 基本农田面积 F15.2 O
JBNTMJM 基本农田面积(亩) F15.2 O
"""),
    _layer("ZJ", "注记", "211012", "POINT", "O", "注记", """
ZJNR 注记内容 C100 M
ZT 字体 C20 M
YS 颜色 C12 M
BS 磅数 I4 O
XZ 形状 C1 O
XHX 下划线 C1 O
KD 宽度 F15.1 O
GD 高度 F15.1 O
JG 间隔 F6.2 O
ZJDZXJXZB 注记点左下角X坐标 F10.3 M
ZJDZXJYZB 注记点左下角Y坐标 F10.3 M
ZJFX 注记方向 F10.6 M
"""),
)

TABLES: Tuple[Table, ...] = (
    _table("FBF", "发包方", "M", """
FBFBM 发包方代码 C14 M
FBFMC 发包方名称 C50 M
FBFFZRXM 发包方负责人姓名 C50 M
FZRZJLX 负责人证件类型 C1 M C.15
FZRZJHM 负责人证件号码 C30 M
LXDH 联系电话 C15 O
FBFDZ 发包方地址 C100 M
YZBM 邮政编码 C6 M
FBFDCY 发包方调查员 C254 M
FBFDCRQ 发包方调查日期 D M
FBFDCJS 发包方调查记事 C254 C
"""),
    _table("CBF", "承包方", "M", """
CBFBM 承包方代码 C18 M
CBFLX 承包方类型 C1 M C.16
CBFMC 承包方(代表)名称 C50 M
CBFZJLX 承包方(代表)证件类型 C1 M C.15
CBFZJHM 承包方(代表)证件号码 C20 M
CBFDZ 承包方地址 C100 M
YZBM 邮政编码 C6 M
LXDH 联系电话 C20 O
CBFCYSL 承包方成员数量 I2 M
CBFDCRQ 承包方调查日期 D M
CBFDCY 承包方调查员 C50 M
CBFDCJS 承包方调查记事 C254 C
GSJS 公示记事 C254 C
GSJSR 公示记事人 C50 M
GSSHRQ 公示审核日期 D M
GSSHR 公示审核人 C50 M
"""),
    _table("CBF_JTCY", "家庭成员", "C", """
CBFBM 承包方代码 C18 M
CYXM 成员姓名 C50 M
CYXB 成员性别 C1 M C.17
CYZJLX 成员证件类型 C1 M C.15
CYZJHM 成员证件号码 C20 M
YHZGX 与户主关系 C2 M GB4761
CYBZ 成员备注 C1 O C.18
SFGYR 是否共有人 C1 O C.19
CYBZSM 成员备注说明 C254 O
"""),
    _table("CBDKXX", "承包地块信息", "M", """
DKBM 地块代码 C19 M
FBFBM 发包方代码 C14 M
CBFBM 承包方代码 C18 M
CBJYQQDFS 承包经营权取得方式 C3 M C.10
HTMJ 确权(合同)面积 F15.2 M
CBHTBM 承包合同代码 C19 M
LZHTBM 流转合同代码 C18 O
CBJYQZBM 承包经营权证(登记簿)代码 C19 M
YHTMJ 原合同面积 F15.2 C
HTMJM 确权(合同)面积(亩) F15.2 O
YHTMJM 原合同面积(亩) F15.2 C
SFQQQG 是否确权确股 C1 O C.19
"""),
    _table("CBHT", "承包合同", "M", """
CBHTBM 承包合同代码 C19 M
YCBHTBM 原承包合同代码 C19 C
FBFBM 发包方代码 C14 M
CBFBM 承包方代码 C18 M
CBFS 承包方式 C3 M C.10
CBQXQ 承包期限起 D M
CBQXZ 承包期限止 D M
HTZMJ 确权(合同)总面积 F15.2 M
CBDKZS 承包地块总数 I3 M
QDSJ 签订时间 D M
HTZMJM 确权(合同)总面积(亩) F15.2 O
YHTZMJ 原合同总面积 F15.2 C
YHTZMJM 原合同总面积(亩) F15.2 C
"""),
    _table("LZHT", "流转合同", "C", """
CBHTBM 承包合同代码 C19 M
LZHTBM 流转合同代码 C18 M
CBFBM 承包方代码 C18 M
SRFBM 受让方代码 C18 M
LZFS 流转方式 C3 M C.10
LZQX 流转期限 C10 M
LZQXKSRQ 流转期限开始日期 D M
LZQXJSRQ 流转期限结束日期 D M
LZMJ 流转面积 F15.2 M
LZDKS 流转地块数 I3 M
LZQTDYT 流转前土地用途 C1 O C.9
LZHTDYT 流转后土地用途 C1 O C.9
LZJGSM 流转费用说明 C100 M
HTQDRQ 合同签订日期 D M
LZMJM 流转面积(亩) F15.2 O
"""),
    _table("QSLYZLFJ", "权属来源资料附件", "M", """
CBJYQZBM 承包经营权证(登记簿)代码 C19 M
ZLFJBH 资料附件编号 C20 M
ZLFJMC 资料附件名称 C100 M
ZLFJRQ 资料附件日期 D M
FJ 附件 C254 M
"""),
    _table("CBJYQZDJB", "承包经营权登记簿", "M", """
CBJYQZBM 承包经营权证(登记簿)代码 C19 M
FBFBM 发包方代码 C14 M
CBFBM 承包方代码 C18 M
CBFS 承包方式 C3 M C.10
CBQX 承包期限 C30 M
CBQXQ 承包期限起 D M
CBQXZ 承包期限止 D M
DKSYT 地块示意图 C254 M
CBJYQZLSH 承包经营权证流水号 C254 M
DJBFJ 登记簿附记 C254 O
YCBJYQZBH 原承包经营权证编号 C100 O
DBR 登簿人 C50 M
DJSJ 登记时间 D M
"""),
    _table("CBJYQZ", "承包经营权证", "M", """
CBJYQZBM 承包经营权证代码 C19 M
FZJG 发证机关 C50 M
FZRQ 发证日期 D M
QZSFLQ 权证是否领取 C1 M C.19
QZLQRQ 权证领取日期 D C
QZLQRXM 权证领取人姓名 C50 C
QZLQRZJLX 权证领取人证件类型 C1 C C.15
QZLQRZJHM 权证领取人证件号码 C20 C
"""),
    _table("CBJYQZ_QZBF", "权证补发", "O", """
CBJYQZBM 承包经营权证代码 C19 M
QZBFYY 权证补发原因 C200 M
BFRQ 补发日期 D M
QZBFLQRQ 权证补发领取日期 D M
QZBFLQRXM 领取人姓名 C50 M
BFLQRZJLX 领取人证件类型 C1 M C.15
BFLQRZJHM 领取人证件号码 C20 M
"""),
    _table("CBJYQZ_QZHF", "权证换发", "O", """
CBJYQZBM 承包经营权证代码 C19 M
QZHFYY 权证换发原因 C200 M
HFRQ 换发日期 D M
QZHFLQRQ 权证换发领取日期 D M
QZHFLQRXM 领取人姓名 C50 M
HFLQRZJLX 领取人证件类型 C1 M C.15
HFLQRZJHM 领取人证件号码 C20 M
"""),
    _table("CBJYQZ_QZZX", "权证注销", "O", """
CBJYQZBM 承包经营权证代码 C19 M
ZXYY 注销原因 C200 M
ZXRQ 注销日期 D M
"""),
)

ALL: Tuple[Table, ...] = LAYERS + TABLES
BY_CODE: Dict[str, Table] = {t.code: t for t in ALL}

# Fields whose values are coordinates: checked as width 12, 3 decimals (A03)
# and written N(12,3) in DBF because zone-prefixed eastings have 8 digits.
COORDINATE_FIELDS = frozenset(
    ["XZBZ", "YZBZ", "X2000", "Y2000", "X80", "Y80", "ZJDZXJXZB", "ZJDZXJYZB"])

# m² field -> 亩 field pairs (codes.md §7, rule M02).
MU_PAIRS = (("SCMJ", "SCMJM"), ("HTMJ", "HTMJM"), ("YHTMJ", "YHTMJM"),
            ("HTZMJ", "HTZMJM"), ("YHTZMJ", "YHTZMJM"), ("LZMJ", "LZMJM"),
            ("JBNTMJ", "JBNTMJM"), ("MJ", "MJM"))

# ID-number fields and the field holding their 证件类型.
ID_FIELDS = {
    ("CBF", "CBFZJHM"): "CBFZJLX",
    ("CBF_JTCY", "CYZJHM"): "CYZJLX",
    ("FBF", "FZRZJHM"): "FZRZJLX",
    ("CBJYQZ", "QZLQRZJHM"): "QZLQRZJLX",
    ("CBJYQZ_QZBF", "BFLQRZJHM"): "BFLQRZJLX",
    ("CBJYQZ_QZHF", "HFLQRZJHM"): "HFLQRZJLX",
}

# Natural key of each ownership table (None = no single key).
TABLE_KEYS = {
    "FBF": "FBFBM", "CBF": "CBFBM", "CBF_JTCY": "CBFBM", "CBDKXX": "DKBM",
    "CBHT": "CBHTBM", "LZHT": "LZHTBM", "QSLYZLFJ": "ZLFJBH",
    "CBJYQZDJB": "CBJYQZBM", "CBJYQZ": "CBJYQZBM", "CBJYQZ_QZBF": "CBJYQZBM",
    "CBJYQZ_QZHF": "CBJYQZBM", "CBJYQZ_QZZX": "CBJYQZBM",
}
LAYER_KEYS = {
    "DK": "DKBM", "JZD": "JZDH", "JZX": "JZXH", "KZD": "KZDDH",
    "XJXZQ": "XZQDM", "XJQY": "XJQYDM", "CJQY": "CJQYDM", "ZJQY": "ZJQYDM",
    "JBNTBHQ": "BHQBH", "DZDW": "DWMC", "XZDW": "DWMC", "MZDW": "DWMC",
}


def key_field(code: str) -> Optional[str]:
    return TABLE_KEYS.get(code) or LAYER_KEYS.get(code)


# S01: layers/tables whose absence is an error (existence only).
REQUIRED_LAYERS = tuple(t.code for t in LAYERS if t.con == "M")
REQUIRED_TABLES = tuple(t.code for t in TABLES if t.con == "M")

SCHEMA_VERSION = "NY/T 2539-2016 (2016-09-07 报批稿)"
