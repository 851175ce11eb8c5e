"""Sign-in lockout (django-axes) wired to allauth's e-mail login."""

from django.shortcuts import render


def axes_username(request, credentials) -> str:
    """The account a sign-in attempt is for: allauth posts it as ``login``, authenticate() gets ``email``."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        value = request.POST.get("login", "")
    return (value or "").strip().lower()


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    return render(request, "account/lockout.html", status=429)


def unlock_after_password_reset(sender, request, user, **kwargs) -> None:
    """A password reset by e-mail proves the person owns the account: lift its sign-in lockout."""
    from axes.utils import reset

    reset(username=user.email.lower())
