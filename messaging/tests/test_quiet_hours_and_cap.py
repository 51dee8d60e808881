"""Notices wait out the partner's quiet hours, in its time zone, and stop at the monthly cap;
sign-in codes do neither."""

import datetime
import zoneinfo

import pytest

from messaging.models import Message
from messaging.quiet_hours import quiet_hours_end
from messaging.services import partner_messaging, send_sms
from tests import clock

pytestmark = pytest.mark.django_db(transaction=True)


def _local(partner, hour, minute=0):
    zone = zoneinfo.ZoneInfo(partner.timezone)
    day = clock.today()
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def test_a_notice_due_at_night_goes_when_quiet_hours_end_in_the_partners_zone(world):
    partner = world.a.partner
    partner.timezone = "Africa/Nairobi"
    partner.save(update_fields=["timezone"])
    row = partner_messaging(partner)  # 20:00 to 07:00 by default
    late = _local(partner, 22, 30)
    assert quiet_hours_end(row, partner.timezone, late) == _local(partner, 7) + datetime.timedelta(
        days=1
    )
    early = _local(partner, 5)
    assert quiet_hours_end(row, partner.timezone, early) == _local(partner, 7)
    # In the day it goes at once; the same instant is night in Nairobi but not in UTC.
    assert quiet_hours_end(row, partner.timezone, _local(partner, 12)) is None
    row.quiet_hours_start, row.quiet_hours_end = datetime.time(13), datetime.time(15)
    assert quiet_hours_end(row, partner.timezone, _local(partner, 14)) == _local(partner, 15)
    assert quiet_hours_end(row, partner.timezone, _local(partner, 16)) is None


def test_notices_stop_at_the_monthly_cap_but_sign_in_codes_do_not(world, frozen, capsys):
    partner = world.a.partner
    row = partner_messaging(partner)
    row.sms_monthly_cap = 2
    row.quiet_hours_start = row.quiet_hours_end = datetime.time(0)  # no quiet hours
    row.save()
    family = world.a.seed_family
    sent = [
        send_sms(
            to="+254711000111",
            body=f"Notice {n}",
            template="survey_open",
            partner=partner,
            family=family,
            dedupe_key=f"cap:{n}",
        )
        for n in range(3)
    ]
    for message in sent:
        message.refresh_from_db()
    assert [m.status for m in sent] == ["sent", "sent", "suppressed"]
    assert sent[2].error == "monthly cap reached"
    code = send_sms(
        to="+254711000111",
        body="Your code",
        template="sign_in_code",
        partner=partner,
        family=family,
    )
    code.refresh_from_db()
    assert code.status == Message.Status.SENT
    out = capsys.readouterr().out
    assert "Notice 1" in out and "Notice 2" not in out and "Your code" in out
