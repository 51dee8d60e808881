"""The families' own pages: their group, invitations, feeds, help given and received, the
cohort's peer directory and their consent settings.

Every page starts from `family_seat(request.user)` (404 for anyone who is not a family member)
and fetches objects with the access helpers (404 for anything not theirs). Views parse input,
call one service and render; the services decide.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import phone_sign_in
from families import selectors, services
from families.access import (
    access_family_invitation,
    access_help_exchange,
    access_post,
    family_seat,
)
from families.forms.family import (
    CommentForm,
    ConsentForm,
    FamilyInvitationForm,
    HelpForm,
    HouseholdMemberFormSet,
    JoinFamilyForm,
    PostForm,
    ReactionForm,
)
from families.models import Family, Post
from mutuality import phones
from mutuality.errors import Conflict, InvalidInput
from mutuality.forms import show_service_errors
from mutuality.pagination import page_of
from mutuality.redirects import same_site

PAGE_SIZE = 25
# The link of a phone invitation, shown once on the next page (never written to the audit).
SHARE_SESSION_KEY = "family_invitation_share"
ACCOUNT_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _back(request, default: str) -> str:
    """Where a small action returns to: the `next` it was given if it is ours."""
    return same_site(request, request.POST.get("next"), default)


# The group ---------------------------------------------------------------------------------------


@login_required
def family_group(request):
    seat = family_seat(request.user)
    cards = selectors.group_cards(seat)
    names = {card.id: card.name for card in cards}
    # Who invited whom, by name when the inviter is in the group (a seed promoted from another
    # group was invited from outside it).
    rows = [{"card": card, "invited_by": names.get(card.invited_by_id)} for card in cards]
    context = {"seat": seat, "family": seat.family, "page": page_of(request, rows)}
    return render(request, "families/family/group.html", context)


# Invitations -------------------------------------------------------------------------------------


def _share_link(request, invitation, token) -> None:
    """Keep a phone invitation's link for the next page, where the family copies it."""
    if invitation.email:
        return
    link = request.build_absolute_uri(reverse("family_invitation_accept", args=[token]))
    text = _("%(family)s invites you to join our group on Mutuality: %(link)s") % {
        "family": invitation.family.name,
        "link": link,
    }
    request.session[SHARE_SESSION_KEY] = {
        "invitation": invitation.pk,
        "name": invitation.name,
        "phone": invitation.phone,
        "link": link,
        "sms": f"sms:{invitation.phone}?body=" + quote(text, safe=""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def family_invitations(request):
    seat = family_seat(request.user)
    form = FamilyInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.family_invitation_create(
                seat=seat,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
            )
        except (InvalidInput, Conflict) as error:
            show_service_errors(form, error)
            status = error.status_code
        else:
            if invitation.email:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invitation.email},
                )
            else:
                _share_link(request, invitation, token)
                messages.success(
                    request,
                    _("Invitation ready. Send the link below to %(name)s.")
                    % {"name": invitation.name},
                )
            return redirect("family_invitations")
    if form.errors and status == 200:
        status = 400
    context = {
        "seat": seat,
        "family": seat.family,
        "may_invite": seat.family.is_seed,
        "form": form,
        "page": page_of(request, selectors.family_invitations(seat.family)),
        "left": selectors.invitations_left(seat.family),
        "limit": settings.FRIENDS_PER_SEED,
        "share": request.session.pop(SHARE_SESSION_KEY, None) if request.method == "GET" else None,
    }
    return render(request, "families/family/invitations.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def family_invitation_revoke(request, family_invitation_id):
    seat = family_seat(request.user)
    invitation = access_family_invitation(seat, family_invitation_id)
    if request.method == "POST":
        services.family_invitation_revoke(seat=seat, invitation=invitation)
        messages.success(
            request,
            _("The invitation to %(name)s was revoked. Its link no longer works.")
            % {"name": invitation.name},
        )
        return redirect("family_invitations")
    return render(
        request,
        "families/family/invitation_revoke.html",
        {"seat": seat, "invitation": invitation},
    )


@login_required
@require_POST
def family_invitation_resend(request, family_invitation_id):
    seat = family_seat(request.user)
    invitation = access_family_invitation(seat, family_invitation_id)
    invitation, token = services.family_invitation_resend(seat=seat, invitation=invitation)
    if invitation.email:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    else:
        _share_link(request, invitation, token)
        messages.success(
            request,
            _("A new link for %(name)s is ready; the old one no longer works.")
            % {"name": invitation.name},
        )
    return redirect("family_invitations")


def _invitation_invalid(request):
    return render(request, "families/family/invitation_invalid.html", status=410)


@require_http_methods(["GET", "POST"])
def family_invitation_accept(request, token):
    invitation = services.family_invitation_by_token(token)
    if invitation is None:
        return _invitation_invalid(request)
    context = {"invitation": invitation, "inviter": invitation.family}
    if request.user.is_authenticated:
        # Joining creates a new account; whoever is signed in must leave first.
        return render(request, "families/family/invitation_signed_in.html", context)
    data = request.POST if request.method == "POST" else None
    form = JoinFamilyForm(
        data, initial={"email": invitation.email, "phone": phones.for_display(invitation.phone)}
    )
    members = HouseholdMemberFormSet(data, prefix="members")
    if request.method == "POST" and form.is_valid() and members.is_valid():
        household = services.HouseholdInput(
            name=form.cleaned_data["household_name"],
            household_size=form.cleaned_data["household_size"],
            contact_email=form.cleaned_data["email"],
            contact_phone=form.cleaned_data["phone"] or invitation.phone,
            members=[
                services.MemberInput(
                    first_name=row["first_name"],
                    birth_year=row["birth_year"],
                    relationship=row["relationship"],
                )
                for row in members.cleaned_data
                if row
            ],
        )
        try:
            family = services.family_invitation_accept(
                token=token,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
                household=household,
            )
        except InvalidInput as error:
            # The user's "name" and the household's share a key; the form checks both are
            # given, so what remains of "name" is about the household.
            show_service_errors(
                form,
                error,
                aliases={
                    "password": "password1",
                    "name": "household_name",
                    "contact": "email",
                    "contact_phone": "phone",
                },
            )
        except Conflict:
            return _invitation_invalid(request)
        else:
            user = family.members.select_related("user").filter(user__isnull=False).first().user
            messages.success(
                request,
                _("Welcome, %(family)s! You are now in the group of %(inviter)s.")
                % {"family": family.name, "inviter": invitation.family.name},
            )
            if user.phone:
                return phone_sign_in.send_first_code(request, user, next_url=reverse("family_home"))
            login(request, user, backend=ACCOUNT_BACKEND)
            return redirect("family_home")
    invalid = bool(form.errors) or any(members.errors) or bool(members.non_form_errors())
    context.update({"form": form, "members": members})
    return render(
        request,
        "families/family/invitation_accept.html",
        context,
        status=400 if invalid else 200,
    )


# Feeds -------------------------------------------------------------------------------------------


def _feedpage_of(request, *, which: str):
    seat = family_seat(request.user)
    initial_visibility = Post.Visibility.COHORT if which == "cohort" else Post.Visibility.GROUP
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        initial={"visibility": initial_visibility},
    )
    url_name = "family_feed_cohort" if which == "cohort" else "family_feed_group"
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(
                seat=seat,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                kind=form.cleaned_data["kind"],
                photo=form.cleaned_data["photo"] or None,
            )
        except (InvalidInput, Conflict) as error:
            show_service_errors(form, error)
            status = error.status_code
        else:
            if post.visibility == Post.Visibility.COHORT:
                messages.success(request, _("Shared with your whole cohort."))
            else:
                messages.success(request, _("Shared with your group."))
            return redirect(url_name)
    if form.errors and status == 200:
        status = 400
    posts = selectors.cohort_feed(seat) if which == "cohort" else selectors.group_feed(seat)
    context = {
        "seat": seat,
        "family": seat.family,
        "which": which,
        "form": form,
        "page": page_of(request, posts),
        "here": reverse(url_name),
    }
    return render(request, "families/family/feed.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def family_feed_group(request):
    return _feedpage_of(request, which="group")


@login_required
@require_http_methods(["GET", "POST"])
def family_feed_cohort(request):
    return _feedpage_of(request, which="cohort")


def _postpage_of(request, post_id):
    seat = family_seat(request.user)
    post = access_post(seat, post_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_create(seat=seat, post=post, body=form.cleaned_data["body"])
        except InvalidInput as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("family_post_detail", post_id=post.pk)
    context = {
        "seat": seat,
        "family": seat.family,
        # The post as the feeds show it, with its counts.
        "post": selectors.cohort_feed(seat).get(pk=post.pk),
        "comments": page_of(request, selectors.post_comments(post)),
        "form": form,
        "my_reaction": selectors.post_reaction_of(post=post, user=request.user),
        "here": reverse("family_post_detail", args=[post.pk]),
    }
    status = 400 if form.errors else 200
    return render(request, "families/family/post_detail.html", context, status=status)


@login_required
@require_GET
def family_post_photo(request, post_id):
    """A post's photo, only for those who may see the post: photos are never public files."""
    seat = family_seat(request.user)
    post = access_post(seat, post_id)
    if not post.photo:
        raise Http404
    extension = post.photo.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension)
    if content_type is None:
        raise Http404
    response = FileResponse(post.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def family_post_detail(request, post_id):
    return _postpage_of(request, post_id)


@login_required
@require_POST
def family_post_comment(request, post_id):
    return _postpage_of(request, post_id)


@login_required
@require_POST
def family_post_react(request, post_id):
    seat = family_seat(request.user)
    post = access_post(seat, post_id)
    form = ReactionForm(request.POST)
    kind = form.cleaned_data["kind"] if form.is_valid() else request.POST.get("kind", "")
    services.post_react(seat=seat, post=post, kind=kind)
    return HttpResponseRedirect(_back(request, reverse("family_post_detail", args=[post.pk])))


# Help between families ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def family_help(request):
    seat = family_seat(request.user)
    currency = seat.partner.currency
    form = HelpForm(
        request.POST or None,
        peers=selectors.peer_choices(seat),
        own_group_id=seat.family.group_id,
        currency=currency,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.help_record(
                seat=seat,
                other_family=data["other_family"],
                direction=data["direction"],
                kind=data["kind"],
                estimated_value=data["estimated_value"],
                happened_on=data["happened_on"],
                note=data["note"],
            )
        except InvalidInput as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded. %(family)s can confirm it on their help page.")
                % {"family": data["other_family"].name},
            )
            return redirect("family_help")
    context = {
        "seat": seat,
        "family": seat.family,
        "currency": currency,
        "totals": selectors.help_totals(seat.family),
        "page": page_of(request, selectors.family_help(seat)),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "families/family/help.html", context, status=status)


@login_required
@require_POST
def family_help_confirm(request, exchange_id):
    seat = family_seat(request.user)
    exchange = access_help_exchange(seat, exchange_id)
    services.help_confirm(seat=seat, exchange=exchange)
    messages.success(request, _("Thank you: the help is confirmed."))
    return redirect("family_help")


# The cohort's directory and consent ------------------------------------------------------------


@login_required
def family_directory(request):
    seat = family_seat(request.user)
    context = {
        "seat": seat,
        "family": seat.family,
        "page": page_of(request, selectors.directory_cards(seat)),
    }
    return render(request, "families/family/directory.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def family_consent(request):
    seat = family_seat(request.user)
    # The form works on a copy, so a refused change never touches the seat's family.
    form = ConsentForm(request.POST or None, instance=Family.objects.get(pk=seat.family.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update_consent(
                seat=seat, **{name: form.cleaned_data[name] for name in services.CONSENT_FIELDS}
            )
        except InvalidInput as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("family_consent")
    status = 400 if form.errors else 200
    context = {"seat": seat, "family": seat.family, "form": form}
    return render(request, "families/family/consent.html", context, status=status)
