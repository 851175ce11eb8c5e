from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.navigation import url_in_language

from .api_tokens import api_token_create, api_token_revoke, can_have_api_tokens
from .forms import AccountForm, ApiTokenForm
from .models import ApiToken
from .services import user_set_language, user_update_account


@require_POST
def set_language(request):
    """Switch the interface language from any page; remembered on the account when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response = HttpResponseRedirect(url_in_language(next_url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
def profile(request):
    if request.method == "POST":
        form = AccountForm(request.POST, instance=request.user)
        if form.is_valid():
            user_update_account(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
            messages.success(request, _("Your account has been saved."))
            return redirect(url_in_language(request.path, request.user.preferred_language))
    else:
        form = AccountForm(instance=request.user)
    return render(
        request, "accounts/profile.html", {"form": form, "can_have_api_tokens": can_have_api_tokens(request.user)}
    )


SECRET_SESSION_KEY = "api_token_secret"


@login_required
def api_tokens(request):
    """The user's access tokens for other systems: make one, list, revoke.

    A new token's secret goes through the session to the page the creation redirects to, and is taken out of it
    there: it is shown that once, and a reload neither shows it again nor makes a second token.
    """
    if not can_have_api_tokens(request.user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[SECRET_SESSION_KEY] = secret
            return redirect("accounts:api-tokens")  # in the page's language (the URL carries it)
    secret = request.session.pop(SECRET_SESSION_KEY, None) if request.method == "GET" else None
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "secret": secret, "tokens": tokens, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("accounts:api-tokens")
