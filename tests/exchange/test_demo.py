from apps.accounts import demo as accounts_demo
from apps.exchange import demo
from apps.exchange.models import ExchangeRequest, State


def test_the_demo_study_visit_waits_for_morocco_and_loads_once(db):
    accounts_demo.load()
    assert demo.load() == 1
    assert demo.load() == 0
    request = ExchangeRequest.objects.get(title=demo.DEMO_TITLE)
    assert request.state == State.ENDORSED
    assert request.participants.count() == 3
    assert list(request.decisions.values_list("to_state", flat=True)) == [State.SUBMITTED, State.ENDORSED]


def test_the_demo_expert_assignment_is_accepted_and_fits_the_demo_member(db):
    from apps.exchange.matching import candidate_queryset, open_calls_for
    from apps.skills import demo as skills_demo

    accounts_demo.load()
    skills_demo.load()
    demo.load()
    assert demo.load() == 0
    request = ExchangeRequest.objects.get(title=demo.DEMO_ASSIGNMENT_TITLE)
    assert request.state == State.ACCEPTED
    ranked = list(candidate_queryset(request)[:3])
    assert ranked and ranked[0].user.email == "member@demo.example.org"
    calls = open_calls_for(user=ranked[0].user)
    assert [call.request.pk for call in calls] == [request.pk]
