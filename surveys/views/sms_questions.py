"""Partner admins choose the questions of the short survey asked by text message and USSD,
on the survey's page (`staff.template_page`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from surveys import services
from surveys.forms.staff import SmsQuestionsForm
from surveys.services.sms_questions import sms_questions, template_set_sms_questions
from surveys.views.staff import template_page


@login_required
@require_POST
def survey_sms_questions(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "survey.template_edit")
    form = SmsQuestionsForm(request.POST, template=services.current_template(seat.partner))
    if not form.is_valid():
        return template_page(request, seat, sms_form=form, status=400)
    try:
        template = template_set_sms_questions(seat=seat, keys=form.cleaned_data["sms_questions"])
    except InvalidInput as exc:
        show_service_errors(form, exc)
        return template_page(request, seat, sms_form=form, status=400)
    except Conflict as exc:
        return template_page(request, seat, sms_form=form, error=exc.message, status=409)
    messages.success(
        request,
        _("The survey by text message asks %(n)d questions from now on.")
        % {"n": len(sms_questions(template))},
    )
    return redirect("survey_template", partner_slug=seat.partner.slug)
