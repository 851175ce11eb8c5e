"""The return information desk: public content, members' events, staff directory and vacancies, return plans, the
content editors' pages and the API. Own scope: published content, the member's own event registrations and the
return plans of the Dakar office's desk; other scope: drafts (only content editors see them), another member's
registrations and the plans of the Rabat office's desk."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.core.roles import Role
from apps.returns.models import Event, FundingOpportunity, InfoSheet
from tests.factories.returns import (
    EventFactory,
    EventRegistrationFactory,
    FundingOpportunityFactory,
    InfoSheetFactory,
    ReturnPlanFactory,
    VacancyFactory,
)

from . import ALLOWED, LOGIN, OTHER, OWN, Entry, expect, writes
from .core import API_ANONYMOUS


def build(world) -> None:
    member = world.users[Role.MEMBER]
    past = timezone.now() - timedelta(days=3)
    upcoming = EventFactory(title_en="Matrix job fair")
    EventRegistrationFactory(event=upcoming, user=member)
    attended = EventFactory(title_en="Matrix past forum", starts_at=past)
    EventRegistrationFactory(event=attended, user=member, attended=True)
    theirs = EventFactory(title_en="Matrix other forum", starts_at=past)
    EventRegistrationFactory(event=theirs, user=world.other_member, attended=True)
    world.returns = {
        "sheet": {OWN: InfoSheetFactory(), OTHER: InfoSheetFactory(status=InfoSheet.Status.DRAFT)},
        "funding": {
            OWN: FundingOpportunityFactory(),
            OTHER: FundingOpportunityFactory(status=FundingOpportunity.Status.DRAFT),
        },
        # Registering, cancelling, an event's page: a published event the member registered for, or a draft.
        "event": {OWN: upcoming, OTHER: EventFactory(title_en="Matrix draft event", status=Event.Status.DRAFT)},
        # Evaluating: an event the member attended, or one another member attended.
        "attended": {OWN: attended, OTHER: theirs},
        # Each desk's plan is for a client of its office (the offices module's persons, built before this one).
        "plan": {
            OWN: ReturnPlanFactory(desk=world.orgs["sn_office"], person=world.offices[OWN]["person"]),
            OTHER: ReturnPlanFactory(desk=world.orgs["ma_office"], person=world.offices[OTHER]["person"]),
        },
        "vacancy": {OWN: VacancyFactory(title="Matrix accountant")},
    }


def _pk(kind):
    return lambda w, scope: {"pk": w.returns[kind][scope].pk}


def _no_kwargs(w, scope):
    return {}


def _office_record(kind):
    """A client record or contact of the Dakar office (own) or of the Rabat office (other)."""
    return lambda w, scope: {"pk": w.offices[scope][kind].pk}


def _listed_profile(w, scope):
    """A listed profile from Senegal (own) or Morocco (other), built by the skills_staff module."""
    return {"pk": w.skills_staff["profiles"][scope].pk}


PUBLIC = {"anonymous": 200, "default": 200}
# Drafts: found by content editors only.
DRAFT = {"default": 404, "CONTENT_EDITOR": 200}
EDITOR_PAGE = {"anonymous": LOGIN, "default": 403, "CONTENT_EDITOR": 200}
OFFICE = {"OFFICE_STAFF": 200, "OFFICE_MANAGER": 200}
OFFICE_PAGE = {"anonymous": LOGIN, "default": 403, **OFFICE}
DIRECTORY_PAGE = {**OFFICE_PAGE, "CONTENT_EDITOR": 200}
PLAN_OTHER = {"default": 403, "OFFICE_STAFF": 404, "OFFICE_MANAGER": 404}

PAGE_ENTRIES = [
    Entry("returns:info-sheet-list", expect(**PUBLIC)),
    Entry("returns:info-sheet-detail", expect(**PUBLIC), other=expect(**DRAFT), kwargs=_pk("sheet")),
    Entry("returns:funding-list", expect(**PUBLIC)),
    Entry("returns:funding-detail", expect(**PUBLIC), other=expect(**DRAFT), kwargs=_pk("funding")),
    Entry("returns:event-list", expect(**PUBLIC)),
    Entry("returns:event-detail", expect(**PUBLIC), other=expect(**DRAFT), kwargs=_pk("event")),
    # The signed-in user's own registrations (nobody but a member can have any).
    Entry("returns:my-events", expect(anonymous=LOGIN, default=200)),
    # The evaluation form: the member who attended; anyone else has no registration for the event.
    Entry(
        "returns:event-evaluate",
        expect(anonymous=LOGIN, default=404, MEMBER=200),
        other=expect(default=404),
        kwargs=_pk("attended"),
    ),
    Entry("returns:partner-directory", expect(**DIRECTORY_PAGE)),
    Entry("returns:vacancy-list", expect(**DIRECTORY_PAGE)),
    Entry("returns:vacancy-import", expect(**OFFICE_PAGE)),
    Entry("returns:vacancy-create", expect(**OFFICE_PAGE)),
    Entry("returns:vacancy-edit", expect(**OFFICE_PAGE), kwargs=_pk("vacancy")),
    Entry("returns:vacancy-matches", expect(**OFFICE_PAGE), kwargs=_pk("vacancy")),
    # A desk's client: the staff of the client's office; another office's client is not found.
    Entry("returns:person-detail", expect(**OFFICE_PAGE), other=expect(**PLAN_OTHER), kwargs=_office_record("person")),
    Entry(
        "returns:contact-sheets",
        expect(**OFFICE_PAGE),
        other=expect(**PLAN_OTHER),
        kwargs=_office_record("contact"),
    ),
    # Vacancies for a profile the office roles may see (their countries' profiles).
    Entry("returns:profile-vacancies", expect(**OFFICE_PAGE), other=expect(**PLAN_OTHER), kwargs=_listed_profile),
    Entry("returns:plan-pipeline", expect(**OFFICE_PAGE)),
    Entry("returns:plan-create", expect(**OFFICE_PAGE)),
    Entry("returns:plan-detail", expect(**OFFICE_PAGE), other=expect(**PLAN_OTHER), kwargs=_pk("plan")),
    Entry("returns:plan-edit", expect(**OFFICE_PAGE), other=expect(**PLAN_OTHER), kwargs=_pk("plan")),
    Entry("returns:editor-sheet-list", expect(**EDITOR_PAGE)),
    Entry("returns:editor-sheet-create", expect(**EDITOR_PAGE)),
    Entry("returns:editor-sheet-edit", expect(**EDITOR_PAGE), kwargs=_pk("sheet")),
    Entry("returns:editor-funding-list", expect(**EDITOR_PAGE)),
    Entry("returns:editor-funding-create", expect(**EDITOR_PAGE)),
    Entry("returns:editor-funding-edit", expect(**EDITOR_PAGE), kwargs=_pk("funding")),
    Entry("returns:editor-event-list", expect(**EDITOR_PAGE)),
    Entry("returns:editor-event-create", expect(**EDITOR_PAGE)),
    Entry("returns:editor-event-edit", expect(**EDITOR_PAGE), kwargs=_pk("event")),
    Entry("returns:editor-event-registrations", expect(**EDITOR_PAGE), kwargs=_pk("event")),
]

# The forms' POSTs, sent empty: refused at the fields where the page opens, refused outright elsewhere.
FORM_POSTS = [
    Entry(page.name, writes(page.own), other=writes(page.other), method="post", kwargs=page.kwargs, data={})
    for page in PAGE_ENTRIES
    if page.name
    in {
        "returns:event-evaluate",
        "returns:vacancy-import",
        "returns:vacancy-create",
        "returns:vacancy-edit",
        "returns:contact-sheets",
        "returns:plan-create",
        "returns:plan-edit",
        "returns:editor-sheet-create",
        "returns:editor-sheet-edit",
        "returns:editor-funding-create",
        "returns:editor-funding-edit",
        "returns:editor-event-create",
        "returns:editor-event-edit",
    }
]

ACTION_POSTS = [
    # Registering: members; a draft event is not found (its editor sees it, but may not register).
    Entry(
        "returns:event-register",
        expect(anonymous=LOGIN, default=403, MEMBER=302),
        other=expect(default=404, CONTENT_EDITOR=403),
        method="post",
        kwargs=_pk("event"),
    ),
    # Cancelling: one's own registration; nobody else has one to cancel.
    Entry(
        "returns:event-cancel",
        expect(anonymous=LOGIN, default=404, MEMBER=302),
        other=expect(default=404),
        method="post",
        kwargs=_pk("attended"),
    ),
    Entry(
        "returns:plan-action",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=302, OFFICE_MANAGER=302),
        other=expect(**PLAN_OTHER),
        method="post",
        kwargs=lambda w, scope: {"pk": w.returns["plan"][scope].pk, "action": "stage"},
        data={"stage": "preparing"},
    ),
    Entry(
        "returns:editor-sheet-reviewed",
        expect(anonymous=LOGIN, default=403, CONTENT_EDITOR=302),
        method="post",
        kwargs=_pk("sheet"),
    ),  # fmt: skip
    Entry(
        "returns:editor-funding-publish",
        expect(anonymous=LOGIN, default=403, CONTENT_EDITOR=302),
        method="post",
        kwargs=_pk("funding"),
    ),  # fmt: skip
    Entry(
        "returns:editor-event-publish",
        expect(anonymous=LOGIN, default=403, CONTENT_EDITOR=302),
        method="post",
        kwargs=_pk("event"),
    ),  # fmt: skip
    Entry(
        "returns:editor-event-registrations",
        expect(anonymous=LOGIN, default=403, CONTENT_EDITOR=302),
        method="post",
        kwargs=_pk("event"),
        data={},
    ),  # fmt: skip
]

# API ---------------------------------------------------------------------------------------------------------

EDITOR_WRITE = {"anonymous": API_ANONYMOUS, "default": 403, "CONTENT_EDITOR": ALLOWED}
EDITOR_WRITE_OTHER = {"default": 403, "CONTENT_EDITOR": ALLOWED}
OFFICE_WRITE = {"anonymous": API_ANONYMOUS, "default": 403, "OFFICE_STAFF": ALLOWED, "OFFICE_MANAGER": ALLOWED}
OFFICE_API = {"anonymous": API_ANONYMOUS, "default": 403, **OFFICE}
DIRECTORY_API = {**OFFICE_API, "CONTENT_EDITOR": 200}
PLAN_WRITE_OTHER = {"default": 403, "OFFICE_STAFF": 404, "OFFICE_MANAGER": 404}


def _content_api(basename: str, kind: str) -> list[Entry]:
    """Published content is public to read, drafts are found by content editors; content editors write."""
    return [
        Entry(f"{basename}-list", expect(**PUBLIC)),
        Entry(f"{basename}-list", expect(**EDITOR_WRITE), method="post", data={}, json=True),
        Entry(f"{basename}-detail", expect(**PUBLIC), other=expect(**DRAFT), kwargs=_pk(kind)),
        *(
            Entry(
                f"{basename}-detail",
                expect(**EDITOR_WRITE),
                other=expect(**EDITOR_WRITE_OTHER),
                method=method,
                kwargs=_pk(kind),
                data={},
                json=True,
            )  # fmt: skip
            for method in ("put", "patch")
        ),
    ]


def _plan_create_data(w, scope):
    desk = w.orgs["sn_office" if scope == OWN else "ma_office"]
    return {"desk": desk.pk, "kind": "study", "destination_country": "SN"}


API_ENTRIES = [
    *_content_api("api-info-sheet", "sheet"),
    *_content_api("api-funding-opportunity", "funding"),
    *_content_api("api-event", "event"),
    Entry(
        "api-funding-opportunity-publish",
        expect(**EDITOR_WRITE),
        other=expect(**EDITOR_WRITE_OTHER),
        method="post",
        kwargs=_pk("funding"),
        json=True,
    ),  # fmt: skip
    Entry(
        "api-event-publish",
        expect(**EDITOR_WRITE),
        other=expect(**EDITOR_WRITE_OTHER),
        method="post",
        kwargs=_pk("event"),
        json=True,
    ),  # fmt: skip
    # Registering: members (already registered here: a 400); a draft is not found but by its editors.
    Entry(
        "api-event-registration",
        expect(anonymous=API_ANONYMOUS, default=403, MEMBER=ALLOWED),
        other=expect(default=404, CONTENT_EDITOR=403),
        method="post",
        kwargs=_pk("event"),
        json=True,
    ),
    # Cancelling one's own registration: nothing to cancel is a 204 too.
    Entry(
        "api-event-registration",
        expect(anonymous=API_ANONYMOUS, default=204),
        other=expect(default=404, CONTENT_EDITOR=204),
        method="delete",
        kwargs=_pk("event"),
    ),
    # Vacancies: office staff and content editors read, office staff write.
    Entry("api-vacancy-list", expect(**DIRECTORY_API)),
    Entry("api-vacancy-list", expect(**OFFICE_WRITE), method="post", data={}, json=True),
    Entry("api-vacancy-detail", expect(**DIRECTORY_API), kwargs=_pk("vacancy")),
    # Labour matching: office staff and managers (content editors read vacancies, but do not match).
    Entry("api-vacancy-matches", expect(**OFFICE_API), kwargs=_pk("vacancy")),
    *(
        Entry("api-vacancy-detail", expect(**OFFICE_WRITE), method=method, kwargs=_pk("vacancy"), data={}, json=True)
        for method in ("put", "patch")
    ),
    # Return plans: the desk's office staff; another desk's plans are not found, and not created (403).
    Entry("api-return-plan-list", expect(**OFFICE_API)),
    Entry(
        "api-return-plan-list",
        expect(**OFFICE_WRITE),
        other=expect(default=403),
        method="post",
        kwargs=_no_kwargs,
        data=_plan_create_data,
        json=True,
    ),  # fmt: skip
    Entry("api-return-plan-detail", expect(**OFFICE_API), other=expect(**PLAN_WRITE_OTHER), kwargs=_pk("plan")),
    *(
        Entry(
            "api-return-plan-detail",
            expect(**OFFICE_WRITE),
            other=expect(**PLAN_WRITE_OTHER),
            method=method,
            kwargs=_pk("plan"),
            data={},
            json=True,
        )  # fmt: skip
        for method in ("put", "patch")
    ),
    # A plan's client's sessions and the vacancies that fit it: the desk's staff.
    Entry("api-return-plan-contacts", expect(**OFFICE_API), other=expect(**PLAN_WRITE_OTHER), kwargs=_pk("plan")),
    Entry("api-return-plan-vacancies", expect(**OFFICE_API), other=expect(**PLAN_WRITE_OTHER), kwargs=_pk("plan")),
    Entry(
        "api-return-plan-stage",
        expect(**OFFICE_WRITE),
        other=expect(**PLAN_WRITE_OTHER),
        method="post",
        kwargs=_pk("plan"),
        data={"stage": "preparing"},
        json=True,
    ),  # fmt: skip
]

ENTRIES = [*PAGE_ENTRIES, *FORM_POSTS, *ACTION_POSTS, *API_ENTRIES]
