"""The skills bank, member side: my profile, the wizard, my data, the CV and the member API."""

from __future__ import annotations

import tempfile

from django.core.files.base import ContentFile
from django.test import override_settings

from apps.core.roles import Role
from apps.skills.services.profiles import confirmation_token_make
from tests.factories.skills import ProfileFactory

from . import ALLOWED, LOGIN, OWN, Entry, expect, writes
from .core import API_ANONYMOUS

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Member pages: an anonymous visitor signs in, every other role is refused.
MEMBER_ONLY = {"anonymous": LOGIN, "default": 403}


def build(world) -> None:
    # CVs are written under a temporary media root for the whole run (removed with the process's temp dir).
    media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="access-matrix-media-"))
    media.enable()
    world.media_override = media
    profiles = {}
    for scope, user in ((OWN, world.users[Role.MEMBER]), ("other", world.other_member)):
        profile = ProfileFactory(user=user)
        profile.cv.save("cv.pdf", ContentFile(MINIMAL_PDF))
        profiles[scope] = profile
    world.skills = {"profiles": profiles, "token": confirmation_token_make(profile=profiles[OWN])}


ENTRIES = [
    Entry("skills:profile", expect(**MEMBER_ONLY, MEMBER=200)),
    Entry("skills:profile-confirm", expect(**MEMBER_ONLY, MEMBER=302), method="post"),
    Entry("skills:wizard", expect(**MEMBER_ONLY, MEMBER=302)),
    Entry("skills:wizard-step", expect(**MEMBER_ONLY, MEMBER=200), kwargs=lambda w, scope: {"step": "identity"}),
    Entry(
        "skills:wizard-step",
        writes(expect(**MEMBER_ONLY, MEMBER=200)),
        method="post",
        kwargs=lambda w, scope: {"step": "identity"},
        data={},
    ),
    Entry("skills:my-data", expect(**MEMBER_ONLY, MEMBER=200)),
    Entry("skills:my-data-export", expect(**MEMBER_ONLY, MEMBER=200)),
    Entry(
        "skills:consent-change",
        expect(**MEMBER_ONLY, MEMBER=302),
        method="post",
        kwargs=lambda w, scope: {"purpose": "listed", "change": "give"},
    ),
    Entry("skills:erase", expect(**MEMBER_ONLY, MEMBER=200)),
    # An empty confirmation: the form is refused, nothing is erased.
    Entry("skills:erase", writes(expect(**MEMBER_ONLY, MEMBER=200)), method="post", data={}),
    Entry(
        "skills:cv-download",
        expect(**MEMBER_ONLY, MEMBER=200),
        other=expect(default=403, MEMBER=404),
        kwargs=lambda w, scope: {"profile_id": w.skills["profiles"][scope].pk},
    ),
    # The one-click confirmation link from the reminder e-mail: signed, needs no sign-in.
    Entry("skills:confirm", expect(anonymous=200, default=200), kwargs=lambda w, scope: {"token": w.skills["token"]}),
    Entry("api-me-profile", expect(anonymous=API_ANONYMOUS, default=403, MEMBER=200)),
    Entry(
        "api-me-profile",
        expect(anonymous=API_ANONYMOUS, default=403, MEMBER=ALLOWED),
        method="patch",
        data={},
        json=True,
    ),
]
