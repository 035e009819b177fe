"""Demo content of the data hub for `manage.py load_demo`: three OKU datasets from bundled CSV
files, each synced through the normal engine and published through the walidata workflow.
Idempotent: a second run finds everything in place and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.files.base import ContentFile

from satupintu.core.models import Organisation, Region

from ..models import ActivityMetadata, Dataset, Indicator, Resource, Source, Tag, Topic, Variable

HERE = Path(__file__).resolve().parent

TOPICS = {
    "kependudukan": ("Kependudukan", "Jumlah, sebaran dan komposisi penduduk."),
    "kesehatan": ("Kesehatan", "Fasilitas, tenaga dan layanan kesehatan."),
    "infrastruktur": ("Infrastruktur", "Jalan, jembatan, irigasi dan bangunan publik."),
}


@dataclass
class DemoDataset:
    slug: str
    organisation: str
    topic: str
    title: str
    description: str
    file: str
    tags: list[str]
    frequency: str
    key_columns: list[str]
    filters: list[str] = field(default_factory=list)
    region_column: str = ""
    units: dict[str, str] = field(default_factory=dict)
    declassify: dict[str, str] = field(default_factory=dict)
    # The period the figures describe (empty when the source does not say: never invented).
    temporal: tuple[date, date] | None = None


DATASETS = [
    DemoDataset(
        "penduduk-kecamatan-2025",
        "disdukcapil",
        "kependudukan",
        "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin, Semester II 2025",
        "Jumlah penduduk Kabupaten Ogan Komering Ulu hasil konsolidasi data kependudukan "
        "semester II 2025, per kecamatan dan jenis kelamin, beserta luas wilayah.",
        "penduduk-kecamatan-2025.csv",
        ["penduduk", "kecamatan", "jenis kelamin"],
        "ANNUAL",
        ["kode_kecamatan"],
        filters=["kode_kecamatan"],
        region_column="kode_kecamatan",
        units={
            "jumlah_penduduk_jiwa_laki_laki": "jiwa",
            "jumlah_penduduk_jiwa_perempuan": "jiwa",
            "luas_wilayah_km2": "km²",
        },
        temporal=(date(2025, 7, 1), date(2025, 12, 31)),
    ),
    DemoDataset(
        "fasilitas-kesehatan",
        "dinkes",
        "kesehatan",
        "Fasilitas Kesehatan Kabupaten Ogan Komering Ulu",
        "Rumah sakit dan puskesmas di Kabupaten Ogan Komering Ulu dengan lokasi, jenis dan "
        "jumlah tempat tidur rawat inap.",
        "fasilitas-kesehatan.csv",
        ["kesehatan", "puskesmas", "rumah sakit"],
        "ANNUAL",
        ["nama_fasilitas"],
        filters=["jenis", "kode_kecamatan"],
        region_column="kode_kecamatan",
        units={"tempat_tidur": "unit"},
        declassify={
            "alamat": "Alamat kantor fasilitas kesehatan milik pemerintah, bukan alamat "
            "pribadi; informasi publik menurut UU 14/2008."
        },
    ),
    DemoDataset(
        "panjang-jalan-kondisi-2025",
        "dinas-pupr",
        "infrastruktur",
        "Panjang Jalan Kabupaten menurut Kondisi per Kecamatan, 2025",
        "Panjang ruas jalan kabupaten (km) menurut kondisi baik, sedang, rusak ringan dan rusak "
        "berat, hasil survei kondisi jalan Dinas PUPR 2025.",
        "panjang-jalan-kondisi-2025.csv",
        ["jalan", "infrastruktur", "kondisi jalan"],
        "ANNUAL",
        ["kode_kecamatan"],
        filters=["kode_kecamatan"],
        region_column="kode_kecamatan",
        units={"baik_km": "km", "sedang_km": "km", "rusak_ringan_km": "km", "rusak_berat_km": "km"},
        temporal=(date(2025, 1, 1), date(2025, 12, 31)),
    ),
]


def _walidata(context: dict):
    users = context.get("users", {})
    return users.get("rina") or users.get("admin")


def _publisher(context: dict):
    return context.get("users", {}).get("admin")


def load_demo(context: dict) -> str:
    from ..sync import run_sync

    created = 0
    failed: list[str] = []
    for slug, (name, description) in TOPICS.items():
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    organisations = context.get("organisations") or {o.code: o for o in Organisation.objects.all()}
    regency = Region.objects.filter(code="16.01").first()
    for spec in DATASETS:
        organisation = organisations.get(spec.organisation)
        if organisation is None:
            continue
        dataset, made = Dataset.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "organisation": organisation,
                "title": spec.title,
                "description": spec.description,
                "topic": Topic.objects.get(slug=spec.topic),
                "frequency": spec.frequency,
                "contact_name": f"Pengelola data {organisation.short_name}",
                "contact_email": organisation.email,
                "temporal_start": spec.temporal[0] if spec.temporal else None,
                "temporal_end": spec.temporal[1] if spec.temporal else None,
            },
        )
        if not made:
            continue
        created += 1
        dataset.tags.set([Tag.objects.get_or_create(name=t)[0] for t in spec.tags])
        if regency:
            dataset.regions.set([regency])
        source = Source(organisation=organisation, name=f"Berkas {spec.file}", kind=Source.Kind.CSV)
        source.file.save(spec.file, ContentFile((HERE / spec.file).read_bytes()), save=False)
        source.save()
        resource = Resource.objects.create(
            dataset=dataset,
            name=spec.title,
            source=source,
            format="CSV",
            key_columns=spec.key_columns,
            schedule=Resource.Schedule.WEEKLY,
        )
        run = run_sync(resource)
        if run.status != run.Status.SUCCEEDED:
            failed.append(f"{spec.slug}: {run.error}")
            continue
        variables = resource.variables
        variables.filter(name__in=spec.filters).update(is_filter=True)
        if spec.region_column:
            variables.filter(name=spec.region_column).update(reference=Variable.Reference.REGION)
        for name, unit in spec.units.items():
            variables.filter(name=name).update(unit=unit)
        _add_statistical_metadata(dataset, resource)
        publisher, walidata = _publisher(context), _walidata(context)
        if publisher is None or walidata is None:
            continue
        for name, reason in spec.declassify.items():
            variables.filter(name=name).update(
                declassified=True,
                declassified_reason=reason,
                declassified_by=walidata,
                is_published=True,
            )
        dataset.refresh_from_db()
        dataset.submit(publisher)
        dataset.approve(walidata, "Data demo diperiksa walidata.")
    if failed:
        # The datasets stay as drafts; the run pages say what went wrong.
        return f"{created} dataset, belum terbit: " + "; ".join(failed)
    return f"{created} dataset" if created else ""


def _add_statistical_metadata(dataset: Dataset, resource: Resource) -> None:
    """The BPS forms for the road survey: MS-Keg (the activity) and MS-Ind (the road-condition
    indicator of the minimum service standard), so the dataset page shows them filled in."""
    if dataset.slug != "panjang-jalan-kondisi-2025":
        return
    ActivityMetadata.objects.create(
        dataset=dataset,
        title="Survei Kondisi Jalan Kabupaten",
        year=2025,
        organiser=dataset.organisation.name,
        method=ActivityMetadata.Method.SURVEY,
        frequency="Tahunan",
        purpose="Mengetahui kondisi ruas jalan kabupaten sebagai dasar program pemeliharaan "
        "dan peningkatan jalan.",
        coverage="Seluruh ruas jalan kabupaten di 13 kecamatan",
        collection_unit="Ruas jalan",
    )
    indicator = Indicator.objects.create(
        dataset=dataset,
        name="Persentase panjang jalan kabupaten dalam kondisi mantap",
        definition="Bagian panjang jalan kabupaten yang berada dalam kondisi baik atau sedang.",
        formula="(baik_km + sedang_km) / (baik_km + sedang_km + rusak_ringan_km + "
        "rusak_berat_km) × 100",
        unit="persen",
        interpretation="Makin tinggi nilainya, makin besar bagian jalan yang layak dilalui.",
        aggregation_level="Kabupaten, kecamatan",
    )
    indicator.variables.set(
        resource.variables.filter(
            name__in=["baik_km", "sedang_km", "rusak_ringan_km", "rusak_berat_km"]
        )
    )
