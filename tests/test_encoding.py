"""DBF/CSV encodings (.cpg, language driver byte, trial decode), DBF widths, value coercion."""
import datetime as dt
import os

import pytest

from quequan.core import schema
from quequan.core.exchange.coerce import coerce_value
from quequan.core.exchange.dbf import DbfField, read_dbf, write_dbf
from quequan.core.exchange.errors import ExchangeError
from quequan.core.exchange.tabular import read_csv

NAMES = ["王小明", "李四", "欧阳娜娜"]
FIELDS = [DbfField("CBFBM", "C", 18), DbfField("CBFMC", "C", 50), DbfField("CBFCYSL", "N", 2),
          DbfField("CBFDCRQ", "D", 8)]


def make_dbf(path, encoding, ldid_encoding, cpg=None, names=NAMES):
    """Text encoded with `encoding`; the header's language byte from `ldid_encoding`."""
    rows = [["43042410120401%04d" % (i + 1), n.encode(encoding), str(i + 1), "20160401"]
            for i, n in enumerate(names)]
    write_dbf(str(path), FIELDS, rows, ldid_encoding)
    if cpg is not None:
        with open(str(path)[:-4] + ".cpg", "w") as fh:
            fh.write(cpg)
    return str(path)


def ldid(path):
    with open(path, "rb") as fh:
        return fh.read(30)[29]


def test_utf8_dbf_with_cpg(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "utf-8", "utf-8", cpg="UTF-8")
    assert ldid(path) == 0
    t = read_dbf(path)
    assert t.encoding == "utf-8" and ".cpg" in t.encoding_source
    assert [r["CBFMC"] for r in t.records] == NAMES
    assert t.records[0]["CBFCYSL"] == "1" and t.records[0]["CBFDCRQ"] == "20160401"


def test_gbk_dbf_with_language_byte_and_no_cpg(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "gbk")
    assert ldid(path) == 0x4D and not os.path.exists(str(tmp_path / "CBF.cpg"))
    t = read_dbf(path)
    assert t.encoding == "gbk" and "0x4D" in t.encoding_source
    assert [r["CBFMC"] for r in t.records] == NAMES


def test_gbk_dbf_without_cpg_or_language_byte_is_trial_decoded(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "ascii")
    assert ldid(path) == 0
    t = read_dbf(path)
    assert t.encoding == "gbk" and "试解码" in t.encoding_source
    assert [r["CBFMC"] for r in t.records] == NAMES


def test_utf8_dbf_without_cpg_is_trial_decoded_as_utf8(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "utf-8", "ascii")
    t = read_dbf(path)
    assert t.encoding == "utf-8" and [r["CBFMC"] for r in t.records] == NAMES


def test_language_byte_0x57_is_not_trusted(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "ascii")
    with open(path, "r+b") as fh:
        fh.seek(29)
        fh.write(bytes([0x57]))
    t = read_dbf(path)
    assert t.encoding == "gbk" and "试解码" in t.encoding_source


def test_cpg_declaring_utf8_over_gbk_text_is_a_clear_error(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "ascii", cpg="UTF-8")
    with pytest.raises(ExchangeError) as exc:
        read_dbf(path)
    msg = str(exc.value)
    assert "CBF.dbf" in msg and "UTF-8" in msg and ".cpg" in msg and "第 1 条记录字段 CBFMC" in msg


def test_language_byte_gbk_over_utf8_text_is_a_clear_error(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "utf-8", "gbk")
    with pytest.raises(ExchangeError) as exc:
        read_dbf(path)
    assert "0x4D" in str(exc.value) and "UTF-8" in str(exc.value)


def test_forced_encoding_overrides_a_wrong_cpg(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "ascii", cpg="UTF-8")
    t = read_dbf(path, encoding="GBK")
    assert [r["CBFMC"] for r in t.records] == NAMES and t.encoding_source == "指定编码"


def test_cpg_aliases(tmp_path):
    for text in ("936", "CP936", "GB2312"):
        path = make_dbf(tmp_path / ("t%s.dbf" % text), "gbk", "ascii", cpg=text)
        assert read_dbf(path).encoding == "gbk"


def test_chinese_field_names_are_decoded(tmp_path):
    path = str(tmp_path / "plots.dbf")
    write_dbf(path, [DbfField("地块编码", "C", 19), DbfField("面积", "N", 16, 2)],
              [[b"4304241012040100001", "1234.56"]], "gbk")
    t = read_dbf(path)
    assert [f.name for f in t.fields] == ["地块编码", "面积"]
    assert t.records[0] == {"地块编码": "4304241012040100001", "面积": "1234.56"}


def test_truncated_dbf_is_reported(tmp_path):
    path = make_dbf(tmp_path / "CBF.dbf", "gbk", "gbk")
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-60])
    with pytest.raises(ExchangeError) as exc:
        read_dbf(path)
    assert "截断" in str(exc.value) and "3 条" in str(exc.value)


def test_csv_gbk_and_utf8_bom(tmp_path):
    text = "承包方代码,承包方名称\n430424101204010001,王小明\n"
    (tmp_path / "a.csv").write_bytes(text.encode("gbk"))
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name, enc in (("a.csv", "gbk"), ("b.csv", "utf-8")):
        src = read_csv(str(tmp_path / name))
        assert src.encoding == enc
        assert src.fields == ["承包方代码", "承包方名称"]
        assert src.rows == [{"承包方代码": "430424101204010001", "承包方名称": "王小明"}]
        assert src.row_numbers == [2]


# --- value coercion (schema.md §1, §5, §6) ------------------------------------------

def F(table, code):
    return schema.BY_CODE[table].field(code)


@pytest.mark.parametrize("raw", ["20160401", "2016-04-01", "2016/4/1", "2016-04-01 08:30:00",
                                 "2016-04-01T08:30:00", "2016/04/01 08:30:00+08", "2016年4月1日", dt.date(2016, 4, 1),
                                 dt.datetime(2016, 4, 1, 9, 0), 42461])
def test_dates(raw):
    value, problem = coerce_value(F("CBF", "CBFDCRQ"), raw)
    assert value == "2016-04-01"
    assert problem is None or problem[0] == "提示"


def test_bad_date_is_nulled_and_reported():
    value, problem = coerce_value(F("CBF", "CBFDCRQ"), "20160231")
    assert value is None and problem[0] == "错误" and problem[2] == "置空"


def test_float_rounding_is_decimal_half_up():
    assert coerce_value(F("DK", "SCMJ"), 2.675)[0] == 2.68       # binary float would give 2.67
    assert coerce_value(F("DK", "SCMJ"), "1,234.565")[0] == 1234.57
    assert coerce_value(F("DK", "SCMJ"), "１２.５")[0] == 12.5
    value, problem = coerce_value(F("DK", "SCMJ"), "约100")
    assert value is None and problem[0] == "错误"


def test_coordinates_use_width_12():
    value, problem = coerce_value(F("JZD", "YZBZ"), 38500123.4567, coordinate=True)
    assert value == 38500123.457 and problem[0] == "提示"   # rounded only, 8 integer digits fit


def test_int_and_char_rules():
    assert coerce_value(F("CBF", "CBFCYSL"), "4.0") == (4, None)
    assert coerce_value(F("CBF", "CBFCYSL"), 4.5)[0] is None
    assert coerce_value(F("CBF", "CBFCYSL"), 123)[1][0] == "警告"      # Int(2), kept
    assert coerce_value(F("DK", "DLDJ"), 3) == ("03", ("警告", "代码缺少前导零", "已补前导零"))
    assert coerce_value(F("CBF_JTCY", "CYXB"), "女")[0] == "2"
    assert coerce_value(F("CBF_JTCY", "YHZGX"), "户主")[0] == "02"
    value, problem = coerce_value(F("DK", "DKBM"), 4304241012040100001.0)
    assert value is None and "15 位" in problem[1]
    assert coerce_value(F("CBF", "CBFBM"), 430424101204010001)[0] == "430424101204010001"
    value, problem = coerce_value(F("DK", "DKMC"), "长" * 60)
    assert value == "长" * 60 and problem[0] == "警告" and problem[2] == "原样导入"
