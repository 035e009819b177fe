"""DCAT-AP 3.0.1 catalogue of the published open datasets (Turtle, JSON-LD, RDF/XML via rdflib).

Checked in the tests against the official DCAT-AP 3.0.1 SHACL shapes (shapes.ttl and
range.ttl, copied under tests/shacl/)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from .models import Dataset, Resource

# dcat:version is DCAT 3; rdflib's closed DCAT namespace is DCAT 2 and warns on it.
DCAT_VERSION = URIRef(f"{DCAT}version")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FORMATS = {
    "CSV": "CSV",
    "JSON": "JSON",
    "XLSX": "XLSX",
    "XLS": "XLS",
    "PDF": "PDF",
    "ZIP": "ZIP",
    "GEOJSON": "GEOJSON",
    "XML": "XML",
}
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}


def base_url(request=None) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL


def _date(value: dt.date | dt.datetime) -> Literal:
    if isinstance(value, dt.datetime):
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


class CatalogueBuilder:
    def __init__(self, request=None):
        self.base = base_url(request)
        self.graph = Graph()
        for prefix, ns in (
            ("dcat", DCAT),
            ("dct", DCTERMS),
            ("foaf", FOAF),
            ("vcard", VCARD),
            ("skos", SKOS),
            ("adms", ADMS),
        ):
            self.graph.bind(prefix, ns)
        self._agents: dict[int, URIRef] = {}
        self._themes: dict[int, URIRef] = {}

    def uri(self, path: str) -> URIRef:
        return URIRef(f"{self.base}{path}")

    def agent(self, organisation) -> URIRef:
        if organisation.pk not in self._agents:
            node = self.uri(f"/organisasi/{organisation.code}#agent")
            g = self.graph
            g.add((node, RDF.type, FOAF.Agent))
            g.add((node, FOAF.name, Literal(organisation.name, lang="id")))
            self._agents[organisation.pk] = node
        return self._agents[organisation.pk]

    def theme(self, topic) -> URIRef:
        if topic.pk not in self._themes:
            scheme = self.uri("/data/topik#scheme")
            node = self.uri(f"/data/topik/{topic.slug}#concept")
            g = self.graph
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            g.add((scheme, DCTERMS.title, Literal("Topik Satu Data", lang="id")))
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.prefLabel, Literal(topic.name, lang="id")))
            g.add((node, SKOS.inScheme, scheme))
            self._themes[topic.pk] = node
        return self._themes[topic.pk]

    def catalogue(self, datasets) -> URIRef:
        g = self.graph
        installation = settings.INSTALLATION
        node = self.uri("/catalog")
        g.add((node, RDF.type, DCAT.Catalog))
        g.add(
            (node, DCTERMS.title, Literal(f"Satu Data {installation['regency_name']}", lang="id"))
        )
        g.add(
            (
                node,
                DCTERMS.description,
                Literal(
                    f"Katalog data terbuka {installation['regency_name']} (Satu Data Indonesia).",
                    lang="id",
                ),
            )
        )
        publisher = self.uri("/#publisher")
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add(
            (publisher, FOAF.name, Literal(f"Pemerintah {installation['regency_name']}", lang="id"))
        )
        g.add((node, DCTERMS.publisher, publisher))
        homepage = self.uri("/data/")
        g.add((homepage, RDF.type, FOAF.Document))
        g.add((node, FOAF.homepage, homepage))
        language = EU_LANGUAGE.IND
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
        g.add((node, DCTERMS.language, language))
        for dataset in datasets:
            g.add((node, DCAT.dataset, self.dataset(dataset)))
        return node

    def dataset(self, dataset: Dataset) -> URIRef:
        g = self.graph
        page = self.uri(dataset.get_absolute_url())
        node = self.uri(f"{dataset.get_absolute_url()}#dataset")
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(dataset.title, lang="id")))
        g.add((node, DCTERMS.description, Literal(dataset.description, lang="id")))
        g.add((node, DCTERMS.identifier, Literal(f"{self.base}{dataset.get_absolute_url()}")))
        g.add((node, DCTERMS.publisher, self.agent(dataset.organisation)))
        g.add((node, DCTERMS.issued, _date(dataset.published_at or dataset.created_at)))
        g.add((node, DCTERMS.modified, _date(dataset.data_updated_at or dataset.updated_at)))
        g.add((node, DCAT_VERSION, Literal(str(dataset.version))))
        frequency = EU_FREQUENCY[dataset.frequency]
        g.add((frequency, RDF.type, DCTERMS.Frequency))
        g.add((node, DCTERMS.accrualPeriodicity, frequency))
        g.add((page, RDF.type, FOAF.Document))
        g.add((node, DCAT.landingPage, page))
        if dataset.topic_id:
            g.add((node, DCAT.theme, self.theme(dataset.topic)))
        for tag in dataset.tags.all():
            g.add((node, DCAT.keyword, Literal(tag.name, lang="id")))
        contact = BNode()
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.organisation.name)))
        email = dataset.contact_email or dataset.organisation.email
        if email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        g.add((node, DCAT.contactPoint, contact))
        for region in dataset.regions.all():
            place = self.uri(f"/wilayah/{region.code}#location")
            g.add((place, RDF.type, DCTERMS.Location))
            g.add((place, SKOS.prefLabel, Literal(region.name, lang="id")))
            g.add((place, SKOS.notation, Literal(region.code)))
            g.add((node, DCTERMS.spatial, place))
        if dataset.temporal_start or dataset.temporal_end:
            period = BNode()
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if dataset.temporal_start:
                g.add((period, DCAT.startDate, _date(dataset.temporal_start)))
            if dataset.temporal_end:
                g.add((period, DCAT.endDate, _date(dataset.temporal_end)))
            g.add((node, DCTERMS.temporal, period))
        for resource in dataset.resources.all():
            g.add((node, DCAT.distribution, self.distribution(dataset, resource)))
        return node

    def distribution(self, dataset: Dataset, resource: Resource) -> URIRef:
        g = self.graph
        node = self.uri(f"{dataset.get_absolute_url()}#resource-{resource.pk}")
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(resource.name, lang="id")))
        if resource.description:
            g.add((node, DCTERMS.description, Literal(resource.description, lang="id")))
        if resource.kind == Resource.Kind.LINK:
            access = download = URIRef(resource.url)
            fmt = resource.format.upper()
        elif resource.kind == Resource.Kind.FILE and resource.file:
            access = download = self.uri(resource.file_url())
            fmt = resource.format.upper()
        else:
            access = self.uri(reverse("data:resource_detail", args=[dataset.slug, resource.pk]))
            download = self.uri(reverse("data:resource_download", args=[resource.pk, "csv"]))
            fmt = "CSV"
        g.add((node, DCAT.accessURL, access))
        g.add((node, DCAT.downloadURL, download))
        if fmt in FORMATS:
            file_type = EU_FILE_TYPE[FORMATS[fmt]]
            g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
            g.add((node, DCTERMS.format, file_type))
        licence = URIRef(dataset.licence_url or f"{self.base}/data/lisensi/{dataset.licence}")
        g.add((licence, RDF.type, DCTERMS.LicenseDocument))
        g.add((node, DCTERMS.license, licence))
        g.add((node, DCTERMS.modified, _date(resource.last_synced_at or resource.updated_at)))
        return node


def open_datasets():
    return (
        Dataset.objects.open_data()
        .select_related("organisation", "topic")
        .prefetch_related("tags", "regions", "resources")
    )


def catalogue_graph(request=None) -> Graph:
    builder = CatalogueBuilder(request)
    builder.catalogue(open_datasets())
    return builder.graph


def dataset_graph(dataset: Dataset, request=None) -> Graph:
    builder = CatalogueBuilder(request)
    builder.dataset(dataset)
    return builder.graph


def serialise(graph: Graph, kind: str) -> tuple[str, str]:
    rdflib_format, content_type = SERIALISATIONS[kind]
    return graph.serialize(format=rdflib_format), content_type
