"""What "the cluster's actors" and "its ties" mean, defined once, with the words that name them.

Every page, the command line and the README count a cluster from here, so that its figures agree:

- `members`: actors stated members of the cluster (`avc:memberOf`);
- `located`: actors located in the cluster's region (or a place inside it), members or not;
- `actors`: the cluster's actors, members and located together: what the analysis counts on
  (Network.cluster_actors, the one computation of that set);
- `ties`: relationships and flows with both ends among the cluster's actors;
- `ties_touching`: relationships and flows with at least one end among them;
- `tied`: the cluster's actors and every actor tied to one of them.

A tie is what kg.analysis.projection reads (qualified relationships, flows, shortcuts no qualified
relationship stands behind, shared leaders); membership is never a tie. Given a year (`at`), an
actor counts when it existed that year and a tie when it was in force (kg.analysis.projection.snapshot).
The dataset figures of kg.figures count something else: the resources a dataset's files describe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from .projection import Cluster, Network, Tie

CountName = Literal["members", "located", "actors", "ties", "ties_touching", "tied"]
COUNTS: tuple[CountName, ...] = ("members", "located", "actors", "ties", "ties_touching", "tied")


@dataclass(frozen=True)
class ClusterCounts:
    """A cluster's counts by each definition (`counts.members` or `counts["members"]`)."""

    cluster: str
    at: int | None
    members: int
    located: int
    actors: int
    ties: int
    ties_touching: int
    tied: int

    def __getitem__(self, key: str) -> int | str | None:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        value: int | str | None = getattr(self, key)
        return value

    def as_dict(self) -> dict[str, int | str | None]:
        return asdict(self)


def _cluster(network: Network, cluster: Cluster | str) -> Cluster:
    return network.clusters[cluster] if isinstance(cluster, str) else cluster


def cluster_counts(network: Network, cluster: Cluster | str, at: int | None = None) -> ClusterCounts:
    """The cluster's counts by every definition above, over all years or in the year `at`."""
    found = _cluster(network, cluster)

    def alive(iris: set[str]) -> set[str]:
        return iris if at is None else {a for a in iris if network.actors[a].exists_in(at)}

    def in_force(tie: Tie) -> bool:
        return at is None or (
            tie.period.contains_year(at)
            and network.actors[tie.source].exists_in(at)
            and network.actors[tie.target].exists_in(at)
        )

    members = alive(found.members & network.actors.keys())
    located = alive(network.located_actors(found))
    actors = alive(network.cluster_actors(found))
    ties = touching = 0
    tied = set(actors)
    for tie in network.ties_touching(actors):
        ends = (tie.source in actors) + (tie.target in actors)
        if in_force(tie):
            touching += 1
            ties += ends == 2
            tied.update((tie.source, tie.target))
    return ClusterCounts(found.iri, at, len(members), len(located), len(actors), ties, touching, len(tied))


def all_cluster_counts(network: Network, at: int | None = None) -> dict[str, ClusterCounts]:
    """Every cluster's counts, by cluster IRI."""
    return {iri: cluster_counts(network, cluster, at) for iri, cluster in sorted(network.clusters.items())}


# A short name and one sentence for each count, in the viewer's three languages; `{region}` is the
# cluster's region by name.
DEFINITIONS: dict[CountName, dict[str, tuple[str, str]]] = {
    "members": {
        "en": ("members", "actors the sources state are members of the cluster"),
        "es": ("miembros", "actores que las fuentes declaran miembros del clúster"),
        "ru": ("члены", "участники, которых источники называют членами кластера"),
    },
    "located": {
        "en": ("located in the region", "actors located in {region}, members of the cluster or not"),
        "es": ("ubicados en la región", "actores ubicados en {region}, sean o no miembros del clúster"),
        "ru": ("расположены в регионе", "участники, расположенные в регионе {region}, члены кластера или нет"),
    },
    "actors": {
        "en": ("actors", "the cluster's actors: its members and the actors located in {region}"),
        "es": ("actores", "los actores del clúster: sus miembros y los actores ubicados en {region}"),
        "ru": ("участники", "участники кластера: его члены и участники, расположенные в регионе {region}"),
    },
    "ties": {
        "en": ("ties", "relationships and flows between two of the cluster's actors"),
        "es": ("vínculos", "relaciones y flujos entre dos actores del clúster"),
        "ru": ("связи", "отношения и потоки между двумя участниками кластера"),
    },
    "ties_touching": {
        "en": ("ties touching it", "relationships and flows with at least one end among the cluster's actors"),
        "es": ("vínculos que lo tocan", "relaciones y flujos con al menos un extremo entre los actores del clúster"),
        "ru": ("связи с кластером", "отношения и потоки, хотя бы один конец которых — участник кластера"),
    },
    "tied": {
        "en": ("actors tied to it", "the cluster's actors and every actor with a tie to one of them"),
        "es": ("actores vinculados", "los actores del clúster y todo actor con un vínculo con alguno de ellos"),
        "ru": ("связанные участники", "участники кластера и все, кто связан хотя бы с одним из них"),
    },
}


def count_name(count: CountName, lang: str = "en") -> str:
    """The short name of a count in a language (English where the language has none)."""
    return DEFINITIONS[count].get(lang, DEFINITIONS[count]["en"])[0]


# What stands for the region when a definition names none (the Russian sentences read "в регионе кластера").
ANY_REGION = {"en": "the cluster's region", "es": "la región del clúster", "ru": "кластера"}


def definition(count: CountName, lang: str = "en", region: str | None = None) -> str:
    """The one-sentence definition of a count, naming the region (or the cluster's region)."""
    sentence = DEFINITIONS[count].get(lang, DEFINITIONS[count]["en"])[1]
    return sentence.format(region=region or ANY_REGION.get(lang, ANY_REGION["en"]))


__all__ = [
    "ANY_REGION",
    "COUNTS",
    "DEFINITIONS",
    "ClusterCounts",
    "CountName",
    "all_cluster_counts",
    "cluster_counts",
    "count_name",
    "definition",
]
