"""Territorial governments of the demo regency: the 13 kecamatan of Ogan Komering Ulu (names
from the Kemendagri list), village governments of Kecamatan Lengkiti, kelurahan in Baturaja,
and an agency outside the regency government (BPS). Heads are fictitious; office coordinates
are approximate positions of each district's centre."""

from __future__ import annotations

from .opds import DemoOrganisation, Kind

# district code -> (camat, office address, latitude, longitude, office phone)
KECAMATAN = {
    "16.01.07": (
        "Sukirman, S.Sos.",
        "Jl. Raya Tanjung Kemala, Sosoh Buay Rayap",
        "-4.219000",
        "104.063000",
        "(0735) 350 107",
    ),
    "16.01.08": (
        "Rudi Hartono, S.IP.",
        "Jl. Raya Pengandonan No. 1",
        "-4.083000",
        "103.919000",
        "(0735) 350 108",
    ),
    "16.01.09": (
        "Herman Syah, S.Sos., M.Si.",
        "Jl. Lintas Sumatera, Peninjauan",
        "-3.988000",
        "104.340000",
        "(0735) 350 109",
    ),
    "16.01.13": (
        "Andi Wijaya, S.STP., M.Si.",
        "Jl. Dr. Moh. Hatta No. 40, Baturaja",
        "-4.133000",
        "104.150000",
        "(0735) 320 913",
    ),
    "16.01.14": (
        "Dra. Hj. Rosmala Dewi",
        "Jl. Jend. Ahmad Yani No. 15, Baturaja",
        "-4.121000",
        "104.186000",
        "(0735) 320 914",
    ),
    "16.01.20": (
        "Syamsul Anwar, S.Sos.",
        "Jl. Raya Ulu Ogan, Pedataran",
        "-4.015000",
        "103.765000",
        "(0735) 350 120",
    ),
    "16.01.21": (
        "Mahmud Azhari, S.H.",
        "Jl. Raya Semidang Aji, Ulak Lebar",
        "-4.205000",
        "103.909000",
        "(0735) 350 121",
    ),
    "16.01.22": (
        "Irwansyah, S.E., M.M.",
        "Jl. Raya Lubuk Batang, Lubuk Batang Lama",
        "-4.278000",
        "104.130000",
        "(0735) 350 122",
    ),
    "16.01.28": (
        "Junaidi Saleh, S.Sos., M.Si.",
        "Jl. Raya Lengkiti, Tanjunglengkayap",
        "-4.066000",
        "103.975000",
        "(0735) 350 128",
    ),
    "16.01.29": (
        "Budiman Tarigan, S.STP.",
        "Jl. Lintas Sumatera, Sinar Peninjauan",
        "-3.903000",
        "104.395000",
        "(0735) 350 129",
    ),
    "16.01.30": (
        "Hj. Fatimah Zahra, S.Sos.",
        "Jl. Raya Lubuk Raja, Batu Winangun",
        "-4.180000",
        "104.023000",
        "(0735) 350 130",
    ),
    "16.01.31": (
        "Kurniadi, S.IP., M.Si.",
        "Jl. Raya Muara Jaya, Tanjung Manggus",
        "-4.248000",
        "103.850000",
        "(0735) 350 131",
    ),
    "16.01.32": (
        "Ahmad Dhani Putra, S.STP.",
        "Jl. Lintas Sumatera, Kedaton Peninjauan Raya",
        "-4.040000",
        "104.290000",
        "(0735) 350 132",
    ),
}

# village code -> (code of the organisation, head, office, latitude, longitude, description)
VILLAGES = {
    "16.01.28.2009": (
        "desa-segara-kembang",
        "Suharto Jayadi",
        "Balai Desa Segara Kembang, Kec. Lengkiti",
        "-4.052300",
        "103.958100",
        "Pemerintah Desa Segara Kembang: pelayanan administrasi warga (surat keterangan, "
        "pengantar KTP dan KK), pengelolaan dana desa, BUMDes dan posyandu.",
    ),
    "16.01.28.2017": (
        "desa-bunga-tanjung",
        "Zulfikar",
        "Balai Desa Bunga Tanjung, Kec. Lengkiti",
        "-4.041700",
        "103.989400",
        "Pemerintah Desa Bunga Tanjung: pelayanan administrasi warga, pembangunan jalan "
        "usaha tani dan pengelolaan dana desa.",
    ),
    "16.01.14.1004": (
        "kelurahan-kemalaraja",
        "Hendra Gunawan, S.STP.",
        "Jl. Kemalaraja No. 7, Baturaja",
        "-4.128400",
        "104.181200",
        "Kelurahan Kemalaraja: pelayanan administrasi kependudukan tingkat kelurahan, "
        "ketenteraman dan kebersihan lingkungan.",
    ),
    "16.01.14.1005": (
        "kelurahan-sukaraya",
        "Nurlela, S.Sos.",
        "Jl. Sukaraya No. 2, Baturaja",
        "-4.118900",
        "104.189600",
        "Kelurahan Sukaraya: pelayanan surat keterangan, pemberdayaan RT/RW dan PKK.",
    ),
    "16.01.14.1001": (
        "kelurahan-baturaja-lama",
        "M. Ridwan, S.E.",
        "Jl. Baturaja Lama No. 11, Baturaja",
        "-4.125500",
        "104.176000",
        "Kelurahan Baturaja Lama: pelayanan administrasi warga di tepi Sungai Ogan dan "
        "kesiapsiagaan banjir bersama BPBD.",
    ),
    "16.01.13.1005": (
        "kelurahan-talang-jawa",
        "Yuliana, S.IP.",
        "Jl. Talang Jawa No. 3, Baturaja",
        "-4.138600",
        "104.153400",
        "Kelurahan Talang Jawa: pelayanan administrasi warga dan pemberdayaan masyarakat.",
    ),
}

EXTERNAL = [
    DemoOrganisation(
        "bps-oku",
        "Badan Pusat Statistik Kabupaten Ogan Komering Ulu",
        "BPS OKU",
        Kind.EXTERNAL,
        "Instansi vertikal: menyelenggarakan sensus dan survei, menerbitkan OKU Dalam Angka, "
        "serta membina statistik sektoral bersama walidata daerah.",
        "Ir. Wahyu Nugroho, M.Si.",
        "Kepala BPS Kabupaten Ogan Komering Ulu",
        "bps1601@bps.go.id",
        "(0735) 320 160",
        "Jl. Dr. Moh. Hatta No. 502, Baturaja",
        "-4.134800",
        "104.164100",
        "https://okukab.bps.go.id",
    ),
]


def kecamatan_organisations(district_names: dict[str, str]) -> list[DemoOrganisation]:
    """One organisation per district, named after the Kemendagri list."""
    result = []
    for code, (camat, address, lat, lon, phone) in KECAMATAN.items():
        name = district_names[code]
        slug = name.lower().replace(" ", "-")
        result.append(
            DemoOrganisation(
                f"kecamatan-{slug}",
                f"Kecamatan {name}",
                f"Kec. {name}",
                Kind.KECAMATAN,
                f"Perangkat daerah kewilayahan Kecamatan {name}: pelayanan administrasi "
                "terpadu kecamatan (PATEN), koordinasi pembangunan dan pembinaan pemerintahan "
                "desa/kelurahan.",
                camat,
                f"Camat {name}",
                f"kec.{slug}@okukab.go.id",
                phone,
                address + ", Kabupaten Ogan Komering Ulu",
                lat,
                lon,
                region=code,
            )
        )
    return result


def village_organisations(
    village_names: dict[str, str], kecamatan_code_of: dict[str, str]
) -> list[DemoOrganisation]:
    """Desa governments and kelurahan, under the organisation of their kecamatan."""
    result = []
    for code, (org_code, head, address, lat, lon, description) in VILLAGES.items():
        name = village_names[code]
        is_kelurahan = code.rsplit(".", 1)[1].startswith("1")
        kind = Kind.KELURAHAN if is_kelurahan else Kind.DESA
        label = "Kelurahan" if is_kelurahan else "Desa"
        result.append(
            DemoOrganisation(
                org_code,
                f"{label} {name}" if is_kelurahan else f"Pemerintah Desa {name}",
                f"{'Kel.' if is_kelurahan else 'Desa'} {name}",
                kind,
                description,
                head,
                f"{'Lurah' if is_kelurahan else 'Kepala Desa'} {name}",
                "",
                "",
                address,
                lat,
                lon,
                parent=kecamatan_code_of[code.rsplit(".", 1)[0]],
                region=code,
            )
        )
    return result
