"""Coverage levels from a schedule: right across DST changes and in half-hour-offset zones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from belowline.errors import InvalidInput
from belowline.staffing.schedule import (
    DEFAULT_SCHEDULE,
    Coverage,
    coverage_at,
    parse_schedule,
    schedule_to_json,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "level", "until"),
    [
        # 2026: clocks go forward on Sunday 29 March (GMT -> BST), back on Sunday 25 October.
        (utc(2026, 3, 27, 17, 59), Coverage.FULL, utc(2026, 3, 27, 18, 0)),  # Fri 17:59 GMT
        (utc(2026, 3, 27, 18, 0), Coverage.PART, utc(2026, 3, 30, 8, 0)),  # Mon 09:00 BST
        (utc(2026, 3, 30, 7, 59), Coverage.PART, utc(2026, 3, 30, 8, 0)),
        (utc(2026, 3, 30, 8, 0), Coverage.FULL, utc(2026, 3, 30, 17, 0)),  # 18:00 BST
        (utc(2026, 10, 23, 16, 59), Coverage.FULL, utc(2026, 10, 23, 17, 0)),  # Fri in BST
        (utc(2026, 10, 23, 17, 0), Coverage.PART, utc(2026, 10, 26, 9, 0)),  # Mon 09:00 GMT
        (utc(2026, 10, 26, 8, 30), Coverage.PART, utc(2026, 10, 26, 9, 0)),
        # 2027: forward on Sunday 28 March, back on Sunday 31 October.
        (utc(2027, 3, 26, 17, 30), Coverage.FULL, utc(2027, 3, 26, 18, 0)),
        (utc(2027, 3, 29, 8, 0), Coverage.FULL, utc(2027, 3, 29, 17, 0)),
        (utc(2027, 3, 29, 7, 0), Coverage.PART, utc(2027, 3, 29, 8, 0)),
        (utc(2027, 10, 29, 17, 0), Coverage.PART, utc(2027, 11, 1, 9, 0)),
        (utc(2027, 11, 1, 8, 59), Coverage.PART, utc(2027, 11, 1, 9, 0)),
        (utc(2027, 11, 1, 9, 0), Coverage.FULL, utc(2027, 11, 1, 18, 0)),
    ],
)
def test_default_london_schedule_across_uk_dst_changes(
    instant: datetime, level: Coverage, until: datetime
) -> None:
    assert coverage_at(DEFAULT_SCHEDULE, instant) == (level, until)


def test_a_night_block_on_the_nights_the_clocks_change() -> None:
    schedule = parse_schedule(
        {
            "timezone": "Europe/London",
            "default": "full",
            "weekly": [{"days": ["sun"], "start": "01:00", "end": "02:00", "coverage": "none"}],
        }
    )
    # 25 Oct 2026: 01:00-02:00 local happens twice (BST then GMT): none for two real hours.
    assert coverage_at(schedule, utc(2026, 10, 25, 0, 0)) == (Coverage.NONE, utc(2026, 10, 25, 2))
    assert coverage_at(schedule, utc(2026, 10, 25, 1, 30)) == (Coverage.NONE, utc(2026, 10, 25, 2))
    assert coverage_at(schedule, utc(2026, 10, 25, 2, 0))[0] == Coverage.FULL
    # 28 Mar 2027: 01:00-02:00 local never happens, so the block is skipped that night.
    level, until = coverage_at(schedule, utc(2027, 3, 28, 0, 30))
    assert level == Coverage.FULL
    assert until == utc(2027, 4, 4, 0, 0)  # next Sunday 01:00 BST


def test_half_hour_offset_zones() -> None:
    kolkata = parse_schedule(
        {
            "timezone": "Asia/Kolkata",
            "default": "none",
            "weekly": [{"days": ["mon"], "start": "09:00", "end": "18:00", "coverage": "full"}],
        }
    )
    # Monday 30 Nov 2026, 09:00 IST is 03:30 UTC and 18:00 IST is 12:30 UTC.
    assert coverage_at(kolkata, utc(2026, 11, 30, 3, 29)) == (
        Coverage.NONE,
        utc(2026, 11, 30, 3, 30),
    )
    assert coverage_at(kolkata, utc(2026, 11, 30, 3, 30)) == (
        Coverage.FULL,
        utc(2026, 11, 30, 12, 30),
    )
    adelaide = parse_schedule(
        {
            "timezone": "Australia/Adelaide",
            "weekly": [
                {
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                    "start": "09:00",
                    "end": "17:00",
                    "coverage": "full",
                }
            ],
        }
    )
    # Adelaide is +10:30 in summer (DST ends Sunday 5 April 2026) and +09:30 in winter.
    assert coverage_at(adelaide, utc(2026, 4, 2, 22, 30)) == (Coverage.FULL, utc(2026, 4, 3, 6, 30))
    assert coverage_at(adelaide, utc(2026, 4, 5, 23, 30)) == (Coverage.FULL, utc(2026, 4, 6, 7, 30))
    assert coverage_at(adelaide, utc(2026, 4, 5, 23, 29)) == (
        Coverage.PART,
        utc(2026, 4, 5, 23, 30),
    )


def test_exceptions_and_overnight_blocks() -> None:
    schedule = parse_schedule(
        {
            "timezone": "Europe/London",
            "default": "part",
            "weekly": [
                {
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                    "start": "09:00",
                    "end": "18:00",
                    "coverage": "full",
                },
                {"days": ["fri"], "start": "22:00", "end": "06:00", "coverage": "none"},
            ],
            "exceptions": [{"date": "2026-12-25", "coverage": "none"}],
        }
    )
    # Christmas Day is a Friday: none all day, then the overnight block carries on to 06:00.
    assert coverage_at(schedule, utc(2026, 12, 25, 12)) == (Coverage.NONE, utc(2026, 12, 26, 6))
    assert coverage_at(schedule, utc(2026, 12, 24, 12)) == (Coverage.FULL, utc(2026, 12, 24, 18))
    assert coverage_at(schedule, utc(2026, 12, 18, 23))[0] == Coverage.NONE
    assert coverage_at(schedule, utc(2026, 12, 19, 5, 59)) == (Coverage.NONE, utc(2026, 12, 19, 6))
    assert coverage_at(schedule, utc(2026, 12, 19, 6))[0] == Coverage.PART


def test_always_the_same_level_has_no_end() -> None:
    schedule = parse_schedule({"default": "full", "weekly": []})
    assert coverage_at(schedule, utc(2026, 11, 30, 10)) == (Coverage.FULL, None)


def test_json_round_trip() -> None:
    data = schedule_to_json(DEFAULT_SCHEDULE)
    assert data == {
        "timezone": "Europe/London",
        "default": "part",
        "weekly": [
            {
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "09:00",
                "end": "18:00",
                "coverage": "full",
            }
        ],
        "exceptions": [],
    }
    assert parse_schedule(data) == DEFAULT_SCHEDULE


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"default": "most"}, "default"),
        (
            {"weekly": [{"days": ["mon"], "start": "9am", "end": "18:00", "coverage": "full"}]},
            "weekly[0].start",
        ),
        (
            {
                "weekly": [
                    {"days": ["funday"], "start": "09:00", "end": "18:00", "coverage": "full"}
                ]
            },
            "weekly[0].days",
        ),
        (
            {"weekly": [{"days": ["mon"], "start": "09:00", "end": "09:00", "coverage": "full"}]},
            "weekly[0].end",
        ),
        ({"exceptions": [{"date": "2026-02-30", "coverage": "none"}]}, "exceptions[0].date"),
        ({"exceptions": [{"date": "2026-12-25", "coverage": "none"}] * 2}, "exceptions"),
        ({"shifts": []}, "shifts"),
    ],
)
def test_bad_schedules_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_schedule(data)
    assert caught.value.data["fields"][0]["field"] == field
