"""Everyday Changemakers, from "Nominate" on: staff write what would be published and ask the
families; the families see exactly that and accept, change the words, decline or withdraw;
staff publish; platform admins pick features for the global gallery.

Staff pages start from the seat (`policy.access_partner`: another partner's people get 404) and
need "changemakers.review" (liaisons get 403); publishing needs "changemakers.publish". A family
reaches only the features it was asked about (404 for any other). Platform pages are 404 for
anyone but platform admins. The services check again and do the writing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from changemakers.forms_features import FeatureWordsForm, NominateForm, TakeDownForm
from changemakers.models import Candidate, Feature, FeatureConsent
from changemakers.selectors import features as selectors
from changemakers.services import features as services
from changemakers.services.features import PHOTO_HEIGHT, PHOTO_WIDTH
from families.access import family_seat
from mutuality.errors import ApplicationError, Conflict, NotFound
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from surveys import selectors as survey_selectors

PHOTO = {"width": PHOTO_WIDTH, "height": PHOTO_HEIGHT}


def _reasons(candidate: Candidate) -> list[str]:
    """The candidate's reasons in words (the candidates' module owns the wording)."""
    try:
        from changemakers.selectors.candidates import reason_texts
    except ImportError:  # pragma: no cover - the module ships with the candidates list
        return [str(reason.get("code", "")) for reason in candidate.reasons or []]
    return reason_texts(candidate.reasons)


def _candidates_url(partner_slug: str) -> str | None:
    try:
        return reverse("changemaker_candidates", kwargs={"partner_slug": partner_slug})
    except NoReverseMatch:
        return None


# Staff -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feature_nominate(request, partner_slug, candidate_id):
    """The candidate and its reasons, and what would be published about it. Sending it asks
    the family (every family of a group, every owner family of a venture) for consent."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "changemakers.review")
    candidate = selectors.staff_candidate(seat, candidate_id)
    practices = survey_selectors.practice_choices(seat.partner)
    error = None
    if request.method == "POST":
        form = NominateForm(request.POST, request.FILES, practices=practices)
        if form.is_valid():
            data = form.cleaned_data
            practice = (
                survey_selectors.practice_by_slug(seat.partner, data["practice"])
                if data["practice"]
                else None
            )
            try:
                feature = services.feature_nominate(
                    seat=seat,
                    candidate=candidate,
                    headline=data["headline"],
                    story=data["story"],
                    photo=data["photo"] or None,
                    region=data["region"],
                    country=data["country"],
                    practice=practice,
                )
            except ApplicationError as exc:
                error = exc
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The families are asked. They see exactly this, and decide."),
                )
                return redirect(
                    "staff_feature", partner_slug=seat.partner.slug, feature_id=feature.pk
                )
    else:
        form = NominateForm(
            initial={
                "region": candidate.cohort.region,
                "country": seat.partner.country,
            },
            practices=practices,
        )
    existing = Feature.objects.filter(candidate=candidate).first()
    status = error.status_code if error else (400 if form.errors else 200)
    context = {
        "seat": seat,
        "candidate": candidate,
        "subject": selectors.subject_name(candidate),
        "reasons": _reasons(candidate),
        "families": selectors.families_to_ask(candidate),
        "form": form,
        "existing": existing,
        "can_nominate": candidate.state == Candidate.State.SURFACED and existing is None,
        "candidates_url": _candidates_url(seat.partner.slug),
    }
    return render(request, "changemakers/features/nominate.html", context, status=status)


@login_required
@require_GET
def staff_features(request, partner_slug):
    """The partner's Everyday Changemakers and where each one stands."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "changemakers.review")
    context = {
        "seat": seat,
        "page": page_of(request, selectors.staff_features(seat)),
        "candidates_url": _candidates_url(seat.partner.slug),
    }
    return render(request, "changemakers/features/staff_list.html", context)


def _staff_feature_page(request, seat, feature, *, confirming="", form=None, status=200):
    context = {
        "seat": seat,
        "feature": feature,
        "subject": selectors.subject_name(feature.candidate),
        "answers": selectors.feature_answers(feature),
        "public": selectors.is_public(feature),
        "can_publish": seat.can("changemakers.publish"),
        "confirming": confirming,
        "take_down_form": form or TakeDownForm(),
        "photo": PHOTO,
        "can_preview": feature.state in selectors.PREVIEW_STATES,
        "show_photo": feature.state in selectors.PREVIEW_STATES and bool(feature.photo),
    }
    return render(request, "changemakers/features/staff_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def staff_feature(request, partner_slug, feature_id):
    """Who was asked and what each family answered; publish it once everyone consented, or
    take it down (both ask first)."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "changemakers.review")
    feature = selectors.staff_feature(seat, feature_id)
    if request.method == "GET":
        return _staff_feature_page(request, seat, feature)

    policy.require(seat, "changemakers.publish")
    action = request.POST.get("action", "")
    here = redirect("staff_feature", partner_slug=seat.partner.slug, feature_id=feature.pk)
    if action == "publish":
        if request.POST.get("confirm") != "yes":
            return _staff_feature_page(request, seat, feature, confirming="publish")
        try:
            services.feature_publish(seat=seat, feature=feature)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Published: it is in the public gallery."))
        return here
    if action == "take_down":
        form = TakeDownForm(request.POST)
        if request.POST.get("confirm") != "yes" or not form.is_valid():
            status = 400 if form.errors else 200
            return _staff_feature_page(
                request, seat, feature, confirming="take_down", form=form, status=status
            )
        try:
            services.feature_take_down(
                seat=seat, feature=feature, reason=form.cleaned_data["reason"]
            )
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Taken down: it is no longer in the gallery."))
        return here
    messages.error(request, _("Choose what to do."))
    return here


# Families --------------------------------------------------------------------------------------


@login_required
@require_GET
def family_features(request):
    """Requests to feature the family as an Everyday Changemaker, and past answers."""
    seat = family_seat(request.user)
    waiting = list(selectors.family_waiting(seat.family))
    waiting_ids = {consent.pk for consent in waiting}
    past = page_of(request, selectors.family_consents(seat.family).exclude(pk__in=waiting_ids))
    context = {"seat": seat, "family": seat.family, "waiting": waiting, "past": past}
    return render(request, "changemakers/features/family_list.html", context)


def _other_answers(seat, consent) -> list[dict]:
    """The other families' answers; each family named only where its own consent settings
    show its name to this family."""
    answers = []
    for other in selectors.other_answers(consent):
        visible = policy.family_fields_visible_to_family(seat.family, other.family)
        name = other.family.name if policy.FIELDS_NAME in visible else ""
        answers.append({"name": name, "answer": other.get_state_display()})
    return answers


def _family_feature_page(request, seat, consent, *, form=None, confirming="", status=200):
    feature = consent.feature
    asking = feature.state == Feature.State.ASKING
    context = {
        "seat": seat,
        "family": seat.family,
        "consent": consent,
        "feature": feature,
        "others": _other_answers(seat, consent),
        "can_answer": asking,
        "can_accept": asking and consent.state == FeatureConsent.State.PENDING,
        "can_decline": asking and consent.state == FeatureConsent.State.PENDING,
        "can_withdraw": consent.state == FeatureConsent.State.ACCEPTED
        and feature.state in selectors.PREVIEW_STATES,
        "form": form
        or FeatureWordsForm(initial={"headline": feature.headline, "story": feature.story}),
        "confirming": confirming,
        "photo": PHOTO,
        "show_photo": feature.state in selectors.PREVIEW_STATES and bool(feature.photo),
    }
    return render(request, "changemakers/features/family_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def family_feature(request, feature_id):
    """Exactly what would be published, and the family's answer: accept, change the words and
    accept, decline (asks first), or withdraw consent later (asks first)."""
    seat = family_seat(request.user)
    consent = selectors.family_consent(seat, feature_id)
    if request.method == "GET":
        return _family_feature_page(request, seat, consent)

    feature = consent.feature
    action = request.POST.get("action", "")
    here = redirect("family_feature", feature_id=feature.pk)
    try:
        if action == "accept":
            services.feature_consent_accept(seat=seat, feature=feature)
            messages.success(request, _("Thank you: you accepted. You may withdraw at any time."))
        elif action == "edit":
            form = FeatureWordsForm(request.POST)
            if not form.is_valid():
                return _family_feature_page(request, seat, consent, form=form, status=400)
            try:
                services.feature_consent_accept(
                    seat=seat,
                    feature=feature,
                    headline=form.cleaned_data["headline"],
                    story=form.cleaned_data["story"],
                )
            except ApplicationError as exc:
                if isinstance(exc, Conflict):
                    raise
                show_service_errors(form, exc)
                return _family_feature_page(
                    request, seat, consent, form=form, status=exc.status_code
                )
            messages.success(
                request,
                _(
                    "Thank you: your words are saved and you accepted. You may withdraw at "
                    "any time."
                ),
            )
        elif action in ("decline", "withdraw"):
            if request.POST.get("confirm") != "yes":
                return _family_feature_page(request, seat, consent, confirming=action)
            if action == "decline":
                services.feature_consent_decline(seat=seat, feature=feature)
                messages.success(request, _("You declined. It will not be published."))
            else:
                services.feature_consent_withdraw(seat=seat, feature=feature)
                messages.success(
                    request, _("You withdrew your consent. It is no longer shown anywhere.")
                )
        else:
            messages.error(request, _("Choose what to do."))
    except Conflict as exc:
        messages.error(request, exc.message)
    return here


# Platform admins -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def platform_features(request):
    """Published Everyday Changemakers of every partner: pick some for the global gallery."""
    policy.require_platform_admin(request.user)
    if request.method == "POST":
        feature = Feature.objects.filter(pk=_int_or_none(request.POST.get("feature"))).first()
        if feature is None:
            raise NotFound(_("Not found."))
        international = request.POST.get("international") == "1"
        try:
            services.feature_set_international(
                actor=request.user, feature=feature, international=international
            )
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            if international:
                message = _("“%(headline)s” is picked for the global gallery.")
            else:
                message = _("“%(headline)s” is no longer picked for the global gallery.")
            messages.success(request, message % {"headline": feature.headline})
        return redirect("platform_features")
    context = {"page": page_of(request, selectors.platform_features())}
    return render(request, "changemakers/features/platform.html", context)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
