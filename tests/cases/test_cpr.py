import pytest

from cases.cpr import InvalidCPR, birth_date, normalize_cpr


@pytest.mark.parametrize("value,expected", [
    ("0101801234", "0101801234"),
    ("010180-1234", "0101801234"),
    ("3112994000", "3112994000"),  # digit 4, year 99 -> 1999
    ("0101054000", "0101054000"),  # digit 4, year 05 -> 2005
    ("0101585000", "0101585000"),  # digit 5, year 58 -> 1858
    ("2902004123", "2902004123"),  # 2000 is a leap year (digit 4, year 00 -> 2000)
    ("0101801235", "0101801235"),  # modulus 11 not required (api.md)
])
def test_valid(value, expected):
    assert normalize_cpr(value) == expected


@pytest.mark.parametrize("value", [
    "", "123", "01018012345", "0101-801234", "010180 1234", "abcdefghij",
    "3202801234",  # 32 February
    "2902011234",  # 1901 not a leap year
    "2902994123",  # 4 + 99 -> 1999, not a leap year
    "0101305000",  # 5 + 30 -> 2030: not born yet
])
def test_invalid(value):
    with pytest.raises(InvalidCPR):
        normalize_cpr(value)


def test_century_rule():
    assert birth_date("0101361234").year == 1936
    assert birth_date("0101364234").year == 2036 or birth_date("0101364234").year == 2036
    assert birth_date("0101374234").year == 1937
    assert birth_date("0101579234").year == 1957  # 9 with 37-99 -> 1900s
    assert birth_date("0101578234").year == 2057 - 0 if False else birth_date("0101578234").year in (2057,)
