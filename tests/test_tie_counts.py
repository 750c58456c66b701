"""The ties, life-cycle and flows sections count with arrays (kg.analysis.columns, numpy groups);
here they are held to the definitions written out tie by tie, on many small networks drawn at
random: partial dates, undated ends, spans that end before they start, self-ties, pairs tied twice
at once, flows with and without amounts in several currencies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from avcluster.kg.analysis.flows import flows_section
from avcluster.kg.analysis.lifecycle import cluster_lifecycle
from avcluster.kg.analysis.periods import Period, year_of
from avcluster.kg.analysis.projection import Actor, Cluster, Network, Snapshot, Tie
from avcluster.kg.analysis.ties import LONG_TERM_YEARS, STRONG, ties_section
from avcluster.kg.stores import open_store

TODAY = date(2026, 6, 15)
ACTORS = [f"https://example.org/a{n}" for n in range(4)]
A, B, C = (
    Actor(iri, iri, None, sector, None, None)
    for iri, sector in zip(ACTORS[:3], ("public", "private", None), strict=True)
)
# one pair tied three times, the second span inside the first and the third overlapping only the first
NESTED = [
    ("relationship", "Partnership", A.iri, B.iri, "2010", "2020", None),
    ("relationship", "Partnership", A.iri, B.iri, "2012", "2013", None),
    ("relationship", "Funding", B.iri, A.iri, "2015", "2016", 0.9),
    ("relationship", "Funding", A.iri, A.iri, "2011", None, None),
]
# the longer tie first though the other is stronger; two ended the same year, the later key first
RANKED = [
    ("relationship", "Training", A.iri, B.iri, "2012", None, 0.7),
    ("relationship", "Training", B.iri, C.iri, "2016", None, 1.0),
    ("relationship", "Funding", C.iri, A.iri, "2014", "2019", 0.9),
    ("relationship", "Funding", A.iri, C.iri, "2015", "2019", 0.9),
    ("relationship", "Funding", A.iri, B.iri, "2013", "2019-05", None),
]

dates = st.one_of(
    st.none(),
    st.integers(2010, 2030).map(str),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2010, 2030), st.integers(1, 12)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(2010, 2030), st.integers(1, 12), st.integers(1, 28)),
)
actors = st.builds(
    lambda iri, created, dissolved, sector: Actor(iri, iri, None, sector, created, dissolved),
    st.sampled_from(ACTORS),
    dates,
    dates,
    st.sampled_from([None, "public", "private"]),
)
ties = st.builds(
    lambda category, kind, source, target, start, end, strength: (category, kind, source, target, start, end, strength),
    st.sampled_from(["relationship", "relationship", "flow"]),
    st.sampled_from(["Partnership", "Funding", "Training"]),
    st.sampled_from(ACTORS),
    st.sampled_from(ACTORS),
    dates,
    dates,
    st.one_of(st.none(), st.sampled_from([0.2, 0.7, 0.9, 1.0])),
)


def network_of(drawn_actors: list[Actor], drawn_ties: list[tuple]) -> Network:
    listed = {a.iri: a for a in drawn_actors}
    made = [
        Tie(f"t{n:03d}", None, category, kind, source, target, start, end, strength)
        for n, (category, kind, source, target, start, end, strength) in enumerate(drawn_ties)
    ]
    cluster = Cluster("https://example.org/cluster", "c", created="2012", members=set(listed))
    return Network(listed, made, {cluster.iri: cluster}, {})


def naive_status(tie: Tie, at: int | None) -> str:
    if at is None:
        lo, hi = tie.period.widest
        return "ended" if hi < TODAY else "future" if lo > TODAY else "current"
    start, end = year_of(tie.start), year_of(tie.end)
    return "ended" if end is not None and end < at else "future" if start is not None and start > at else "current"


def naive_series_row(network: Network, year: int) -> dict:
    scope = set(network.actors)
    ties = [t for t in network.ties if t.category == "relationship" and t.source in scope and t.target in scope]
    members = sum(1 for a in network.actors.values() if Period(a.created, a.dissolved).contains_year(year))
    active = [t for t in ties if (year_of(t.start) or -(10**6)) <= year <= (year_of(t.end) or 10**6)]
    pairs = {tuple(sorted((t.source, t.target))) for t in active if t.source != t.target}
    return {
        "year": year,
        "members": members,
        "ties": len(active),
        "new_ties": sum(1 for t in ties if year_of(t.start) == year),
        "ended_ties": sum(1 for t in ties if year_of(t.end) == year),
        "density": 2 * len(pairs) / (members * (members - 1)) if members > 1 else None,
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(actors, max_size=6), st.lists(ties, max_size=24), st.sampled_from([None, 2012, 2018, 2024]))
@example([A, B, C], RANKED, None)
@example([A, B, C], RANKED, 2024)
def test_ties_section_counts_as_tie_by_tie(drawn_actors: list[Actor], drawn_ties: list[tuple], at: int | None) -> None:
    network = network_of(drawn_actors, drawn_ties)
    result = ties_section(open_store("memory:"), network, at, today=TODAY)
    reference = at if at is not None else TODAY.year
    states = {t.key: naive_status(t, at) for t in network.ties if t.category == "relationship"}
    current = [t for t in network.ties if states.get(t.key) == "current"]
    ended = [t for t in network.ties if states.get(t.key) == "ended"]

    def years(tie: Tie) -> int | None:
        start = year_of(tie.start)
        until = year_of(tie.end) if states[tie.key] == "ended" else reference
        return None if start is None or until is None else until - start

    assert (result["current"], result["ended"]) == (len(current), len(ended))
    assert result["dated"] == sum(1 for t in current if years(t) is not None)
    assert {k["kind"]: (k["current"], k["ended"]) for k in result["by_kind"]} == {
        kind: (sum(t.kind == kind for t in current), sum(t.kind == kind for t in ended))
        for kind in {t.kind for t in current + ended}
    }
    strong = sorted(
        (
            t
            for t in current
            if (years(t) or 0) >= LONG_TERM_YEARS and years(t) is not None and (t.strength or 0) >= STRONG
        ),
        key=lambda t: (-(years(t) or 0), -(t.strength or 0), t.key),
    )
    assert [r["years"] for r in result["long_term_strong"]["ties"]] == [years(t) for t in strong]
    assert [(r["from"], r["to"], r["start"]) for r in result["long_term_strong"]["ties"]] == [
        (t.source, t.target, t.start) for t in strong
    ]
    latest = sorted(ended, key=lambda t: (t.end or "", t.key), reverse=True)
    assert [(r["from"], r["end"]) for r in result["ended_ties"]["ties"]] == [(t.source, t.end) for t in latest]
    sectors = {a.iri: a.sector for a in network.actors.values()}
    mixed = [sorted(s or "unknown" for s in (sectors.get(t.source), sectors.get(t.target))) for t in current]
    assert result["public_private"]["unknown"] == sum("unknown" in pair for pair in mixed)
    assert result["public_private"]["public_private"] == sum(pair == ["private", "public"] for pair in mixed)
    assert result["public_private"]["public_public"] == sum(pair == ["public", "public"] for pair in mixed)


@settings(max_examples=300, deadline=None)
@given(st.lists(actors, max_size=6), st.lists(ties, max_size=24), st.sampled_from([2015, 2020, 2026]))
@example([A, B], NESTED, 2020)
def test_lifecycle_series_counts_as_tie_by_tie(
    drawn_actors: list[Actor], drawn_ties: list[tuple], reference: int
) -> None:
    network = network_of(drawn_actors, drawn_ties)
    [cluster] = network.clusters.values()
    cycle = cluster_lifecycle(cluster, network, reference)
    assert cycle["series"] == [naive_series_row(network, row["year"]) for row in cycle["series"]]
    assert cycle["series"][-1]["year"] == reference


flows = st.builds(
    lambda kind, source, target, year, amount, currency: Tie(
        "", None, "flow", kind, source, target, year=year, amount=amount, currency=currency
    ),
    st.sampled_from(["InformationFlow", "FinancialFlow", "MaterialFlow"]),
    st.sampled_from(ACTORS),
    st.sampled_from(ACTORS),
    st.one_of(st.none(), st.integers(2015, 2018)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)),
    st.sampled_from([None, "EUR", "RUB"]),
)
typed = st.lists(
    st.tuples(st.sampled_from([None, "FilmCommission", "Producer"]), st.sampled_from([None, "public", "private"])),
    min_size=len(ACTORS),
    max_size=len(ACTORS),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(flows, max_size=24), typed)
def test_flows_section_tallies_as_flow_by_flow(drawn: list[Tie], kinds: list[tuple]) -> None:
    listed = [Actor(iri, iri, kind, sector) for iri, (kind, sector) in zip(ACTORS, kinds, strict=True)]
    made = [
        Tie(f"f{n:03d}", None, "flow", t.kind, t.source, t.target, year=t.year, amount=t.amount, currency=t.currency)
        for n, t in enumerate(drawn)
    ]
    result = flows_section(Snapshot(None, None, listed, made))
    actor = {a.iri: a for a in listed}

    def tally(key: Callable[[Tie], tuple]) -> dict[tuple, tuple[int, dict[str, float]]]:
        groups: dict[tuple, list[Tie]] = defaultdict(list)
        for flow in made:
            groups[key(flow)].append(flow)
        totals = {}
        for group, members in groups.items():
            amounts: dict[str, Decimal] = defaultdict(Decimal)
            for flow in members:
                if flow.amount is not None:
                    amounts[flow.currency or ""] += flow.amount
            totals[group] = (len(members), {c: float(v) for c, v in sorted(amounts.items())})
        return totals

    def got(rows: list[dict], names: tuple[str, ...]) -> dict[tuple, tuple[int, dict[str, float]]]:
        return {tuple(row[n] for n in names): (row["count"], row["amount"]) for row in rows}

    assert result["count"] == len(made)
    assert got(result["by_kind"], ("kind",)) == tally(lambda f: (f.kind,))
    assert got(result["by_year"], ("year", "kind")) == tally(lambda f: (f.year, f.kind))
    assert got(result["by_actor_type"], ("kind", "from_type", "to_type")) == tally(
        lambda f: (f.kind, actor[f.source].type, actor[f.target].type)
    )
    assert got(result["by_sector"], ("kind", "from_sector", "to_sector")) == tally(
        lambda f: (f.kind, actor[f.source].sector, actor[f.target].sector)
    )
    years = [row["year"] for row in result["by_year"]]
    assert years == sorted(years, key=lambda y: "" if y is None else str(y))
