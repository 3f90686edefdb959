"""England & Wales working time: bank holidays by rule, 48 working hours, 5 working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from belowline.notices.workdays import (
    add_working_hours,
    bank_holidays,
    easter_sunday,
    end_of_working_days,
    is_working_day,
    working_hours_between,
)

# Published by gov.uk for England and Wales.
PUBLISHED = {
    2023: {
        date(2023, 1, 2), date(2023, 4, 7), date(2023, 4, 10), date(2023, 5, 1),
        date(2023, 5, 8), date(2023, 5, 29), date(2023, 8, 28), date(2023, 12, 25),
        date(2023, 12, 26),
    },
    2026: {
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    },
    2027: {
        date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
        date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
    },
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_match_the_published_lists(year: int) -> None:
    assert bank_holidays(year) == PUBLISHED[year]


def test_easter_and_far_years_by_rule() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2038) == date(2038, 4, 25)
    holidays = bank_holidays(2099)
    assert len(holidays) == 8
    assert all(d.weekday() < 5 for d in holidays)  # substitutes fall on weekdays


def test_christmas_day_and_weekends_are_never_working_days() -> None:
    assert not is_working_day(date(2027, 12, 25))  # a Saturday, substitute on the 27th
    assert not is_working_day(date(2027, 12, 27))
    assert is_working_day(date(2027, 12, 29))


def test_friday_evening_before_a_bank_holiday_weekend() -> None:
    # Friday 28 August 2026, 17:00 in London; Monday 31 August is a bank holiday.
    start = datetime(2026, 8, 28, 16, 0, tzinfo=UTC)
    due = add_working_hours(start, 48)
    assert due == datetime(2026, 9, 2, 16, 0, tzinfo=UTC)  # Wednesday 17:00 BST
    assert working_hours_between(start, due) == 48
    assert working_hours_between(due, start) == -48


def test_across_the_clocks_going_back() -> None:
    # Friday 23 October 2026 12:00 BST; clocks go back on Sunday 25 October.
    start = datetime(2026, 10, 23, 11, 0, tzinfo=UTC)
    assert add_working_hours(start, 48) == datetime(2026, 10, 27, 12, 0, tzinfo=UTC)  # 12:00 GMT


def test_five_working_days_end_at_midnight() -> None:
    # Told on Thursday 24 December 2026: the 25th, weekend and the 28th are off.
    told = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
    # 29, 30, 31 December, then 1 January is off: 4 and 5 January; the end of the 5th.
    assert end_of_working_days(told, 5) == datetime(2027, 1, 6, 0, 0, tzinfo=UTC)
