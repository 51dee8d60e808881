"""The families' survey pages: the monthly survey, their stories, stipends and progress.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member:
staff, liaisons and funders included) and fetches objects with the access helpers (404 for
anything not theirs). Views parse input, call one service and render; the services decide.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.access import family_seat
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from surveys import charts, selectors, services
from surveys.access import access_story_for_family, access_survey_for_family
from surveys.forms.family import (
    StoryForm,
    StoryVisibilityForm,
    SurveyForm,
    section_title,
)
from surveys.models import Question, Story, SurveyResponse

PAGE_SIZE = 25
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _month_name(period: datetime.date) -> str:
    return formatting.month_name(period)


# The monthly survey ------------------------------------------------------------------------------


def _survey_form(request, seat, template, answers=None) -> SurveyForm:
    return SurveyForm(
        request.POST if request.method == "POST" else None,
        template=template,
        currency=seat.partner.currency,
        practices=selectors.practice_choices(seat.partner),
        answers=answers,
    )


def _sending(request) -> bool:
    return request.POST.get("action") == "send"


def _saved_message(request, survey: SurveyResponse) -> None:
    month = _month_name(survey.period)
    if survey.state == SurveyResponse.State.DRAFT:
        messages.success(
            request,
            _("Draft saved for %(month)s. Come back to it any time before you send it.")
            % {"month": month},
        )
    else:
        messages.success(
            request,
            _("Thank you! Your survey for %(month)s was sent to your liaison.") % {"month": month},
        )


def _render_form(request, seat, form, *, period, survey=None, correction=None, status=200):
    context = {
        "seat": seat,
        "family": seat.family,
        "form": form,
        "sections": form.sections(),
        "invalid_questions": form.invalid_questions() if form.errors else [],
        "period": period,
        "survey": survey,
        "correction": correction,
        "currency": seat.partner.currency,
    }
    return render(request, "surveys/family/survey_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request):
    """The survey of the month `?period=YYYY-MM` (this month when none is given)."""
    seat = family_seat(request.user)
    family = seat.family
    raw = request.GET.get("period") or timezone.localdate().strftime("%Y-%m")
    try:
        period = services.check_period(family=family, period=raw)
    except InvalidInput as error:
        context = {
            "seat": seat,
            "family": family,
            "message": error.message,
            "started_on": family.cohort.started_on,
            "months": selectors.survey_overview(family),
        }
        return render(request, "surveys/family/survey_unavailable.html", context, status=400)
    existing = selectors.survey_for_month(family, period)
    if existing is not None:
        # One survey per month: open the one already started.
        return redirect("survey_detail", survey_id=existing.pk)

    form = _survey_form(request, seat, services.current_template(family.partner))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                seat=seat, period=period, answers=form.answers(), submit=_sending(request)
            )
        except InvalidInput as error:
            show_service_errors(form, error, aliases=form.error_aliases)
        except Conflict as error:
            # Saved a moment ago (a double tap, another phone of the household).
            existing = selectors.survey_for_month(family, period)
            if existing is None:
                raise
            messages.info(request, error.message)
            return redirect("survey_detail", survey_id=existing.pk)
        else:
            _saved_message(request, survey)
            return redirect("survey_detail", survey_id=survey.pk)
    if form.errors:
        status = 400
    return _render_form(request, seat, form, period=period, status=status)


def _display(question: Question, value, *, currency: str, practices: dict[str, str]) -> str:
    """An answer as the family reads it back."""
    if value is None or value in ("", []):
        return ""
    kind = question.type
    if kind == Question.Type.MONEY:
        try:
            return formatting.money(Decimal(str(value)), currency)
        except (InvalidOperation, ValueError):
            return f"{value} {currency}"
    if kind == Question.Type.YES_NO:
        return _("Yes") if value else _("No")
    if kind == Question.Type.CHOICE:
        return question.choice_label(str(value))
    if kind == Question.Type.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        if question.key == "practices":
            names = [practices.get(str(v), str(v)) for v in values]
        else:
            names = [question.choice_label(str(v)) for v in values]
        return ", ".join(names)
    return str(value)


def _answer_sections(survey: SurveyResponse, partner) -> list[dict]:
    questions = list(survey.template.questions.all())
    practices = {}
    if any(q.key == "practices" for q in questions) and survey.answers.get("practices"):
        practices = dict(selectors.practice_choices(partner))
    sections: dict[str, dict] = {}
    for question in questions:
        section = sections.setdefault(
            question.section, {"title": section_title(question.section), "rows": []}
        )
        section["rows"].append(
            {
                "label": question.label,
                "type": question.type,
                "value": _display(
                    question,
                    survey.answers.get(question.key),
                    currency=partner.currency,
                    practices=practices,
                ),
            }
        )
    return list(sections.values())


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request, survey_id):
    """The form while the family may still change it (a draft, or after a correction was asked
    for); the answers, read-only, once sent."""
    seat = family_seat(request.user)
    survey = access_survey_for_family(seat, survey_id)
    correction = (
        selectors.latest_correction(survey)
        if survey.state == SurveyResponse.State.NEEDS_CORRECTION
        else None
    )
    if not survey.is_editable_by_family:
        status = 200
        if request.method == "POST":
            status = 409
            messages.error(
                request,
                _("This survey is verified and can no longer be changed.")
                if survey.state == SurveyResponse.State.VERIFIED
                else _("This survey was sent and can no longer be changed."),
            )
        context = {
            "seat": seat,
            "family": seat.family,
            "survey": survey,
            "sections": _answer_sections(survey, seat.partner),
        }
        return render(request, "surveys/family/survey_answers.html", context, status=status)

    form = _survey_form(request, seat, survey.template, answers=survey.answers)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_update(
                seat=seat, response=survey, answers=form.answers(), submit=_sending(request)
            )
        except InvalidInput as error:
            show_service_errors(form, error, aliases=form.error_aliases)
        except Conflict as error:  # sent from another phone meanwhile
            messages.error(request, error.message)
            return redirect("survey_detail", survey_id=survey.pk)
        else:
            _saved_message(request, survey)
            return redirect("survey_detail", survey_id=survey.pk)
    if form.errors:
        status = 400
    return _render_form(
        request,
        seat,
        form,
        period=survey.period,
        survey=survey,
        correction=correction,
        status=status,
    )


@login_required
@require_GET
def survey_list(request):
    seat = family_seat(request.user)
    context = {
        "seat": seat,
        "family": seat.family,
        "page": page_of(request, selectors.family_surveys(seat.family)),
        "months": selectors.survey_overview(seat.family),
    }
    return render(request, "surveys/family/survey_list.html", context)


# Stories -----------------------------------------------------------------------------------------


@login_required
@require_GET
def story_list(request):
    seat = family_seat(request.user)
    context = {
        "seat": seat,
        "family": seat.family,
        "page": page_of(request, selectors.readable_stories(seat)),
    }
    return render(request, "surveys/family/story_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request):
    seat = family_seat(request.user)
    form = StoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.story_create(
                seat=seat,
                title=data["title"],
                body=data["body"],
                visibility=data["visibility"],
                public_consent=data["public_consent"],
                photos=form.photos(),
            )
        except InvalidInput as error:
            show_service_errors(form, error, aliases={"photos": "photo_1"})
        else:
            messages.success(request, _("Thank you for telling your story."))
            return redirect("story_detail", story_id=story.pk)
    status = 400 if form.errors else 200
    context = {"seat": seat, "family": seat.family, "form": form}
    return render(request, "surveys/family/story_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def story_detail(request, story_id):
    """A story for those its family chose; its own family may change who reads it."""
    seat = family_seat(request.user)
    story = access_story_for_family(seat, story_id)
    own = story.family_id == seat.family.pk
    if request.method == "POST" and not own:
        # Only the story's family chooses who reads it: the service refuses anyone else (403).
        services.story_set_visibility(
            seat=seat, story=story, visibility=request.POST.get("visibility", "")
        )
    form = None
    if own:
        form = StoryVisibilityForm(
            request.POST if request.method == "POST" else None,
            initial={"visibility": story.visibility},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        was_public = story.visibility == Story.Visibility.PUBLIC
        try:
            story = services.story_set_visibility(
                seat=seat,
                story=story,
                visibility=form.cleaned_data["visibility"],
                public_consent=form.cleaned_data["public_consent"],
            )
        except InvalidInput as error:
            show_service_errors(form, error)
        else:
            if was_public and story.visibility != Story.Visibility.PUBLIC:
                messages.success(
                    request,
                    _("Your story is no longer public. Now: %(who)s.")
                    % {"who": story.get_visibility_display()},
                )
            else:
                messages.success(
                    request,
                    _("Saved. Who may read it: %(who)s.") % {"who": story.get_visibility_display()},
                )
            return redirect("story_detail", story_id=story.pk)
    context = {
        "seat": seat,
        "family": seat.family,
        "story": story,
        "own": own,
        "photos": selectors.story_photos(story),
        "form": form,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "surveys/family/story_detail.html", context, status=status)


@login_required
@require_GET
def story_photo(request, story_id):
    """Photo `?n=` (0 first) of a story, only for those who may read the story: photos are
    never public files. Without that photo, the story itself."""
    seat = family_seat(request.user)
    story = access_story_for_family(seat, story_id)
    try:
        index = int(request.GET.get("n", "0"))
    except ValueError:
        raise Http404 from None
    if index < 0:
        raise Http404
    photos = selectors.story_photos(story)
    if index >= len(photos):
        return redirect("story_detail", story_id=story.pk)
    image = photos[index].image
    content_type = PHOTO_TYPES.get(image.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    response = FileResponse(image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Stipends ----------------------------------------------------------------------------------------


@login_required
@require_GET
def family_stipends(request):
    seat = family_seat(request.user)
    context = {
        "seat": seat,
        "family": seat.family,
        "page": page_of(request, selectors.family_stipends(seat.family).order_by("-created_at")),
        "totals": selectors.family_stipend_totals(seat.family),
    }
    return render(request, "surveys/family/stipends.html", context)


# Progress ----------------------------------------------------------------------------------------


def _baseline_explained(progress, wanted: int) -> str:
    names = get_text_list([_month_name(p) for p in progress.baseline_months], _("and"))
    if wanted <= 1:
        return _("Your baseline is your first verified month: %(months)s.") % {"months": names}
    if len(progress.baseline_months) >= wanted:
        return _(
            "Your baseline is the average of your first %(n)d verified months: %(months)s."
        ) % {"n": wanted, "months": names}
    return _(
        "Your baseline will be the average of your first %(n)d verified months. So far it "
        "uses %(months)s."
    ) % {"n": wanted, "months": names}


@login_required
@require_GET
def family_progress(request):
    """The family's own progress against its baseline, from verified surveys only."""
    seat = family_seat(request.user)
    progress = selectors.family_progress(seat.family)
    context = {"seat": seat, "family": seat.family, "progress": progress}
    if progress.months:
        latest = progress.months[-1]
        context.update(
            {
                "baseline_text": _baseline_explained(progress, seat.partner.baseline_months),
                "latest": latest,
                "latest_month": _month_name(latest.period),
                "highlights": [
                    {
                        "label": label,
                        "value": formatting.money(latest.values[key], progress.currency),
                        "change": formatting.signed_money(latest.change[key], progress.currency),
                    }
                    for key, label in (
                        ("income_total", _("Total income")),
                        ("savings_balance", _("Savings")),
                        ("net_position", _("Net position")),
                    )
                ],
                "panels": charts.progress_panels(progress),
            }
        )
    return render(request, "surveys/family/progress.html", context)
