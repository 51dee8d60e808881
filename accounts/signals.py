"""Receivers for sign-in events."""

from accounts import sessions


def on_user_logged_in(sender, request, user, **kwargs):
    if getattr(request, "session", None) is not None:
        sessions.session_start(request.session)
