"""The avc vocabulary as checked Python names: `AVC.Funding` is a URIRef, `AVC.Fundng` raises.

The class body is generated from ontology/avcluster.ttl and ontology/concepts.ttl, one
attribute per term with its English definition; after changing either file, run
`python -m avcluster.kg.vocab` to regenerate it (a test fails while the two disagree).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class AVC(DefinedNamespace):
    """Terms of the avcluster ontology (https://w3id.org/avcluster/ontology#)."""

    _NS = Namespace("https://w3id.org/avcluster/ontology#")
    _fail = True

    # generated: start (python -m avcluster.kg.vocab)
    # fmt: off

    # classes
    Actor: URIRef  # An organisation that takes part in the audiovisual sector of a region: a public body, a company, a centre, an association, a festival or a network. Persons are not actors here; the cluster itself is not an actor.
    AnimationStudio: URIRef  # A company that produces animated works or animation for others.
    AudiovisualProject: URIRef  # A film, series, documentary or animation production, with the actors that took part in it and where it was shot.
    Broadcaster: URIRef  # A private television or radio broadcaster or streaming platform. A publicly owned one is an avc:PublicBroadcaster.
    Cluster: URIRef  # The geographic concentration of interconnected audiovisual firms and institutions of a region, taken as a whole. Actors state avc:memberOf it.
    ClusterOrganization: URIRef  # The association or body that coordinates a cluster and speaks for its members (e.g. CLAVNA). It is an actor; the cluster it coordinates (avc:Cluster) is not.
    Company: URIRef  # A privately owned firm. A company owned by a public authority is an avc:PublicEnterprise instead.
    Competency: URIRef  # A function that the cluster needs someone to perform, such as location services or training of specialists (concepts of avc:CompetencyScheme).
    CompetencyAssignment: URIRef  # The qualified form of avc:responsibleFor / avc:contributesTo: one actor (avc:assignedTo) has one role (avc:role) in one competency (avc:competency), over a period where the dates are known. Without dates it holds for every period.
    CoProduction: URIRef  # The two actors produce one or more works together. Symmetric: the order is as the source states it.
    DistributionCompany: URIRef  # A company that brings audiovisual works to cinemas, broadcasters, platforms or festivals and sells their rights.
    EducationCentre: URIRef  # A university, school or vocational centre that trains audiovisual professionals.
    Festival: URIRef  # A film or audiovisual festival, taken as the organisation that runs it.
    FilmCommission: URIRef  # An office that attracts and assists film and television shoots in a territory: locations, permits, contacts, incentives. Whether it is public or private is stated by also typing it avc:PublicActor or avc:PrivateActor (or a subclass).
    FinancialFlow: URIRef  # Money passed from one actor to another; it has an avc:amount and an avc:currency.
    FinancialInstitution: URIRef  # A bank, investment fund, development agency or other body that lends to, invests in or guarantees audiovisual projects and firms.
    Flow: URIRef  # What passes from one actor to another in a year: money, information or material. Exactly one avc:fromActor and one avc:toActor.
    Funding: URIRef  # The from-actor funds the to-actor or its projects (grants, loans, investment, contracts).
    Governance: URIRef  # The from-actor runs, owns or oversees the to-actor (e.g. a public company that manages a film commission).
    Grant: URIRef  # A call or line of direct financial aid (subsidy, prize, participative loan programme) for audiovisual projects or firms.
    Indicator: URIRef  # A measurable quantity of a region or its audiovisual sector that observations give values for (concepts of avc:IndicatorScheme). skos:broader names the success factor it informs.
    InformationFlow: URIRef  # Information passed from one actor to another: data, reports, enquiries, market intelligence.
    KnowledgeTransfer: URIRef  # The from-actor passes research results, technology or know-how to the to-actor.
    LeadershipPost: URIRef  # A post that leads the organisation: president, chair, director, chief executive, manager or head.
    LifeCycleStage: URIRef  # A stage of a cluster's life cycle: emergence, growth, maturity, decline or renewal (concepts of avc:LifeCycleScheme).
    MaterialFlow: URIRef  # Goods, equipment or finished works passed from one actor to another.
    Network: URIRef  # An organisation whose members are clusters, cluster organisations or film commissions of several regions (e.g. REDCAU, Spain Film Commission). Its members state avc:memberOf it.
    Observation: URIRef  # One sourced value of one indicator for one region in one year, with its unit.
    Partnership: URIRef  # The two actors work together under an agreement, memorandum or joint programme. Symmetric.
    Person: URIRef  # A named person who holds posts in the cluster's organisations, as the sources report.
    PolicyMeasure: URIRef  # An instrument by which a public actor supports or steers the sector. Versions of a measure are separate resources linked by dcterms:replaces.
    Post: URIRef  # A person's post in an organisation over a period (W3C ORG's membership, with avc:holder, avc:postIn, avc:postTitle and dates).
    PostProductionCompany: URIRef  # A company that edits, grades, mixes or adds visual effects to audiovisual works after shooting.
    PrivateActor: URIRef  # An actor owned and controlled privately: a company, or a private association or foundation.
    ProductionCompany: URIRef  # A company that develops and produces films, series or other audiovisual works.
    ProfessionalAssociation: URIRef  # An association of producers, technicians or other audiovisual professionals (e.g. NAPAR, CINATEK).
    PublicActor: URIRef  # An actor owned or controlled by a public authority: an administration, or a public company or foundation.
    PublicAdministration: URIRef  # A government, a department or directorate of a government, or a public agency under public law (e.g. the Government of Navarre, Hacienda Foral de Navarra).
    PublicBroadcaster: URIRef  # A publicly owned television or radio broadcaster (e.g. a regional public television). Private broadcasters are avc:Broadcaster.
    PublicEnterprise: URIRef  # A company or foundation with its own legal personality that a public authority owns or controls (e.g. NICDO, Sodena, the former Fundación INAAC).
    PublicPrivateDialogue: URIRef  # A public and a private actor meet to shape policy for the sector (boards, round tables, consultations). Symmetric.
    Region: URIRef  # A territory: a region, a province, a country or a city, where actors are located and figures are observed.
    Relationship: URIRef  # A tie between two actors as a resource of its own, so that it carries dates, a strength and a source: exactly one avc:fromActor and one avc:toActor. Its kind is one of the subclasses.
    ResearchCentre: URIRef  # A research or technology centre, or an R&D unit, whose work serves the audiovisual sector.
    Role: URIRef  # How an actor takes part in a competency: it leads it (avc:LeadRole) or contributes to it (avc:ContributorRole).
    ServiceProvider: URIRef  # A company that supplies services to productions: crew, equipment rental, studios, location services, catering, transport, legal or financial services.
    ServiceSupply: URIRef  # The from-actor supplies services (crew, equipment, facilities, post-production, advice) to the to-actor.
    SharedLeadership: URIRef  # Two organisations led by one person in periods that meet (an interlocking directorate). Never stated: the loader derives avc:sharesLeaderWith and the analysis derives this tie from avc:LeadershipPost resources.
    Source: URIRef  # A published document (article, report, law, web page) that states a fact of the graph. It has a dcterms:title, a schema:url and, where known, a dcterms:date; the supporting quotes are its rdfs:comment.
    SuccessFactor: URIRef  # One of the five factors that shape a region's prospects for an audiovisual cluster (concepts of avc:SuccessFactorScheme); observed directly or through narrower indicators.
    TaxIncentive: URIRef  # A tax deduction or credit for audiovisual production or investment, with an avc:rate and often an avc:cap.
    Training: URIRef  # The from-actor trains specialists for the to-actor or its sector.
    TrainingProgramme: URIRef  # A publicly backed plan or set of courses that trains audiovisual professionals.

    # datatypes
    PartialDate: URIRef  # A calendar date as precise as the source states it: xsd:date when the day is known, xsd:gYearMonth or xsd:gYear when only the month or the year is. Its year is its first four characters.

    # object properties
    assignedTo: URIRef  # The actor of a competency assignment.
    benefits: URIRef  # An actor that a policy measure benefits, as a source states it.
    competency: URIRef  # The competency of a competency assignment.
    contributesTo: URIRef  # The actor takes part in the competency without leading it (undated shortcut of a competency assignment with avc:ContributorRole).
    coProducesWith: URIRef  # Direct form of an avc:CoProduction; symmetric.
    dialoguesWith: URIRef  # Direct form of an avc:PublicPrivateDialogue; symmetric.
    fromActor: URIRef  # The actor a relationship or flow starts from: the one who funds, trains, governs, supplies, transfers or sends.
    fundedBy: URIRef  # A public funder or financier of a project (a grant, loan or investment the source names).
    funds: URIRef  # Direct form of an avc:Funding: the subject funds the object.
    governs: URIRef  # Direct form of an avc:Governance: the subject runs, owns or oversees the object.
    holder: URIRef  # The person who holds a post.
    indicator: URIRef  # The indicator (or success factor) an observation gives a value for.
    issuedBy: URIRef  # The public actor that enacted or runs a policy measure.
    lifeCycleStage: URIRef  # The stage of its life cycle a cluster is in, as its sources judge it.
    locatedIn: URIRef  # The region an actor has its seat in, or the region of a cluster.
    memberOf: URIRef  # An actor belongs to a cluster, or to a network of clusters or film commissions. Membership is not a tie between actors.
    participant: URIRef  # An actor that took part in a project (producer, co-producer, service company, funder).
    partnersWith: URIRef  # Direct form of an avc:Partnership; symmetric.
    postIn: URIRef  # The organisation a post belongs to.
    producedBy: URIRef  # A producer or co-producer of a project. Two producers of one project are co-producers: the data states that tie as an avc:CoProduction dated with the project.
    region: URIRef  # The region a policy measure applies to or an observation describes.
    relatedTo: URIRef  # The most general direct tie between two actors; every kind of relationship has a subproperty of it.
    requiresCompetency: URIRef  # The cluster needs some actor to lead this competency; one that no actor leads is a gap.
    responsibleFor: URIRef  # The actor leads the competency (undated shortcut of a competency assignment with avc:LeadRole). Two actors leading one competency in periods that meet are an overlap.
    role: URIRef  # Whether the actor of a competency assignment leads (avc:LeadRole) or contributes (avc:ContributorRole).
    servicedBy: URIRef  # A company that supplied production services to a project (service producer, studio, equipment, post-production).
    sharesLeaderWith: URIRef  # Two organisations whose leading posts one person holds in periods that meet (an interlocking directorate). Derived from avc:LeadershipPost resources, never stated.
    shotIn: URIRef  # A region where a project was filmed.
    suppliesServicesTo: URIRef  # Direct form of an avc:ServiceSupply: the subject supplies services to the object.
    toActor: URIRef  # The actor a relationship or flow goes to.
    trains: URIRef  # Direct form of an avc:Training: the subject trains specialists for the object.
    transfersKnowledgeTo: URIRef  # Direct form of an avc:KnowledgeTransfer: the subject passes knowledge to the object.

    # datatype properties
    amount: URIRef  # A sum of money in the avc:currency of the same resource: the money of a financial flow, or the budget of a policy measure.
    cap: URIRef  # The most a measure grants per project or beneficiary, in the avc:currency of the measure.
    currency: URIRef  # The ISO 4217 code of the currency of the amounts of a resource, e.g. "EUR".
    endDate: URIRef  # When a relationship, competency assignment or policy measure ended; absent while it goes on.
    legalBasis: URIRef  # The law, article or order a measure rests on, as text (e.g. "Ley Foral 26/2016, art. 65").
    postTitle: URIRef  # The post's title as the source gives it ("presidente", "director general").
    quote: URIRef  # A short verbatim sentence of the source (at most 30 words, in the source's language) that states a fact the graph takes from it. Its English paraphrase, where it is not English, is the source's rdfs:comment.
    rate: URIRef  # The share of eligible spending a measure returns or covers, as a fraction: 0.35 is 35 %.
    startDate: URIRef  # When a relationship, competency assignment or policy measure began, as precisely as known.
    strength: URIRef  # How strong a tie is, from 0 (nominal) to 1 (strongest), where a source supports a judgement.
    unit: URIRef  # The unit of an observation's value, as text (e.g. "percent of GDP", "km2", "companies").
    value: URIRef  # The number an observation states, in its avc:unit.
    year: URIRef  # The calendar year a flow, observation or project belongs to.

    # annotation properties
    directProperty: URIRef  # Links a relationship kind (or a competency role) to the direct property between the two actors (or between the actor and the competency) that its qualified form stands for: a avc:Funding from A to B implies A avc:funds B. The loader derives the direct shortcuts with it.

    # concept schemes
    CompetencyScheme: URIRef  # The functions a regional audiovisual cluster needs some actor to lead.
    IndicatorScheme: URIRef  # Measurable quantities that observations give values for; each informs a success factor where skos:broader says so.
    LifeCycleScheme: URIRef  # The stages a cluster passes through, in the order of their skos:notation.
    RoleScheme: URIRef  # How an actor takes part in a competency.
    SuccessFactorScheme: URIRef  # The five factors that shape a region's prospects for an audiovisual cluster.

    # concepts: Competency
    ClusterCoordination: URIRef  # Bringing the cluster's actors together, setting joint plans and speaking for the sector.
    DistributionPromotion: URIRef  # Bringing works to audiences and markets: distribution, sales, festivals, marketing.
    FilmingPermits: URIRef  # Obtaining or granting the permits to film in public spaces and protected sites.
    IncentiveAdministration: URIRef  # Running tax incentives and grants: rules, applications, certification and payment.
    InformationManagement: URIRef  # Collecting and publishing the sector's data: directories of firms and crew, statistics, impact studies.
    Infrastructure: URIRef  # Providing and running studios, sound stages, venues and other facilities for the sector.
    InternationalPromotion: URIRef  # Promoting the region, its locations, incentives and firms abroad to attract productions and partners.
    LocationServices: URIRef  # Scouting, cataloguing and offering filming locations, and guiding productions to them.
    PostProduction: URIRef  # Editing, colour grading, sound, visual effects and mastering of audiovisual works.
    ProductionFinancing: URIRef  # Providing money for audiovisual projects and firms: grants, loans, equity, guarantees.
    ProductionServices: URIRef  # Supplying local crew, equipment, studios and logistics to productions shooting in the region.
    ResearchInnovation: URIRef  # Research, technology development and innovation projects for audiovisual work.
    SpecialistTraining: URIRef  # Training the crew, technicians, creators and managers the sector needs.

    # concepts: Indicator
    Area: URIRef  # The surface of the region.
    AudiovisualSchools: URIRef  # The number of schools, faculties or degree programmes in the region that train audiovisual professionals.
    ClusterMembers: URIRef  # The number of members of the region's cluster organisation, in total or of one kind (SMEs, large companies, research organisations, others) as the observation's unit states.
    EmploymentPerCompany: URIRef  # The average number of people employed per audiovisual firm (or per member of the association the observation's unit names): the average size of the creative industries.
    FestivalAttendance: URIRef  # The number of people attending or registered at a film festival of the region in a year, as the observation's unit names it: a sign of the region's film culture.
    FilmFestivals: URIRef  # The number of film festivals held in the region, as the observation's source counts them.
    FundedProjects: URIRef  # The number of audiovisual projects that received public funding in the region, for a year or the period the observation states.
    HeritageSites: URIRef  # The number of legally protected heritage sites or monuments in the region, under the definition the observation's comment names (e.g. Bien de Interés Cultural, объект культурного наследия, UNESCO).
    LocationMotiveShare: URIRef  # The share of surveyed producers who say they came to shoot in the region for the quality and variety of its locations: what the territory offers a production.
    MinorityLanguageProductions: URIRef  # The number of audiovisual productions made in the region's own or minority language (e.g. Basque) over the year or period the observation states.
    Museums: URIRef  # The number of museums in the region.
    NationalShootShare: URIRef  # The region's share of its country's film and television shoots over the year or period the observation states.
    Population: URIRef  # The number of inhabitants of the region.
    ProductionsInPeriod: URIRef  # The number of audiovisual projects shot or completed in the region over a period of several years, which the observation's unit states; avc:year, where given, is the period's last year.
    ProductionSpending: URIRef  # Money that audiovisual productions spend in the region, or the turnover or economic impact they generate there, as the observation's unit states, for a year or the period it states.
    ProductionsPerYear: URIRef  # The number of audiovisual projects shot or handled in the region in a year.
    PublicFunding: URIRef  # Public money a regional body commits to audiovisual projects and firms (funds, subsidies, rebate budgets, equity), for a year or the period the observation states.
    RegionalEffect: URIRef  # Spending or turnover that funded projects generate in the region, as a percentage of the funding they received.
    RegisteredCompanies: URIRef  # The number of companies registered or active in the region across all sectors: the breadth of its business base.
    SectorCompanies: URIRef  # The number of audiovisual firms in the region.
    SectorEmployment: URIRef  # The number of people employed in the region's audiovisual sector (or a stated ratio of it).
    SectorGDPShare: URIRef  # The audiovisual sector's share of the region's gross domestic product.
    SectorGVAShare: URIRef  # The share of the region's gross value added that the audiovisual sector (or the wider cultural and creative sector the observation's unit names) produces.
    SectorTurnover: URIRef  # The yearly turnover of the region's audiovisual firms.
    SectorValueAdded: URIRef  # The gross value added of the region's audiovisual sector (or of the wider sector the observation's unit names) in a year, in money.
    ShootingDaysPerYear: URIRef  # The number of shooting days in the region in a year.
    SmallFirmShare: URIRef  # The share of the region's audiovisual firms below a size threshold (employees or turnover); the observation's unit states the threshold. It speaks to the average size of the creative industries.
    Students: URIRef  # The number of students enrolled in the region's higher education in audiovisual communication or the wider communication studies the observation's unit names.
    TertiaryStudents: URIRef  # The number of students enrolled in the region's universities and other tertiary education, all fields.
    TrainingParticipants: URIRef  # The number of people trained (or planned to be trained) by the region's audiovisual training programmes in a year, as the observation's unit states.

    # concepts: LifeCycleStage
    Decline: URIRef  # Activity, firms or ties fall away, for instance after a competing region outbids it.
    Emergence: URIRef  # A few firms and public bodies start to work together; the cluster has no organisation of its own yet or has just founded one.
    Growth: URIRef  # Firms, jobs, productions and ties multiply; new actors and policy measures appear.
    Maturity: URIRef  # The cluster is established and stable: growth slows, competencies have clear leads.
    Renewal: URIRef  # The cluster reorganises around new activities, technologies or policies and grows again.

    # concepts: Role
    ContributorRole: URIRef  # The actor takes part in the competency without leading it.
    LeadRole: URIRef  # The actor leads the competency and answers for it.

    # concepts: SuccessFactor
    BusinessDiversity: URIRef  # How many and how varied the region's firms are across the audiovisual value chain.
    CreativeIndustrySize: URIRef  # How large the region's creative and audiovisual industries are, in output, turnover and jobs.
    HistoricalCulturalHeritage: URIRef  # The region's history, landmarks, landscapes and cultural traditions that draw productions and feed stories.
    HumanCapital: URIRef  # The skilled people the region has and trains for audiovisual work.
    TerritorySize: URIRef  # How large the region is, in area and population.
    # fmt: on
    # generated: end


_START = "    # generated: start (python -m avcluster.kg.vocab)\n"
_END = "    # generated: end\n"
# Kinds of term, in the order the class body lists them; concepts are grouped by their class.
_KINDS = (
    (OWL.Class, "classes"),
    (RDFS.Datatype, "datatypes"),
    (OWL.ObjectProperty, "object properties"),
    (OWL.DatatypeProperty, "datatype properties"),
    (OWL.AnnotationProperty, "annotation properties"),
    (SKOS.ConceptScheme, "concept schemes"),
)


def body(ontology: Graph) -> str:
    """The generated part of the class: every avc: term that the ontology describes."""
    namespace = str(AVC._NS)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for term in set(ontology.subjects()):
        if not isinstance(term, URIRef) or not str(term).startswith(namespace):
            continue
        types = set(ontology.objects(term, RDF.type))
        group = next((title for kind, title in _KINDS if kind in types), None)
        if group is None:
            concept_classes = sorted(str(t)[len(namespace) :] for t in types if str(t).startswith(namespace))
            group = f"concepts: {', '.join(concept_classes)}"
        groups[group].append((str(term)[len(namespace) :], _definition(ontology, term)))
    order = [title for _, title in _KINDS]
    lines = [_START, "    # fmt: off\n"]
    for group in sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g)):
        lines.append(f"\n    # {group}\n")
        for name, definition in sorted(groups[group], key=lambda item: item[0].lower()):
            lines.append(f"    {name}: URIRef  # {definition}\n")
    lines.append("    # fmt: on\n")
    lines.append(_END)
    return "".join(lines)


def _definition(ontology: Graph, term: URIRef) -> str:
    for prop in (RDFS.comment, SKOS.definition):
        for text in ontology.objects(term, prop):
            if getattr(text, "language", None) == "en":
                return re.sub(r"\s+", " ", str(text)).strip()
    return "(no English definition)"


def regenerate(source: str, ontology: Graph) -> str:
    """`source` (this module's text) with the generated part replaced."""
    head, _, rest = source.partition(_START)
    _, _, tail = rest.partition(_END)
    return head + body(ontology) + tail


def ontology_files() -> list[Path]:
    from .namespaces import ONTOLOGY_DIR
    from .ontology import ONTOLOGY_FILES

    return [ONTOLOGY_DIR / name for name in ONTOLOGY_FILES]


def main() -> None:
    ontology = Graph()
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    module = Path(__file__)
    module.write_text(regenerate(module.read_text(encoding="utf-8"), ontology), encoding="utf-8")
    print(f"regenerated {module}")


if __name__ == "__main__":
    main()
