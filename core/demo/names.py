"""Names and fixed facts of the demo township (湖南省衡东县): places, people, fields.

All choices are made with a caller's random.Random, never the global one.
"""
import random

PROVINCE_SHORT = "湘"
PROVINCE = "湖南省"
COUNTY_CODE = "430424"
COUNTY_NAME = "衡东县"
TOWNSHIP_CODE = "430424105"
TOWNSHIP_NAME = "杨桥镇"
POSTCODE = "421400"
CERT_AUTHORITY = "衡东县人民政府"
# Neighbouring counties of the same prefecture (GB/T 2260): spouses married in.
NEARBY_REGIONS = ("430421", "430422", "430423", "430426", "430481", "430482", "430408")

# CGCS2000 3° GK zone 38 (EPSG:4526): the township's south-west corner, near 27.0°N 112.83°E.
ORIGIN_E_MM = 38_382_000_000
ORIGIN_N_MM = 2_988_000_000

_V1 = "石新龙金杨柏荷桥花白黄长青大高东南西竹松枫梅兰凤泉湖江田塘岭湾洲林沙清莲桂双云福"
_V2 = "湾塘桥坪冲岭田山湖江洲铺市坳垅源溪口港井"

SURNAMES = (("刘", 9), ("李", 7), ("谭", 7), ("王", 6), ("陈", 6), ("罗", 5), ("周", 5),
            ("彭", 5), ("肖", 4), ("曾", 4), ("邓", 4), ("许", 3), ("贺", 3), ("朱", 3),
            ("唐", 3), ("文", 3), ("廖", 3), ("阳", 3), ("颜", 2), ("成", 2), ("康", 2),
            ("胡", 2), ("蒋", 2), ("段", 2), ("旷", 2), ("欧阳", 2), ("尹", 1), ("侯", 1),
            ("赵", 1), ("龙", 1), ("戴", 1), ("向", 1))
_MALE = "建国军华明伟强平志勇文斌忠德福春海林松光辉雄立新红军兵生云德贵荣祥顺宏波涛"
_FEMALE = "秀英兰芳红梅华玲娟霞凤珍莲桂丽萍艳琴翠菊春花香玉淑敏静燕芬莉"
_GENERATION = "德明正大永世光荣朝泽先宏承家庆安"

FIELD_NAMES = ("大丘田", "塘边", "屋后坪", "屋前田", "长丘", "垅里", "冲田", "坝上", "岭上",
               "坡地", "井边", "桥头", "湾里", "下丘", "上丘", "大坵", "秧田", "路边", "港边",
               "山脚", "竹山下", "茶山", "园里", "菜园", "门前丘", "长垅", "对门田", "坳上",
               "高丘", "沙洲", "渠边", "枫树下", "新开田", "老屋场", "烂泥丘")
SURVEYORS = ("李卫东", "周建新", "谭小平", "刘海波", "陈志刚", "罗晓峰", "彭丽", "肖军")
REVIEWERS = ("王明华", "谭志强", "刘红梅")
REGISTRARS = ("阳建军", "许晓燕")
ATTACHMENTS = ("二轮承包合同", "承包方调查表", "户口簿复印件", "公示无异议声明书", "地块示意图签字页")
SURVEY_NOTES = ("户主外出务工，由其配偶代为指界", "地块四至经相邻户确认", "二轮延包时分户",
                "部分地块互换耕种，已现场确认")
DIGITS_CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals: 一, 十, 十一, 二十三."""
    if n < 10:
        return DIGITS_CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS_CN[tens]) + "十" + (DIGITS_CN[ones] if ones else "")


def village_names(count: int, rnd: random.Random):
    pool = [a + b for a in _V1 for b in _V2 if a != b]
    rnd.shuffle(pool)
    return [p + "村" for p in pool[:count]]


def group_name(village_name: str, number: int) -> str:
    return "%s%s组" % (village_name, cn_number(number))


class NameMaker:
    """Chinese personal names; each group has one or two clan surnames."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self._surnames = [s for s, _ in SURNAMES]
        self._weights = [w for _, w in SURNAMES]

    def surname(self, clans=None) -> str:
        if clans and self.rnd.random() < 0.7:
            return clans[0] if len(clans) == 1 or self.rnd.random() < 0.7 else clans[1]
        return self.rnd.choices(self._surnames, self._weights)[0]

    def clans(self):
        return self.rnd.choices(self._surnames, self._weights, k=2)

    def given(self, male: bool, generation: str = "") -> str:
        chars = _MALE if male else _FEMALE
        if generation and male:
            return generation + self.rnd.choice(chars)
        if self.rnd.random() < 0.25:
            return self.rnd.choice(chars)
        return self.rnd.choice(chars) + self.rnd.choice(chars)

    def generation(self) -> str:
        return self.rnd.choice(_GENERATION)

    def person(self, male: bool, surname: str = "", generation: str = "") -> str:
        return (surname or self.surname()) + self.given(male, generation)
