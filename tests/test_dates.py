"""parse_date on the date strings these sites print (research §8) and the traps around them."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.dates import VN_TZ, parse_date

NOW = datetime(2022, 5, 22, 10, 0, tzinfo=VN_TZ)

CASES = [
    # NukeViet article and listings
    ("Thứ hai - 15/03/2016 04:35", "2016-03-15T04:35:00+07:00", "minute"),
    ("04:35 15/03/2016", "2016-03-15T04:35:00+07:00", "minute"),
    ("15/03/2016 04:35:00", "2016-03-15T04:35:00+07:00", "second"),
    ("2016-03-15+0704:35:00", "2016-03-15T04:35:00+07:00", "second"),
    ("2016-03-15ICT04:35:00", "2016-03-15T04:35:00+07:00", "second"),
    # tapchicongsan, dangcongsan eras
    ("22:45, ngày 22-11-2020", "2020-11-22T22:45:00+07:00", "minute"),
    ("09:59 | 31/05/2013", "2013-05-31T09:59:00+07:00", "minute"),
    ("Thứ Năm, 14/09/2023 18:30 (GMT+7)", "2023-09-14T18:30:00+07:00", "minute"),
    ("Cập nhật lúc 14/09/2023 18:30", "2023-09-14T18:30:00+07:00", "minute"),
    # headers' "today" lines read as dates (choosing them is the page object's job, not the parser's)
    ("Hôm nay, ngày 29 tháng 8 năm 2015", "2015-08-29T00:00:00+07:00", "day"),
    ("Chủ Nhật, ngày 22 tháng 5 năm 2022", "2022-05-22T00:00:00+07:00", "day"),
    # prefixes and labels
    ("Gửi lúc: 05/12/2013 15:42:27", "2013-12-05T15:42:27+07:00", "second"),
    ("Ngày phát hành 0:0 | 19/5/2020", "2020-05-19T00:00:00+07:00", "day"),
    ("Xuất bản: 01.02.2022 - 09:10", "2022-02-01T09:10:00+07:00", "minute"),
    ("Đăng lúc: 10/10/2020 10:10", "2020-10-10T10:10:00+07:00", "minute"),
    ("Ngày đăng: 3-4-22 | 7g30", "2022-04-03T07:30:00+07:00", "minute"),
    ("Thứ Bảy, 23/11/2024, 17:25 (GMT+7)", "2024-11-23T17:25:00+07:00", "minute"),
    ("Thứ hai, 26 Tháng 10 2020 14:49", "2020-10-26T14:49:00+07:00", "minute"),
    ("Cập nhật 04/09/2009 - 01:00:58 PM (GMT+7)", "2009-09-04T13:00:58+07:00", "second"),
    ("10:30 CH 12/1/2022", "2022-01-12T22:30:00+07:00", "minute"),
    ("T3, 8h05 ngày 12/1/2021", "2021-01-12T08:05:00+07:00", "minute"),
    ("9 giờ 30 phút ngày 1/2/2022", "2022-02-01T09:30:00+07:00", "minute"),
    ("15h 12.01.21", "2021-01-12T15:00:00+07:00", "minute"),
    ("ngày 22 tháng Năm năm 2022", "2022-05-22T00:00:00+07:00", "day"),
    ("ngày 1 tháng Giêng năm 2022", "2022-01-01T00:00:00+07:00", "day"),
    ("ngày 5 tháng Chạp năm 2021", "2021-12-05T00:00:00+07:00", "day"),
    # time zones, ISO 8601, RFC 2822
    ("2025-10-22T12:25:52Z", "2025-10-22T19:25:52+07:00", "second"),
    ("2025-10-22T19:25:52+07:00", "2025-10-22T19:25:52+07:00", "second"),
    ("Wed, 22 Oct 2025 12:25:52 GMT", "2025-10-22T19:25:52+07:00", "second"),
    ("12/01/2022 08:15 GMT+07:00", "2022-01-12T08:15:00+07:00", "minute"),
    # year-less datelines: the most recent such day not after NOW (22 May 2022)
    ("Chiều 12/1", "2022-01-12T00:00:00+07:00", "day"),
    ("Sáng 17/10", "2021-10-17T00:00:00+07:00", "day"),
    ("Tối 31-12", "2021-12-31T00:00:00+07:00", "day"),
    ("Ngày 22/5", "2022-05-22T00:00:00+07:00", "day"),
    ("Ngày 29/2", "2020-02-29T00:00:00+07:00", "day"),
    # relative
    ("2 giờ trước", "2022-05-22T08:00:00+07:00", "minute"),
    ("Hôm qua", "2022-05-21T00:00:00+07:00", "day"),
    ("Hôm kia lúc 9:15", "2022-05-20T09:15:00+07:00", "minute"),
    ("3 ngày trước", "2022-05-19T00:00:00+07:00", "day"),
    # NFD text and odd spaces
    ("Chu\u0309 Nhâ\u0323t,\u00a0ngày\u200b 15/5/2022", "2022-05-15T00:00:00+07:00", "day"),
]


@pytest.mark.parametrize(("text", "iso", "precision"), CASES, ids=[c[0] for c in CASES])
def test_parse_date(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text, NOW)
    assert parsed is not None
    assert (parsed.isoformat(), parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["", "   ", "không có ngày", "31/02/2022", "Trang 2/3 của 45", None, 12])
def test_no_date_is_none(text: object) -> None:
    assert parse_date(text, NOW) is None  # type: ignore[arg-type]


def test_dateline_seen_early_in_january_is_last_year() -> None:
    parsed = parse_date("Chiều 28/12", datetime(2023, 1, 3, tzinfo=VN_TZ))
    assert parsed is not None and parsed.isoformat() == "2022-12-28T00:00:00+07:00"
