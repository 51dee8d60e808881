"""Quiet hours: a notice due while a partner's families sleep waits until the hours end, in
the partner's time zone. Sign-in codes and replies in a conversation are never held."""

import datetime
import zoneinfo

from messaging.models import PartnerMessaging


def _in_quiet_hours(local_time: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    if start == end:
        return False
    if start < end:  # quiet hours within one day, say 13:00 to 15:00
        return start <= local_time < end
    return local_time >= start or local_time < end  # across midnight, say 20:00 to 07:00


def _time(value) -> datetime.time:
    """A row just created still holds its default as written ("20:00")."""
    return value if isinstance(value, datetime.time) else datetime.time.fromisoformat(value)


def quiet_hours_end(
    settings_row: PartnerMessaging, zone_name: str, now: datetime.datetime
) -> datetime.datetime | None:
    """When a notice due at `now` may go: None when it may go now, else the quiet hours' end."""
    zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    local = now.astimezone(zone)
    start, end = _time(settings_row.quiet_hours_start), _time(settings_row.quiet_hours_end)
    if not _in_quiet_hours(local.time(), start, end):
        return None
    day = local.date()
    if local.time() >= end:  # past midnight's other side: the end is tomorrow morning
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=zone).astimezone(datetime.UTC)
