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
