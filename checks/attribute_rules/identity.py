"""ID numbers and households: A07, A08, A09, A10, A11, A12, A16 (checks.md §7 A, codes.md §6)."""
from ...core import codes
from ...core.codelists import CODE_LISTS, HEAD_RELATIONS
from .tables import NOUN, empty_id, text

# (table, number field, 证件类型 field, person-name field, role shown in messages)
ID_SOURCES = (
    ("CBF", "CBFZJHM", "CBFZJLX", "CBFMC", ""),
    ("CBF_JTCY", "CYZJHM", "CYZJLX", "CYXM", "成员"),
    ("FBF", "FZRZJHM", "FZRZJLX", "FBFFZRXM", "负责人"),
    ("CBJYQZ", "QZLQRZJHM", "QZLQRZJLX", "QZLQRXM", "领取人"),
    ("CBJYQZ_QZBF", "BFLQRZJHM", "BFLQRZJLX", "QZBFLQRXM", "补发领取人"),
    ("CBJYQZ_QZHF", "HFLQRZJHM", "HFLQRZJLX", "QZHFLQRXM", "换发领取人"),
)
_ID_CARD = "1"
_GENDER = {"1": "男", "2": "女"}


def _subject(data, table, row, name_field, role):
    """'承包方 …021 成员 张某' / '承包方 …021 王大' / '发包方 … 负责人 李四'."""
    key = data.key_of(table, row)
    noun = NOUN.get(table, table)
    name = text(row.get(name_field)) or "（姓名空）"
    if role:
        return "%s %s %s %s" % (noun, key, role, name)
    return "%s %s %s" % (noun, key, name)


def _person_values(data, table, row, num_field, name_field):
    vals = {"person": text(row.get(name_field)), "id_number": text(row.get(num_field)),
            "_fp": num_field}
    if table in ("CBF", "CBF_JTCY"):
        cbf = data.index("CBF", "CBFBM").get(text(row.get("CBFBM")))
        vals["household"] = text(cbf[0].get("CBFMC")) if cbf else ""
    return vals


def a07_a16(data, em, wanted):
    for table, num_f, type_f, name_f, role in ID_SOURCES:
        if not data.has(table) or num_f not in data.columns(table):
            continue
        for row, unit in data.scoped(table):
            kind = row.get(type_f)
            if kind != _ID_CARD and text(kind) != _ID_CARD:
                continue
            raw = row.get(num_f)
            if empty_id(raw):
                continue   # A08
            number = text(raw).upper()
            problem = data.id_problem(number, data.survey_date(table, row))
            if problem is None:
                continue
            subject = _subject(data, table, row, name_f, role)
            vals = _person_values(data, table, row, num_f, name_f)
            relevant = {num_f: raw, type_f: row.get(type_f), name_f: row.get(name_f)}
            if problem == "LEGACY15":
                if "A16" in wanted:
                    full = codes.id15_to_18(number)
                    vals["converted"] = full
                    msg = "%s 身份证号 %s 为15位旧号码，对应18位号码为 %s" % (subject, number, full)
                    em.add(data.finding("A16", table, row, msg, unit, values=vals,
                                        relevant=relevant))
            elif "A07" in wanted:
                vals["problem"] = problem
                msg = "%s 身份证号 %s %s" % (subject, number, problem)
                em.add(data.finding("A07", table, row, msg, unit, values=vals, relevant=relevant))


def a08(data, em):
    for table, num_f, type_f, name_f, role in ID_SOURCES:
        if not data.has(table) or num_f not in data.columns(table):
            continue
        for row, unit in data.scoped(table):
            if table == "CBJYQZ" and text(row.get("QZSFLQ")) != "1":
                continue   # the receiver's number is required only once the certificate is taken
            raw = row.get(num_f)
            if not empty_id(raw):
                continue
            kind = text(row.get(type_f))
            shown = "为空" if codes.is_empty(raw) else "为 %s（视为空）" % text(raw)
            msg = "%s 证件号码 %s %s" % (_subject(data, table, row, name_f, role), num_f, shown)
            if kind:
                msg += "（证件类型 %s %s）" % (kind, CODE_LISTS["C.15"].get(kind, ""))
            vals = _person_values(data, table, row, num_f, name_f)
            em.add(data.finding("A08", table, row, msg, unit, values=vals,
                                relevant={num_f: raw, type_f: row.get(type_f),
                                          name_f: row.get(name_f)}))


def normalised_id(raw) -> str:
    """Trimmed, uppercase X; a valid 15-digit number in its 18-digit form (same person)."""
    number = text(raw).upper()
    if len(number) == 15 and codes.id_problem(number) == "LEGACY15":
        return codes.id15_to_18(number)
    return number


def a09(data, em):
    occurrences = {}   # number -> list of (cbfbm, name, unit, table)
    member_keys = set()
    for row, unit in zip(data.rows("CBF_JTCY"), data.units("CBF_JTCY")):
        if text(row.get("CYZJLX")) != _ID_CARD or empty_id(row.get("CYZJHM")):
            continue
        number = normalised_id(row.get("CYZJHM"))
        cbfbm = text(row.get("CBFBM"))
        occurrences.setdefault(number, []).append((cbfbm, text(row.get("CYXM")), unit, "CBF_JTCY"))
        member_keys.add((number, cbfbm))
    for row, unit in zip(data.rows("CBF"), data.units("CBF")):
        if text(row.get("CBFLX")) != "2" or text(row.get("CBFZJLX")) != _ID_CARD:
            continue
        if empty_id(row.get("CBFZJHM")):
            continue
        number = normalised_id(row.get("CBFZJHM"))
        cbfbm = text(row.get("CBFBM"))
        if (number, cbfbm) in member_keys:
            continue   # the person's own member row: one occurrence
        occurrences.setdefault(number, []).append((cbfbm, text(row.get("CBFMC")), unit, "CBF"))
    households = data.index("CBF", "CBFBM")
    for number, occ in sorted(occurrences.items()):
        if len(occ) < 2 or not any(data.in_scope(o[2]) for o in occ):
            continue
        occ = sorted(occ)
        parts, persons = [], []
        for cbfbm, name, unit, table in occ:
            head = households.get(cbfbm)
            head_name = text(head[0].get("CBFMC")) if head else ""
            parts.append("承包方 %s %s%s" % (cbfbm, name or "（姓名空）",
                                           "（户主 %s）" % head_name if head_name and table == "CBF_JTCY"
                                           and head_name != name else ""))
            persons.append({"cbfbm": cbfbm, "person": name, "household": head_name, "unit": unit})
        msg = "身份证号 %s 重复出现 %d 次：%s" % (number, len(occ), "；".join(parts))
        first = occ[0]
        row = {"CBFBM": first[0], "CYXM": first[1], "CYZJHM": number}
        f = data.finding("A09", "CBF_JTCY", row, msg, first[2], key=number, key_field="CYZJHM",
                         related=tuple("%s %s" % (o[0], o[1]) for o in occ),
                         related_field="CBFBM 姓名",
                         values={"id_number": number, "persons": persons,
                                 "units": sorted({o[2] for o in occ}), "person": first[1],
                                 "household": persons[0]["household"]},
                         relevant=[number, [o[:2] for o in occ]])
        em.add(f)


def a10(data, em):
    for row, unit in data.scoped("CBF_JTCY"):
        if text(row.get("CYZJLX")) != _ID_CARD:
            continue
        sex = text(row.get("CYXB"))
        if sex not in _GENDER:
            continue
        number = text(row.get("CYZJHM")).upper()
        problem = data.id_problem(number, data.survey_date("CBF_JTCY", row))
        if problem not in (None, "LEGACY15") and not problem.startswith("校验位"):
            continue   # a malformed number (A07) says nothing reliable about the gender
        digit_sex = codes.id_gender(number)
        if digit_sex is None or digit_sex == sex:
            continue
        pos = 17 if len(number) == 18 else 15
        msg = "%s 性别为%s（CYXB %s），身份证号 %s 第 %d 位 %s 表示%s" % (
            _subject(data, "CBF_JTCY", row, "CYXM", "成员"), _GENDER[sex], sex, number, pos,
            number[pos - 1], _GENDER[digit_sex])
        vals = _person_values(data, "CBF_JTCY", row, "CYZJHM", "CYXM")
        em.add(data.finding("A10", "CBF_JTCY", row, msg, unit, values=vals,
                            relevant={"CYXB": sex, "CYZJHM": number}))


def a11_a12(data, em, wanted):
    members = data.index("CBF_JTCY", "CBFBM")
    if "YHZGX" not in data.columns("CBF_JTCY"):
        wanted = set(wanted) - {"A11"}   # no relation column: S02 reports the structure
    for row, unit in data.scoped("CBF"):
        lx = text(row.get("CBFLX"))
        cbfbm = text(row.get("CBFBM"))
        subject = "承包方 %s %s" % (cbfbm or data.key_of("CBF", row), text(row.get("CBFMC")))
        if lx == "1" and data.reached("CBF_JTCY", unit):
            mem = members.get(cbfbm, [])
            if "A11" in wanted:
                _a11(data, em, row, unit, subject, mem)
            if "A12" in wanted:
                _a12(data, em, row, unit, subject, len(mem), "家庭成员表中有 %d 人" % len(mem))
        elif lx in ("2", "3") and "A12" in wanted:
            _a12(data, em, row, unit, subject, 1, "个人、单位承包方应为 1")


def _a11(data, em, row, unit, subject, mem):
    heads = [m for m in mem if text(m.get("YHZGX")) in HEAD_RELATIONS]
    names = tuple(text(m.get("CYXM")) for m in heads)
    if len(heads) != 1:
        msg = "%s 户主（与户主关系 01 本人或 02 户主）有 %d 人%s，应恰好 1 人" % (
            subject, len(heads), "（%s）" % "、".join(names) if names else "")
    else:
        head = heads[0]
        problems = []
        if text(head.get("CYXM")) != text(row.get("CBFMC")):
            problems.append("户主成员姓名 %s 与承包方名称 %s 不一致" % (
                text(head.get("CYXM")), text(row.get("CBFMC"))))
        if text(head.get("CYZJHM")).upper() != text(row.get("CBFZJHM")).upper():
            problems.append("户主证件号码 %s 与承包方证件号码 %s 不一致" % (
                text(head.get("CYZJHM")), text(row.get("CBFZJHM"))))
        if not problems:
            return
        msg = "%s %s" % (subject, "；".join(problems))
    relevant = {"CBFMC": row.get("CBFMC"), "CBFZJHM": row.get("CBFZJHM"),
                "heads": sorted((text(m.get("CYXM")), text(m.get("CYZJHM")).upper()) for m in heads)}
    em.add(data.finding("A11", "CBF", row, msg, unit, related=names, related_field="CYXM",
                        values={"heads": len(heads)}, relevant=relevant))


def _a12(data, em, row, unit, subject, expected, why):
    raw = row.get("CBFCYSL")
    try:
        n = int(str(raw).strip()) if raw is not None and str(raw).strip() else None
    except ValueError:
        n = None   # not a number: A17
    if n is None or n == expected:
        return
    msg = "%s 成员数量 CBFCYSL 为 %d，%s" % (subject, n, why)
    em.add(data.finding("A12", "CBF", row, msg, unit, values={"CBFCYSL": n, "expected": expected},
                        relevant={"CBFCYSL": n, "expected": expected}))
