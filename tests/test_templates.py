"""The spreadsheet templates: example files map to the expected triples, xlsx reads like CSV, and
every kind of bad cell is refused with the line (or sheet row), the column and a cause."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from avcluster.kg.errors import InputError
from avcluster.kg.ingest import check, read_dataset
from avcluster.kg.namespaces import AVC, DATA_DIR, ID, PREFIXES
from avcluster.kg.parsing import read_triples
from avcluster.kg.stores import open_store
from avcluster.kg.templates import TEMPLATES, VOCABULARIES, vocabulary

EXAMPLES = DATA_DIR / "templates"
BAD = Path(__file__).parent / "fixtures" / "templates"


def term(prefixed: str) -> ox.NamedNode:
    prefix, local = prefixed.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=term(datatype))


def statements(triples: list[ox.Triple], slug: str) -> set[tuple[ox.NamedNode, object]]:
    subject = ox.NamedNode(ID[slug])
    return {(t.predicate, t.object) for t in triples if t.subject == subject}


SOURCE = (term("dcterms:source"), term("id:example-source"))
TYPE = term("rdf:type")

# One row of each example file, as the exact triples it must give.
EXPECTED = {
    "sources": (
        "example-source",
        {
            (TYPE, term("avc:Source")),
            (term("dcterms:title"), ox.Literal("Example source: the title of the document you cite")),
            (term("schema:url"), typed("https://example.org/", "xsd:anyURI")),
            (term("dcterms:date"), typed("2024-05-01", "xsd:date")),
            (term("rdfs:comment"), ox.Literal("Example quote, copied word for word from the source")),
            (term("rdfs:comment"), ox.Literal("A second quote from the same source takes a row of its own")),
        },
    ),
    "actors": (
        "example-film-commission",
        {
            (TYPE, term("avc:FilmCommission")),
            (term("rdfs:label"), ox.Literal("Comisión de Cine de Ejemplo", language="es")),
            (term("rdfs:label"), ox.Literal("Example Film Commission", language="en")),
            (term("dcterms:created"), typed("2010-06", "xsd:gYearMonth")),
            (term("avc:locatedIn"), term("id:example-region")),
            (term("avc:memberOf"), term("id:example-cluster")),
            SOURCE,
        },
    ),
    "relationships": (
        "example-rel-government-funds-film-commission",
        {
            (TYPE, term("avc:Funding")),
            (term("avc:fromActor"), term("id:example-regional-government")),
            (term("avc:toActor"), term("id:example-film-commission")),
            (term("avc:startDate"), typed("2010", "xsd:gYear")),
            (term("avc:strength"), typed("0.8", "xsd:decimal")),
            (term("rdfs:comment"), ox.Literal("An example row: replace it with a real tie")),
            SOURCE,
        },
    ),
    "competencies": (
        "example-studio-contributes-to-post-production",
        {
            (TYPE, term("avc:CompetencyAssignment")),
            (term("avc:assignedTo"), term("id:example-studio")),
            (term("avc:competency"), term("avc:PostProduction")),
            (term("avc:role"), term("avc:ContributorRole")),
            (term("avc:startDate"), typed("2016", "xsd:gYear")),
            (term("avc:endDate"), typed("2019", "xsd:gYear")),
            SOURCE,
        },
    ),
    "measures": (
        "example-tax-incentive-2020",
        {
            (TYPE, term("avc:TaxIncentive")),
            (term("rdfs:label"), ox.Literal("Example tax credit for audiovisual production")),
            (term("avc:issuedBy"), term("id:example-regional-government")),
            (term("avc:rate"), typed("0.35", "xsd:decimal")),
            (term("avc:currency"), ox.Literal("EUR")),
            (term("avc:cap"), typed("5000000", "xsd:decimal")),
            (term("avc:startDate"), typed("2020", "xsd:gYear")),
            (term("avc:region"), term("id:example-region")),
            (term("avc:legalBasis"), ox.Literal("Example Act 1/2020")),
            (term("rdfs:comment"), ox.Literal("An example row: replace it with a real measure")),
            SOURCE,
        },
    ),
    "observations": (
        "example-observation-sector-employment-2022",
        {
            (TYPE, term("avc:Observation")),
            (term("avc:indicator"), term("avc:SectorEmployment")),
            (term("avc:region"), term("id:example-region")),
            (term("avc:value"), typed("1200", "xsd:decimal")),
            (term("avc:unit"), ox.Literal("people employed in the audiovisual sector")),
            (term("avc:year"), typed("2022", "xsd:integer")),
            (term("rdfs:comment"), ox.Literal("An example row: replace it with a real figure")),
            SOURCE,
        },
    ),
    "flows": (
        "example-flow-grant-to-studio-2021",
        {
            (TYPE, term("avc:FinancialFlow")),
            (term("avc:fromActor"), term("id:example-regional-government")),
            (term("avc:toActor"), term("id:example-studio")),
            (term("avc:year"), typed("2021", "xsd:integer")),
            (term("avc:amount"), typed("200000", "xsd:decimal")),
            (term("avc:currency"), ox.Literal("EUR")),
            (term("rdfs:comment"), ox.Literal("An example row: replace it with a real flow")),
            SOURCE,
        },
    ),
}


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_example_file_gives_the_expected_triples(kind: str) -> None:
    triples = read_triples(EXAMPLES / f"{kind}.csv")
    slug, expected = EXPECTED[kind]
    assert statements(triples, slug) == expected
    assert all(str(t.subject).startswith(f"<{ID}example-") for t in triples)
    assert len(triples) == len(set(triples))


def test_lists_in_cells_give_one_triple_each() -> None:
    triples = read_triples(EXAMPLES / "actors.csv")
    studio = statements(triples, "example-studio")
    assert {(TYPE, term("avc:AnimationStudio")), (TYPE, term("avc:ProductionCompany"))} <= studio
    assert (term("rdfs:label"), ox.Literal("Example Studio")) in studio  # no label_lang: no tag
    grant = statements(read_triples(EXAMPLES / "measures.csv"), "example-development-grant-2021")
    benefits = {o for p, o in grant if p == term("avc:benefits")}
    assert benefits == {term("id:example-studio"), term("id:example-film-commission")}


def test_examples_with_their_region_are_valid_data() -> None:
    store = open_store("memory:")
    datasets = [read_dataset(p) for p in sorted(EXAMPLES.glob("*")) if p.suffix in (".csv", ".ttl")]
    check(store, datasets)
    problems = [p.describe() for d in datasets for p in d.problems if p.severity == "Violation"]
    assert problems == []


# --- bad input ------------------------------------------------------------------------------------

BAD_FILES = [
    ("unknown-header.csv", 1, ["unknown header (name, address, phone)", "templates (* =", "actors (id*"]),
    ("missing-required-column.csv", 1, ["actors header", "missing required column(s) type"]),
    ("extra-column.csv", 1, ["actors header", "unknown column 'notes'"]),
    ("misspelt-column.csv", 1, ["missing required column(s) label", "'lable' (did you mean label?)"]),
    ("too-many-cells.csv", 3, ["10 cells where the header (line 1) has 9", "double quotes"]),
    ("too-few-cells.csv", 2, ["5 cells where the header (line 1) has 9"]),
    ("empty-required-cell.csv", 3, ["column label: empty, but the actors template requires a value"]),
    ("bad-date.csv", 2, ["column start: '2019-13' is not a date"]),
    ("bad-number.csv", 2, ["column rate: '0,35' is not a fraction; use '.' for decimals"]),
    ("bad-strength.csv", 2, ["column strength: 1.5 is out of range", "between 0 and 1"]),
    ("bad-year.csv", 2, ["column year: '21' is not a year"]),
    ("unknown-type.csv", 2, ["column type: unknown actor type 'FilmComission'; did you mean FilmCommission"]),
    ("unknown-kind.csv", 2, ["column kind: unknown relationship kind 'Funds'", "CoProduction, Funding"]),
    ("unknown-competency.csv", 2, ["column competency: unknown competency 'LocationScouting'", "Location"]),
    ("unknown-role.csv", 2, ["column role: unknown role 'Leader'", "ContributorRole, LeadRole"]),
    ("unknown-indicator.csv", 2, ["column indicator: unknown indicator 'Employment'", "SectorEmployment"]),
    ("slug-with-space.csv", 2, ["column id: 'Comisión de Cine' is not a slug", "(e.g. comision-de-cine)"]),
    ("list-in-single-id-column.csv", 2, ["column from: 'example-a;example-c': this column takes one id"]),
    ("slug-with-control.csv", 2, ["column to: 'example-\\x07b' is not a slug"]),
    ("latin-1.csv", 3, ["not UTF-8 (byte 0xf3"]),
    ("open-quote.csv", 2, ["is a double quote left open?"]),
    ("repeated-id.csv", 3, ["column id: 'example-rel-a' is already used on line 2"]),
    ("copied-row.csv", 3, ["column type: 'FilmCommission' differs from 'AnimationStudio' on line 2"]),
    ("second-label-same-language.csv", 4, ["column label_lang: 'example-studio' already has a label in"]),
    ("end-before-start.csv", 2, ["column end: 2011 is before start 2012-05"]),
    ("amount-without-currency.csv", 2, ["column currency: empty, but amount needs a currency"]),
    ("bad-url.csv", 2, ["column url: 'www.example.org' is not a web address"]),
    ("bad-language.csv", 2, ["column label_lang: 'english' is not a language tag"]),
    ("no-header.csv", 1, ["no header row"]),
    ("header-only.csv", None, ["no data rows under the header"]),
]


@pytest.mark.parametrize(("name", "line", "fragments"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_with_line_column_and_cause(name: str, line: int | None, fragments: list[str]) -> None:
    path = BAD / name
    with pytest.raises(InputError) as caught:
        read_triples(path)
    error = caught.value
    assert (error.path, error.line) == (str(path), line)
    for fragment in fragments:
        assert fragment in error.cause
    assert "\n" not in str(error)


def test_every_bad_fixture_is_tested() -> None:
    assert {p.name for p in BAD.iterdir()} == {b[0] for b in BAD_FILES}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_bom_comments_semicolons_and_multiline_cells_keep_line_numbers(tmp_path: Path) -> None:
    content = (
        "\ufeff# Asturias, filled in by hand\r\n"
        "# second comment line\r\n"
        "\r\n"
        "SOURCE;To;From;Kind;ID;Start;End;Strength;Comment\r\n"  # any order, any case
        "example-source;example-b;example-a;Funding;example-rel-a;;;;"
        '"a comment\r\nover two lines; with ;"\r\n'
        ";;;;;;;;\r\n"
        "example-source;example-b;example-a;Funding;example-rel-b;;;0.5\r\n"
    )
    with pytest.raises(InputError) as caught:
        read_triples(write(tmp_path, "asturias.csv", content))
    assert caught.value.line == 8
    assert "8 cells where the header (line 4) has 9" in caught.value.cause
    fixed = content.replace(";0.5\r\n", ";0.5;\r\n")
    triples = read_triples(write(tmp_path, "fixed.csv", fixed))
    comment = next(t.object for t in triples if t.predicate == term("rdfs:comment"))
    assert comment == ox.Literal("a comment\nover two lines; with ;")
    assert len(statements(triples, "example-rel-b")) == 5


def test_text_cells_stay_literals(tmp_path: Path) -> None:
    label = '<script>alert(1)</script> "quoted" > . ; @en ^^xsd:int'
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            [c.name for c in TEMPLATES["actors"].columns],
            ["example-a", "Festival", label, "", "", "", "", "", "", '=HYPERLINK("x")', "example-source"],
        ]
    )
    triples = read_triples(write(tmp_path, "a.csv", buffer.getvalue()))
    assert (term("rdfs:label"), ox.Literal(label)) in statements(triples, "example-a")
    assert (term("rdfs:comment"), ox.Literal('=HYPERLINK("x")')) in statements(triples, "example-a")
    assert len(triples) == 4


# --- xlsx -----------------------------------------------------------------------------------------


def csv_rows(kind: str) -> list[list[object]]:
    text = (EXAMPLES / f"{kind}.csv").read_text(encoding="utf-8")
    return [list(row) for row in csv.reader(io.StringIO(text))]


def as_spreadsheet_value(cell: object) -> object:
    """What a spreadsheet stores when someone types the cell: numbers and days become typed values."""
    assert isinstance(cell, str)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return datetime.datetime.fromisoformat(cell)
    if re.fullmatch(r"\d+", cell):
        return int(cell)
    if re.fullmatch(r"\d*\.\d+", cell):
        return float(cell)
    return cell or None


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_workbook_with_a_sheet_per_template_reads_like_the_csv_files(tmp_path: Path) -> None:
    sheets: dict[str, list[list[object]]] = {"Notes": [["Read data/templates/README.md"]]}
    for kind in TEMPLATES:
        sheets[kind] = [[as_spreadsheet_value(c) for c in row] for row in csv_rows(kind)]
    path = write(tmp_path, "region.xlsx", workbook_bytes(sheets))
    from_csv = {t for kind in TEMPLATES for t in read_triples(EXAMPLES / f"{kind}.csv")}
    assert set(read_triples(path)) == from_csv


def test_workbook_without_template_sheet_names_reads_its_first_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [["# filled in by hand"], [], *csv_rows("relationships")]
    path = write(tmp_path, "ties.xlsx", workbook_bytes({"Sheet1": rows, "Sheet2": [["ignored"]]}))
    assert read_triples(path) == read_triples(EXAMPLES / "relationships.csv")


def test_workbook_error_names_sheet_row_and_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["# comment"], [], *csv_rows("relationships")]
    rows[3][6] = 2  # the first data row, sheet row 4: strength
    path = write(tmp_path, "ties.xlsx", workbook_bytes({"notes": [["x"]], "relationships": rows}))
    with pytest.raises(InputError) as caught:
        read_triples(path)
    assert caught.value.line == 4
    assert caught.value.cause.startswith("sheet 'relationships', column strength: 2 is out of range")


def test_workbook_sheet_named_for_another_template_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "x.xlsx", workbook_bytes({"flows": csv_rows("actors")}))
    with pytest.raises(InputError) as caught:
        read_triples(path)
    assert (caught.value.line, caught.value.cause) == (
        1,
        "sheet 'flows', the sheet is named flows, but the header is of actors",
    )


def test_workbook_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    original = zipfile.ZipFile(io.BytesIO(workbook_bytes({"actors": csv_rows("actors")})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as hostile:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            hostile.writestr(member, data)
    with pytest.raises(InputError, match=r"DOCTYPE/ENTITY declarations are refused \(in xl/workbook.xml\)"):
        read_triples(write(tmp_path, "x.xlsx", buffer.getvalue()))


def test_file_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        read_triples(write(tmp_path, "x.xlsx", b"id,title\nexample,Example\n"))


# --- the names and the documentation agree with the ontology ---------------------------------------

DESIGN_NAMES = {
    "actor": "PublicAdministration FilmCommission ClusterOrganization Company ProductionCompany "
    "PostProductionCompany AnimationStudio DistributionCompany Broadcaster ServiceProvider EducationCentre "
    "ResearchCentre FinancialInstitution Festival ProfessionalAssociation",
    "relationship": "Funding Training CoProduction ServiceSupply Partnership PublicPrivateDialogue "
    "KnowledgeTransfer Governance",
    "flow": "InformationFlow FinancialFlow MaterialFlow",
    "measure": "TaxIncentive Grant TrainingProgramme",
    "role": "LeadRole ContributorRole",
    "indicator": "HistoricalCulturalHeritage CreativeIndustrySize TerritorySize BusinessDiversity HumanCapital",
}


@pytest.mark.parametrize("vocab", list(VOCABULARIES))
def test_vocabulary_holds_the_design_names_and_only_ontology_terms(vocab: str) -> None:
    names = vocabulary(vocab)
    assert set(DESIGN_NAMES.get(vocab, "").split()) <= names
    assert len(names) >= 2
    assert not {n for n in names if not re.fullmatch(r"[A-Z][A-Za-z]+", n)}
    assert VOCABULARIES[vocab][2] not in names  # the class itself is no kind of itself


def test_readme_documents_every_column_and_every_name() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for kind, template in TEMPLATES.items():
        section = readme.split(f"### {kind} ")[1].split("###")[0]
        documented = re.findall(r"^\| `(\w+)` \| ?(\*?) ?\|", section, flags=re.MULTILINE)
        assert documented == [(c.name, "*" if c.required else "") for c in template.columns], kind
    # Every name the README shows is accepted; the names of the design contract are all shown.
    # (The ontology may grow past the README: the error messages list every accepted name.)
    shown = set(re.findall(r"`([A-Z][a-z]+[A-Za-z]*)`", readme))
    accepted = set().union(*(vocabulary(v) for v in VOCABULARIES))
    assert shown - accepted == set()
    assert set(" ".join(DESIGN_NAMES.values()).split()) - shown == set()


def test_names_become_avc_terms() -> None:
    triples = read_triples(EXAMPLES / "competencies.csv")
    assert ox.NamedNode(AVC["LocationServices"]) in {t.object for t in triples}
