"""Receivers for sign-in and password events."""

from accounts import services, sessions


def on_user_logged_in(sender, request, user, **kwargs):
    if getattr(request, "session", None) is not None:
        sessions.session_start(request.session)
        sessions.session_record(request, user)


def on_password_changed(sender, request, user, **kwargs):
    # The person changing it keeps their session; every other sign-in ends.
    services.user_sessions_end(
        user=user,
        actor=user,
        reason="password_changed",
        keep_session_key=request.session.session_key,
    )


def on_password_reset(sender, request, user, **kwargs):
    # Whoever forgot the password, or learnt it, loses every session and token.
    services.user_sessions_end(user=user, actor=user, reason="password_reset")
