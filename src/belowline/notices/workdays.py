"""England & Wales working time for the Defamation (Operators of Websites) Regulations 2013.

Reg. 1(3): a "48 hours" period disregards Saturdays, Sundays, Good Friday, Christmas Day and
bank holidays in England and Wales. Bank holidays are computed by rule for any year (Easter by
the Gregorian computus, substitute days for weekends), plus the few one-off changes made by
proclamation, so no calendar is fetched from the network.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Proclaimed one-off changes: extra days, and regular days moved to another date.
EXTRA_DAYS = {
    date(1999, 12, 31),  # Millennium
    date(2002, 6, 3),  # Golden Jubilee
    date(2011, 4, 29),  # Royal wedding
    date(2012, 6, 5),  # Diamond Jubilee
    date(2022, 6, 3),  # Platinum Jubilee
    date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    date(2023, 5, 8),  # Coronation of King Charles III
}
MOVED = {
    date(1995, 5, 1): date(1995, 5, 8),  # VE Day 50th anniversary
    date(2020, 5, 4): date(2020, 5, 8),  # VE Day 75th anniversary
    date(2002, 5, 27): date(2002, 6, 4),  # Golden Jubilee
    date(2012, 5, 28): date(2012, 6, 4),  # Diamond Jubilee
    date(2022, 5, 30): date(2022, 6, 2),  # Platinum Jubilee
}


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _next_weekday(day: date, taken: set[date]) -> date:
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England & Wales bank holidays in a year (substitute days included)."""
    easter = easter_sunday(year)
    days: set[date] = {
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    days.add(_next_weekday(date(year, 1, 1), set()))
    christmas = _next_weekday(date(year, 12, 25), set())
    days.add(christmas)
    days.add(_next_weekday(date(year, 12, 26), {christmas}))
    days = {MOVED.get(d, d) for d in days}
    days |= {d for d in EXTRA_DAYS if d.year == year}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Not a Saturday, Sunday, Christmas Day, Good Friday or E&W bank holiday."""
    if day.weekday() >= 5 or (day.month, day.day) == (12, 25):
        return False
    return day not in bank_holidays(day.year)


def _midnight(day: date) -> datetime:
    """Local midnight at the start of `day`, as a UTC instant (DST-safe)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def _day_of(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The instant `hours` of working time after `start` (days off do not count at all)."""
    remaining = timedelta(hours=hours)
    at = start.astimezone(UTC)
    while True:
        day = _day_of(at)
        next_midnight = _midnight(day + timedelta(days=1))
        if is_working_day(day):
            left_today = next_midnight - at
            if remaining <= left_today:
                return at + remaining
            remaining -= left_today
        at = next_midnight


def end_of_working_days(start: datetime, days: int) -> datetime:
    """Midnight at the end of the `days`-th working day after the day of `start`."""
    day = _day_of(start)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return _midnight(day + timedelta(days=1))


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours from `start` to `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_hours_between(end, start)
    total = timedelta(0)
    at, stop = start.astimezone(UTC), end.astimezone(UTC)
    while at < stop:
        day = _day_of(at)
        next_midnight = _midnight(day + timedelta(days=1))
        if is_working_day(day):
            total += min(next_midnight, stop) - at
        at = next_midnight
    return total.total_seconds() / 3600
