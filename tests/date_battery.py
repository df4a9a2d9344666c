"""The date strings these sites print, with the value a reader of the page would give each (research §8).

Shared by tests/test_dates.py and bench/dates.py. Each entry: (text, expected ISO 8601 in +07:00 or None,
precision or None, reference "now" or None for NOW). Expected values were worked out by hand, not by running
the parser.
"""

from __future__ import annotations

from datetime import datetime

from crawler.extract.dates import VN_TZ

NOW = datetime(2022, 5, 22, 10, 0, tzinfo=VN_TZ)
JAN_3 = datetime(2023, 1, 3, 9, 0, tzinfo=VN_TZ)

Case = tuple[str, "str | None", "str | None", "datetime | None"]

BATTERY: list[Case] = [
    # day-first numeric dates, separators / - ., 2- or 4-digit years, with and without times
    ("15/03/2016", "2016-03-15T00:00:00+07:00", "day", None),
    ("15-03-2016", "2016-03-15T00:00:00+07:00", "day", None),
    ("15.03.2016", "2016-03-15T00:00:00+07:00", "day", None),
    ("5/3/16", "2016-03-05T00:00:00+07:00", "day", None),
    ("05/12/2013", "2013-12-05T00:00:00+07:00", "day", None),
    ("04:35 15/03/2016", "2016-03-15T04:35:00+07:00", "minute", None),
    ("15/03/2016 04:35:00", "2016-03-15T04:35:00+07:00", "second", None),
    ("15/03/2016 - 04:35", "2016-03-15T04:35:00+07:00", "minute", None),
    ("12.01.21 15h", "2021-01-12T15:00:00+07:00", "minute", None),
    ("15h 12.01.21", "2021-01-12T15:00:00+07:00", "minute", None),
    ("8h05 12/1/2021", "2021-01-12T08:05:00+07:00", "minute", None),
    ("T3, 8h05 ngày 12/1/2021", "2021-01-12T08:05:00+07:00", "minute", None),
    ("9 giờ 30 phút ngày 1/2/2022", "2022-02-01T09:30:00+07:00", "minute", None),
    ("Ngày đăng: 3-4-22 | 7g30", "2022-04-03T07:30:00+07:00", "minute", None),
    # 12-hour clocks: AM/PM and Vietnamese SA/CH
    ("Cập nhật 04/09/2009 - 01:00:58 PM (GMT+7)", "2009-09-04T13:00:58+07:00", "second", None),
    ("04/09/2009 12:15 AM", "2009-09-04T00:15:00+07:00", "minute", None),
    ("04/09/2009 12:15 PM", "2009-09-04T12:15:00+07:00", "minute", None),
    ("10:30 SA 12/1/2022", "2022-01-12T10:30:00+07:00", "minute", None),
    ("10:30 CH 12/1/2022", "2022-01-12T22:30:00+07:00", "minute", None),
    # weekday words in any form, ignored
    ("Thứ hai - 15/03/2016 04:35", "2016-03-15T04:35:00+07:00", "minute", None),
    ("Thứ Hai, 14/03/2016", "2016-03-14T00:00:00+07:00", "day", None),
    ("Thứ 2, 14/03/2016", "2016-03-14T00:00:00+07:00", "day", None),
    ("T2, 14/03/2016", "2016-03-14T00:00:00+07:00", "day", None),
    ("CN, 1/5/2022", "2022-05-01T00:00:00+07:00", "day", None),
    ("Chủ Nhật, 15/5/2022", "2022-05-15T00:00:00+07:00", "day", None),
    ("Chủ nhật, 15/5/2022 06:00", "2022-05-15T06:00:00+07:00", "minute", None),
    ("Thứ Năm, 14/09/2023 18:30 (GMT+7)", "2023-09-14T18:30:00+07:00", "minute", None),
    ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22T19:25:00+07:00", "minute", None),
    ("Thứ Bảy, 23/11/2024, 17:25 (GMT+7)", "2024-11-23T17:25:00+07:00", "minute", None),
    ("Thứ bẩy, 23/11/2024", "2024-11-23T00:00:00+07:00", "day", None),
    ("Thứ sáu, 22/11/2024 - 08:00", "2024-11-22T08:00:00+07:00", "minute", None),
    # prefixes, labels and separators
    ("Cập nhật 14/09/2023 18:30", "2023-09-14T18:30:00+07:00", "minute", None),
    ("Cập nhật lúc 14/09/2023 18:30", "2023-09-14T18:30:00+07:00", "minute", None),
    ("Đăng lúc: 10/10/2020 10:10", "2020-10-10T10:10:00+07:00", "minute", None),
    ("Ngày đăng: 10/10/2020", "2020-10-10T00:00:00+07:00", "day", None),
    ("Gửi lúc: 05/12/2013 15:42:27", "2013-12-05T15:42:27+07:00", "second", None),
    ("Ngày phát hành 20:15 | 19/5/2020", "2020-05-19T20:15:00+07:00", "minute", None),
    ("Xuất bản: 01.02.2022 - 09:10", "2022-02-01T09:10:00+07:00", "minute", None),
    ("lúc 09:10 ngày 01/02/2022", "2022-02-01T09:10:00+07:00", "minute", None),
    ("09:59 | 31/05/2013", "2013-05-31T09:59:00+07:00", "minute", None),
    ("22:45, ngày 22-11-2020", "2020-11-22T22:45:00+07:00", "minute", None),
    # real strings and shapes (/work/shared/research/real-markup/dates.txt): dangcongsan's old CMS date line, its
    # .lbPublishedDate shape without the "(GMT+7)" of the sister site
    ("09:59 | 31/05/2013", "2013-05-31T09:59:00+07:00", "minute", None),
    ("Thứ Năm, 14/09/2023 18:30", "2023-09-14T18:30:00+07:00", "minute", None),
    ("ngày 22-11-2020", "2020-11-22T00:00:00+07:00", "day", None),
    # worded dates and month words
    ("ngày 22 tháng 5 năm 2022", "2022-05-22T00:00:00+07:00", "day", None),
    ("Chủ Nhật, ngày 22 tháng 5 năm 2022", "2022-05-22T00:00:00+07:00", "day", None),
    ("Hôm nay, ngày 29 tháng 8 năm 2015", "2015-08-29T00:00:00+07:00", "day", None),
    ("22 Tháng 5 2022", "2022-05-22T00:00:00+07:00", "day", None),
    ("Thứ hai, 26 Tháng 10 2020 14:49", "2020-10-26T14:49:00+07:00", "minute", None),
    ("ngày 22 tháng Năm năm 2022", "2022-05-22T00:00:00+07:00", "day", None),
    ("ngày 1 tháng Giêng năm 2022", "2022-01-01T00:00:00+07:00", "day", None),
    ("ngày 5 tháng Chạp năm 2021", "2021-12-05T00:00:00+07:00", "day", None),
    ("ngày 3 tháng Mười năm 2021", "2021-10-03T00:00:00+07:00", "day", None),
    ("ngày 20 tháng Mười một năm 2021", "2021-11-20T00:00:00+07:00", "day", None),
    ("ngày 2 tháng Chín năm 1945", "1945-09-02T00:00:00+07:00", "day", None),
    # time zones: GMT offsets, ISO 8601 with any offset, RFC 2822, naive values as local time
    ("12/01/2022 08:15 GMT+07:00", "2022-01-12T08:15:00+07:00", "minute", None),
    ("12/01/2022 01:15 (GMT)", "2022-01-12T01:15:00+07:00", "minute", None),
    ("12/01/2022 01:15 GMT+0", "2022-01-12T08:15:00+07:00", "minute", None),
    ("2025-10-22T19:25:52+07:00", "2025-10-22T19:25:52+07:00", "second", None),
    ("2025-10-22T12:25:52Z", "2025-10-22T19:25:52+07:00", "second", None),
    ("2025-10-22T14:25:52+09:00", "2025-10-22T12:25:52+07:00", "second", None),
    ("2025-10-22T12:25:52.123+00:00", "2025-10-22T19:25:52+07:00", "second", None),
    ("2025-10-22T19:25:52+0700", "2025-10-22T19:25:52+07:00", "second", None),
    ("2025-10-22 19:25", "2025-10-22T19:25:00+07:00", "minute", None),
    ("2025-10-22", "2025-10-22T00:00:00+07:00", "day", None),
    ("2016-03-15+0704:35:00", "2016-03-15T04:35:00+07:00", "second", None),
    ("2016-03-15ICT04:35:00", "2016-03-15T04:35:00+07:00", "second", None),
    ("Wed, 22 Oct 2025 12:25:52 GMT", "2025-10-22T19:25:52+07:00", "second", None),
    ("Wed, 22 Oct 2025 19:25:52 +0700", "2025-10-22T19:25:52+07:00", "second", None),
    ("22 Oct 2025 12:25:52 +0000", "2025-10-22T19:25:52+07:00", "second", None),
    # year-less datelines: the most recent such day not after "now"
    ("Sáng 12/5", "2022-05-12T00:00:00+07:00", "day", None),
    ("Trưa 1/10", "2021-10-01T00:00:00+07:00", "day", None),
    ("Chiều 12/1", "2022-01-12T00:00:00+07:00", "day", None),
    ("Tối 31-12", "2021-12-31T00:00:00+07:00", "day", None),
    ("Đêm 30/4", "2022-04-30T00:00:00+07:00", "day", None),
    ("Ngày 5/6", "2021-06-05T00:00:00+07:00", "day", None),
    ("Ngày 22/5", "2022-05-22T00:00:00+07:00", "day", None),
    ("Sáng 15-3", "2022-03-15T00:00:00+07:00", "day", None),
    ("Sáng nay (22/5)", "2022-05-22T00:00:00+07:00", "day", None),
    ("Chiều 28/12", "2022-12-28T00:00:00+07:00", "day", JAN_3),
    ("Ngày 2/1", "2023-01-02T00:00:00+07:00", "day", JAN_3),
    ("Ngày 29/2", "2020-02-29T00:00:00+07:00", "day", None),
    ("08:30 12/5", "2022-05-12T08:30:00+07:00", "minute", None),
    # relative strings
    ("2 giờ trước", "2022-05-22T08:00:00+07:00", "minute", None),
    ("45 phút trước", "2022-05-22T09:15:00+07:00", "minute", None),
    ("Hôm qua", "2022-05-21T00:00:00+07:00", "day", None),
    ("Hôm kia", "2022-05-20T00:00:00+07:00", "day", None),
    ("Hôm kia lúc 9:15", "2022-05-20T09:15:00+07:00", "minute", None),
    ("3 ngày trước", "2022-05-19T00:00:00+07:00", "day", None),
    ("1 tuần trước", "2022-05-15T00:00:00+07:00", "day", None),
    # "0:0" is the CMS's "no time known"
    ("Ngày phát hành 0:0 | 19/5/2020", "2020-05-19T00:00:00+07:00", "day", None),
    ("0:0 19/5/2020", "2020-05-19T00:00:00+07:00", "day", None),
    ("00:00 19/5/2020", "2020-05-19T00:00:00+07:00", "minute", None),
    # NFD text, non-breaking and zero-width spaces
    ("Chu\u0309 Nhâ\u0323t,\u00a0ngày\u200b 15/5/2022", "2022-05-15T00:00:00+07:00", "day", None),
    ("Thư\u0301 ba,\u00a015/03/2016\u00a004:35", "2016-03-15T04:35:00+07:00", "minute", None),
    ("\ufeff15/03/2016\u200b", "2016-03-15T00:00:00+07:00", "day", None),
    ("ngày\u202f22\u00a0tháng\u00a05\u00a0năm\u00a02022", "2022-05-22T00:00:00+07:00", "day", None),
    # impossible dates, empty and dateless strings
    ("31/02/2022", None, None, None),
    ("32/01/2022", None, None, None),
    ("15/13/2022", None, None, None),
    ("29/02/2021", None, None, None),
    ("15/03/2016 25:10", None, None, None),
    ("", None, None, None),
    ("   ", None, None, None),
    ("không có ngày", None, None, None),
    ("Trang 2/3 của 45", None, None, None),
    ("Lượt xem: 1234", None, None, None),
    ("Chiều 31/2", None, None, None),
]
