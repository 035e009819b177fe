"""Demo content of complaints for `manage.py load_demo`: the 2026 holiday calendar, thirteen
categories owned by real OKU OPDs, a documented Open311 key for a demo third-party app, and
about thirty reports from across the regency in every stage (new, late, in progress, resolved
and rated, rejected, merged).

Holidays follow the joint ministerial decree (SKB 3 Menteri) on 2026 national holidays and
collective leave; the admin checks and completes the list each year. Reports are written through
services.py (so routing, deadlines, timeline and events are real) and then dated back; e-mail is
muted while loading. Idempotent: categories by code, holidays by date, the key by its prefix,
reports by title.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.actor import acting_as
from satupintu.core.demo.common import Tally, upsert
from satupintu.core.models import Organisation

from . import services
from .deadlines import escalate_overdue
from .models import ApiKey, Category, Holiday, Report, ReportUpdate
from .notifications import muted
from .open311.keys import KEY_PREFIX, hash_key
from .workdays import add_working_days

N, C = Holiday.Kind.NATIONAL, Holiday.Kind.COLLECTIVE_LEAVE
# Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1497 Tahun
# 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 tentang Hari Libur Nasional dan Cuti Bersama
# Tahun 2026 (announced by the Menko PMK on 19 September 2025): 17 national holidays and 8 days
# of collective leave. Checked against the decree's published list on 29 November 2026.
# kind, name, dates (month-day) in 2026
HOLIDAYS_2026 = [
    (N, "Tahun Baru 2026 Masehi", "01-01"),
    (N, "Isra Mikraj Nabi Muhammad SAW", "01-16"),
    (C, "Cuti bersama Tahun Baru Imlek", "02-16"),
    (N, "Tahun Baru Imlek 2577 Kongzili", "02-17"),
    (C, "Cuti bersama Hari Suci Nyepi", "03-18"),
    (N, "Hari Suci Nyepi (Tahun Baru Saka 1948)", "03-19"),
    (N, "Idulfitri 1447 Hijriah", "03-21", "03-22"),
    (C, "Cuti bersama Idulfitri", "03-20", "03-23", "03-24"),
    (N, "Wafat Yesus Kristus", "04-03"),
    (N, "Kebangkitan Yesus Kristus (Paskah)", "04-05"),
    (N, "Hari Buruh Internasional", "05-01"),
    (N, "Kenaikan Yesus Kristus", "05-14"),
    (C, "Cuti bersama Kenaikan Yesus Kristus", "05-15"),
    (N, "Iduladha 1447 Hijriah", "05-27"),
    (C, "Cuti bersama Iduladha", "05-28"),
    (N, "Hari Raya Waisak 2570 BE", "05-31"),
    (N, "Hari Lahir Pancasila", "06-01"),
    (N, "Tahun Baru Islam 1448 Hijriah", "06-16"),
    (N, "Hari Kemerdekaan Republik Indonesia", "08-17"),
    (N, "Maulid Nabi Muhammad SAW", "08-25"),
    (C, "Cuti bersama Hari Raya Natal", "12-24"),
    (N, "Hari Raya Natal", "12-25"),
]

# The demo third-party app's Open311 key, documented in docs/open311.md so the curl examples
# work against `make run`. Stored hashed like every key; load_demo refuses a production
# installation (unless forced), so the documented key exists on demo installations only.
DEMO_OPEN311_KEY = "o311_0de30c0de1.Demo-OKU-Menyapa-2026"
DEMO_OPEN311_CLIENT = "Aplikasi pihak ketiga (demo)"
DEMO_OPEN311_OWNER = "diskominfo"

LEVELS = [
    {"key": "ringan", "name": "Ringan (retak, lubang kecil)"},
    {"key": "sedang", "name": "Sedang (lubang besar, masih bisa dilalui)"},
    {"key": "berat", "name": "Berat (putus atau tidak bisa dilalui)"},
]
DOCUMENTS = [
    {"key": "ktp-el", "name": "KTP-el"},
    {"key": "kk", "name": "Kartu Keluarga"},
    {"key": "akta-kelahiran", "name": "Akta kelahiran"},
    {"key": "akta-kematian", "name": "Akta kematian"},
]

# code, name, group, owner OPD, area-based, response days, completion days, keywords,
# description, attributes
# fmt: off
CATEGORIES = [
    ("jalan-rusak", "Jalan rusak atau berlubang", "Infrastruktur", "dinas-pupr", True, 3, 10,
     "jalan, lubang, aspal, longsor, jembatan",
     "Jalan kabupaten yang berlubang, retak, amblas atau longsor.",
     [{"code": "tingkat", "datatype": "singlevaluelist", "required": False,
       "description": "Tingkat kerusakan", "order": 1, "values": LEVELS}]),
    ("drainase", "Drainase atau gorong-gorong tersumbat", "Infrastruktur", "dinas-pupr", True,
     3, 10, "got, selokan, drainase, gorong-gorong",
     "Saluran air tepi jalan yang tersumbat atau rusak sehingga air meluap.", []),
    ("lampu-jalan", "Lampu penerangan jalan padam", "Infrastruktur", "dishub", True, 3, 7,
     "lampu, PJU, penerangan, gelap", "Lampu penerangan jalan umum (PJU) mati atau rusak.", []),
    ("sampah", "Sampah tidak terangkut", "Lingkungan", "dlh", True, 2, 5,
     "sampah, TPS, bau, kebersihan",
     "Sampah di TPS atau pinggir jalan yang tidak diangkut sesuai jadwal.", []),
    ("pencemaran", "Pencemaran sungai atau udara", "Lingkungan", "dlh", False, 3, 14,
     "limbah, asap, sungai, pencemaran", "Limbah usaha, asap pembakaran atau air sungai tercemar.",
     []),
    ("banjir", "Banjir dan genangan", "Kebencanaan", "bpbd", True, 1, 5,
     "banjir, genangan, luapan, Sungai Ogan",
     "Banjir atau genangan yang mengganggu rumah warga dan jalan.", []),
    ("pohon-tumbang", "Pohon tumbang atau rawan tumbang", "Kebencanaan", "bpbd", True, 1, 3,
     "pohon, tumbang, dahan", "Pohon yang tumbang menutup jalan atau rawan menimpa rumah.", []),
    ("layanan-puskesmas", "Layanan puskesmas", "Kesehatan", "dinkes", False, 3, 10,
     "puskesmas, antre, obat, bidan", "Pelayanan, antrean, obat atau petugas di puskesmas.", []),
    ("administrasi-kependudukan", "KTP-el, KK dan akta", "Administrasi", "disdukcapil", False,
     3, 10, "KTP, KK, akta, blangko, Dukcapil",
     "Pengurusan dokumen kependudukan yang lambat, ditolak atau dipungut biaya.",
     [{"code": "dokumen", "datatype": "singlevaluelist", "required": True,
       "description": "Dokumen yang diurus", "order": 1, "values": DOCUMENTS}]),
    ("air-bersih", "Air bersih dan sumur bor desa", "Infrastruktur", "disperkim", True, 3, 14,
     "air, sumur, PAM, pipa", "Sarana air bersih desa yang rusak atau tidak mengalir.", []),
    ("bantuan-sosial", "Bantuan sosial", "Sosial", "dinsos", False, 5, 20,
     "bansos, PKH, BPNT, DTKS", "Bantuan sosial yang tidak tepat sasaran atau belum diterima.",
     []),
    ("ketertiban-umum", "Ketertiban umum", "Ketertiban", "satpol-pp", True, 3, 7,
     "PKL, parkir liar, ketertiban, balap liar",
     "Pedagang di badan jalan, parkir liar, balap liar dan gangguan ketertiban lain.", []),
    ("lainnya", "Lainnya", "Lainnya", "diskominfo", False, 3, 10, "",
     "Pengaduan yang belum jelas kategorinya; Diskominfo meneruskannya ke OPD yang berwenang.",
     []),
]

V, A, P, R, X, CL = "verified", "assigned", "in_progress", "resolved", "rejected", "closed"

# days ago, category, latitude, longitude, address, title, description, reporter (a demo
# username, a contact name, or None for anonymous), statuses the OPD moved it through,
# rating (1-5) and comment
REPORTS = [
    (41, "jalan-rusak", "-4.052900", "103.957400", "Jl. Poros Desa Segara Kembang",
     "Jalan poros Segara Kembang berlubang dalam",
     "Jalan poros desa depan SD Negeri 12 Lengkiti berlubang sedalam lutut, sudah tiga motor "
     "jatuh bulan ini. Mohon segera ditambal sebelum musim hujan.",
     "siti", [V, A, P, R], 5, "Sudah ditambal rapi, terima kasih Dinas PUPR."),
    (35, "lampu-jalan", "-4.128900", "104.180700", "Jl. Kemalaraja, depan Masjid Al-Ikhlas",
     "Lampu jalan depan masjid padam dua minggu",
     "Tiga tiang lampu PJU di depan Masjid Al-Ikhlas Kemalaraja padam sejak dua minggu lalu, "
     "jemaah subuh berjalan dalam gelap.", "Rahmat Hidayat", [V, A, R], 4,
     "Lampu sudah menyala, tapi satu tiang masih berkedip."),
    (33, "sampah", "-4.121600", "104.184800", "TPS Pasar Baru Baturaja",
     "Sampah TPS Pasar Baru menumpuk ke badan jalan",
     "Sampah di TPS Pasar Baru tidak diangkut empat hari, tumpukan sampai ke badan jalan dan "
     "baunya tercium ke rumah warga.", None, [V, P, R, CL], 4, ""),
    (30, "banjir", "-4.133500", "104.162000", "Jl. Lintas Sumatera, Baturaja Barat",
     "Genangan setinggi betis setelah hujan deras",
     "Setiap hujan deras jalan di depan rumah makan padang tergenang setinggi betis selama "
     "beberapa jam, kendaraan kecil mogok.", "siti", [V, A, P, R], 3,
     "Gorong-gorong sudah dibersihkan, tapi kalau hujan lebat masih tergenang."),
    (28, "administrasi-kependudukan", "-4.130200", "104.168300", "Kantor Disdukcapil Baturaja",
     "Blangko KTP-el habis, disuruh kembali bulan depan",
     "Saya sudah tiga kali datang untuk cetak KTP-el, selalu dijawab blangko habis. Anak saya "
     "perlu KTP untuk daftar kerja.", "Desi Ratnasari", [V, R], 5, "Sudah dicetak hari itu juga."),
    (26, "layanan-puskesmas", "-4.060300", "103.969800", "UPTD Puskesmas Lengkiti",
     "Antrean puskesmas Lengkiti dibuka terlambat",
     "Loket pendaftaran Puskesmas Lengkiti baru buka pukul 09.00 padahal jadwalnya 07.30, "
     "pasien lansia menunggu lama di luar.", "siti", [V, P, R], 4, ""),
    (24, "pohon-tumbang", "-4.205900", "103.908200", "Jl. Raya Semidang Aji, Ulak Lebar",
     "Pohon beringin tumbang menutup jalan",
     "Pohon beringin besar tumbang setelah angin kencang sore ini dan menutup separuh jalan "
     "raya Semidang Aji. Kendaraan harus bergantian lewat.", "Hendri Saputra", [V, A, R], 5,
     "Cepat sekali ditangani BPBD."),
    (22, "jalan-rusak", "-4.041100", "103.988200", "Jl. Desa Bunga Tanjung",
     "Jembatan kayu Bunga Tanjung lapuk",
     "Papan jembatan kayu menuju kebun warga Desa Bunga Tanjung lapuk dan dua papan sudah "
     "patah. Anak-anak sekolah melewatinya setiap hari.", None, [V, A, P, R], 4, ""),
    (20, "air-bersih", "-4.085100", "103.921400", "Dusun II, Pengandonan",
     "Sumur bor desa tidak mengalir sejak pompa rusak",
     "Pompa sumur bor bantuan di Dusun II rusak, sudah tiga minggu warga mengambil air ke "
     "sungai.", "Yuliani", [V, P], None, ""),
    (18, "bantuan-sosial", "-3.989200", "104.338100", "Desa Peninjauan",
     "Nama keluarga miskin hilang dari daftar BPNT",
     "Keluarga kami terdaftar di DTKS tetapi sejak bulan lalu tidak lagi menerima BPNT, tidak "
     "ada penjelasan dari pendamping.", "Marwan", [V, A, P], None, ""),
    (16, "jalan-rusak", "-4.016200", "103.766800", "Jl. Raya Ulu Ogan, Pedataran",
     "Jalan Ulu Ogan amblas di tikungan",
     "Badan jalan di tikungan dekat jembatan Pedataran amblas separuh lajur, sangat berbahaya "
     "untuk truk pengangkut karet di malam hari.", "Iwan Kurniawan", [V, A, P], None, ""),
    (15, "ketertiban-umum", "-4.122400", "104.185900", "Jl. Jend. Ahmad Yani, Baturaja Timur",
     "Parkir liar menutup trotoar Jl. Ahmad Yani",
     "Mobil dan motor parkir di trotoar depan pertokoan, pejalan kaki terpaksa turun ke jalan "
     "raya.", None, [V, A, R], 3, "Sudah ditertibkan tapi besoknya kembali lagi."),
    (14, "pencemaran", "-4.138200", "104.156800", "Tepi Sungai Ogan, Baturaja Barat",
     "Limbah cair berbau dibuang ke Sungai Ogan",
     "Ada saluran dari belakang usaha pencucian yang membuang air berbusa ke Sungai Ogan setiap "
     "malam, ikan di keramba warga mati.", "Ahmad Fauzi", [V, P], None, ""),
    (12, "sampah", "-4.053500", "103.960100", "Depan Pasar Desa Segara Kembang",
     "Tidak ada jadwal angkut sampah di pasar desa",
     "Sampah pasar desa dibakar di pinggir jalan karena tidak pernah diangkut, asapnya masuk ke "
     "sekolah.", "siti", [V], None, ""),
    (11, "drainase", "-4.119800", "104.188300", "Jl. Sukaraya, Baturaja Timur",
     "Got tersumbat, air meluap ke rumah warga",
     "Selokan di sepanjang Jl. Sukaraya tersumbat sampah dan lumpur, setiap hujan air masuk ke "
     "rumah warga RT 04.", "Nurhayati", [V, A], None, ""),
    (10, "layanan-puskesmas", "-4.133100", "104.150900", "Puskesmas Baturaja",
     "Obat hipertensi sering kosong",
     "Sudah dua bulan obat amlodipin untuk peserta prolanis kosong, kami disuruh membeli sendiri "
     "di apotek.", None, [V, A], None, ""),
    (9, "lampu-jalan", "-4.219300", "104.064100", "Jl. Raya Tanjung Kemala, Sosoh Buay Rayap",
     "Lampu jalan di tanjakan gelap total",
     "Sepanjang tanjakan menuju Tanjung Kemala tidak ada satu pun lampu yang menyala, sudah "
     "terjadi dua kecelakaan.", "Rudi Hartawan", [], None, ""),
    (8, "jalan-rusak", "-4.052600", "103.958300", "Jl. Poros Desa Segara Kembang",
     "Lubang jalan depan SD 12 muncul lagi",
     "Lubang di jalan poros dekat SD Negeri 12 Lengkiti terbuka lagi setelah hujan, tambalan "
     "kemarin sudah terkelupas.", "Rahmat Hidayat", [], None, ""),
    (7, "banjir", "-3.988700", "104.341100", "Desa Peninjauan, dekat pasar",
     "Banjir kiriman merendam 20 rumah",
     "Sungai meluap tadi malam dan merendam sekitar 20 rumah warga, perlu perahu karet dan "
     "bantuan makanan.", "Marwan", [V, A, P], None, ""),
    (6, "administrasi-kependudukan", "-4.121900", "104.187100", "Kecamatan Baturaja Timur",
     "Akta kelahiran salah nama ibu",
     "Akta kelahiran anak kami tertulis nama ibu yang salah, sudah mengajukan perbaikan dua "
     "minggu tanpa kabar.", "siti", [V], None, ""),
    (5, "jalan-rusak", "-4.100500", "104.120100", "Jl. Raya Baturaja–Muaradua km 12",
     "Jalan nasional rusak berat di km 12",
     "Ruas jalan lintas Baturaja–Muaradua di km 12 rusak berat, banyak truk terperosok.",
     None, [X], None, ""),
    (5, "sampah", "-4.129500", "104.182100", "Jl. Kemalaraja",
     "Kontainer sampah rusak dan bocor",
     "Kontainer sampah di ujung Jl. Kemalaraja bocor, air sampah mengalir ke jalan dan menarik "
     "lalat.", "Desi Ratnasari", [V], None, ""),
    (4, "ketertiban-umum", "-4.133600", "104.151200", "Lapangan Merdeka Baturaja",
     "Balap liar setiap malam Minggu",
     "Setiap malam Minggu ada balap liar di jalan samping Lapangan Merdeka sampai pukul 02.00, "
     "sangat bising dan berbahaya.", None, [], None, ""),
    (4, "pohon-tumbang", "-4.083900", "103.918700", "Jl. Raya Pengandonan",
     "Dahan besar menggantung di atas jalan",
     "Dahan pohon durian besar patah dan menggantung di atas jalan raya Pengandonan, bisa jatuh "
     "kapan saja.", "Yuliani", [V, A], None, ""),
    (3, "air-bersih", "-4.042300", "103.990100", "Desa Bunga Tanjung",
     "Pipa air bersih desa bocor",
     "Pipa induk air bersih desa bocor di dekat balai desa sehingga rumah di ujung kampung "
     "tidak kebagian air.", "siti", [], None, ""),
    (3, "lainnya", "-4.131000", "104.170000", "Baturaja",
     "Aplikasi antrean MPP tidak bisa dibuka",
     "Aplikasi antrean Mal Pelayanan Publik tidak bisa dibuka sejak pagi, loket penuh orang "
     "menunggu.", "Ahmad Fauzi", [], None, ""),
    (2, "drainase", "-4.134400", "104.149700", "Jl. Dr. Moh. Hatta, Baturaja Barat",
     "Gorong-gorong ambrol di depan sekolah",
     "Gorong-gorong di depan SMP Negeri 1 Baturaja ambrol, lubangnya ditutup seadanya dengan "
     "papan.", "Nurhayati", [], None, ""),
    (1, "bantuan-sosial", "-4.206100", "103.910200", "Desa Ulak Lebar",
     "Lansia belum menerima bantuan sembako",
     "Tiga lansia sebatang kara di RT 02 belum pernah menerima bantuan sembako, mohon didata.",
     None, [], None, ""),
    (1, "jalan-rusak", "-4.052700", "103.958000", "Jl. Poros Desa Segara Kembang",
     "Jalan berlubang dekat SD Negeri 12 Lengkiti",
     "Ada lubang besar dekat SD Negeri 12, motor warga sering oleng di sana.", "Yuliani", [],
     None, ""),
    (0, "layanan-puskesmas", "-4.052100", "103.958900", "Pustu Segara Kembang",
     "Pustu desa tutup saat jam pelayanan",
     "Puskesmas pembantu Segara Kembang tutup hari ini pada jam pelayanan, tidak ada pengumuman.",
     "siti", [], None, ""),
]
# fmt: on

STEP_MESSAGES = {
    V: "Laporan sudah kami periksa dan benar; segera ditindaklanjuti.",
    A: "Laporan didisposisikan ke petugas lapangan.",
    P: "Petugas sedang menangani di lokasi.",
    R: "Pekerjaan selesai; silakan periksa dan beri penilaian.",
    X: "Ruas ini jalan nasional, kewenangan BPJN Sumatera Selatan; laporan diteruskan ke sana.",
    CL: "Laporan ditutup.",
}
# Reports merged into an earlier one of the same place: (duplicate title, original title).
MERGES = [
    ("Jalan berlubang dekat SD Negeri 12 Lengkiti", "Lubang jalan depan SD 12 muncul lagi"),
]


def load_demo(context: dict) -> str:
    tally = ComplaintsDemoTally()
    organisations = context.get("organisations") or {o.code: o for o in Organisation.objects.all()}
    _upsert_each(tally, "hari libur", Holiday, _holiday_rows())
    categories = _upsert_each(tally, "kategori", Category, _category_rows(organisations))
    _upsert_each(tally, "kunci API Open311", ApiKey, _demo_key_rows(organisations))
    users = context.get("users") or {}
    with muted():
        for spec in REPORTS:
            if spec[1] not in categories:
                continue
            if Report.objects.filter(title=spec[5]).exists():
                tally.add("laporan", "unchanged")
            else:
                _report(spec, categories, users)
                tally.add("laporan", "created")
        for duplicate_title, original_title in MERGES:
            _merge(duplicate_title, original_title, users)
        escalate_overdue()
    return str(tally)


@dataclass
class ComplaintsDemoTally(Tally):
    """The counts, followed by the demo Open311 key (as the SSO demo prints its secrets)."""

    def __str__(self) -> str:
        return "\n  ".join(
            [
                super().__str__(),
                _(
                    "Kunci API Open311 aplikasi pihak ketiga demo: %(key)s (contoh curl di "
                    "docs/open311.md)"
                )
                % {"key": DEMO_OPEN311_KEY},
            ]
        )


def _upsert_each(tally: Tally, label: str, model, rows) -> dict:
    """Upsert every (lookup, values) of `rows`, counting outcomes under `label`; returns the
    rows by the value of their lookup."""
    found = {}
    with acting_as(None, via="command:load_demo"):
        for lookup, values in rows:
            instance, outcome = upsert(model, lookup, values)
            tally.add(label, outcome)
            found[next(iter(lookup.values()))] = instance
    return found


def holiday_dates() -> list[tuple[dt.date, str, str]]:
    """(date, name, kind) of every day in HOLIDAYS_2026."""
    return [
        (dt.date.fromisoformat(f"2026-{day}"), name, kind)
        for kind, name, *days in HOLIDAYS_2026
        for day in days
    ]


def _holiday_rows():
    for date, name, kind in holiday_dates():
        yield {"date": date}, {"name": name, "kind": kind}


def _category_rows(organisations: dict):
    for code, name, group, owner, area, respond, complete, words, text, attrs in CATEGORIES:
        if owner not in organisations:
            continue
        yield (
            {"code": code},
            {
                "name": name,
                "group": group,
                "organisation": organisations[owner],
                "area_based": area,
                "response_days": respond,
                "completion_days": complete,
                "keywords": words,
                "description": text,
                "attributes": attrs,
            },
        )


def _demo_key_rows(organisations: dict):
    prefix = DEMO_OPEN311_KEY[len(KEY_PREFIX) :].split(".", 1)[0]
    yield (
        {"prefix": prefix},
        {
            "name": DEMO_OPEN311_CLIENT,
            "organisation": organisations.get(DEMO_OPEN311_OWNER),
            "key_hash": hash_key(DEMO_OPEN311_KEY),
            "is_active": True,
        },
    )


def _actor_for(report: Report, users: dict):
    staff = [u for u in users.values() if getattr(u, "is_staff_member", False)]
    for user in staff:
        if not user.is_platform_admin and services.can_handle(report, user):
            return user
    admins = [u for u in staff if u.is_platform_admin]
    if admins:
        return admins[0]
    from satupintu.accounts.models import User

    return User.objects.filter(is_superuser=True).first()


def _report(spec, categories: dict, users: dict) -> None:
    days, code, lat, lon, address, title, text, who, steps, rating, comment = spec
    category = categories[code]
    reporter = users.get(who) if who else None
    contact = {"name": who} if who and reporter is None else None
    report = services.submit_report(
        category=category,
        title=title,
        description=text,
        channel=Report.Channel.WEB if reporter else Report.Channel.WHATSAPP,
        reporter=reporter,
        contact=contact,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
        address=address,
        is_anonymous=who is None,
        attributes=_attributes(category),
    )
    actor = _actor_for(report, users)
    for step in steps:
        services.change_status(report, step, actor=actor, message=STEP_MESSAGES[step])
    if rating:
        # Reporters without an account rate through the signed link of their e-mail.
        services.rate(
            report, user=reporter, rating=rating, comment=comment, signed_link=reporter is None
        )
    _date_back(report, days)


def _attributes(category: Category) -> dict:
    return {
        a["code"]: a["values"][-1]["key"]
        for a in category.attributes
        if a.get("required") and a.get("values")
    }


def _date_back(report: Report, days: int) -> None:
    """Move the report's history back so it starts `days` ago at office hours, one step per
    working day, with deadlines counted from the new start."""
    now = timezone.now()
    local_now = timezone.localtime(now)
    start = local_now.replace(hour=8, minute=15, second=0, microsecond=0) - dt.timedelta(days=days)
    if start >= now:
        start = now - dt.timedelta(hours=1)
    updates = list(report.updates.order_by("created_at", "pk"))
    span = now - start
    step = min(dt.timedelta(days=1, hours=2), span / (len(updates) + 1))
    times = {}
    for position, update in enumerate(updates):
        moment = start + step * position
        ReportUpdate.objects.filter(pk=update.pk).update(created_at=moment)
        times.setdefault(update.status_to or update.kind, moment)
    fields = {
        "created_at": start,
        "response_due": add_working_days(start, report.category.response_days),
        "completion_due": add_working_days(start, report.category.completion_days),
        "responded_at": None,
        "resolved_at": times.get(Report.Status.RESOLVED),
        "closed_at": times.get(Report.Status.CLOSED) or times.get(Report.Status.REJECTED),
    }
    responded = [t for key, t in times.items() if key not in (Report.Status.RECEIVED,)]
    if report.responded_at is not None and responded:
        fields["responded_at"] = min(responded)
    Report.objects.filter(pk=report.pk).update(**fields)
    # The acknowledgement names the response deadline: name the dated-back one.
    first = updates[0] if updates else None
    if first is not None and report.response_due:
        before = timezone.localtime(report.response_due).strftime("%d-%m-%Y")
        after = timezone.localtime(fields["response_due"]).strftime("%d-%m-%Y")
        ReportUpdate.objects.filter(pk=first.pk).update(
            message=first.message.replace(before, after)
        )


def _merge(duplicate_title: str, original_title: str, users: dict) -> None:
    duplicate = Report.objects.filter(title=duplicate_title, duplicate_of=None).first()
    original = Report.objects.filter(title=original_title).first()
    if duplicate is None or original is None or not duplicate.is_open:
        return
    services.merge(duplicate, original, actor=_actor_for(duplicate, users))
