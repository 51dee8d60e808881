"""Staff write a family's contact again, and see the phone numbers that could not be read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import policy
from families import access, selectors, services
from families.forms.staff import FamilyContactForm
from mutuality.errors import ApplicationError
from mutuality.forms import show_service_errors

PAGE_SIZE = 25


@login_required
@require_GET
def phones_to_fix(request, partner_slug):
    seat = policy.access_partner(request.user, partner_slug)
    policy.require(seat, "family.contact.edit")
    families = selectors.families_with_phones_to_fix(seat.partner)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "families/staff/phones_to_fix.html", {"seat": seat, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def family_contact_edit(request, partner_slug, family_id):
    seat = policy.access_partner(request.user, partner_slug)
    family = access.access_family_for_staff(seat, family_id)
    policy.require(seat, "family.contact.edit")
    initial = {
        "contact_email": family.contact_email,
        "contact_phone": family.contact_phone or family.contact_phone_as_typed,
    }
    form = FamilyContactForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update_contact(seat=seat, family=family, **form.cleaned_data)
        except ApplicationError as exc:
            error = exc
            show_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s's contact was saved.") % {"name": family.name})
            return redirect(
                "staff_family_detail", partner_slug=seat.partner.slug, family_id=family.pk
            )
    status = error.status_code if error else (400 if form.errors else 200)
    context = {"seat": seat, "family": family, "form": form}
    return render(request, "families/staff/family_contact_form.html", context, status=status)
