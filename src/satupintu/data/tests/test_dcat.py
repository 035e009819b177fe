"""The DCAT-AP 3.0.1 catalogue parses in all three serialisations and passes the official
SHACL shapes (mandatory properties and ranges); the Data Package describes the table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from satupintu.core.models import Region
from satupintu.data.models import Resource

from .helpers import data_db, loaded_dataset

pytestmark = data_db()
SHAPES = Path(__file__).with_name("shacl")


@pytest.fixture
def catalogue_data(dinkes, walidata, topic):
    Region.objects.create(code="16.01", name="Kabupaten Ogan Komering Ulu", level=2)
    dataset = loaded_dataset(dinkes, walidata, topic=topic)
    dataset.regions.set(["16.01"])
    dataset.temporal_start, dataset.temporal_end = dt.date(2025, 7, 1), dt.date(2025, 12, 31)
    dataset.save()
    Resource.objects.create(
        dataset=dataset,
        name="Publikasi BPS",
        kind=Resource.Kind.LINK,
        url="https://okukab.bps.go.id/publikasi.html",
        format="PDF",
    )
    return dataset


def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(SHAPES / "shapes.ttl", format="turtle")
    graph.parse(SHAPES / "range.ttl", format="turtle")
    return graph


@pytest.mark.parametrize(
    ("suffix", "rdf_format"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_catalogue_parses_and_conforms(client, catalogue_data, suffix, rdf_format):
    response = client.get(f"/catalog.{suffix}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf_format)
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 2
    assert graph.value(datasets[0], DCTERMS.spatial) is not None
    conforms, _report_graph, report = validate(
        graph, shacl_graph=shapes_graph(), inference="none", abort_on_first=False
    )
    assert conforms, report


def test_catalogue_without_datasets_and_drafts_excluded(client, dinkes, topic):
    loaded_dataset(dinkes, None, topic=topic, publish=False)
    graph = Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    assert not list(graph.subjects(RDF.type, DCAT.Dataset))
    conforms, _g, report = validate(graph, shacl_graph=shapes_graph(), inference="none")
    assert conforms, report


def test_dataset_dcat_and_unpublished_404(client, catalogue_data, dinkes, topic):
    response = client.get(f"/data/{catalogue_data.slug}.jsonld")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="json-ld")
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1
    draft = loaded_dataset(dinkes, None, slug="draf", topic=topic, publish=False)
    assert client.get(f"/data/{draft.slug}.ttl").status_code == 404


def test_datapackage(client, catalogue_data):
    package = client.get(f"/data/{catalogue_data.slug}/datapackage.json").json()
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "cc-by-4.0"
    table = package["resources"][0]
    assert table["schema"]["primaryKey"] == ["kode_kecamatan"]
    fields = {f["name"]: f["type"] for f in table["schema"]["fields"]}
    assert fields["laki_laki"] == "integer" and fields["kecamatan"] == "string"
    assert package["resources"][1]["path"] == "https://okukab.bps.go.id/publikasi.html"
    json.dumps(package)
