"""Partner staff's and liaisons' pages for ventures, funding asks, pledges and loan repayments
(under /p/<partner>/), and the platform admins' rate table. Staff never edit a venture or an
ask: they check asks and record money movements."""

from django.urls import path

from ventures.views import staff

P = "p/<slug:partner_slug>/"
ASK = P + "asks/<int:ask_id>/"

urlpatterns = [
    path(P + "ventures/", staff.staff_ventures, name="staff_ventures"),
    path(P + "asks/review/", staff.ask_review_queue, name="ask_review_queue"),
    path(ASK, staff.staff_ask_detail, name="staff_ask_detail"),
    path(P + "pledges/<int:pledge_id>/mark/", staff.pledge_mark, name="pledge_mark"),
    path(P + "repayments/<int:repayment_id>/", staff.repayment_record, name="repayment_record"),
    path("platform/rates/", staff.exchange_rates, name="exchange_rates"),
]
