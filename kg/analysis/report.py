"""The analysis as one JSON-ready dict (what `avcluster analyze` and the web views show), and as text.

The store is read once; each section then works on that reading and on the projection at the
year asked for. `meta.seconds` says where the time went, so a slow part shows itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any, cast

from ..errors import AvclusterError
from ..labels import namer
from ..stores import Store
from .competencies import competencies_section
from .flows import flows_section
from .lifecycle import lifecycle_section
from .lifecycle import verdict as lifecycle_verdict
from .projection import Network, read_network, snapshot
from .regions import regions_section
from .results import Analysis, AssignmentRow, Meta
from .structure import SEED, actor_rows, analyse, brokers, community_rows
from .text_tables import cell, figure, table
from .ties import ties_section

SECTIONS: tuple[str, ...] = (
    "actors",
    "network",
    "brokers",
    "communities",
    "ties",
    "competencies",
    "flows",
    "lifecycle",
    "regions",
)
_STRUCTURAL = frozenset({"actors", "network", "brokers", "communities"})


def mentioned_iris(value: Any) -> set[str]:
    """Every IRI a JSON-ready result mentions, as a value or as a key: what its labels must name.

    Walked with a stack of containers only, each scalar looked at where it is met (a stack holding
    every scalar, or recursion building a set per level, took 1.5-3x as long at 50,000 actors)."""
    found: set[str] = set()
    containers: list[Any] = [[value]]
    while containers:
        item = containers.pop()
        for member in [*item.keys(), *item.values()] if isinstance(item, dict) else item:
            if isinstance(member, str):
                if member.startswith(("http://", "https://")):
                    found.add(member)
            elif isinstance(member, dict | list):
                containers.append(member)
    return found


def analyze(
    store: Store,
    *,
    at: int | None = None,
    sections: Collection[str] | None = None,
    region: str | None = None,
    network: Network | None = None,
) -> Analysis:
    """The cluster analysis: every section, or those named, of the network in year `at` (None: all
    of it, measured against today), for the actors located in `region` (IRI, id slug or label).
    `network` is the store's whole network where the caller already holds it (read_network).

    Besides the sections the result holds `meta` (the year, the region, the counts, how
    betweenness was computed, seconds per part) and `labels` (a label for every IRI it mentions).
    """
    wanted = set(SECTIONS if sections is None else sections)
    unknown = wanted - set(SECTIONS)
    if unknown:
        raise AvclusterError(f"unknown section {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    seconds: dict[str, float] = {}
    started = clock = time.perf_counter()

    def timed(name: str, work: Callable[[], Any]) -> Any:
        nonlocal clock
        value = work()
        now = time.perf_counter()
        seconds[name] = round(now - clock, 4)
        clock = now
        return value

    network = timed("read", lambda: read_network(store, region, network))
    snap = timed("projection", lambda: snapshot(network, at))
    result: Analysis = {}
    meta: Meta = {
        "at": at,
        "region": network.region,
        "sections": [s for s in SECTIONS if s in wanted],
        "actors": len(snap.actors),
        "ties": len(snap.ties),
    }
    structure = None
    if wanted & _STRUCTURAL:
        structure = timed("structure", lambda: analyse(snap))
        sampled = structure.sampled_sources
        meta["betweenness"] = {
            "exact": sampled is None,
            "sources": sampled if sampled is not None else len(structure.nodes),
            "seed": SEED,
        }
    if "ties" in wanted:
        result["ties"] = timed("ties", lambda: ties_section(store, network, at))
    if "competencies" in wanted:
        result["competencies"] = timed("competencies", lambda: competencies_section(store, network, at))
    if "flows" in wanted:
        result["flows"] = timed("flows", lambda: flows_section(snap))
    if "lifecycle" in wanted:
        result["lifecycle"] = timed("lifecycle", lambda: lifecycle_section(network, at))
    if "regions" in wanted:
        result["regions"] = timed("regions", lambda: regions_section(store, network.labels, at))
    if structure is not None:
        found = structure
        if "actors" in wanted:
            result["actors"] = timed("actors", lambda: actor_rows(found))
        if "network" in wanted:
            result["network"] = found.network
        if "brokers" in wanted:
            result["brokers"] = brokers(found)
        if "communities" in wanted:
            result["communities"] = community_rows(found)
        seconds.update({f"structure.{part}": s for part, s in found.seconds.items()})
    mentioned = mentioned_iris(result)
    meta["seconds"] = seconds
    meta["total_seconds"] = round(time.perf_counter() - started, 4)
    ordered = {"meta": meta, **{s: result[s] for s in SECTIONS if s in result}}  # type: ignore[literal-required]
    ordered["labels"] = {iri: network.labels[iri] for iri in sorted(mentioned) if iri in network.labels}
    return cast(Analysis, ordered)


# ---------------------------------------------------------------- text


def render_table(result: Analysis, rows: int = 15) -> str:
    """The result as terminal text, one block per section present; long lists show their first `rows`."""
    labels: dict[str, str] = result.get("labels", {})

    name = namer(labels)

    def money(amounts: dict[str, float]) -> str:
        return ", ".join(f"{figure(total)} {currency}".strip() for currency, total in amounts.items()) or "–"

    meta = result["meta"]
    scope = [
        f"at {meta['at']}" if meta["at"] is not None else "all years",
        f"region {name(meta['region'])}" if meta["region"] else "all regions",
    ]
    blocks = [
        f"avcluster analysis — {', '.join(scope)}: {meta['actors']} actors, {meta['ties']} ties "
        f"({meta['total_seconds']:.1f} s)"
    ]
    if "betweenness" in meta and not meta["betweenness"]["exact"]:
        blocks[0] += f"\nbetweenness estimated from {meta['betweenness']['sources']} sampled sources"

    if "network" in result:
        n = result["network"]
        blocks.append("NETWORK\n" + table(["measure", "value"], [[k.replace("_", " "), v] for k, v in n.items()]))
    if "actors" in result:
        blocks.append(
            f"ACTORS (most central {min(rows, len(result['actors']))} of {len(result['actors'])})\n"
            + table(
                [
                    "actor",
                    "type",
                    "sector",
                    "degree",
                    "betweenness",
                    "pagerank",
                    "eigenvector",
                    "constraint",
                    "eff. size",
                    "community",
                    "core",
                ],
                [
                    [
                        a["label"],
                        a["type"],
                        a["sector"],
                        a["degree"],
                        a["betweenness"],
                        a["pagerank"],
                        a["eigenvector"],
                        a["constraint"],
                        a["effective_size"],
                        a["community"],
                        a["core"],
                    ]
                    for a in result["actors"][:rows]
                ],
            )
        )
    if "brokers" in result:
        b = result["brokers"]
        blocks.append(
            "BROKERS (high betweenness, low constraint)\n"
            + table(
                ["actor", "type", "betweenness", "constraint", "eff. size"],
                [[x["label"], x["type"], x["betweenness"], x["constraint"], x["effective_size"]] for x in b["top"]],
            )
            + "\n\nPUBLIC-PRIVATE BRIDGES\n"
            + table(
                ["actor", "sector", "public contacts", "private contacts", "betweenness"],
                [
                    [x["label"], x["sector"], x["public_neighbours"], x["private_neighbours"], x["betweenness"]]
                    for x in b["public_private"]
                ],
            )
        )
    if "communities" in result:
        blocks.append(
            "COMMUNITIES (Leiden)\n"
            + table(
                ["#", "size", "density", "most connected members"],
                [
                    [c["id"], c["size"], c["density"], ", ".join(name(m) for m in c["members"][:4])]
                    for c in result["communities"][:rows]
                ],
                width=80,
            )
        )
    if "ties" in result:
        t = result["ties"]
        pp = t["public_private"]
        lts = t["long_term_strong"]
        blocks.append(
            f"TIES (as of {t['reference_year']}): {t['current']} current, {t['ended']} ended; "
            f"mean age {cell(t['mean_years'])} years, mean strength {cell(t['mean_strength'])}\n"
            f"public–private {pp['public_private']}, public–public {pp['public_public']}, "
            f"private–private {pp['private_private']}, unknown {pp['unknown']} (share public–private {cell(pp['share'])})\n"
            + table(
                ["kind", "current", "ended", "mean years", "mean strength"],
                [[k["kind"], k["current"], k["ended"], k["mean_years"], k["mean_strength"]] for k in t["by_kind"]],
            )
            + f"\n\nLONG-TERM STRONG TIES (≥ {lts['min_years']} years, strength ≥ {lts['min_strength']}): {lts['count']}\n"
            + table(
                ["from", "kind", "to", "since", "years", "strength"],
                [
                    [name(x["from"]), x["kind"], name(x["to"]), x["start"], x["years"], x["strength"]]
                    for x in lts["ties"][:rows]
                ],
            )
            + f"\n\nENDED TIES: {t['ended_ties']['count']}\n"
            + table(
                ["from", "kind", "to", "start", "end"],
                [
                    [name(x["from"]), x["kind"], name(x["to"]), x["start"], x["end"]]
                    for x in t["ended_ties"]["ties"][:rows]
                ],
            )
        )
    if "competencies" in result:
        c = result["competencies"]

        def who(entries: list[AssignmentRow]) -> str:
            def span(e: AssignmentRow) -> str:
                return f"{e['start'] or '…'}–{e['end'] or '…'}" if e["start"] or e["end"] else "undated"

            return "; ".join(f"{name(e['actor'])} ({span(e)})" for e in entries) or "–"

        blocks.append(
            "COMPETENCIES\n"
            + table(
                ["competency", "leads", "contributors"],
                [[name(r["competency"]), who(r["leads"]), who(r["contributors"])] for r in c["competencies"]],
                width=70,
            )
            + "\n\nOVERLAPS\n"
            + table(
                ["competency", "actors", "from", "to", "certain"],
                [
                    [
                        name(o["competency"]),
                        " & ".join(name(a) for a in o["actors"]),
                        o["from"],
                        o["to"],
                        "yes" if o["certain"] else "possible",
                    ]
                    for o in c["overlaps"]
                ],
                width=60,
            )
            + "\n\nGAPS (required, nobody leads): "
            + (", ".join(name(g) for g in c["gaps"]) or "none")
            + "\n\nCHANGES OF HANDS\n"
            + table(
                ["competency", "from", "to", "ended", "started"],
                [
                    [name(x["competency"]), name(x["from"]), name(x["to"]), x["ended"], x["started"]]
                    for x in c["changes"]
                ],
            )
        )
    if "flows" in result:
        f = result["flows"]
        blocks.append(
            f"FLOWS: {f['count']} ({money(f['amount'])})\n"
            + table(["kind", "count", "amount"], [[k["kind"], k["count"], money(k["amount"])] for k in f["by_kind"]])
            + "\n\n"
            + table(
                ["year", "kind", "count", "amount"],
                [[y["year"], y["kind"], y["count"], money(y["amount"])] for y in f["by_year"]],
            )
            + "\n\n"
            + table(
                ["kind", "from sector", "to sector", "count", "amount"],
                [[s["kind"], s["from_sector"], s["to_sector"], s["count"], money(s["amount"])] for s in f["by_sector"]],
            )
            + "\n\nINFORMATION PASSES THROUGH\n"
            + table(
                ["actor", "betweenness", "in", "out"],
                [[x["label"], x["betweenness"], x["inflows"], x["outflows"]] for x in f["information_brokers"]],
            )
        )
    for cycle in result.get("lifecycle", []):
        verdict = "agrees" if cycle["agrees"] else "differs" if cycle["agrees"] is False else "–"
        votes = ", ".join(f"{name(stage)} {count}" for stage, count in cycle["votes"].items())
        evidence = {
            "suggested": f"evidence suggests {name(cycle['suggested_stage'])} ({verdict})",
            "split": f"evidence split ({votes})",
            "none": "no evidence",
        }[lifecycle_verdict(cycle)]
        blocks.append(
            f"LIFE CYCLE of {name(cycle['cluster'])} (as of {cycle['reference_year']}, founded {cycle['created'] or '?'}): "
            f"asserted {name(cycle['asserted_stage'])}, {evidence}\n"
            + table(
                ["indicator", "value", "suggests", "why"],
                [
                    [i["indicator"].replace("_", " "), i["value"], name(i["stage"]), i["why"]]
                    for i in cycle["indicators"]
                ],
                width=90,
            )
        )
    if "regions" in result:
        r = result["regions"]
        headers = ["region", "stage", *(name(f) for f in r["factors"])]
        table_rows = []
        for row in r["regions"]:
            cells = []
            for factor in r["factors"]:
                found = [f for f in row["latest"] if factor in f["factors"]]
                cells.append(
                    "; ".join(
                        f"{figure(f['value'])} {f['unit'] or ''} ({f['year']})".replace("  ", " ") for f in found[:2]
                    )
                    or "missing"
                )
            stages = ", ".join(name(c["stage"]) for c in row["clusters"] if c["stage"]) or "–"
            table_rows.append([name(row["region"]), stages, *cells])
        blocks.append("REGIONS: success factors (latest figure, year)\n" + table(headers, table_rows, width=30))
    return "\n\n".join(blocks) + "\n"
