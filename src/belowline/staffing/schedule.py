"""Staffed hours: who is watching, per site, as a weekly pattern of coverage levels.

A schedule is a time zone, a default level, weekly blocks (days, start, end, level) and dated
exceptions (a whole local day at one level). Blocks are read on the local wall clock, so
"09:00-18:00" stays 09:00-18:00 across daylight-saving changes; `coverage_at` converts each
boundary back to an instant to say when the current level ends. Stored in `Site.settings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments.views import iso
from belowline.errors import ErrorCode, InvalidInput
from belowline.permissions import require
from belowline.stories import service as stories_service
from belowline.stories.models import Site

SETTINGS_KEY = "moderation_schedule"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_BLOCKS = 50
MAX_EXCEPTIONS = 366
# How far ahead `coverage_at` looks for the next change (a dated exception can be far off).
HORIZON_DAYS = 15
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class Coverage(StrEnum):
    FULL = "full"
    PART = "part"
    NONE = "none"


@dataclass(frozen=True)
class WeeklyBlock:
    """A level in force on the given weekdays between two local wall-clock times."""

    days: tuple[int, ...]  # 0 = Monday
    start: time
    end: time | None  # None means midnight at the end of the day ("24:00")
    coverage: Coverage

    def covers(self, local: datetime) -> bool:
        """Return True if the naive local time falls in this block (start inclusive)."""
        t = local.time()
        if self.end is None or self.end > self.start:
            return (
                local.weekday() in self.days
                and self.start <= t
                and (self.end is None or t < self.end)
            )
        # An overnight block: from start on a listed day to end on the next day.
        if local.weekday() in self.days and t >= self.start:
            return True
        return (local.weekday() - 1) % 7 in self.days and t < self.end


@dataclass(frozen=True)
class DatedException:
    """A whole local day at one level (a bank holiday, an election night)."""

    day: date
    coverage: Coverage


@dataclass(frozen=True)
class Schedule:
    timezone: str = "Europe/London"
    default: Coverage = Coverage.PART
    weekly: tuple[WeeklyBlock, ...] = field(
        default_factory=lambda: (
            WeeklyBlock(days=(0, 1, 2, 3, 4), start=time(9), end=time(18), coverage=Coverage.FULL),
        )
    )
    exceptions: tuple[DatedException, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def level_at_local(self, local: datetime) -> Coverage:
        """The level in force at a naive local wall-clock time: exception, block, default."""
        day = local.date()
        for exc in self.exceptions:
            if exc.day == day:
                return exc.coverage
        for block in self.weekly:
            if block.covers(local):
                return block.coverage
        return self.default


DEFAULT_SCHEDULE = Schedule()


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _instant(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local time as a UTC instant; a time skipped by a DST change maps just past it."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def _boundaries(schedule: Schedule, first: date, days: int) -> list[datetime]:
    """Every local wall-clock time at which the level might change, over `days` days."""
    times = {time(0)}
    for block in schedule.weekly:
        times.add(block.start)
        if block.end is not None:
            times.add(block.end)
    out: list[datetime] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        out.extend(datetime.combine(day, t) for t in times)
    return out


_RECENT: dict[Schedule, tuple[datetime, Coverage, datetime | None]] = {}


def coverage_at(schedule: Schedule, instant: datetime) -> tuple[Coverage, datetime | None]:
    """The coverage level at `instant` and the instant it next changes (None if not soon).

    The answer holds from the instant it was computed for until the change, so the last one
    per schedule is kept: posts between two changes cost a dictionary lookup.
    """
    recent = _RECENT.get(schedule)
    if (
        recent is not None
        and recent[0] <= instant
        and recent[2] is not None
        and instant < recent[2]
    ):
        return recent[1], recent[2]
    level, until = _coverage_at(schedule, instant)
    if len(_RECENT) > 1000:
        _RECENT.clear()
    _RECENT[schedule] = (instant, level, until)
    return level, until


def _coverage_at(schedule: Schedule, instant: datetime) -> tuple[Coverage, datetime | None]:
    zone = schedule.zone
    level = schedule.level_at_local(_local(instant, zone))
    start = _local(instant, zone).date() - timedelta(days=1)
    candidates = sorted({_instant(b, zone) for b in _boundaries(schedule, start, HORIZON_DAYS + 2)})
    for moment in candidates:
        if moment <= instant:
            continue
        if schedule.level_at_local(_local(moment, zone)) != level:
            return level, moment
    return level, None


# --- parsing and storage ---------------------------------------------------------------


def _bad(message: str, path: str) -> InvalidInput:
    return InvalidInput(
        message, code=ErrorCode.VALIDATION_ERROR, fields=[{"field": path, "message": message}]
    )


def _level(value: Any, path: str) -> Coverage:
    try:
        return Coverage(value)
    except ValueError:
        raise _bad("Coverage must be full, part or none.", path) from None


def _clock(value: Any, path: str, *, allow_24: bool) -> time | None:
    if not isinstance(value, str) or not _HHMM.match(value) or (value == "24:00" and not allow_24):
        raise _bad("Times are HH:MM on a 24-hour clock (an end may be 24:00).", path)
    if value == "24:00":
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _block(raw: Any, path: str) -> WeeklyBlock:
    if not isinstance(raw, dict):
        raise _bad("Each weekly entry is an object with days, start, end and coverage.", path)
    days = raw.get("days")
    if not isinstance(days, list) or not days or any(d not in DAYS for d in days):
        raise _bad(f"days is a non-empty list drawn from {', '.join(DAYS)}.", f"{path}.days")
    start = _clock(raw.get("start"), f"{path}.start", allow_24=False)
    end = _clock(raw.get("end"), f"{path}.end", allow_24=True)
    assert start is not None  # noqa: S101 - 24:00 refused for start
    if end == start:
        raise _bad("A block's end must differ from its start.", f"{path}.end")
    return WeeklyBlock(
        days=tuple(sorted({DAYS.index(d) for d in days})),
        start=start,
        end=end,
        coverage=_level(raw.get("coverage"), f"{path}.coverage"),
    )


def _exception(raw: Any, path: str) -> DatedException:
    if not isinstance(raw, dict):
        raise _bad("Each exception is an object with a date and a coverage.", path)
    try:
        day = date.fromisoformat(str(raw.get("date")))
    except ValueError:
        raise _bad("Dates are YYYY-MM-DD.", f"{path}.date") from None
    return DatedException(day=day, coverage=_level(raw.get("coverage"), f"{path}.coverage"))


def parse_schedule(data: Any) -> Schedule:
    """A schedule from its JSON form, or a 422 naming the first bad field."""
    if not isinstance(data, dict):
        raise _bad("The schedule is a JSON object.", "schedule")
    unknown = set(data) - {"timezone", "default", "weekly", "exceptions"}
    if unknown:
        raise _bad(f"Unknown field {sorted(unknown)[0]!r}.", sorted(unknown)[0])
    zone = data.get("timezone", "Europe/London")
    if not isinstance(zone, str) or zone not in _zones():
        raise _bad("Use an IANA time zone name such as Europe/London.", "timezone")
    weekly = data.get("weekly", [])
    exceptions = data.get("exceptions", [])
    if not isinstance(weekly, list) or len(weekly) > MAX_BLOCKS:
        raise _bad(f"weekly is a list of at most {MAX_BLOCKS} blocks.", "weekly")
    if not isinstance(exceptions, list) or len(exceptions) > MAX_EXCEPTIONS:
        raise _bad(f"exceptions is a list of at most {MAX_EXCEPTIONS} dates.", "exceptions")
    parsed_exceptions = tuple(_exception(e, f"exceptions[{i}]") for i, e in enumerate(exceptions))
    if len({e.day for e in parsed_exceptions}) != len(parsed_exceptions):
        raise _bad("Each date may appear once in exceptions.", "exceptions")
    return Schedule(
        timezone=zone,
        default=_level(data.get("default", "part"), "default"),
        weekly=tuple(_block(b, f"weekly[{i}]") for i, b in enumerate(weekly)),
        exceptions=tuple(sorted(parsed_exceptions, key=lambda e: e.day)),
    )


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    """The contract's JSON form of a schedule."""

    def hhmm(t: time | None) -> str:
        return "24:00" if t is None else t.strftime("%H:%M")

    return {
        "timezone": schedule.timezone,
        "default": schedule.default.value,
        "weekly": [
            {
                "days": [DAYS[d] for d in b.days],
                "start": hhmm(b.start),
                "end": hhmm(b.end),
                "coverage": b.coverage.value,
            }
            for b in schedule.weekly
        ],
        "exceptions": [
            {"date": e.day.isoformat(), "coverage": e.coverage.value} for e in schedule.exceptions
        ],
    }


_CACHE: dict[str, tuple[Any, Schedule]] = {}


def site_schedule(site: Site) -> Schedule:
    """The site's stored schedule, or the default one in the site's time zone."""
    raw = (site.settings or {}).get(SETTINGS_KEY)
    if raw is None:
        if site.timezone and site.timezone != DEFAULT_SCHEDULE.timezone:
            try:
                ZoneInfo(site.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                return DEFAULT_SCHEDULE
            return Schedule(timezone=site.timezone)
        return DEFAULT_SCHEDULE
    cached = _CACHE.get(site.id)
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        schedule = parse_schedule(raw)
    except InvalidInput:  # a hand-edited row: fall back rather than fail every post
        return DEFAULT_SCHEDULE
    _CACHE[site.id] = (raw, schedule)
    return schedule


def coverage_now(
    session: Session, *, site_id: str, now: datetime
) -> tuple[Coverage, datetime | None]:
    """The site's coverage level now and when it changes."""
    site = stories_service.get_site(session, site_id=site_id)
    return coverage_at(site_schedule(site), now)


# --- services for the routes ---------------------------------------------------------------

_LABELS = {
    Coverage.FULL: "Full-time moderation",
    Coverage.PART: "Part-time moderation",
    Coverage.NONE: "No moderators on duty",
}


def coverage_view(session: Session, *, actor: User, site_id: str, now: datetime) -> dict[str, Any]:
    """The coverage level now, when it ends, and a banner (the site's staff only)."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_moderate, actor, site.id)
    schedule = site_schedule(site)
    level, until = coverage_at(schedule, now)
    local_until = until.astimezone(schedule.zone) if until else None
    return {
        "coverage": level.value,
        "until": iso(until),
        "until_local": local_until.isoformat() if local_until else None,
        "timezone": schedule.timezone,
        "banner": _banner_text(level, local_until, now.astimezone(schedule.zone)),
    }


def _banner_text(level: Coverage, until: datetime | None, local_now: datetime) -> str:
    if until is None:
        return _LABELS[level]
    when = until.strftime("%H:%M")
    if until.date() != local_now.date():
        when = f"{until.strftime('%a')} {when}"
    return f"{_LABELS[level]} until {when}"


def get_schedule(session: Session, *, actor: User, site_id: str) -> dict[str, Any]:
    """The site's schedule (admins only)."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_administer, actor, site.id)
    return schedule_to_json(site_schedule(site))


def put_schedule(
    session: Session, *, actor: User, site_id: str, data: Any, now: datetime
) -> dict[str, Any]:
    """Replace the site's schedule (admins only), on the audit log."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_administer, actor, site.id)
    schedule = parse_schedule(data)
    stored = schedule_to_json(schedule)
    site.settings = {**(site.settings or {}), SETTINGS_KEY: stored}
    site.timezone = schedule.timezone
    audit.write(
        session,
        site_id=site.id,
        actor=actor,
        action="schedule.update",
        target_type="site",
        target_id=site.id,
        note=f"{len(schedule.weekly)} weekly blocks, {len(schedule.exceptions)} exceptions, "
        f"{schedule.timezone}, default {schedule.default.value}",
        now=now,
    )
    session.flush()
    return stored
