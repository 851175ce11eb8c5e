"""The skills bank, staff side: search, export, a profile and its verification, imports, vocabulary, the staff API
and the public taxonomy. Own scope: a listed profile from Senegal and an import of the Dakar office; other scope: a
listed profile from Morocco and an import of the Rabat office. The programme coordinator sees every listed profile;
office roles only those from their offices' countries."""

from __future__ import annotations

from django.core.files.base import ContentFile

from apps.core.roles import Role
from apps.skills.models import ImportBatch
from tests.factories.skills_staff import listed_profile

from . import LOGIN, OTHER, OWN, Entry, expect, writes
from .core import API_ANONYMOUS
from .skills import MINIMAL_PDF


def build(world) -> None:
    profiles = {
        OWN: listed_profile(first_name="Matrixawa", last_name="Ndiaye", origin_country_id="SN"),
        OTHER: listed_profile(first_name="Matrixyoussef", last_name="Alaoui", origin_country_id="MA"),
    }
    # With a CV each (written under the skills module's temporary media root, built before this one).
    for profile in profiles.values():
        profile.cv.save("cv.pdf", ContentFile(MINIMAL_PDF))
    batches = {
        scope: ImportBatch.objects.create(
            organisation=world.orgs[office],
            uploaded_by=world.users[Role.OFFICE_STAFF] if scope == OWN else None,
            file_name="liste.csv",
            headers=["email", "first_name", "last_name"],
            default_language="fr",
        )
        for scope, office in ((OWN, "sn_office"), (OTHER, "ma_office"))
    }
    world.skills_staff = {"profiles": profiles, "batches": batches}


def _profile(w, scope):
    return {"pk": w.skills_staff["profiles"][scope].pk}


def _batch(w, scope):
    return {"pk": w.skills_staff["batches"][scope].pk}


SEARCH = {"q": "Matrixawa"}

# Search and profiles: office staff, office managers (their countries) and the programme coordinator (all).
SEARCH_PAGE = {"anonymous": LOGIN, "default": 403, "OFFICE_STAFF": 200, "OFFICE_MANAGER": 200, "COORDINATOR": 200}
SEARCH_API = {**SEARCH_PAGE, "anonymous": API_ANONYMOUS}
# A profile from another country: hidden (404) from the office roles, seen by the coordinator.
OTHER_PROFILE = {"default": 403, "OFFICE_STAFF": 404, "OFFICE_MANAGER": 404, "COORDINATOR": 200}
# Imports: office staff and managers, their own office's batches only (another office's: 404).
IMPORT_PAGE = {"anonymous": LOGIN, "default": 403, "OFFICE_STAFF": 200, "OFFICE_MANAGER": 200}
OTHER_IMPORT = {"default": 403, "OFFICE_STAFF": 404, "OFFICE_MANAGER": 404}
# Vocabulary curation: office managers, the programme coordinator and administrators.
CURATORS_PAGE = {"anonymous": LOGIN, "default": 403, "OFFICE_MANAGER": 200, "COORDINATOR": 200, "ADMINISTRATOR": 200}

PAGE_ENTRIES = [
    Entry("skills:staff-search", expect(**SEARCH_PAGE), data=SEARCH),
    Entry(
        "skills:staff-search-export",
        expect(anonymous=LOGIN, default=403, OFFICE_MANAGER=200, COORDINATOR=200),
        kwargs=lambda w, scope: {"file_format": "csv"},
        data=SEARCH,
    ),
    Entry("skills:staff-profile", expect(**SEARCH_PAGE), other=expect(**OTHER_PROFILE), kwargs=_profile),
    # A profile's CV: those who may see the profile.
    Entry("skills:staff-profile-cv", expect(**SEARCH_PAGE), other=expect(**OTHER_PROFILE), kwargs=_profile),
    Entry("skills:staff-imports", expect(**IMPORT_PAGE)),
    Entry("skills:staff-import", expect(**IMPORT_PAGE), other=expect(**OTHER_IMPORT), kwargs=_batch),
    Entry("skills:staff-import-progress", expect(**IMPORT_PAGE), other=expect(**OTHER_IMPORT), kwargs=_batch),
    Entry("skills:staff-vocabulary", expect(**CURATORS_PAGE)),
    Entry("skills:staff-vocabulary-new", expect(**CURATORS_PAGE), data={"proposed": "Matrix beekeeping"}),
]

# The forms' POSTs with empty data (a verification without checks, an upload without a file, a merge without a
# skill, a mapping without the required columns): refused where the page is, the form's errors where it opens.
FORM_POSTS = [
    Entry(page.name, writes(page.own), other=writes(page.other), method="post", kwargs=page.kwargs, data={})
    for page in PAGE_ENTRIES
    if page.name
    in {"skills:staff-profile", "skills:staff-imports", "skills:staff-vocabulary", "skills:staff-vocabulary-new"}
]

ENTRIES = [
    *PAGE_ENTRIES,
    *FORM_POSTS,
    Entry(
        "skills:staff-import-check",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=400, OFFICE_MANAGER=400),
        other=expect(**OTHER_IMPORT),
        method="post",
        kwargs=_batch,
        data={},
    ),
    # Applying an unchecked import: refused by the service (a message, back to the import).
    Entry(
        "skills:staff-import-apply",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=302, OFFICE_MANAGER=302),
        other=expect(**OTHER_IMPORT),
        method="post",
        kwargs=_batch,
    ),
    # API
    Entry("api-profiles", expect(**SEARCH_API), data=SEARCH),
    Entry("api-profile", expect(**SEARCH_API), other=expect(**OTHER_PROFILE), kwargs=_profile),
    # The taxonomy is public (type-ahead on public forms): everyone, signed in or not.
    *[
        Entry(f"api-taxonomy-{name}", expect(anonymous=200, default=200))
        for name in ("occupations", "sectors", "skills", "languages", "education-levels", "education-fields")
    ],
]
