"""Migration offices: the public finder, the staff pages, referrals and the API. Own scope: the Dakar office (where
the office staff and manager work) and a referral from it to the Senegalese institution (the focal point's); other
scope: the Rabat office and a referral from it to the Moroccan institution, which no Senegalese party may see."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import Membership
from apps.core.roles import Role
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, ReferralFactory

from . import ALLOWED, LOGIN, OTHER, OWN, Entry, expect, writes
from .core import API_ANONYMOUS


def build(world) -> None:
    offices = {
        OWN: OfficeFactory(organisation=world.orgs["sn_office"], country_id="SN", municipality="Dakar"),
        OTHER: OfficeFactory(organisation=world.orgs["ma_office"], country_id="MA", municipality="Rabat"),
    }
    counsellors = {OWN: world.users[Role.OFFICE_STAFF], OTHER: UserFactory(email="matrix.ma.counsellor@example.org")}
    receivers = {OWN: world.orgs["sn_institution"], OTHER: world.orgs["ma_institution"]}
    records = {}
    for scope, office in offices.items():
        counsellor = counsellors[scope]
        person = PersonFactory(office=office, counsellor=counsellor, name_latin=f"Matrix Client {scope}")
        records[scope] = {
            "office": office,
            "person": person,
            "duplicate": PersonFactory(office=office, name_latin=f"Matrix Duplicate {scope}"),
            "contact": ContactFactory(
                person=person,
                staff=counsellor,
                follow_up_due=timezone.localdate(),
                follow_up_assignee=counsellor,
            ),
            "referral": ReferralFactory(person=person, organisation=receivers[scope], created_by=counsellor),
            # A counsellor of the office whose role a manager may change or end (the staff page).
            "membership": Membership.objects.get(
                user=user_with_role(
                    Role.OFFICE_STAFF, office.organisation, email=f"matrix.{scope}.staff.counsellor@example.org"
                ),
                role=Role.OFFICE_STAFF,
            ),
        }
    # Listed offices are public whatever their country; an unlisted one is not found by anyone.
    records["unlisted"] = OfficeFactory(
        organisation=OrganisationFactory(name="Matrix Unlisted Office", country_id="MA"), is_public=False
    )
    world.offices = records


def _pk(kind):
    return lambda w, scope: {"pk": w.offices[scope][kind].pk}


def _office_of(w, scope):
    """The staff page's ``office``: the Dakar office for the own scope, the Rabat office for the other."""
    return {"office": w.offices[scope]["office"].pk}


def _office_query(w, scope):
    """The page's ``?office=``: none for the own scope (the user's office), the Rabat office for the other."""
    return {} if scope == OWN else {"office": w.offices[OTHER]["office"].pk}


def _no_kwargs(w, scope):
    return {}


STAFF = {"OFFICE_STAFF": 200, "OFFICE_MANAGER": 200}
STAFF_OTHER = {"OFFICE_STAFF": 404, "OFFICE_MANAGER": 404}
# Staff pages: anonymous visitors sign in, roles other than office staff are refused.
STAFF_PAGE = {"anonymous": LOGIN, "default": 403, **STAFF}
STAFF_PAGE_OTHER = {"default": 403, **STAFF_OTHER}
STAFF_API = {"anonymous": API_ANONYMOUS, "default": 403, **STAFF}
STAFF_API_OTHER = {"default": 403, **STAFF_OTHER}
# The office dashboard: its manager only.
MANAGER_PAGE = {"anonymous": LOGIN, "default": 403, "OFFICE_MANAGER": 200}
MANAGER_PAGE_OTHER = {"default": 403, "OFFICE_MANAGER": 404}
# The office's staff: its manager and the administrators (every office).
STAFF_ADMIN_PAGE = {"anonymous": LOGIN, "default": 403, "OFFICE_MANAGER": 200, "ADMINISTRATOR": 200}
STAFF_ADMIN_PAGE_OTHER = {"default": 403, "OFFICE_MANAGER": 404, "ADMINISTRATOR": 200}
STAFF_ADMIN_ACTION = {"anonymous": LOGIN, "default": 403, "OFFICE_MANAGER": 302, "ADMINISTRATOR": 302}
STAFF_ADMIN_ACTION_OTHER = {"default": 403, "OFFICE_MANAGER": 404, "ADMINISTRATOR": 302}
# Referrals: the referring office's staff and the receiving organisation's users (the focal point); the approver
# acts for an organisation, so may open the referral pages, but sees neither referral; roles without an
# organisation are refused.
REFERRAL_HOLDERS = {**STAFF, "FOCAL_POINT": 200, "APPROVER": 404}
REFERRAL_HOLDERS_OTHER = {**STAFF_OTHER, "FOCAL_POINT": 404, "APPROVER": 404}
REFERRAL_LIST = {"default": 403, **STAFF, "FOCAL_POINT": 200, "APPROVER": 200}

MANAGEMENT_LIST = {"anonymous": LOGIN, "default": 403, "OFFICE_MANAGER": 200, "ADMINISTRATOR": 200}
ADMIN_ONLY_PAGE = {"anonymous": LOGIN, "default": 403, "ADMINISTRATOR": 200}


def _picker_query(w, scope):
    return {"q": "Matrix"} if scope == OWN else {"q": "Matrix", "office": w.offices[OTHER]["office"].pk}


def _office_pk(w, scope):
    return {"pk": w.offices[scope]["office"].pk}


PAGE_ENTRIES = [
    Entry("offices:finder", expect(anonymous=200, default=200)),
    Entry(
        "offices:quick-log",
        expect(**STAFF_PAGE),
        other=expect(**STAFF_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),  # fmt: skip
    Entry("offices:contact-import", expect(**STAFF_PAGE)),
    Entry("offices:person-list", expect(**STAFF_PAGE)),
    Entry("offices:person-detail", expect(**STAFF_PAGE), other=expect(**STAFF_PAGE_OTHER), kwargs=_pk("person")),
    Entry("offices:referral-create", expect(**STAFF_PAGE), other=expect(**STAFF_PAGE_OTHER), kwargs=_pk("person")),
    Entry(
        "offices:contact-list",
        expect(**STAFF_PAGE),
        other=expect(**STAFF_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),  # fmt: skip
    Entry("offices:follow-ups", expect(**STAFF_PAGE)),
    Entry("offices:person-edit", expect(**STAFF_PAGE), other=expect(**STAFF_PAGE_OTHER), kwargs=_pk("person")),
    # Rescheduling or reassigning a follow-up: its assignee (the office staff) and the office manager.
    Entry("offices:follow-up-edit", expect(**STAFF_PAGE), other=expect(**STAFF_PAGE_OTHER), kwargs=_pk("contact")),
    # Without ``?office=`` (own scope): the manager's one office; the administrator picks among every office.
    Entry(
        "offices:staff",
        expect(**STAFF_ADMIN_PAGE),
        other=expect(**STAFF_ADMIN_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),  # fmt: skip
    # The quick-log's type-ahead: the user's office (none named), or the Rabat office (not found).
    Entry(
        "offices:person-picker",
        expect(**STAFF_PAGE),
        other=expect(**STAFF_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_picker_query,
    ),  # fmt: skip
    # Offices managed in the portal: administrators every office and new ones, managers their own office.
    Entry("offices:office-manage", expect(**MANAGEMENT_LIST)),
    Entry("offices:office-new", expect(**ADMIN_ONLY_PAGE)),
    Entry(
        "offices:office-edit",
        expect(**STAFF_ADMIN_PAGE),
        other=expect(**STAFF_ADMIN_PAGE_OTHER),
        kwargs=_office_pk,
    ),
    Entry("offices:referral-list", expect(anonymous=LOGIN, **REFERRAL_LIST)),
    Entry(
        "offices:referral-detail",
        expect(anonymous=LOGIN, default=403, **REFERRAL_HOLDERS),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        kwargs=_pk("referral"),
    ),
    Entry(
        "offices:referral-letter",
        expect(anonymous=LOGIN, default=403, **REFERRAL_HOLDERS),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        kwargs=_pk("referral"),
    ),
    Entry(
        "offices:dashboard",
        expect(**MANAGER_PAGE),
        other=expect(**MANAGER_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),  # fmt: skip
    Entry(
        "offices:dashboard-csv",
        expect(**MANAGER_PAGE),
        other=expect(**MANAGER_PAGE_OTHER),
        kwargs=_no_kwargs,
        data=_office_query,
    ),  # fmt: skip
]


def _quick_log_data(w, scope):
    """An empty contact, in the user's office (refused at the fields) or in the Rabat office (not found)."""
    return {} if scope == OWN else {"office": w.offices[OTHER]["office"].pk}


def _merge_data(w, scope):
    return {"duplicate": w.offices[scope]["duplicate"].pk}


POST_ENTRIES = [
    # Printing the letters of the referral list: whoever sees the list (the batch is theirs; a 302 to its page).
    Entry("offices:referral-letters-batch", writes(expect(anonymous=LOGIN, **REFERRAL_LIST)), method="post"),
    # The office forms, sent empty: refused at the fields where the page opens.
    Entry("offices:office-new", writes(expect(**ADMIN_ONLY_PAGE)), method="post", data={}),
    Entry(
        "offices:office-edit",
        writes(expect(**STAFF_ADMIN_PAGE)),
        other=writes(expect(**STAFF_ADMIN_PAGE_OTHER)),
        method="post",
        kwargs=_office_pk,
        data={},
    ),
    # The forms, sent empty: refused at the fields where the page opens.
    Entry(
        "offices:quick-log",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_no_kwargs,
        data=_quick_log_data,
    ),  # fmt: skip
    Entry("offices:contact-import", writes(expect(**STAFF_PAGE)), method="post", data={}),
    Entry(
        "offices:person-edit",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("person"),
        data={},
    ),  # fmt: skip
    Entry(
        "offices:follow-up-edit",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("contact"),
        data={},
    ),  # fmt: skip
    # Adding staff without an e-mail: the form's errors where the page opens.
    Entry(
        "offices:staff",
        writes(expect(**STAFF_ADMIN_PAGE)),
        other=writes(expect(**STAFF_ADMIN_PAGE_OTHER)),
        method="post",
        kwargs=_no_kwargs,
        data=_office_of,
    ),  # fmt: skip
    # Keeping a counsellor's role, ending their membership: back to the staff page.
    Entry(
        "offices:staff-role",
        expect(**STAFF_ADMIN_ACTION),
        other=expect(**STAFF_ADMIN_ACTION_OTHER),
        method="post",
        kwargs=_pk("membership"),
        data={"role": Role.OFFICE_STAFF.value},
    ),  # fmt: skip
    Entry(
        "offices:staff-end",
        expect(**STAFF_ADMIN_ACTION),
        other=expect(**STAFF_ADMIN_ACTION_OTHER),
        method="post",
        kwargs=_pk("membership"),
    ),  # fmt: skip
    Entry(
        "offices:referral-create",
        writes(expect(**STAFF_PAGE)),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("person"),
        data={},
    ),  # fmt: skip
    # Merging two records of one office; the contact's follow-up is the counsellor's (or their manager's).
    Entry(
        "offices:person-merge",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=302, OFFICE_MANAGER=302),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("person"),
        data=_merge_data,
    ),  # fmt: skip
    Entry(
        "offices:follow-up-done",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=302, OFFICE_MANAGER=302),
        other=expect(**STAFF_PAGE_OTHER),
        method="post",
        kwargs=_pk("contact"),
    ),  # fmt: skip
    # The referral's status: the receiving organisation's users; the referring office sees it but may not.
    Entry(
        "offices:referral-detail",
        expect(anonymous=LOGIN, default=403, OFFICE_STAFF=403, OFFICE_MANAGER=403, FOCAL_POINT=302, APPROVER=404),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        method="post",
        kwargs=_pk("referral"),
        data={"status": "accepted"},
    ),
]


def _person_data(w, scope):
    return {"office": w.offices[scope]["office"].pk, "name_latin": "Matrix New Client"}


def _contact_data(w, scope):
    person = w.offices[scope]["person"]
    return {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "Matrix contact"}


def _referral_data(w, scope):
    person = w.offices[scope]["person"]
    receiver = w.orgs["sn_institution" if scope == OWN else "ma_institution"]
    return {"person": person.pk, "organisation": receiver.pk, "reason": "Training", "consent_given": True}


def _unlisted(w, scope):
    office = w.offices[OWN]["office"] if scope == OWN else w.offices["unlisted"]
    return {"pk": office.pk}


API_ENTRIES = [
    Entry("api-office-list", expect(anonymous=200, default=200)),
    Entry("api-office-detail", expect(anonymous=200, default=200), other=expect(default=404), kwargs=_unlisted),
    Entry("api-person-list", expect(**STAFF_API)),
    Entry(
        "api-person-list",
        expect(anonymous=API_ANONYMOUS, default=403, OFFICE_STAFF=ALLOWED, OFFICE_MANAGER=ALLOWED),
        other=expect(**STAFF_API_OTHER),
        method="post",
        kwargs=_no_kwargs,
        data=_person_data,
        json=True,
    ),  # fmt: skip
    Entry("api-person-detail", expect(**STAFF_API), other=expect(**STAFF_API_OTHER), kwargs=_pk("person")),
    Entry(
        "api-person-detail",
        expect(anonymous=API_ANONYMOUS, default=403, OFFICE_STAFF=200, OFFICE_MANAGER=200),
        other=expect(**STAFF_API_OTHER),
        method="patch",
        kwargs=_pk("person"),
        data={"name_latin": "Matrix Client Renamed"},
        json=True,
    ),
    Entry("api-contact-list", expect(**STAFF_API)),
    Entry(
        "api-contact-list",
        expect(anonymous=API_ANONYMOUS, default=403, OFFICE_STAFF=ALLOWED, OFFICE_MANAGER=ALLOWED),
        other=expect(**STAFF_API_OTHER),
        method="post",
        kwargs=_no_kwargs,
        data=_contact_data,
        json=True,
    ),  # fmt: skip
    Entry("api-contact-detail", expect(**STAFF_API), other=expect(**STAFF_API_OTHER), kwargs=_pk("contact")),
    # The follow-up: its assignee (the office staff) and the office manager.
    Entry(
        "api-contact-follow-up-done",
        expect(**STAFF_API),
        other=expect(**STAFF_API_OTHER),
        method="post",
        kwargs=_pk("contact"),
        json=True,
    ),
    Entry(
        "api-contact-follow-up",
        expect(**STAFF_API),
        other=expect(**STAFF_API_OTHER),
        method="patch",
        kwargs=_pk("contact"),
        data=lambda w, scope: {"follow_up_due": (timezone.localdate() + timedelta(days=7)).isoformat()},
        json=True,
    ),
    Entry("api-referral-list", expect(anonymous=API_ANONYMOUS, **REFERRAL_LIST)),
    # Creating a referral: the person's office staff; a focal point or approver does not see the person.
    Entry(
        "api-referral-list",
        expect(
            anonymous=API_ANONYMOUS,
            default=403,
            OFFICE_STAFF=ALLOWED,
            OFFICE_MANAGER=ALLOWED,
            FOCAL_POINT=404,
            APPROVER=404,
        ),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        method="post",
        kwargs=_no_kwargs,
        data=_referral_data,
        json=True,
    ),  # fmt: skip
    Entry(
        "api-referral-detail",
        expect(anonymous=API_ANONYMOUS, default=403, **REFERRAL_HOLDERS),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        kwargs=_pk("referral"),
    ),
    Entry(
        "api-referral-set-status",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=ALLOWED, APPROVER=404),
        other=expect(default=403, **REFERRAL_HOLDERS_OTHER),
        method="post",
        kwargs=_pk("referral"),
        data={"status": "accepted"},
        json=True,
    ),
]

ENTRIES = [*PAGE_ENTRIES, *POST_ENTRIES, *API_ENTRIES]
