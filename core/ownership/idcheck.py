"""ID numbers as typed in the editor: normalised, judged, and what they tell (gender, birth).

GB 11643 rules are those of core.codes (A07); this module only adds what an input
field needs: a lowercase x becomes X, partial input gets a progress hint, and a
valid 15-digit legacy number is stored in its 18-digit form.
"""
import datetime as _dt
from dataclasses import dataclass
from typing import Optional

from .. import codelists, codes

ID_CARD = "1"   # 证件类型 1 居民身份证


@dataclass(frozen=True)
class IdHint:
    number: str                  # what will be stored (normalised; 15 digits converted to 18)
    ok: bool                     # acceptable for saving
    message: str                 # Chinese hint for the input field
    gender: Optional[str] = None  # CYXB '1' / '2' derived from the number
    birth: Optional[_dt.date] = None
    converted: bool = False      # a 15-digit number converted to 18 digits


def normalize(raw) -> str:
    return "".join(str(raw or "").split()).upper()


def id_hint(raw, id_type: str = ID_CARD, survey_date: Optional[_dt.date] = None) -> IdHint:
    number = normalize(raw)
    if codes.is_empty_id(number):
        return IdHint(number, False, "请填写证件号码（不能为空或全为 0）")
    if str(id_type or "").strip() != ID_CARD:
        return IdHint(number, True, "%s，不校验号码" % codelists.label("C.15", id_type))
    why = codes.id_problem(number, survey_date)
    if why == "LEGACY15":
        full = codes.id15_to_18(number)
        return IdHint(full, True, "15 位旧号码，将按 18 位 %s 保存" % full, codes.id_gender(full),
                      codes.id_birth_date(full), converted=True)
    if why is None:
        gender, birth = codes.id_gender(number), codes.id_birth_date(number)
        return IdHint(number, True, "有效：%s，%s 出生" % (codelists.label("C.17", gender),
                                                       birth.isoformat()), gender, birth)
    if number.isdigit() and len(number) < 18 and len(number) != 15:
        return IdHint(number, False, "已输入 %d 位，还差 %d 位" % (len(number), 18 - len(number)))
    return IdHint(number, False, "身份证号码 %s %s" % (number, why))
