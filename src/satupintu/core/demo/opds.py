"""The perangkat daerah (OPD) of the demo regency, Kabupaten Ogan Komering Ulu.

Names and tasks follow the usual structure of a regency government (PP 18/2016); heads are
fictitious people, contacts are plausible (@okukab.go.id, area code 0735 for Baturaja) and
offices sit around the centre of Baturaja (-4.13, 104.17).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..models import Organisation

Kind = Organisation.Kind
PEMKAB_ADDRESS = "Kompleks Perkantoran Pemkab OKU, Jl. Dr. Moh. Hatta No. 1, Baturaja"


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    name: str
    short_name: str
    kind: str
    description: str
    head_name: str
    head_title: str
    email: str
    phone: str
    address: str
    latitude: str
    longitude: str
    website: str = ""
    parent: str | None = None  # code of the parent organisation (listed earlier)
    region: str | None = "16.01"

    def values(self) -> dict:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "description": self.description,
            "head_name": self.head_name,
            "head_title": self.head_title,
            "email": self.email,
            "phone": self.phone,
            "address": self.address,
            "latitude": Decimal(self.latitude),
            "longitude": Decimal(self.longitude),
            "website": self.website,
            "is_active": True,
        }


def _site(sub: str) -> str:
    return f"https://{sub}.okukab.go.id"


# A data table: one organisation per block reads better than one field per line.
# fmt: off
OPDS: list[DemoOrganisation] = [
    DemoOrganisation(
        "setda", "Sekretariat Daerah Kabupaten Ogan Komering Ulu", "Setda", Kind.SEKRETARIAT,
        "Membantu Bupati menyusun kebijakan dan mengoordinasikan perangkat daerah, serta melayani "
        "administrasi pemerintahan, perekonomian, pembangunan dan kesejahteraan rakyat.",
        "Drs. H. Zulkarnain Effendi, M.Si.", "Sekretaris Daerah",
        "setda@okukab.go.id", "(0735) 320 100",
        PEMKAB_ADDRESS, "-4.129500",
        "104.168200", "https://okukab.go.id",
    ),
    DemoOrganisation(
        "bagian-pbj", "Bagian Pengadaan Barang dan Jasa Sekretariat Daerah", "Bagian PBJ",
        Kind.SEKRETARIAT,
        "Unit Kerja Pengadaan Barang/Jasa (UKPBJ): mengelola tender dan seleksi, LPSE, katalog "
        "elektronik lokal dan pembinaan pelaku pengadaan di lingkungan Pemkab OKU.",
        "Rahmat Hidayat, S.E., M.M.", "Kepala Bagian Pengadaan Barang dan Jasa",
        "ukpbj@okukab.go.id", "(0735) 320 118",
        PEMKAB_ADDRESS, "-4.129700",
        "104.168500", _site("lpse"), parent="setda",
    ),
    DemoOrganisation(
        "setwan", "Sekretariat Dewan Perwakilan Rakyat Daerah", "Setwan", Kind.SEKRETARIAT,
        "Menyelenggarakan administrasi kesekretariatan dan keuangan DPRD, mendukung fungsi "
        "legislasi, anggaran dan pengawasan, serta menyediakan tenaga ahli bagi DPRD.",
        "H. Marzuki Arsyad, S.H., M.H.", "Sekretaris DPRD",
        "setwan@okukab.go.id", "(0735) 320 210", "Jl. Dr. Moh. Hatta No. 5, Baturaja", "-4.131200",
        "104.166900", _site("dprd"),
    ),
    DemoOrganisation(
        "inspektorat", "Inspektorat Daerah", "Inspektorat", Kind.INSPEKTORAT,
        "Mengawasi penyelenggaraan urusan pemerintahan daerah: audit, reviu, evaluasi dan "
        "pemantauan kinerja serta keuangan perangkat daerah dan pemerintah desa.",
        "Ir. Syahrial Hasibuan, M.M.", "Inspektur",
        "inspektorat@okukab.go.id", "(0735) 320 230",
        PEMKAB_ADDRESS, "-4.128900",
        "104.169100", _site("inspektorat"),
    ),
    DemoOrganisation(
        "bapelitbangda", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bapelitbangda", Kind.BADAN,
        "Menyusun RPJPD, RPJMD dan RKPD, mengendalikan dan mengevaluasi rencana pembangunan, "
        "serta membina statistik sektoral sebagai walidata Satu Data OKU.",
        "Dr. Ir. Hendri Kurniawan, M.Si.", "Kepala Badan",
        "bapelitbangda@okukab.go.id", "(0735) 320 310",
        PEMKAB_ADDRESS, "-4.130100",
        "104.167600", _site("bapelitbangda"),
    ),
    DemoOrganisation(
        "bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", Kind.BADAN,
        "Mengelola APBD, perbendaharaan, akuntansi dan pelaporan keuangan daerah, serta "
        "penatausahaan barang milik daerah.",
        "H. Joni Saputra, S.E., M.Si., Ak.", "Kepala Badan",
        "bpkad@okukab.go.id", "(0735) 320 320",
        PEMKAB_ADDRESS, "-4.129200",
        "104.167200", _site("bpkad"),
    ),
    DemoOrganisation(
        "bapenda", "Badan Pendapatan Daerah", "Bapenda", Kind.BADAN,
        "Mendata, menetapkan dan menagih pajak daerah dan retribusi (PBB-P2, BPHTB, pajak "
        "restoran, hotel, reklame) serta mengembangkan layanan pembayaran non-tunai.",
        "Dedi Irawan, S.STP., M.Si.", "Kepala Badan",
        "bapenda@okukab.go.id", "(0735) 321 455", "Jl. Jend. Ahmad Yani No. 88, Baturaja",
        "-4.135400", "104.175300", _site("bapenda"),
    ),
    DemoOrganisation(
        "bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", Kind.BADAN,
        "Mengelola data dan karier ASN: pengadaan, mutasi, kenaikan pangkat, penilaian kinerja, "
        "pensiun, serta pendidikan dan pelatihan pegawai.",
        "Hj. Nurhayati, S.Sos., M.Si.", "Kepala Badan",
        "bkpsdm@okukab.go.id", "(0735) 320 340",
        PEMKAB_ADDRESS, "-4.128600",
        "104.168800", _site("bkpsdm"),
    ),
    DemoOrganisation(
        "bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", Kind.BADAN,
        "Mencegah dan menanggulangi bencana banjir, tanah longsor dan kebakaran hutan dan lahan: "
        "kesiapsiagaan, tanggap darurat, pusat pengendalian operasi dan rehabilitasi.",
        "Amirudin Lubis, S.Sos., M.M.", "Kepala Pelaksana",
        "bpbd@okukab.go.id", "(0735) 322 112", "Jl. Kol. Wahab Sarobu No. 21, Baturaja",
        "-4.122800", "104.172400", _site("bpbd"),
    ),
    DemoOrganisation(
        "kesbangpol", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", Kind.BADAN,
        "Membina ideologi Pancasila dan wawasan kebangsaan, kerukunan umat beragama, organisasi "
        "kemasyarakatan, partai politik dan kewaspadaan dini daerah.",
        "Drs. Mukhlis Hamid", "Kepala Badan",
        "kesbangpol@okukab.go.id", "(0735) 320 355",
        PEMKAB_ADDRESS, "-4.129900",
        "104.169500",
    ),
    DemoOrganisation(
        "diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo", Kind.DINAS,
        "Menyelenggarakan urusan komunikasi, informatika, statistik dan persandian: SPBE, pusat "
        "data, jaringan antar-OPD, aplikasi umum, keterbukaan informasi publik dan operasional "
        "platform Satu Pintu OKU.",
        "Yudi Prasetyo, S.Kom., M.T.", "Kepala Dinas",
        "diskominfo@okukab.go.id", "(0735) 320 001",
        PEMKAB_ADDRESS, "-4.130400",
        "104.168900", _site("diskominfo"),
    ),
    DemoOrganisation(
        "diarpus", "Dinas Kearsipan dan Perpustakaan", "Diarpus", Kind.DINAS,
        "Mengelola arsip daerah dan arsip statis, membina kearsipan perangkat daerah dan desa, "
        "serta menyelenggarakan perpustakaan umum daerah dan perpustakaan keliling.",
        "Hj. Sri Wahyuni, S.Pd., M.Pd.", "Kepala Dinas",
        "diarpus@okukab.go.id", "(0735) 321 210", "Jl. Imam Bonjol No. 14, Baturaja", "-4.126700",
        "104.176800", _site("perpustakaan"),
    ),
    DemoOrganisation(
        "dinkes", "Dinas Kesehatan", "Dinkes", Kind.DINAS,
        "Menyelenggarakan pelayanan kesehatan masyarakat: pembinaan puskesmas, imunisasi, "
        "penanganan stunting, pengendalian penyakit, farmasi dan jaminan kesehatan daerah.",
        "dr. Hj. Ratna Dewi, M.Kes.", "Kepala Dinas",
        "dinkes@okukab.go.id", "(0735) 321 031", "Jl. Dr. Setia Budi No. 3, Baturaja", "-4.127300",
        "104.164400", _site("dinkes"),
    ),
    DemoOrganisation(
        "puskesmas-lengkiti", "UPTD Puskesmas Lengkiti", "Puskesmas Lengkiti", Kind.KANTOR,
        "Unit pelaksana teknis Dinas Kesehatan untuk pelayanan kesehatan dasar, posyandu, "
        "kesehatan ibu dan anak serta gizi di Kecamatan Lengkiti.",
        "dr. Fitri Handayani", "Kepala UPTD Puskesmas",
        "puskesmas.lengkiti@okukab.go.id", "(0735) 350 021",
        "Jl. Lintas Baturaja–Muaradua, Desa Tanjunglengkayap, Kec. Lengkiti", "-4.066500",
        "103.974200", parent="dinkes", region="16.01.28",
    ),
    DemoOrganisation(
        "disdikbud", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", Kind.DINAS,
        "Mengelola PAUD, SD dan SMP negeri, pendidikan nonformal, tenaga pendidik, serta "
        "pelestarian cagar budaya dan kesenian daerah.",
        "Drs. H. Sofyan Nasution, M.Pd.", "Kepala Dinas",
        "disdikbud@okukab.go.id", "(0735) 320 460", "Jl. Dr. Moh. Hatta No. 27, Baturaja",
        "-4.132300", "104.166100", _site("disdikbud"),
    ),
    DemoOrganisation(
        "dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", Kind.DINAS,
        "Membangun dan memelihara jalan dan jembatan kabupaten, irigasi, drainase, air minum dan "
        "sanitasi, serta menyelenggarakan penataan ruang dan jasa konstruksi.",
        "Ir. H. Darmawan Saputra, M.T.", "Kepala Dinas",
        "pupr@okukab.go.id", "(0735) 320 502", "Jl. Jend. Ahmad Yani KM 4, Baturaja", "-4.141200",
        "104.179800", _site("pupr"),
    ),
    DemoOrganisation(
        "disperkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", Kind.DINAS,
        "Menangani rumah tidak layak huni, kawasan kumuh, prasarana permukiman, penerangan jalan "
        "umum, pertamanan dan pemakaman.",
        "Agus Salim, S.T., M.T.", "Kepala Dinas",
        "disperkim@okukab.go.id", "(0735) 320 515", "Jl. Jend. Ahmad Yani KM 4, Baturaja",
        "-4.141600", "104.180300", _site("disperkim"),
    ),
    DemoOrganisation(
        "dinsos", "Dinas Sosial", "Dinsos", Kind.DINAS,
        "Mengelola data terpadu kesejahteraan sosial, bantuan sosial, rehabilitasi sosial, "
        "perlindungan korban bencana dan pemberdayaan fakir miskin.",
        "Hj. Yusnani, S.Sos., M.Si.", "Kepala Dinas",
        "dinsos@okukab.go.id", "(0735) 321 140", "Jl. Garuda No. 9, Baturaja", "-4.124400",
        "104.170900", _site("dinsos"),
    ),
    DemoOrganisation(
        "disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", Kind.DINAS,
        "Melayani KTP elektronik, kartu keluarga, akta kelahiran dan kematian, pindah datang "
        "penduduk, serta mengelola data kependudukan kabupaten.",
        "Firmansyah, S.STP., M.Si.", "Kepala Dinas",
        "disdukcapil@okukab.go.id", "(0735) 320 620", "Jl. Dr. Moh. Hatta No. 12, Baturaja",
        "-4.131700", "104.168000", _site("disdukcapil"),
    ),
    DemoOrganisation(
        "dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", Kind.DINAS,
        "Melayani perizinan dan nonperizinan berusaha (OSS-RBA, PBG, izin praktik tenaga "
        "kesehatan), promosi dan pengendalian penanaman modal di OKU.",
        "Heri Gunawan, S.E., M.Si.", "Kepala Dinas",
        "dpmptsp@okukab.go.id", "(0735) 320 700",
        "Mal Pelayanan Publik, Jl. Dr. Moh. Hatta No. 2, Baturaja", "-4.130900", "104.169800",
        _site("dpmptsp"),
    ),
    DemoOrganisation(
        "dishub", "Dinas Perhubungan", "Dishub", Kind.DINAS,
        "Mengatur lalu lintas dan angkutan jalan, terminal, uji kendaraan bermotor, perparkiran "
        "dan perlengkapan jalan di wilayah kabupaten.",
        "Rusli Hakim, S.T., M.M.", "Kepala Dinas",
        "dishub@okukab.go.id", "(0735) 322 045", "Jl. Lintas Sumatera, Terminal Baturaja",
        "-4.146800", "104.184100", _site("dishub"),
    ),
    DemoOrganisation(
        "dlh", "Dinas Lingkungan Hidup", "DLH", Kind.DINAS,
        "Mengelola persampahan dan TPA, pengendalian pencemaran sungai Ogan, persetujuan "
        "lingkungan, ruang terbuka hijau dan bank sampah.",
        "Ir. Nasrullah, M.Si.", "Kepala Dinas",
        "dlh@okukab.go.id", "(0735) 321 380", "Jl. Kol. Wahab Sarobu No. 44, Baturaja", "-4.120900",
        "104.173600", _site("dlh"),
    ),
    DemoOrganisation(
        "distan", "Dinas Pertanian", "Distan", Kind.DINAS,
        "Meningkatkan produksi padi, jagung, kopi dan karet rakyat, penyuluhan pertanian, "
        "penyaluran alat dan sarana produksi, serta kesehatan hewan dan peternakan.",
        "Ir. H. Ahmad Rifai, M.P.", "Kepala Dinas",
        "distan@okukab.go.id", "(0735) 320 810", "Jl. Prof. Dr. Hamka No. 6, Baturaja", "-4.137900",
        "104.161700", _site("distan"),
    ),
    DemoOrganisation(
        "dkp", "Dinas Ketahanan Pangan", "DKP", Kind.DINAS,
        "Menjaga ketersediaan, distribusi dan keamanan pangan, memantau harga pangan pokok dan "
        "cadangan pangan pemerintah daerah.",
        "Hj. Elvira Susanti, S.P., M.Si.", "Kepala Dinas",
        "dkp@okukab.go.id", "(0735) 320 825", "Jl. Prof. Dr. Hamka No. 8, Baturaja", "-4.138200",
        "104.161300",
    ),
    DemoOrganisation(
        "diskan", "Dinas Perikanan", "Diskan", Kind.DINAS,
        "Membina pembudidaya ikan air tawar dan nelayan sungai, benih ikan, pengolahan dan "
        "pemasaran hasil perikanan.",
        "Suhaimi, S.Pi., M.Si.", "Kepala Dinas",
        "diskan@okukab.go.id", "(0735) 321 615", "Jl. Prof. Dr. Hamka No. 10, Baturaja",
        "-4.138700", "104.160800",
    ),
    DemoOrganisation(
        "disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans", Kind.DINAS,
        "Melayani kartu pencari kerja (AK-1), pelatihan kerja, penempatan tenaga kerja, hubungan "
        "industrial dan kawasan transmigrasi.",
        "Taufik Hidayat, S.H., M.H.", "Kepala Dinas",
        "disnakertrans@okukab.go.id", "(0735) 321 720", "Jl. Garuda No. 17, Baturaja", "-4.123900",
        "104.171800", _site("disnakertrans"),
    ),
    DemoOrganisation(
        "diskopukmdag", "Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan", "Diskopukmdag",
        Kind.DINAS,
        "Membina koperasi dan UMKM, mengelola pasar rakyat, metrologi legal, stabilisasi harga "
        "dan perlindungan konsumen.",
        "Hj. Lismawati, S.E., M.M.", "Kepala Dinas",
        "diskopukmdag@okukab.go.id", "(0735) 320 905", "Jl. Pasar Baru No. 1, Baturaja",
        "-4.126100", "104.178900", _site("diskopukmdag"),
    ),
    DemoOrganisation(
        "dispar", "Dinas Pariwisata", "Dispar", Kind.DINAS,
        "Mengembangkan destinasi wisata (Goa Putri, Air Terjun Bidadari, Danau Shuji), ekonomi "
        "kreatif dan promosi kalender acara daerah.",
        "Riza Pahlevi, S.Sos., M.Si.", "Kepala Dinas",
        "dispar@okukab.go.id", "(0735) 321 818", "Jl. Dr. Moh. Hatta No. 33, Baturaja", "-4.133500",
        "104.165300", _site("pariwisata"),
    ),
    DemoOrganisation(
        "dispora", "Dinas Pemuda dan Olahraga", "Dispora", Kind.DINAS,
        "Membina organisasi kepemudaan, kewirausahaan pemuda, pembinaan atlet berprestasi dan "
        "pengelolaan sarana olahraga daerah.",
        "Iwan Setiawan, S.Pd., M.Or.", "Kepala Dinas",
        "dispora@okukab.go.id", "(0735) 321 950", "Kompleks Stadion Baturaja, Jl. Garuda",
        "-4.125000", "104.169900",
    ),
    DemoOrganisation(
        "dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", Kind.DINAS,
        "Membina pemerintahan desa, dana desa dan alokasi dana desa, BUMDes, profil dan sistem "
        "informasi desa, serta lembaga kemasyarakatan desa.",
        "Drs. Hasanuddin, M.Si.", "Kepala Dinas",
        "dpmd@okukab.go.id", "(0735) 320 740",
        PEMKAB_ADDRESS, "-4.129000",
        "104.170200", _site("dpmd"),
    ),
    DemoOrganisation(
        "dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", Kind.DINAS,
        "Melindungi perempuan dan anak dari kekerasan (UPTD PPA), pengarusutamaan gender dan "
        "pemenuhan hak anak menuju Kabupaten Layak Anak.",
        "Hj. Maryani, S.Sos., M.Si.", "Kepala Dinas",
        "dp3a@okukab.go.id", "(0735) 321 560", "Jl. Garuda No. 23, Baturaja", "-4.124800",
        "104.172700",
    ),
    DemoOrganisation(
        "dppkb", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", Kind.DINAS,
        "Menyelenggarakan program keluarga berencana, pendampingan keluarga berisiko stunting dan "
        "pendataan keluarga.",
        "Zainal Abidin, S.KM., M.Kes.", "Kepala Dinas",
        "dppkb@okukab.go.id", "(0735) 321 575", "Jl. Garuda No. 25, Baturaja", "-4.124600",
        "104.173100",
    ),
    DemoOrganisation(
        "satpol-pp", "Satuan Polisi Pamong Praja", "Satpol PP", Kind.SATPOL,
        "Menegakkan peraturan daerah dan peraturan bupati, menyelenggarakan ketertiban umum, "
        "ketenteraman masyarakat dan perlindungan masyarakat.",
        "Edi Kusnadi, S.H.", "Kepala Satuan",
        "satpolpp@okukab.go.id", "(0735) 320 950", "Jl. Dr. Moh. Hatta No. 8, Baturaja",
        "-4.131000", "104.167300",
    ),
    DemoOrganisation(
        "damkar", "Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", Kind.DINAS,
        "Menanggulangi kebakaran dan penyelamatan non-kebakaran (evakuasi hewan, korban "
        "tenggelam) 24 jam, serta pemeriksaan proteksi kebakaran gedung.",
        "Sarwono, S.Sos.", "Kepala Dinas",
        "damkar@okukab.go.id", "(0735) 321 113", "Jl. Kol. Wahab Sarobu No. 2, Baturaja",
        "-4.121500", "104.171200",
    ),
    DemoOrganisation(
        "rsud-ibnu-sutowo", "RSUD Dr. Ibnu Sutowo Baturaja", "RSUD Ibnu Sutowo", Kind.RSUD,
        "Rumah sakit umum daerah rujukan kabupaten: rawat jalan, rawat inap, IGD 24 jam, "
        "hemodialisis dan layanan BPJS Kesehatan.",
        "dr. H. Bambang Sutrisno, Sp.PD., M.Kes.", "Direktur",
        "rsud@okukab.go.id", "(0735) 320 444", "Jl. Dr. Moh. Hatta No. 581, Baturaja", "-4.127800",
        "104.162900", _site("rsud"),
    ),
]
# fmt: on
