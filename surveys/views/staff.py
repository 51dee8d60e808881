"""Pages for liaisons and partner staff: the queue of surveys and stories waiting for
verification, reviewing a survey (verify, or ask for a correction) and a story, and the
partner's own survey questions (payments are in `surveys/views/payments.py`).

Every page starts from the seat (`policy.access_partner`), fetches surveys, stories, stipends
and batches through `surveys.access` (a liaison reaches only their cohorts; everyone else gets
404) and asks the policy for capabilities; the services check again and do the writing.

A liaison checks and verifies; they never advise. No page here has a field for advice."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from mutuality import formatting
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from surveys import access, selectors, services
from surveys.forms.staff import (
    CorrectionForm,
    QuestionForm,
    QueueFilterForm,
    SmsQuestionsForm,
    VerifyForm,
)
from surveys.models import Question

PAGE_SIZE = 25

PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

FLAG_METRICS = {"income_total": gettext_lazy("Income"), "savings_balance": gettext_lazy("Savings")}


def _queue_url(seat: policy.Seat) -> str:
    """Where a reviewer goes back to: the liaison's home is their queue."""
    if seat.can("partner.dashboard"):
        return reverse("review_queue", args=[seat.partner.slug])
    return reverse("partner_home", args=[seat.partner.slug])


def _query(data, keys) -> str:
    """The filters of a list, to keep them when paging."""
    return urlencode([(key, data[key]) for key in keys if data.get(key)])


# Showing answers --------------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_money(value, currency: str) -> str:
    """An amount as the reader's language writes it; a value that is not one, as it is."""
    amount = _number(value)
    return str(value) if amount is None else formatting.money(amount, currency)


def format_answer(question: Question | None, value, *, currency: str, practices: dict) -> str:
    """An answer as a reader understands it: money with the currency, numbers in the reader's
    notation, choices by label, practices by name."""
    if value is None or value == "" or value == []:
        return ""
    kind = question.type if question is not None else None
    if kind == Question.Type.MONEY:
        return format_money(value, currency)
    if kind == Question.Type.NUMBER and _number(value) is not None:
        return formatting.number(_number(value))
    if kind == Question.Type.YES_NO:
        return _("Yes") if value in (True, "yes", "true") else _("No")
    if kind == Question.Type.CHOICE:
        return question.choice_label(str(value))
    if kind == Question.Type.MULTI_CHOICE:
        values = value if isinstance(value, list) else [value]
        if question.key == "practices":
            return ", ".join(practices.get(str(v), str(v)) for v in values)
        return ", ".join(question.choice_label(str(v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def explain_flag(flag: dict, currency: str) -> str:
    """'Income changed by +120% since September 2026 ($1,000.00 → $2,200.00): look twice'."""
    values = {
        "metric": FLAG_METRICS.get(flag.get("metric"), flag.get("metric", "")),
        "since": formatting.month_name(str(flag.get("since", ""))),
        "change": " ".join(
            (
                format_money(flag.get("previous", ""), currency),
                formatting.ARROW,
                format_money(flag.get("current", ""), currency),
            )
        ),
    }
    if flag.get("percent") is None:
        return _("%(metric)s changed from zero since %(since)s (%(change)s): look twice") % values
    values["percent"] = formatting.signed_percent(Decimal(int(flag["percent"])) / 100)
    return _("%(metric)s changed by %(percent)s since %(since)s (%(change)s): look twice") % values


# The queue --------------------------------------------------------------------------------------


def review_queue_context(request, seat: policy.Seat) -> tuple[dict, int]:
    """The surveys and stories waiting in the seat's cohorts, oldest first, filtered and paged;
    the liaison's home and the staff's queue page both show it. Returns (context, status)."""
    cohorts = list(selectors.cohorts_for_filters(seat))
    form = QueueFilterForm(request.GET, cohorts=cohorts)
    status = 200 if form.is_valid() else 400
    # A filter that failed is left out; the others still apply.
    data = form.cleaned_data
    kwargs = {
        "cohort_id": data.get("cohort") or None,
        "period": data.get("period") or None,
        "state": data.get("state") or None,
    }
    surveys = selectors.review_queue(seat, **kwargs)
    stories = selectors.stories_waiting(seat, cohort_id=kwargs["cohort_id"])
    # Paging keeps the filters that held.
    query = _query(request.GET, [key for key in ("cohort", "period", "state") if key in data])
    context = {
        "seat": seat,
        "filter_form": form,
        "filtered": any(kwargs.values()),
        "surveys_page": Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page")),
        "stories_page": Paginator(stories, PAGE_SIZE).get_page(request.GET.get("stories_page")),
        "query": query,
        "queue_url": request.path,
    }
    return context, status


@login_required
@require_GET
def review_queue(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.view")
    context, status = review_queue_context(request, seat)
    return render(request, "surveys/staff/review_queue.html", context, status=status)


# Reviewing a survey -----------------------------------------------------------------------------


def _answers(survey, questions, *, currency, practices) -> list[dict]:
    rows = []
    known = set()
    for question in questions:
        known.add(question.key)
        value = survey.answers.get(question.key)
        rows.append(
            {
                "key": question.key,
                "label": question.label,
                "value": format_answer(question, value, currency=currency, practices=practices),
                "required": question.required,
            }
        )
    for key in sorted(set(survey.answers) - known):  # answers of a question no longer asked
        value = format_answer(None, survey.answers[key], currency=currency, practices=practices)
        rows.append({"key": key, "label": key, "value": value, "required": False})
    return rows


def _history(survey, questions, *, currency, practices) -> list[dict]:
    by_key = {q.key: q for q in questions}
    history = []
    for diff in selectors.revision_history(survey):
        changes = [
            {
                "label": by_key[change.key].label if change.key in by_key else change.key,
                "before": format_answer(
                    by_key.get(change.key), change.before, currency=currency, practices=practices
                ),
                "after": format_answer(
                    by_key.get(change.key), change.after, currency=currency, practices=practices
                ),
            }
            for change in diff.changes
        ]
        history.append({"revision": diff.revision, "changes": changes})
    return history


def _review_page(request, seat, survey, *, verify_form, correction_form, error="", status=200):
    currency = seat.partner.currency
    practices = dict(selectors.practice_choices(seat.partner))
    questions = list(survey.template.questions.all())
    context = {
        "seat": seat,
        "survey": survey,
        "answers": _answers(survey, questions, currency=currency, practices=practices),
        "flags": [explain_flag(flag, currency) for flag in survey.flags or []],
        "history": _history(survey, questions, currency=currency, practices=practices),
        "reviews": selectors.survey_reviews(survey),
        "can_act": survey.is_waiting and seat.can("survey.verify"),
        "verify_form": verify_form,
        "correction_form": correction_form,
        "error": error,
        "queue_url": _queue_url(seat),
    }
    return render(request, "surveys/staff/survey_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def survey_review(request, partner_slug, survey_id):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.view")
    survey = access.access_survey_for_staff(seat, survey_id)
    verify_form, correction_form = VerifyForm(), CorrectionForm()
    if request.method == "GET":
        return _review_page(
            request, seat, survey, verify_form=verify_form, correction_form=correction_form
        )

    policy.require(seat, "survey.verify")
    action = request.POST.get("action")
    if action == "verify":
        form = verify_form = VerifyForm(request.POST)
    elif action == "correct":
        form = correction_form = CorrectionForm(request.POST)
    else:
        return _review_page(
            request,
            seat,
            survey,
            verify_form=verify_form,
            correction_form=correction_form,
            error=_("Choose to verify the survey or to ask for a correction."),
            status=400,
        )
    if not form.is_valid():
        return _review_page(
            request,
            seat,
            survey,
            verify_form=verify_form,
            correction_form=correction_form,
            status=400,
        )
    try:
        if action == "verify":
            services.survey_verify(
                seat=seat, response=survey, evidence=form.cleaned_data["evidence"]
            )
            done = _("The survey of %(family)s for %(month)s is verified.")
        else:
            services.survey_request_correction(
                seat=seat,
                response=survey,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            done = _("%(family)s was asked to correct the survey for %(month)s.")
    except InvalidInput as exc:
        show_service_errors(form, exc)
        return _review_page(
            request,
            seat,
            survey,
            verify_form=verify_form,
            correction_form=correction_form,
            status=400,
        )
    except Conflict as exc:
        # Someone else acted first: show the survey as it is now, and say so.
        survey = access.access_survey_for_staff(seat, survey.pk)
        return _review_page(
            request,
            seat,
            survey,
            verify_form=VerifyForm(),
            correction_form=CorrectionForm(),
            error=_("Nothing was changed: %(reason)s") % {"reason": exc.message},
            status=409,
        )
    messages.success(
        request,
        done % {"family": survey.family.name, "month": formatting.month_name(survey.period)},
    )
    return redirect(_queue_url(seat))


# Reviewing a story ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def story_review(request, partner_slug, story_id):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.view")
    story = access.access_story_for_staff(seat, story_id)
    error, status = "", 200
    if request.method == "POST":
        policy.require(seat, "survey.verify")
        try:
            services.story_verify(seat=seat, story=story)
        except Conflict as exc:
            story = access.access_story_for_staff(seat, story.pk)
            error, status = exc.message, 409
        else:
            messages.success(
                request,
                _("The story “%(title)s” of %(family)s is verified.")
                % {"title": story.title, "family": story.family.name},
            )
            return redirect(_queue_url(seat))
    context = {
        "seat": seat,
        "story": story,
        "photos": selectors.story_photos(story),
        "can_verify": story.state == story.State.SUBMITTED and seat.can("survey.verify"),
        "error": error,
        "queue_url": _queue_url(seat),
    }
    return render(request, "surveys/staff/story_review.html", context, status=status)


@login_required
@require_GET
def story_review_photo(request, partner_slug, story_id):
    """A story's photo (`?n=0` is the first), only for those who may review the story: photos
    are never public files."""
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.view")
    story = access.access_story_for_staff(seat, story_id)
    try:
        n = int(request.GET.get("n", "0"))
    except ValueError:
        raise Http404 from None
    photos = selectors.story_photos(story)
    if not 0 <= n < len(photos) or not photos[n].image:
        raise Http404
    extension = photos[n].image.name.rsplit(".", 1)[-1].lower()
    content_type = PHOTO_TYPES.get(extension)
    if content_type is None:
        raise Http404
    response = FileResponse(photos[n].image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


# The partner's own questions --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_template(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.template_edit")
    languages = list(seat.partner.languages)
    form = QuestionForm(request.POST or None, languages=languages)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                template = services.template_add_question(seat=seat, **form.service_kwargs())
            except InvalidInput as exc:
                show_service_errors(form, exc)
                status = 400
            except Conflict as exc:
                error, status = exc.message, 409
            else:
                messages.success(
                    request,
                    _("Version %(version)d of your survey asks “%(label)s” from now on.")
                    % {
                        "version": template.version,
                        "label": form.cleaned_data[f"label_{languages[0]}"],
                    },
                )
                return redirect("survey_template", partner_slug=seat.partner.slug)
        else:
            status = 400
    return template_page(request, seat, form=form, error=error, status=status)


def template_page(request, seat, *, form=None, sms_form=None, error="", status=200):
    """The survey's questions, the short survey's choice and the form to add a question."""
    languages = list(seat.partner.languages)
    template = services.current_template(seat.partner)
    questions = [
        {
            "question": question,
            "labels": [(code, question.labels.get(code, "")) for code in languages],
            "help_texts": [
                (code, question.help_texts.get(code, ""))
                for code in languages
                if question.help_texts.get(code)
            ],
            "choices": [
                (choice.get("value"), question.choice_label(choice.get("value")))
                for choice in question.choices
            ],
        }
        for question in template.questions.all()
    ]
    context = {
        "seat": seat,
        "template": template,
        "questions": questions,
        "languages": languages,
        "form": form or QuestionForm(languages=languages),
        "sms_form": sms_form or SmsQuestionsForm(template=template),
        "error": error,
    }
    return render(request, "surveys/staff/survey_template.html", context, status=status)
