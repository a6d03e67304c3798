"""Layouts byte-for-byte both ways (formats/sf2520.md, formats/sf2530.md)."""

import datetime as dt

import pytest

from integrations.fixedwidth import LayoutFejl, encode_file, read_file, split_file
from integrations.sf2520 import formats as f

DETALJE = {
    "kommunekode": 101, "cpr": "0101801234", "aftale_id": "ÆØÅ-æøå-1",
    "udbetalingsdato": dt.date(2026, 3, 31), "periode_fra": dt.date(2026, 3, 16),
    "periode_til": dt.date(2026, 3, 31), "beloeb_oere": 123456, "modregnings_id": "KY000000000000000042",
}


def test_detail_record_byte_for_byte():
    line = f.SF2520_DETALJE.write(DETALJE)
    expected = ("10" + "101" + "0101801234" + "ÆØÅ-æøå-1".ljust(20) + "20260331" + "20260316" + "20260331"
                + "000000123456" + "KY000000000000000042" + " " * 29)
    assert line == expected and len(line) == 120
    assert f.SF2520_DETALJE.read(line) == {**DETALJE, "posttype": "10", "fyld": " " * 29}


def test_checked_writer_equals_fast_writer():
    assert f.SF2520_DETALJE.write(DETALJE) == f.SF2520_DETALJE.write_checked(DETALJE)


def test_file_iso_8859_1_crlf_and_totals():
    start = f.START.write({"kommunekode": 101, "dato": dt.date(2026, 3, 2), "tid": "130501", "loebenummer": 7,
                           "afsender": "KY"})
    slut = f.SLUT.write({"kommunekode": 101, "antal": 1, "sum_oere": 123456})
    data = encode_file([start, f.SF2520_DETALJE.write(DETALJE), slut])
    assert data.count(b"\r\n") == 3 and data.endswith(b"\r\n")
    assert len(data) == 3 * 122
    assert "ÆØÅ-æøå".encode("iso-8859-1") in data
    assert start == "0010120260302130501000007" + "KY".ljust(10) + " " * 85
    assert slut == "9910100000000100000000012345" + "6" + " " * 91
    records = read_file(data, f.SF2520_LAYOUTS)
    assert [r["posttype"] for _, r in records] == ["00", "10", "99"]
    assert records[2][1]["antal"] == 1 and records[2][1]["sum_oere"] == 123456


def test_answer_records_both_kinds():
    a = {"kommunekode": 101, "cpr": "0101801234", "aftale_id": "A1", "beloeb_oere": 150000,
         "gyldig_fra": dt.date(2026, 1, 1), "gyldig_til": None, "status": "A"}
    line = f.SF2530_AFTALE.write(a)
    assert line[55:63] == "00000000" and line[63] == "A"
    assert f.SF2530_AFTALE.read(line)["gyldig_til"] is None
    ingen = f.SF2530_INGEN_AFTALE.write({"kommunekode": 101, "cpr": "0101801234"})
    assert ingen == "21101" + "0101801234" + " " * 20 + "0" * 28 + " " * 57


@pytest.mark.parametrize("mutate, felt", [
    (lambda s: s[:-1], None),  # wrong length
    (lambda s: s[:59] + "00000000012x" + s[71:], "beloeb_oere"),  # non-digits
    (lambda s: s[:35] + "20260231" + s[43:], "udbetalingsdato"),  # bad date
    (lambda s: s[:100] + "X" + s[101:], "fyld"),  # wrong constant
    (lambda s: s[:5] + "01018O1234" + s[15:], "cpr"),
])
def test_reader_rejects_broken_records(mutate, felt):
    line = mutate(f.SF2520_DETALJE.write(DETALJE))
    with pytest.raises(LayoutFejl) as exc:
        f.SF2520_DETALJE.read(line, 2)
    assert exc.value.linje == 2 and exc.value.felt == felt
    assert "linje 2" in str(exc.value)


def test_writer_refuses_values_that_do_not_fit():
    with pytest.raises(LayoutFejl) as exc:
        f.SF2520_DETALJE.write({**DETALJE, "aftale_id": "X" * 21})
    assert exc.value.felt == "aftale_id"
    with pytest.raises(LayoutFejl):
        f.SF2520_DETALJE.write({**DETALJE, "beloeb_oere": 10**12})
    with pytest.raises(LayoutFejl):
        f.SF2520_DETALJE.write({**DETALJE, "cpr": "12345"})


def test_missing_final_crlf_and_misplaced_records():
    line = f.SF2520_DETALJE.write(DETALJE)
    with pytest.raises(LayoutFejl):
        split_file((line + "\r\n" + line).encode("iso-8859-1"))
    with pytest.raises(LayoutFejl) as exc:
        read_file(encode_file([line]), f.SF2520_LAYOUTS)
    assert exc.value.linje == 1


def test_character_outside_iso_8859_1_is_refused_naming_the_line():
    line = f.SF2520_DETALJE.write({**DETALJE, "aftale_id": "A€1"})
    with pytest.raises(LayoutFejl) as exc:
        encode_file([f.SF2520_DETALJE.write(DETALJE), line])
    assert exc.value.linje == 2 and "ISO-8859-1" in str(exc.value)


def test_line_break_inside_a_field_is_refused_naming_the_line():
    """A CR or LF in a text value would split the record: the file the writer made would be one
    its own strict reader rejects. encode_file refuses it, naming the line."""
    for brud in ("A\r\nB", "A\nB", "A\rB"):
        line = f.SF2520_DETALJE.write({**DETALJE, "aftale_id": brud})
        with pytest.raises(LayoutFejl) as exc:
            encode_file([f.SF2520_DETALJE.write(DETALJE), f.SF2520_DETALJE.write(DETALJE), line])
        assert exc.value.linje == 3 and "linjeskift" in str(exc.value)
