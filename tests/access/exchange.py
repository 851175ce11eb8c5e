"""Exchange requests: pages and API. Own scope: requests of the Senegalese institution (Senegal → Morocco);
other scope: requests of a Moroccan institution (Morocco → Tunisia), which no Senegalese party may see."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.core.roles import Role
from apps.exchange.models import State
from tests.factories import UserFactory
from tests.factories.exchange import (
    ExchangeRequestFactory,
    ExpertAssignmentFactory,
    ExpertSelectionFactory,
    ParticipantFactory,
)

from . import ALLOWED, LOGIN, OTHER, OWN, Entry, expect, writes
from .core import API_ANONYMOUS


def build(world) -> None:
    parties = {
        OWN: (world.orgs["sn_institution"], world.users[Role.FOCAL_POINT], "MA"),
        OTHER: (world.orgs["ma_institution"], UserFactory(email="matrix.ma.focal@example.org"), "TN"),
    }
    requests = {}
    for scope, (institution, drafter, host) in parties.items():
        common = {"requesting_institution": institution, "created_by": drafter, "host_country_id": host}
        past = timezone.localdate() - timedelta(days=30)
        completed = ExchangeRequestFactory(
            state=State.COMPLETED, start_date=past, end_date=past + timedelta(days=3), **common
        )
        returned = ExchangeRequestFactory(state=State.RETURNED, **common)
        experts = ExpertAssignmentFactory(state=State.SUBMITTED, **common)
        # A call sent to a member (the own-scope member, or another member for the other scope), not yet answered.
        called = world.users[Role.MEMBER] if scope == OWN else world.other_member
        requests[scope] = {
            "submitted": ExchangeRequestFactory(state=State.SUBMITTED, **common),
            "returned": returned,
            "participant": ParticipantFactory(request=returned),
            "experts": experts,
            "selection": ExpertSelectionFactory(
                request=experts, expert=called, status="invited", provider_country_id="TN"
            ),
            "completed": completed,
        }
        if scope == OWN:
            # The member took part in the own-scope exchange: they may evaluate it.
            ParticipantFactory(request=completed, email=world.users[Role.MEMBER].email)
    world.exchange = requests


def _pk(kind):
    return lambda w, scope: {"pk": w.exchange[scope][kind].pk}


def _participant(w, scope):
    return {"pk": w.exchange[scope]["returned"].pk, "participant_pk": w.exchange[scope]["participant"].pk}


def _selection(w, scope):
    return {"pk": w.exchange[scope]["experts"].pk, "selection_pk": w.exchange[scope]["selection"].pk}


def _call(w, scope):
    return {"selection_pk": w.exchange[scope]["selection"].pk}


def _create_data(w, scope):
    """A complete draft, for the own (Senegalese) or the other (Moroccan) institution."""
    start = timezone.localdate() + timedelta(days=60)
    institution = w.orgs["sn_institution" if scope == OWN else "ma_institution"]
    return {
        "kind": "study_visit",
        "requesting_institution": institution.pk,
        "host_country": "TN",
        "title": "Matrix study visit",
        "theme": "skills_networks",
        "objectives": "Learn.",
        "expected_results": "A plan.",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=4)).isoformat(),
        "working_language": "fr",
    }


ENDORSE = {"action": "endorse", "comment": ""}
PARTICIPANT = {
    "name": "Matrix Participant",
    "institution": "Matrix Institute",
    "position": "Analyst",
    "country": "SN",
    "email": "matrix.new.participant@example.org",
}
REPORT = {"activities": "Visits.", "results": "A plan.", "follow_up_actions": "", "knowledge_sharing": "A seminar."}
EVALUATION = {"usefulness": 4, "organisation": 5, "would_recommend": True, "comments": ""}

# The exchange pages are for focal points, approvers and coordinators; anonymous visitors sign in.
EXCHANGE_PAGE = {"anonymous": LOGIN, "default": 403, "FOCAL_POINT": 200, "APPROVER": 200, "COORDINATOR": 200}
EXCHANGE_API = {"anonymous": API_ANONYMOUS, "default": 403, "FOCAL_POINT": 200, "APPROVER": 200, "COORDINATOR": 200}

# Pages of one request: a role that may not see it gets 404 (members may see the requests they take part in).
SEEN_BY_PARTIES = {"anonymous": LOGIN, "default": 404, "FOCAL_POINT": 200, "APPROVER": 200, "COORDINATOR": 200}
SEEN_BY_COORDINATOR = {"default": 404, "COORDINATOR": 200}
# Editing a returned request: only its institution's focal point; the others who see it are refused.
EDIT_OWN = {"anonymous": LOGIN, "default": 404, "FOCAL_POINT": 200, "APPROVER": 403, "COORDINATOR": 403}
EDIT_OTHER = {"default": 404, "COORDINATOR": 403}

PAGE_ENTRIES = [
    Entry("exchange:request-list", expect(**EXCHANGE_PAGE)),
    Entry("exchange:request-waiting", expect(**EXCHANGE_PAGE)),
    Entry("exchange:calendar", expect(**EXCHANGE_PAGE)),
    Entry("exchange:request-create", expect(anonymous=LOGIN, default=403, FOCAL_POINT=200)),
    Entry(
        "exchange:request-detail",
        expect(**SEEN_BY_PARTIES),
        other=expect(**SEEN_BY_COORDINATOR),
        kwargs=_pk("submitted"),
    ),
    Entry(
        "exchange:request-pdf", expect(**SEEN_BY_PARTIES), other=expect(**SEEN_BY_COORDINATOR), kwargs=_pk("submitted")
    ),
    # The request has no terms-of-reference file: 404 for everyone, after the visibility check.
    Entry(
        "exchange:request-file",
        expect(anonymous=LOGIN, default=404),
        other=expect(default=404),
        kwargs=lambda w, scope: {"pk": w.exchange[scope]["submitted"].pk, "which": "terms-of-reference"},
    ),
    Entry("exchange:request-edit", expect(**EDIT_OWN), other=expect(**EDIT_OTHER), kwargs=_pk("returned")),
    Entry("exchange:participant-add", expect(**EDIT_OWN), other=expect(**EDIT_OTHER), kwargs=_pk("returned")),
    Entry("exchange:participant-edit", expect(**EDIT_OWN), other=expect(**EDIT_OTHER), kwargs=_participant),
    Entry(
        "exchange:request-experts",
        expect(anonymous=LOGIN, default=403, COORDINATOR=200),
        other=expect(default=403, COORDINATOR=200),
        kwargs=_pk("experts"),
    ),
    # The report: the requesting institution's focal point, once the exchange is completed.
    Entry(
        "exchange:request-report",
        expect(anonymous=LOGIN, default=404, FOCAL_POINT=200, APPROVER=403, COORDINATOR=403, MEMBER=403),
        other=expect(default=404, COORDINATOR=403),
        kwargs=_pk("completed"),
    ),
    # The evaluation: the participants (here the member) and the selected experts.
    Entry(
        "exchange:request-evaluate",
        expect(anonymous=LOGIN, default=404, MEMBER=200, FOCAL_POINT=403, APPROVER=403, COORDINATOR=403),
        other=expect(default=404, COORDINATOR=403),
        kwargs=_pk("completed"),
    ),
]

# The forms' POSTs, with empty data (or removing a participant): refused where the page is, allowed where it opens.
FORM_POSTS = [
    Entry(
        page.name,
        writes(page.own),
        other=writes(page.other),
        method="post",
        kwargs=page.kwargs,
        data={"remove": "1"} if page.name == "exchange:participant-edit" else {},
    )
    for page in PAGE_ENTRIES
    if page.name
    in {
        "exchange:request-create",
        "exchange:request-edit",
        "exchange:participant-add",
        "exchange:participant-edit",
        "exchange:request-experts",
        "exchange:request-report",
        "exchange:request-evaluate",
    }
]

# A member's calls for experts and the open calls that fit them: members only.
CALL_PAGES = [
    Entry("exchange:my-calls", expect(anonymous=LOGIN, default=403, MEMBER=200)),
    Entry("exchange:open-calls", expect(anonymous=LOGIN, default=403, MEMBER=200)),
    # Answering: the member called (back to their calls); another member's call is not found.
    Entry(
        "exchange:call-answer",
        expect(anonymous=LOGIN, default=403, MEMBER=302),
        other=expect(default=403, MEMBER=404),
        method="post",
        kwargs=_call,
        data={"answer": "interested"},
    ),
    # Offering oneself: the own assignment already lists the member (a message, back to the open calls); the
    # other is no open call that fits them.
    Entry(
        "exchange:open-call-interest",
        expect(anonymous=LOGIN, default=403, MEMBER=302),
        other=expect(default=403, MEMBER=404),
        method="post",
        kwargs=_pk("experts"),
    ),
]

# The parties who see a request through the API: its focal point and approver (own scope), every coordinator.
SEES_OTHER = {"default": 403, "FOCAL_POINT": 404, "APPROVER": 404}
# Experts are the coordinator's: the requester and the approver who see the request are refused.
COORDINATOR_WRITE = {"anonymous": API_ANONYMOUS, "default": 403, "COORDINATOR": 400}
COORDINATOR_WRITE_OTHER = {**SEES_OTHER, "COORDINATOR": 400}
# Participants and the report are the requesting focal point's.
REQUESTER_WRITE = {"anonymous": API_ANONYMOUS, "default": 403, "FOCAL_POINT": ALLOWED}
REQUESTER_WRITE_OTHER = {**SEES_OTHER, "COORDINATOR": 403}

EXPERT_API = [
    Entry(
        "exchange-request-candidates",
        expect(anonymous=API_ANONYMOUS, default=403, COORDINATOR=200),
        other=expect(default=403, COORDINATOR=200),
        kwargs=_pk("experts"),
    ),
    Entry(
        "exchange-request-expert-selections",
        expect(**EXCHANGE_API),
        other=expect(**SEES_OTHER, COORDINATOR=200),
        kwargs=_pk("experts"),
    ),
    # Shortlisting an address without an account: refused at the field for the coordinator.
    Entry(
        "exchange-request-expert-selections",
        expect(**COORDINATOR_WRITE),
        other=expect(**COORDINATOR_WRITE_OTHER),
        method="post",
        kwargs=_pk("experts"),
        data={"email": "nobody@example.org", "provider_country": "TN"},
        json=True,
    ),
    # Nobody is shortlisted (the one expert was already called): nothing to call, a 400.
    Entry(
        "exchange-request-calls",
        expect(**COORDINATOR_WRITE),
        other=expect(**COORDINATOR_WRITE_OTHER),
        method="post",
        kwargs=_pk("experts"),
        json=True,
    ),
    # Selecting a member who has not answered "interested": a 400.
    Entry(
        "exchange-request-expert-selection-select",
        expect(**COORDINATOR_WRITE),
        other=expect(**COORDINATOR_WRITE_OTHER),
        method="post",
        kwargs=_selection,
        json=True,
    ),
    # Taking a member who was already called off the list: a state conflict.
    Entry(
        "exchange-request-expert-selection-remove",
        expect(anonymous=API_ANONYMOUS, default=403, COORDINATOR=409),
        other=expect(**SEES_OTHER, COORDINATOR=409),
        method="delete",
        kwargs=_selection,
    ),
    # Answering a call: the member called; for everyone else (who may see the request or not) it is not found.
    Entry(
        "exchange-request-expert-selection-answer",
        expect(anonymous=API_ANONYMOUS, default=404, MEMBER=200),
        other=expect(default=404),
        method="post",
        kwargs=_selection,
        data={"interested": True},
        json=True,
    ),
]

AFTER_API = [
    Entry(
        "exchange-request-participants",
        expect(**REQUESTER_WRITE),
        other=expect(**REQUESTER_WRITE_OTHER),
        method="post",
        kwargs=_pk("returned"),
        data=PARTICIPANT,
        json=True,
    ),
    *(
        Entry(
            "exchange-request-participant",
            expect(**REQUESTER_WRITE),
            other=expect(**REQUESTER_WRITE_OTHER),
            method=method,
            kwargs=_participant,
            data={"position": "Director"} if method == "patch" else None,
            json=True,
        )
        for method in ("patch", "delete")
    ),
    # No report yet: not found by those who see the request.
    Entry(
        "exchange-request-report",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=404),
        other=expect(**SEES_OTHER, COORDINATOR=404),
        kwargs=_pk("completed"),
    ),
    Entry(
        "exchange-request-report",
        expect(**REQUESTER_WRITE),
        other=expect(**REQUESTER_WRITE_OTHER),
        method="post",
        kwargs=_pk("completed"),
        data=REPORT,
        json=True,
    ),
    # Evaluations: whoever sees the request (the member took part); others do not find it.
    Entry(
        "exchange-request-evaluations",
        expect(anonymous=API_ANONYMOUS, default=404, MEMBER=200, FOCAL_POINT=200, APPROVER=200, COORDINATOR=200),
        other=expect(default=404, COORDINATOR=200),
        kwargs=_pk("completed"),
    ),
    # Sending one: the participants; the parties who see the request are refused.
    Entry(
        "exchange-request-evaluations",
        expect(anonymous=API_ANONYMOUS, default=404, MEMBER=ALLOWED, FOCAL_POINT=403, APPROVER=403, COORDINATOR=403),
        other=expect(default=404, COORDINATOR=403),
        method="post",
        kwargs=_pk("completed"),
        data=EVALUATION,
        json=True,
    ),
]


def _certificate(w, scope):
    """A certificate of the completed request, held by someone outside the matrix."""
    from apps.exchange.models import Certificate

    completed = w.exchange[scope]["completed"]
    certificate, _ = Certificate.objects.get_or_create(
        request=completed,
        holder_email=f"holder.{scope}@example.org",
        defaults={
            "holder_kind": "participant",
            "holder_name": "Awa Holder",
            "language": "fr",
            "code": f"CODE{scope}"[:16],
        },
    )
    return {"code": certificate.code}


def _evaluation_link(w, scope):
    """A participant's personal link to evaluate the completed request (own scope: as the portal made it; other
    scope: the same link altered, which the portal did not make). The link is the credential: any role, or none."""
    from apps.accounts.models import User
    from apps.exchange.models import Participant
    from apps.exchange.services.people import evaluation_link_token

    completed = w.exchange[OWN]["completed"]
    participant, _ = Participant.objects.get_or_create(
        request=completed,
        email="linked.participant@example.org",
        defaults={
            "name": "Linked Participant",
            "institution": "Ministry",
            "country_id": completed.requesting_country_id,
        },
    )
    if not User.objects.filter(email=participant.email).exists():
        User.objects.create_user(email=participant.email, password=None)
    token = evaluation_link_token(participant)
    return {"token": token if scope == OWN else token[:-2] + ("ab" if token[-2:] != "ab" else "cd")}


AFTER_PAGES = [
    # A participant's personal link to evaluate: whoever holds it (no sign-in); an altered link is not found. The
    # POST with an empty form answers with its errors.
    Entry(
        "exchange:evaluate-link", expect(anonymous=200, default=200), other=expect(default=404), kwargs=_evaluation_link
    ),
    Entry(
        "exchange:evaluate-link",
        expect(anonymous=200, default=200),
        other=expect(default=404),
        method="post",
        kwargs=_evaluation_link,
        data={},
    ),
    # Every signed-in person has a "My exchanges" page, whatever their role.
    Entry("exchange:my-exchanges", expect(anonymous=LOGIN, default=200)),
    # Anyone checks a certificate's code.
    Entry("exchange:certificate-verify", expect(anonymous=200, default=200)),
    # A certificate's PDF: its holder, the requesting institution's focal point and coordinators; 404 to others.
    Entry(
        "exchange:certificate-pdf",
        expect(anonymous=LOGIN, default=404, FOCAL_POINT=200, COORDINATOR=200),
        other=expect(default=404, COORDINATOR=200),
        kwargs=_certificate,
    ),
    # Scheduling: only an approved (or scheduled) request, by a coordinator; a submitted one is refused to those
    # who see it.
    Entry(
        "exchange:request-schedule",
        expect(anonymous=LOGIN, default=404, FOCAL_POINT=403, APPROVER=403, COORDINATOR=403),
        other=expect(default=404, COORDINATOR=403),
        kwargs=_pk("submitted"),
    ),
    # The exchange API's roles only (403 to the others); no schedule yet: 404 to whoever sees the request, and
    # to those who do not.
    Entry(
        "exchange-request-schedule",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=404),
        other=expect(default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=404),
        kwargs=_pk("submitted"),
    ),
    Entry(
        "exchange-request-schedule",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=ALLOWED, APPROVER=ALLOWED, COORDINATOR=ALLOWED),
        other=expect(default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=ALLOWED),
        method="put",
        kwargs=_pk("submitted"),
        data={},
        json=True,
    ),
    # Printing all certificates: the requesting institution's focal point and coordinators; refused to the others
    # who see the request (the approver, the participant), 404 to those who do not.
    Entry(
        "exchange:certificates-batch",
        expect(anonymous=LOGIN, default=404, FOCAL_POINT=ALLOWED, COORDINATOR=ALLOWED, APPROVER=403, MEMBER=403),
        other=expect(default=404, COORDINATOR=ALLOWED),
        method="post",
        kwargs=_pk("completed"),
    ),
]

ENTRIES = [
    *PAGE_ENTRIES,
    *AFTER_PAGES,
    *FORM_POSTS,
    *CALL_PAGES,
    *EXPERT_API,
    *AFTER_API,
    # Endorsing is the requesting country's approver's step: anyone else who sees the request is refused.
    Entry(
        "exchange:request-transition",
        expect(anonymous=LOGIN, default=404, FOCAL_POINT=403, APPROVER=302, COORDINATOR=403),
        other=expect(default=404, COORDINATOR=403),
        method="post",
        kwargs=_pk("submitted"),
        data=ENDORSE,
    ),
    # API
    Entry("exchange-request-list", expect(**EXCHANGE_API)),
    Entry(
        "exchange-request-list",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=ALLOWED),
        other=expect(default=403),
        method="post",
        kwargs=lambda w, scope: {},
        data=_create_data,
        json=True,
    ),
    # Editing through the API: only the requesting institution's focal point, on a request it may edit.
    Entry(
        "exchange-request-detail",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=ALLOWED),
        other=expect(default=403, FOCAL_POINT=404, APPROVER=404),
        method="patch",
        data={},
        json=True,
        kwargs=_pk("returned"),
    ),
    Entry(
        "exchange-request-detail",
        expect(**EXCHANGE_API),
        other=expect(default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=200),
        kwargs=_pk("submitted"),
    ),
    Entry(
        "exchange-request-transitions",
        expect(anonymous=API_ANONYMOUS, default=403, FOCAL_POINT=403, APPROVER=200, COORDINATOR=403),
        other=expect(default=403, FOCAL_POINT=404, APPROVER=404, COORDINATOR=403),
        method="post",
        kwargs=_pk("submitted"),
        data=ENDORSE,
        json=True,
    ),
]
