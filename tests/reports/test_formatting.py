from datetime import date, datetime

from piiplan.reports.formatting import (format_date, format_date_long, format_percent, format_rank, format_share,
                                        place_date_line, roman)


def test_percent_share_rank():
    assert format_percent(55.737) == "55,7%"
    assert format_share(34, 61) == "34/61 (55,7%)"
    assert format_share(0, 0) == "0/0"
    assert format_rank(29.0, 34) == "29/34"
    assert format_rank(float("nan"), 34) == "–"
    assert roman(4) == "IV"


def test_dates_follow_decree_30():
    assert format_date(date(2026, 6, 25)) == "25/06/2026"
    assert format_date(datetime(2026, 1, 5, 10, 30)) == "05/01/2026"
    assert format_date_long(date(2026, 6, 25)) == "ngày 25 tháng 6 năm 2026"
    # days below 10 and months 1, 2 take a leading zero
    assert format_date_long(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert format_date_long(date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert place_date_line("Lạng Sơn", date(2026, 6, 20)) == "Lạng Sơn, ngày 20 tháng 6 năm 2026"
