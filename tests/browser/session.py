"""Signing a browser in as a user without the login form: a session made by Django's test client, handed to the
browser as its cookie. Tests of the sign-in page itself use the form."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def without_isolates(text: str) -> str:
    """The text as read: names inside an explanation are isolated (FSI … PDI) so they keep their place."""
    return text.replace("\u2068", "").replace("\u2069", "")
