"""Pages for partner staff and liaisons: cohorts, their families and network, enrollment of seed
families (one by one or from a file), new seeds, group meetings and the families export.

Every page starts from the seat (`policy.access_partner`), fetches cohorts and families through
`families.access` (liaisons reach only their cohorts; everyone else gets 404) and asks the policy
for capabilities; the services check again and do the writing."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from families import access, selectors, services
from families.forms.staff import (
    CSV_COLUMNS,
    CohortForm,
    CsvFileError,
    EnrollmentFileForm,
    GroupMeetingForm,
    HouseholdForm,
    MemberFormSet,
    PromoteForm,
    household_input,
    parse_enrollment_csv,
    rows_from_payload,
    rows_to_payload,
)
from families.network import cohort_network
from mutuality.csv_safety import csv_response
from mutuality.errors import ApplicationError
from mutuality.forms import show_service_errors

PAGE_SIZE = 25
RECENT_MEETINGS = 5

# A confirmed file must come back within this time, signed by us, for this cohort and person.
CSV_PAYLOAD_SALT = "families.enroll_csv"
CSV_PAYLOAD_MAX_AGE = 60 * 60


def _status(error: ApplicationError | None, form, formset=None) -> int:
    """The service's status when it refused; 400 for input the forms refused; else 200."""
    if error is not None:
        return error.status_code
    if form.errors or (formset is not None and formset.total_error_count()):
        return 400
    return 200


# Cohorts ----------------------------------------------------------------------------------------


@login_required
@require_GET
def cohort_list(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "partner.view")
    cohorts = selectors.cohorts_for_seat(seat).order_by("-started_on", "name", "pk")
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"seat": seat, "page": page, "can_manage": seat.can("cohort.manage")}
    if seat.can("family.contact.edit"):
        context["phones_to_fix"] = selectors.families_with_phones_to_fix(seat.partner).count()
    return render(request, "families/staff/cohort_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "cohort.manage")
    form = CohortForm(request.POST or None, partner=seat.partner)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(seat=seat, **form.service_kwargs())
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc, aliases={"liaison_ids": "liaisons"})
        else:
            messages.success(request, _("%(name)s was created.") % {"name": cohort.name})
            return redirect("cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk)
    context = {"seat": seat, "form": form, "cohort": None}
    return render(request, "families/staff/cohort_form.html", context, status=_status(error, form))


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    policy.require(seat, "cohort.manage")
    initial = {
        "name": cohort.name,
        "region": cohort.region,
        "started_on": cohort.started_on,
        "seed_limit": cohort.seed_limit,
        "liaisons": list(cohort.liaisons.all()),
    }
    form = CohortForm(request.POST or None, initial=initial, partner=seat.partner)
    error = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.cohort_update(
                seat=seat, cohort=cohort, liaison_ids=kwargs.pop("liaison_ids"), **kwargs
            )
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc, aliases={"liaison_ids": "liaisons"})
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk)
    context = {"seat": seat, "form": form, "cohort": cohort}
    return render(request, "families/staff/cohort_form.html", context, status=_status(error, form))


@login_required
@require_GET
def cohort_detail(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    overview = selectors.cohort_overview(cohort)
    group_names = {summary.group.pk: summary.group.name for summary in overview["groups"]}
    cards = selectors.cohort_family_cards(seat, cohort)
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    for card in page.object_list:
        card.group_name = group_names.get(card.group_id, "")
    coverage = [
        (_("Cultures"), overview["coverage"]["culture"]),
        (_("Religions"), overview["coverage"]["religion"]),
        (_("Languages"), overview["coverage"]["language"]),
    ]
    context = {
        "seat": seat,
        "cohort": cohort,
        "overview": overview,
        "coverage": coverage,
        "page": page,
        "meetings": selectors.recent_group_meetings(cohort, limit=RECENT_MEETINGS),
        "network": cohort_network(cohort),
        "can_manage": seat.can("cohort.manage"),
        "can_enroll": seat.can("family.enroll"),
        "can_export": seat.can("cohort.export"),
        "can_record_meeting": seat.can("group.record_meeting"),
    }
    return render(request, "families/staff/cohort_detail.html", context)


@login_required
@require_GET
def cohort_export(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    policy.require(seat, "cohort.export")
    group_names = dict(selectors.cohort_groups(cohort).values_list("pk", "name"))
    cards = selectors.cohort_family_cards(seat, cohort)
    header = [
        "household_name",
        "is_seed",
        "group",
        "generation",
        "household_size",
        "contact_email",
        "contact_phone",
    ]
    rows = (
        [
            card.name,
            "yes" if card.is_seed else "no",
            group_names.get(card.group_id, ""),
            card.generation,
            card.household_size if card.household_size is not None else "",
            card.contact_email or "",
            card.contact_phone or "",
        ]
        for card in cards
    )
    filename = f"{slugify(cohort.name) or 'cohort'}-families.csv"
    return csv_response(filename, header=header, rows=rows)


# Enrollment -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def family_enroll(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    policy.require(seat, "family.enroll")
    form = HouseholdForm(request.POST or None)
    formset = MemberFormSet(request.POST or None, prefix="members")
    error = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            family = services.family_enroll_seed(
                seat=seat, cohort=cohort, data=household_input(form, formset)
            )
        except ApplicationError as exc:
            error = exc
            for message in exc.errors.get("members", []):
                formset.add_error(message)
            show_service_errors(form, exc, aliases=HouseholdForm.error_fields, skip={"members"})
        else:
            messages.success(
                request, _("%(name)s is enrolled as a seed family.") % {"name": family.name}
            )
            return redirect("cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk)
    context = {"seat": seat, "cohort": cohort, "form": form, "formset": formset}
    return render(
        request, "families/staff/family_enroll.html", context, status=_status(error, form, formset)
    )


def _payload_for(seat, cohort, rows) -> str:
    # The nonce makes the confirmation work once: the service stores it when it enrolls.
    return signing.dumps(
        {
            "p": seat.partner.pk,
            "c": cohort.pk,
            "u": seat.user.pk,
            "n": secrets.token_urlsafe(24),
            "rows": rows_to_payload(rows),
        },
        salt=CSV_PAYLOAD_SALT,
        compress=True,
    )


def _rows_from_signed(seat, cohort, payload: str):
    """The rows staff saw in the preview and the confirmation's nonce, or None if the payload
    was changed, expired or made for someone or somewhere else."""
    try:
        data = signing.loads(payload, salt=CSV_PAYLOAD_SALT, max_age=CSV_PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if (data.get("p"), data.get("c"), data.get("u")) != (
        seat.partner.pk,
        cohort.pk,
        seat.user.pk,
    ):
        return None
    try:
        return rows_from_payload(data["rows"]), str(data["n"])
    except (KeyError, TypeError):
        return None


def _seed_room(seat, cohort) -> int:
    reach = selectors.cohorts_with_reach(seat.partner).filter(pk=cohort.pk).first()
    return max(cohort.seed_limit - (reach.seed_count if reach else 0), 0)


@login_required
@require_http_methods(["GET", "POST"])
def family_enroll_csv(request, partner_slug, cohort_id):
    """Upload -> preview of every row with its problems (nothing saved) -> confirm (signed)."""
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    policy.require(seat, "family.enroll")
    context = {"seat": seat, "cohort": cohort, "columns": CSV_COLUMNS, "rows": None}
    status = 200
    if request.method == "POST" and "payload" in request.POST:
        form = EnrollmentFileForm()
        confirmed = _rows_from_signed(seat, cohort, request.POST["payload"])
        if confirmed is None:
            context["problem"] = _(
                "This confirmation was changed or has expired. Nothing was saved; "
                "upload the file again."
            )
            status = 400
        else:
            rows, nonce = confirmed
            try:
                families = services.families_enroll_seeds(
                    seat=seat, cohort=cohort, rows=rows, confirmation=nonce
                )
            except ApplicationError as exc:
                context["problem"] = exc.message
                context["problem_details"] = [
                    f"{key}: {message}" for key, ms in exc.errors.items() for message in ms
                ]
                status = exc.status_code
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d family is enrolled as a seed family.",
                        "%(n)d families are enrolled as seed families.",
                        len(families),
                    )
                    % {"n": len(families)},
                )
                return redirect(
                    "cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk
                )
    elif request.method == "POST":
        form = EnrollmentFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = parse_enrollment_csv(
                    form.cleaned_data["file"].read(), region=seat.partner.country
                )
            except CsvFileError as exc:
                form.add_error("file", str(exc))
            else:
                taken = services.household_contacts_taken(cohort, [row.data for row in rows])
                for position, found in taken.items():
                    for column, problems in found.items():
                        rows[position].errors.setdefault(column, []).extend(problems)
                valid = all(not row.errors for row in rows)
                room = _seed_room(seat, cohort)
                context.update(
                    rows=rows,
                    valid=valid,
                    error_count=sum(1 for row in rows if row.errors),
                    room=room,
                    fits=len(rows) <= room,
                    payload=_payload_for(seat, cohort, rows) if valid else "",
                )
                status = 200 if valid else 400
        if form.errors:
            status = 400
    else:
        form = EnrollmentFileForm()
    context["form"] = form
    return render(request, "families/staff/family_enroll_csv.html", context, status=status)


@login_required
@require_GET
def family_enroll_csv_template(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    access.access_cohort(seat, cohort_id)
    policy.require(seat, "family.enroll")
    return csv_response("seed-families-template.csv", header=CSV_COLUMNS, rows=[])


# Families ---------------------------------------------------------------------------------------


@login_required
@require_GET
def staff_family_detail(request, partner_slug, family_id):
    seat = policy.access_partner(request.user, partner_slug)
    family = access.access_family_for_staff(seat, family_id)
    card = selectors.family_card(family, policy.family_fields_visible_to_staff(seat, family))
    context = {
        "seat": seat,
        "family": family,
        "card": card,
        "invited": selectors.families_invited_by(family),
        "can_promote": seat.can("family.promote") and not family.is_seed,
        "can_edit_contact": seat.can("family.contact.edit"),
        "can_invite_to_sign_in": seat.can("family.enroll"),
        "signed_in_members": selectors.members_with_sign_in(family),
    }
    return render(request, "families/staff/family_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_promote(request, partner_slug, family_id):
    """Asks first (which cohort, what to call the new group); the POST makes the seed."""
    seat = policy.access_partner(request.user, partner_slug)
    family = access.access_family_for_staff(seat, family_id)
    policy.require(seat, "family.promote")
    form = PromoteForm(
        request.POST or None,
        initial={"cohort": family.cohort_id},
        cohorts=selectors.cohorts_for_seat(seat).order_by("name"),
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            family = services.family_promote_to_seed(
                seat=seat,
                family=family,
                cohort=form.cleaned_data["cohort"],
                group_name=form.cleaned_data["group_name"],
            )
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now the seed family of a new group.") % {"name": family.name},
            )
            return redirect(
                "staff_family_detail", partner_slug=seat.partner.slug, family_id=family.pk
            )
    context = {"seat": seat, "family": family, "form": form}
    return render(
        request, "families/staff/family_promote.html", context, status=_status(error, form)
    )


# Group meetings ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_meeting_create(request, partner_slug, cohort_id):
    seat = policy.access_partner(request.user, partner_slug)
    cohort = access.access_cohort(seat, cohort_id)
    policy.require(seat, "group.record_meeting")
    form = GroupMeetingForm(request.POST or None, groups=selectors.cohort_groups(cohort))
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_meeting_record(
                seat=seat,
                cohort=cohort,
                group_ids=[group.pk for group in data["groups"]],
                met_on=data["met_on"],
                note=data["note"],
            )
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("cohort_detail", partner_slug=seat.partner.slug, cohort_id=cohort.pk)
    context = {"seat": seat, "cohort": cohort, "form": form}
    return render(
        request, "families/staff/group_meeting_form.html", context, status=_status(error, form)
    )
