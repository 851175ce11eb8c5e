"""Exchange: requests by state, kind, theme and country pair; time at each decision step; completed exchanges and
their evaluations, by kind, across the programme (by participants and by experts) and for each completed request.

The exchange tables are small (thousands of requests), so the queries read them directly, by request. The period
is the month the request was created; the country filter keeps requests where the country is either the
requesting or the host country.

Times come from the append-only decision log: the time a request spent in a state is from the decision that
brought it there (or its creation) to the decision that moved it on. The median and 90th percentile of a step are
shown only where the step counts at least 5 decisions; evaluation averages only where there are at least 5
evaluations (they are not rounded: a 1–5 average to one decimal says next to nothing about how many answered). The
share who would recommend is computed from the published (rounded) counts, and given only where both are shown.
A completed request appears by its number only (its title is typed by its institution), with its count of
evaluations ("<5" under 5, as every count) and averages only from 5 evaluations: no table ever shows one
person's answers, and the free-text comments never leave the exchange pages. The country-pair table publishes the pairs and the grand total, not the totals per requesting or host country:
with those, a small pair could be worked out from the other pairs of its row or column.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.formatting import arrow
from apps.exchange.models import Evaluation, Kind, State, Theme

from .. import labels
from ..framework import Filters, Measure, Report, Table, fetch_counts, fetch_numbers, period_clause, register
from ..suppression import share

REQUESTS = "exchange_exchangerequest"
COMPLETED = ["completed", "closed"]


def request_filter(filters: Filters, alias: str = "r") -> tuple[str, list]:
    """``AND …`` conditions on requests for the period (month created) and the country (requesting or host)."""
    sql, params = period_clause(filters, f"date_trunc('month', {alias}.created_at AT TIME ZONE 'UTC')::date")
    if filters.country:
        sql += f" AND (%s IN ({alias}.requesting_country_id, {alias}.host_country_id))"
        params.append(filters.country)
    return sql, params


def requests_by(expression: str):
    def query(filters: Filters) -> list[tuple[str, int]]:
        where, params = request_filter(filters)
        return fetch_counts(f"SELECT {expression}, count(*) FROM {REQUESTS} r WHERE true{where} GROUP BY 1", params)

    return query


def requests_total(filters: Filters) -> int:
    return sum(count for _value, count in requests_by("''")(filters))


# Time in each state before the decision that left it, in days.
STEPS = """
SELECT d.from_state AS step,
       extract(epoch FROM d.created_at - COALESCE(
           lag(d.created_at) OVER (PARTITION BY d.request_id ORDER BY d.created_at, d.id), r.created_at)) / 86400.0
           AS days
FROM exchange_decision d JOIN exchange_exchangerequest r ON r.id = d.request_id
WHERE true{where}
"""


def step_counts(filters: Filters) -> list[tuple[str, int]]:
    where, params = request_filter(filters)
    return fetch_counts(f"SELECT step, count(*) FROM ({STEPS.format(where=where)}) s GROUP BY step", params)


def step_percentile(fraction: float):
    def query(filters: Filters) -> list[tuple[str, float]]:
        where, params = request_filter(filters)
        return fetch_numbers(
            f"SELECT step, percentile_cont(%s) WITHIN GROUP (ORDER BY days) FROM ({STEPS.format(where=where)}) s "
            "GROUP BY step",
            [fraction, *params],
        )

    return query


def completed_by_kind(filters: Filters) -> list[tuple[str, int]]:
    where, params = request_filter(filters)
    return fetch_counts(
        f"SELECT r.kind, count(*) FROM {REQUESTS} r WHERE r.state = ANY(%s){where} GROUP BY 1", [COMPLETED, *params]
    )


def evaluations_by(expression: str, aggregate: str, *, numbers: bool = False):
    """An aggregate over the evaluations of completed (or closed) exchanges, grouped by ``expression``."""

    def query(filters: Filters):
        where, params = request_filter(filters)
        sql = (
            f"SELECT {expression}, {aggregate} FROM exchange_evaluation e JOIN {REQUESTS} r ON r.id = e.request_id "
            f"WHERE r.state = ANY(%s){where} GROUP BY 1"
        )
        return (fetch_numbers if numbers else fetch_counts)(sql, [COMPLETED, *params])

    return query


def request_numbers(values: list[str]) -> dict[str, str]:
    """A request by its number only: its title (typed by its institution) never appears in a report."""
    return {value: _("Request no. %(number)s") % {"number": value} for value in values}


def evaluation_measures(by: str, *, recommending: bool = True) -> list[Measure]:
    """The evaluations of the rows (``by``: what they are grouped by) and their averages, shown only where at least
    5 evaluations are published, so one person's answers never show; with ``recommending``, who would recommend
    and its share."""
    measures = [
        Measure("evaluations", _("Evaluations"), evaluations_by(by, "count(*)")),
        Measure(
            "usefulness",
            _("Usefulness (1–5)"),
            evaluations_by(by, "avg(e.usefulness)", numbers=True),
            gate="evaluations",
        ),
        Measure(
            "organisation",
            _("Organisation (1–5)"),
            evaluations_by(by, "avg(e.organisation)", numbers=True),
            gate="evaluations",
        ),
    ]
    if recommending:
        measures += [
            Measure(
                "recommending", _("Would recommend"), evaluations_by(by, "count(*) FILTER (WHERE e.would_recommend)")
            ),
            # From the published (rounded) counts: the exact share would give the exact counts away.
            Measure("recommend", _("Would recommend (%)"), derive=share("recommending", "evaluations")),
        ]
    return measures


def pairs(values: list[str]) -> dict[str, str]:
    codes = sorted({code for value in values for code in value.split(">") if code})
    names = labels.countries(codes)
    return {v: f" {arrow()} ".join(names.get(code, code) for code in v.split(">")) for v in values}


REQUESTS_LABEL = _("Requests")

EXCHANGE_REPORT = register(
    Report(
        slug="exchange",
        title=_("Expert exchange"),
        description=_(
            "Exchange requests by state, kind, theme and country pair; time spent at each decision step; completed "
            "exchanges and their evaluations."
        ),
        date_label=_("Month the request was created"),
        country_label=_("Requesting or host country"),
        headline_label=_("Requests"),
        headline=requests_total,
        order=40,
        withheld_text=_("Too few requests to show this breakdown without revealing small counts."),
        empty_text=_("No request matches these filters."),
        tables=[
            Table(
                key="state",
                title=_("Requests by state"),
                dimension_label=_("State"),
                labels=labels.choices(State),
                measures=[Measure("requests", REQUESTS_LABEL, requests_by("r.state"))],
                partition=True,
            ),
            Table(
                key="kind",
                title=_("Requests by kind"),
                dimension_label=_("Kind"),
                labels=labels.choices(Kind),
                measures=[Measure("requests", REQUESTS_LABEL, requests_by("r.kind"))],
                partition=True,
            ),
            Table(
                key="theme",
                title=_("Requests by theme"),
                dimension_label=_("Theme"),
                labels=labels.choices(Theme),
                measures=[Measure("requests", REQUESTS_LABEL, requests_by("r.theme"))],
                partition=True,
            ),
            Table(
                key="pair",
                title=_("Requests by country pair (requesting → host)"),
                dimension_label=_("Requesting country → host country"),
                labels=pairs,
                measures=[
                    Measure(
                        "requests", REQUESTS_LABEL, requests_by("r.requesting_country_id || '>' || r.host_country_id")
                    )
                ],
                partition=True,
                note=_(
                    "Totals per requesting or host country are not given: with them, a small pair could be worked "
                    "out from the other pairs."
                ),
            ),
            Table(
                key="steps",
                title=_("Time spent at each decision step"),
                dimension_label=_("Waiting in state"),
                labels=labels.choices(State),
                measures=[
                    Measure("decisions", _("Decisions"), step_counts),
                    Measure("median", _("Median (days)"), step_percentile(0.5), gate="decisions"),
                    Measure("p90", _("90th percentile (days)"), step_percentile(0.9), gate="decisions"),
                ],
                chart=("median", "p90"),
                note=_(
                    "Days from the decision that brought a request into the state (or its creation) to the "
                    "decision that moved it on. Times are given for steps with at least 5 decisions."
                ),
            ),
            Table(
                key="completed",
                title=_("Completed exchanges and their evaluations"),
                dimension_label=_("Kind"),
                labels=labels.choices(Kind),
                measures=[
                    Measure("completed", _("Completed exchanges"), completed_by_kind),
                    *evaluation_measures("r.kind"),
                ],
                chart=("completed", "evaluations"),
                partition=True,
                note=_("Averages are given where there are at least 5 evaluations."),
            ),
            Table(
                key="programme",
                title=_("Evaluations across the programme"),
                dimension_label=_("Answering as"),
                labels=labels.choices(Evaluation.Respondent),
                measures=evaluation_measures("e.respondent"),
                chart=("usefulness", "organisation"),
                partition=True,
                note=_(
                    "Every evaluation of a completed exchange, by participants and by experts. Averages are given "
                    "where there are at least 5 evaluations."
                ),
            ),
            Table(
                key="per_request",
                title=_("Evaluations of each completed exchange"),
                dimension_label=_("Request"),
                labels=request_numbers,
                measures=evaluation_measures("r.id", recommending=False),
                chart=("usefulness", "organisation"),
                note=_(
                    "Each completed exchange that has evaluations, by its number. Fewer than 5 read “<5”; averages "
                    "are given only where at least 5 participants and experts evaluated, so no one's own answers "
                    "can be read."
                ),
            ),
        ],
    )
)
