"""Demo content of the catalogue for `manage.py load_demo`: the applications Kabupaten OKU
names in its inventory and about forty public services of its OPDs, all published.

What the inventory does not tell (database engine, hosting, SSO, API, personal data) stays
"unknown" rather than invented. Idempotent: rows are found by slug; an existing row is left as
it is (an operator may have corrected it since).
"""

from __future__ import annotations

from django.utils.text import slugify

from satupintu.core.models import Organisation, SearchSynonym

from .models import UNKNOWN, Application, PublicService

Y, N, U = "yes", "no", UNKNOWN

# name, owner OPD, category, audience, lifecycle, hosting, uses SSO, has API, personal data,
# URL, description
# fmt: off
APPS = [
    ("OKU Cinde", "diskominfo", "Portal layanan", "both", "active", "data_centre", Y, Y, Y,
     "https://okucinde.okukab.go.id",
     "Aplikasi induk satu pintu: layanan publik, aplikasi OPD, pengaduan dan data daerah."),
    ("OKU Menyapa", "diskominfo", "Pengaduan", "citizens", "active", "data_centre", N, U, Y,
     "https://okumenyapa.okukab.go.id",
     "Saluran aspirasi dan pengaduan warga kepada Pemerintah Kabupaten OKU."),
    ("mSimpebaja", "bagian-pbj", "Pengadaan", "staff", "active", U, N, U, U,
     "https://simpebaja.okukab.go.id",
     "Tercatat dalam inventaris Diskominfo sebagai aplikasi pengadaan barang/jasa; fungsi rinci "
     "belum dikonfirmasi pemiliknya."),
    ("SIP", "dpmptsp", "Perizinan", "both", "active", "opd_server", N, U, Y,
     "https://sip.okukab.go.id",
     "Sistem Informasi Perizinan daerah untuk izin dan nonizin yang tidak melalui OSS."),
    ("E-office", "setda", "Naskah dinas", "staff", "inactive", "opd_server", N, N, Y,
     "https://eoffice.okukab.go.id",
     "Surat-menyurat dan disposisi elektronik antar-OPD, digantikan SRIKANDI."),
    ("Sakip", "bapelitbangda", "Perencanaan dan kinerja", "staff", "active", U, N, U, N,
     "https://sakip.okukab.go.id",
     "Sistem Akuntabilitas Kinerja Instansi Pemerintah: perjanjian kinerja dan laporan LKjIP."),
    ("E-KIR", "dishub", "Perhubungan", "both", "active", "opd_server", N, U, Y,
     "https://ekir.okukab.go.id",
     "Pendaftaran dan hasil uji berkala kendaraan bermotor (uji KIR) di UPTD PKB Baturaja."),
    ("APeDE", "bapenda", "Pendapatan daerah", "staff", "active", U, N, U, Y,
     "https://apede.okukab.go.id",
     "Pengelolaan pendapatan asli daerah: pendataan, penetapan dan pembayaran pajak daerah."),
    ("PINDANG GABUS", "bapelitbangda", "Inovasi daerah", U, "pilot", U, N, U, U,
     "",
     "Aplikasi inovasi daerah yang tercatat di inventaris; kepanjangan nama, pengguna dan alamat "
     "aplikasi belum dikonfirmasi OPD pemilik."),
    ("OKU GO", "dispar", "Pariwisata", "citizens", "pilot", "cloud", N, U, N,
     "https://okugo.okukab.go.id",
     "Panduan wisata, kuliner dan agenda budaya Kabupaten Ogan Komering Ulu."),
    ("REMIK", "rsud-ibnu-sutowo", "Kesehatan", "staff", "active", "opd_server", N, U, Y,
     "https://remik.rsudibnusutowo.okukab.go.id",
     "Rekam medis elektronik pasien rawat jalan dan rawat inap RSUD Ibnu Sutowo."),
    ("SIDARLING", "dlh", "Lingkungan hidup", "both", "active", U, N, U, U,
     "https://sidarling.okukab.go.id",
     "Pendataan dan pelaporan pengelolaan lingkungan hidup usaha dan kegiatan."),
    ("SRIKANDI", "diarpus", "Naskah dinas", "staff", "active", "national", N, Y, Y,
     "https://srikandi.arsip.go.id",
     "Sistem Informasi Kearsipan Dinamis Terintegrasi dari ANRI untuk naskah dinas elektronik."),
    ("SIPD", "bpkad", "Perencanaan dan keuangan", "staff", "active", "national", N, Y, N,
     "https://sipd.kemendagri.go.id",
     "Sistem Informasi Pemerintahan Daerah Kemendagri: perencanaan, penganggaran, penatausahaan."),
    ("Satu Data", "diskominfo", "Data", "both", "active", "data_centre", Y, Y, N,
     "https://satudata.okukab.go.id",
     "Portal data terbuka Kabupaten OKU, dikelola walidata Diskominfo."),
]

FREE = 0
HOURS = "Senin–Kamis 08.00–15.00 WIB, Jumat 08.00–11.00 WIB"
MPP = "Mal Pelayanan Publik, Jl. Dr. Moh. Hatta No. 2, Baturaja"
COMPLAINT = "OKU Menyapa, SP4N-LAPOR! (lapor.go.id), atau kotak pengaduan di loket"
ADMINDUK = "UU No. 24 Tahun 2013 tentang Administrasi Kependudukan; Perpres No. 96 Tahun 2018"
NAKES = "UU No. 17 Tahun 2023 tentang Kesehatan; Permenkes No. 2052/2011 tentang Izin Praktik"
OSS = "PP No. 5 Tahun 2021 tentang Perizinan Berusaha Berbasis Risiko"
PDRD = "UU No. 1 Tahun 2022 (HKPD); Perda Kabupaten OKU tentang Pajak dan Retribusi Daerah"
STEPS_DUKCAPIL = ("Ambil nomor antrean di loket Disdukcapil atau MPP|Serahkan berkas persyaratan"
                  "|Petugas memverifikasi dan merekam data|Dokumen dicetak dan diserahkan")
STEPS_SIP = ("Ajukan permohonan di loket DPMPTSP atau aplikasi SIP|Petugas memeriksa kelengkapan"
             "|Dinas Kesehatan memberi rekomendasi|Izin ditandatangani dan dapat diunduh")
REQ_SIP = ("STR yang masih berlaku|Rekomendasi organisasi profesi|Surat keterangan tempat praktik"
           "|Pas foto 4x6 latar merah (3 lembar)|Fotokopi KTP-el")

# slug, name, OPD, description, requirements (|), steps (|), time, fee, legal basis, app slug,
# life events (,)
SERVICES = [
    ("ktp-el", "Pembuatan KTP-el", "disdukcapil",
     "Perekaman dan pencetakan Kartu Tanda Penduduk elektronik bagi warga berusia 17 tahun.",
     "Fotokopi Kartu Keluarga|Surat pengantar RT/RW (bagi perekaman baru)",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "pendidikan,pekerjaan"),
    ("ktp-el-hilang-rusak", "Penggantian KTP-el hilang atau rusak", "disdukcapil",
     "Pencetakan ulang KTP-el yang hilang atau rusak.",
     "Surat keterangan hilang dari kepolisian atau KTP-el yang rusak|Fotokopi Kartu Keluarga",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "bencana"),
    ("kartu-keluarga", "Penerbitan Kartu Keluarga baru", "disdukcapil",
     "Kartu Keluarga untuk keluarga baru atau perubahan susunan anggota keluarga.",
     "Buku nikah atau akta perkawinan|KK lama|Surat keterangan pindah (bila pindah datang)",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "pernikahan,pindah-domisili"),
    ("akta-kelahiran", "Akta kelahiran", "disdukcapil",
     "Pencatatan kelahiran bayi dan penerbitan kutipan akta kelahiran anak.",
     "Surat keterangan lahir dari bidan/puskesmas/rumah sakit|Fotokopi KK dan KTP-el orang tua"
     "|Buku nikah orang tua|KTP-el dua orang saksi",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "kelahiran"),
    ("akta-kematian", "Akta kematian", "disdukcapil",
     "Pencatatan kematian penduduk dan penerbitan kutipan akta kematian.",
     "Surat keterangan kematian dari desa/kelurahan atau rumah sakit|KK dan KTP-el almarhum"
     "|KTP-el pelapor",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "kematian"),
    ("akta-perkawinan", "Akta perkawinan (nonmuslim)", "disdukcapil",
     "Pencatatan perkawinan bagi penduduk nonmuslim.",
     "Surat keterangan perkawinan dari pemuka agama|KTP-el dan KK kedua mempelai"
     "|Pas foto berdampingan 4x6|KTP-el dua orang saksi",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "pernikahan"),
    ("surat-pindah", "Surat keterangan pindah WNI", "disdukcapil",
     "Surat pindah bagi penduduk yang pindah ke luar Kabupaten OKU.",
     "KK asli|KTP-el seluruh anggota keluarga yang pindah",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "pindah-domisili"),
    ("kartu-identitas-anak", "Kartu Identitas Anak (KIA)", "disdukcapil",
     "Kartu identitas bagi anak berusia di bawah 17 tahun.",
     "Fotokopi akta kelahiran anak|KK asli|Pas foto anak 2x3 (bagi usia 5 tahun ke atas)",
     STEPS_DUKCAPIL, "1 hari kerja", FREE, ADMINDUK, "", "kelahiran,pendidikan"),
    ("sip-dokter", "Surat Izin Praktik (SIP) dokter", "dpmptsp",
     "Izin praktik bagi dokter dan dokter spesialis di fasilitas pelayanan kesehatan di OKU.",
     REQ_SIP, STEPS_SIP, "5 hari kerja", FREE, NAKES, "sip", "pekerjaan,kesehatan"),
    ("sip-dokter-gigi", "Surat Izin Praktik (SIP) dokter gigi", "dpmptsp",
     "Izin praktik bagi dokter gigi di fasilitas pelayanan kesehatan di OKU.",
     REQ_SIP, STEPS_SIP, "5 hari kerja", FREE, NAKES, "sip", "pekerjaan,kesehatan"),
    ("sip-bidan", "Surat Izin Praktik Bidan (SIPB)", "dpmptsp",
     "Izin praktik mandiri atau di fasilitas kesehatan bagi bidan.",
     REQ_SIP, STEPS_SIP, "5 hari kerja", FREE, NAKES, "sip", "pekerjaan,kesehatan"),
    ("sip-perawat", "Surat Izin Praktik Perawat (SIPP)", "dpmptsp",
     "Izin praktik bagi perawat di fasilitas pelayanan kesehatan atau praktik mandiri.",
     REQ_SIP, STEPS_SIP, "5 hari kerja", FREE, NAKES, "sip", "pekerjaan,kesehatan"),
    ("sik-apoteker", "Surat Izin Praktik Apoteker (SIPA)", "dpmptsp",
     "Izin praktik apoteker di apotek, puskesmas atau instalasi farmasi rumah sakit.",
     REQ_SIP, STEPS_SIP, "5 hari kerja", FREE, NAKES, "sip", "pekerjaan,kesehatan"),
    ("nib-oss", "Nomor Induk Berusaha (NIB) melalui OSS", "dpmptsp",
     "Pendampingan pendaftaran NIB usaha mikro dan kecil melalui OSS RBA.",
     "KTP-el pemilik usaha|NPWP (bila ada)|Alamat dan bidang usaha (KBLI)"
     "|Nomor HP dan e-mail aktif",
     "Datang ke loket pendampingan OSS di MPP|Petugas membantu membuat akun OSS"
     "|Isi data usaha dan KBLI|NIB terbit dan dapat diunduh",
     "1 hari kerja", FREE, OSS, "", "usaha,pekerjaan"),
    ("pbg", "Persetujuan Bangunan Gedung (PBG)", "dpmptsp",
     "Persetujuan untuk membangun baru, mengubah atau merawat bangunan gedung.",
     "Dokumen rencana teknis (gambar arsitektur dan struktur)|Bukti kepemilikan tanah"
     "|KTP-el pemohon|KKPR atau informasi tata ruang",
     "Ajukan melalui SIMBG|Konsultasi dengan Tim Profesi Ahli|Bayar retribusi PBG|PBG terbit",
     "28 hari kerja", 1250000, "PP No. 16 Tahun 2021 tentang Bangunan Gedung", "", "usaha"),
    ("izin-reklame", "Izin penyelenggaraan reklame", "dpmptsp",
     "Izin memasang reklame papan, baliho atau kain di wilayah OKU.",
     "KTP-el pemohon|Desain dan ukuran reklame|Foto lokasi|Izin pemilik lahan",
     "Ajukan permohonan|Survei lokasi oleh tim teknis|Bayar pajak reklame|Izin terbit",
     "7 hari kerja", 150000, PDRD, "sip", "usaha"),
    ("pbb-p2", "Pembayaran PBB-P2", "bapenda",
     "Pembayaran Pajak Bumi dan Bangunan Perdesaan dan Perkotaan.",
     "SPPT PBB tahun berjalan atau NOP",
     "Cek tagihan dengan NOP|Bayar di bank, kantor pos atau kanal pembayaran daring"
     "|Simpan bukti bayar", "Seketika", FREE, PDRD, "apede", ""),
    ("mutasi-pbb", "Mutasi / balik nama objek PBB", "bapenda",
     "Perubahan nama wajib pajak PBB setelah jual beli, hibah atau waris.",
     "SPOP yang diisi|Fotokopi sertifikat atau akta jual beli|KTP-el wajib pajak baru"
     "|Bukti lunas PBB tahun berjalan",
     "Serahkan berkas ke loket Bapenda|Verifikasi dan penelitian lapangan|SPPT baru diterbitkan",
     "10 hari kerja", FREE, PDRD, "", "pindah-domisili,kematian"),
    ("bphtb", "Validasi BPHTB", "bapenda",
     "Validasi Bea Perolehan Hak atas Tanah dan Bangunan sebelum balik nama sertifikat.",
     "SSPD BPHTB|Fotokopi sertifikat|KTP-el pembeli dan penjual|SPPT PBB tahun berjalan",
     "Isi SSPD melalui PPAT|Bayar BPHTB|Bapenda memvalidasi", "3 hari kerja", FREE, PDRD, "", ""),
    ("uji-kir", "Uji berkala kendaraan bermotor (uji KIR)", "dishub",
     "Uji laik jalan berkala kendaraan angkutan barang dan penumpang.",
     "STNK asli|Buku uji lama (bagi uji ulang)|Kendaraan dibawa ke UPTD PKB",
     "Daftar melalui E-KIR|Bayar retribusi|Kendaraan diuji|Buku dan kartu uji diterbitkan",
     "1 hari kerja", 85000, "Permenhub No. 19 Tahun 2021 tentang Pengujian Berkala", "e-kir",
     "usaha,pekerjaan"),
    ("izin-trayek", "Izin trayek angkutan perdesaan", "dishub",
     "Izin trayek angkutan umum dalam wilayah Kabupaten OKU.",
     "Akta badan usaha atau koperasi|Daftar kendaraan dan STNK|Bukti lulus uji KIR",
     "Ajukan permohonan|Pemeriksaan kendaraan|Izin terbit", "7 hari kerja", FREE,
     "UU No. 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan", "", "usaha"),
    ("layanan-puskesmas", "Pemeriksaan kesehatan di puskesmas", "dinkes",
     "Pelayanan kesehatan dasar di 18 puskesmas se-Kabupaten OKU.",
     "Kartu JKN-KIS atau KTP-el|Kartu berobat (bagi pasien lama)",
     "Daftar di loket pendaftaran|Pemeriksaan oleh tenaga kesehatan|Ambil obat di apotek puskesmas",
     "Hari itu juga", FREE, "Permenkes No. 43 Tahun 2019 tentang Puskesmas", "", "kesehatan"),
    ("surat-sehat", "Surat keterangan sehat", "dinkes",
     "Surat keterangan sehat untuk melamar kerja, sekolah atau syarat administrasi.",
     "KTP-el|Pas foto 3x4 (2 lembar)",
     "Daftar di puskesmas|Pemeriksaan fisik|Surat ditandatangani dokter",
     "Hari itu juga", 25000, PDRD, "", "pekerjaan,pendidikan,kesehatan"),
    ("rekomendasi-pirt", "Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)", "dinkes",
     "Sertifikat bagi usaha pangan olahan rumahan agar produknya boleh dijual luas.",
     "NIB dari OSS|Label produk|Sertifikat penyuluhan keamanan pangan",
     "Ajukan melalui OSS|Pemeriksaan sarana produksi|SPP-IRT terbit",
     "14 hari kerja", FREE, "Peraturan BPOM No. 22 Tahun 2018", "", "usaha,kesehatan"),
    ("rawat-jalan-rsud", "Rawat jalan RSUD Ibnu Sutowo", "rsud-ibnu-sutowo",
     "Pelayanan poliklinik spesialis RSUD Ibnu Sutowo Baturaja.",
     "Kartu JKN-KIS dan surat rujukan faskes tingkat pertama, atau KTP-el (pasien umum)",
     "Ambil antrean|Verifikasi di loket pendaftaran|Pemeriksaan dokter spesialis|Farmasi",
     "Hari itu juga", FREE, "Perbup OKU tentang Tarif Layanan BLUD RSUD", "", "kesehatan"),
    ("ppdb-smp", "Penerimaan peserta didik baru (SPMB) SMP negeri", "disdikbud",
     "Pendaftaran murid baru SMP negeri jalur domisili, afirmasi, mutasi dan prestasi.",
     "Akta kelahiran|Kartu Keluarga|Ijazah atau surat keterangan lulus SD"
     "|Sertifikat prestasi (jalur prestasi)",
     "Daftar daring pada jadwal SPMB|Verifikasi berkas di sekolah|Pengumuman|Daftar ulang",
     "Sesuai jadwal SPMB", FREE, "Permendikdasmen No. 3 Tahun 2025 tentang SPMB", "",
     "pendidikan"),
    ("legalisir-ijazah", "Legalisasi ijazah SD/SMP", "disdikbud",
     "Pengesahan fotokopi ijazah SD/SMP yang sekolahnya sudah tutup atau bergabung.",
     "Ijazah asli|Fotokopi ijazah|KTP-el", "Serahkan berkas|Verifikasi|Pengesahan",
     "1 hari kerja", FREE, "Permendikbud No. 29 Tahun 2014", "", "pendidikan,pekerjaan"),
    ("kartu-kuning", "Kartu pencari kerja (AK/1, kartu kuning)", "disnakertrans",
     "Kartu tanda pencari kerja untuk melamar pekerjaan.",
     "KTP-el|Ijazah terakhir|Pas foto 3x4 (2 lembar)",
     "Daftar di SIAPkerja atau loket|Verifikasi|Kartu dicetak", "1 hari kerja", FREE,
     "Permenaker No. 39 Tahun 2016 tentang Penempatan Tenaga Kerja", "", "pekerjaan"),
    ("pelatihan-kerja", "Pelatihan kerja berbasis kompetensi", "disnakertrans",
     "Pelatihan menjahit, las, otomotif dan tata boga di BLK Baturaja.",
     "KTP-el|Kartu pencari kerja|Usia 18–40 tahun",
     "Daftar saat pembukaan angkatan|Seleksi|Pelatihan 1 bulan|Sertifikat", "30 hari kerja",
     FREE, "PP No. 31 Tahun 2006 tentang Sistem Pelatihan Kerja Nasional", "", "pekerjaan"),
    ("dtks", "Pendaftaran Data Tunggal Sosial Ekonomi (DTSEN)", "dinsos",
     "Pengusulan keluarga kurang mampu agar masuk data penerima bantuan sosial.",
     "KTP-el dan KK|Surat keterangan tidak mampu dari desa/kelurahan",
     "Usulkan melalui desa/kelurahan|Verifikasi lapangan|Penetapan oleh Kemensos",
     "Sesuai jadwal pemutakhiran", FREE, "Inpres No. 4 Tahun 2025 tentang DTSEN", "",
     "bencana,kesehatan"),
    ("santunan-kematian", "Santunan kematian warga kurang mampu", "dinsos",
     "Bantuan biaya bagi ahli waris warga kurang mampu yang meninggal dunia.",
     "Akta kematian|KTP-el dan KK ahli waris|Surat keterangan tidak mampu",
     "Ajukan ke Dinsos melalui desa|Verifikasi|Santunan ditransfer", "14 hari kerja", FREE,
     "Perbup OKU tentang Bantuan Sosial", "", "kematian"),
    ("bantuan-bencana", "Bantuan logistik korban bencana", "bpbd",
     "Bantuan darurat bagi warga terdampak banjir, longsor atau kebakaran.",
     "Laporan dari desa/kelurahan atau warga|Data korban terdampak",
     "Laporkan ke Pusdalops BPBD|Kaji cepat di lokasi|Distribusi bantuan", "1×24 jam", FREE,
     "UU No. 24 Tahun 2007 tentang Penanggulangan Bencana", "", "bencana"),
    ("pemadam-kebakaran", "Pemadaman kebakaran dan penyelamatan", "damkar",
     "Layanan darurat 24 jam pemadaman kebakaran dan penyelamatan.",
     "Telepon 113 atau (0735) 322 113",
     "Laporkan kejadian|Regu berangkat|Penanganan di lokasi", "Segera", FREE,
     "Permendagri No. 16 Tahun 2020", "", "bencana"),
    ("izin-usaha-perikanan", "Tanda daftar usaha pembudidayaan ikan", "diskan",
     "Pendaftaran usaha budidaya ikan kecil di kolam atau keramba.",
     "KTP-el|NIB|Lokasi dan luas kolam", "Ajukan ke Dinas Perikanan|Survei|Tanda daftar terbit",
     "7 hari kerja", FREE, "PP No. 27 Tahun 2021", "", "usaha"),
    ("rekomendasi-pupuk", "Kartu Tani dan alokasi pupuk bersubsidi", "distan",
     "Pendaftaran petani dalam e-RDKK agar mendapat pupuk bersubsidi.",
     "KTP-el|Anggota kelompok tani|Luas lahan garapan",
     "Daftar melalui penyuluh desa|Masuk e-RDKK|Tebus pupuk di kios resmi", "Sesuai musim tanam",
     FREE, "Permentan No. 1 Tahun 2024", "", "usaha,pekerjaan"),
    ("izin-koperasi", "Pengesahan dan pembinaan koperasi", "diskopukmdag",
     "Pendampingan pendirian koperasi dan pengesahan badan hukum.",
     "Berita acara rapat pendirian|Daftar anggota pendiri (min. 9 orang)|KTP-el pengurus",
     "Konsultasi|Akta notaris|Pengesahan AHU", "14 hari kerja", FREE,
     "UU No. 25 Tahun 1992 tentang Perkoperasian", "", "usaha"),
    ("tera-ulang", "Tera dan tera ulang alat ukur", "diskopukmdag",
     "Pengujian timbangan dan alat ukur pedagang pasar dan SPBU.",
     "Alat ukur dibawa atau diperiksa di lokasi|KTP-el pemilik",
     "Daftar|Pengujian oleh penera|Tanda tera dipasang", "1 hari kerja", 10000, PDRD, "", "usaha"),
    ("sk-domisili-usaha", "Surat keterangan usaha untuk UMKM", "diskopukmdag",
     "Rekomendasi usaha mikro untuk pengajuan KUR dan bantuan modal.",
     "KTP-el|Foto tempat usaha|NIB", "Ajukan|Verifikasi|Surat terbit", "3 hari kerja", FREE,
     "PP No. 7 Tahun 2021", "", "usaha"),
    ("adminduk-kb", "Pelayanan KB gratis", "dppkb",
     "Pelayanan alat kontrasepsi gratis di puskesmas dan klinik KB.",
     "KTP-el|KK", "Konsultasi dengan bidan/PLKB|Pemasangan alat kontrasepsi", "Hari itu juga",
     FREE, "UU No. 52 Tahun 2009", "", "pernikahan,kesehatan"),
    ("pengaduan-kdrt", "Pendampingan korban kekerasan perempuan dan anak", "dp3a",
     "Pendampingan hukum dan psikologis oleh UPTD PPA bagi korban kekerasan.",
     "Laporan langsung atau melalui telepon SAPA 129", "Laporkan|Asesmen|Pendampingan",
     "Segera", FREE, "UU No. 12 Tahun 2022 tentang TPKS", "", "kesehatan"),
    ("izin-keramaian", "Rekomendasi izin keramaian", "kesbangpol",
     "Rekomendasi untuk acara yang mengundang massa (hiburan, pertandingan, hajatan besar).",
     "KTP-el penanggung jawab|Susunan acara|Surat pemberitahuan ke desa",
     "Ajukan|Rekomendasi terbit|Teruskan ke Polres OKU", "3 hari kerja", FREE,
     "Perkap No. 7 Tahun 2023", "", "pernikahan"),
    ("peminjaman-buku", "Keanggotaan perpustakaan daerah", "diarpus",
     "Kartu anggota perpustakaan untuk meminjam buku di Perpustakaan Daerah Baturaja.",
     "KTP-el atau kartu pelajar|Pas foto 2x3", "Daftar di meja layanan|Kartu dicetak",
     "Hari itu juga", FREE, "UU No. 43 Tahun 2007 tentang Perpustakaan", "", "pendidikan"),
]
# fmt: on

SYNONYMS = [
    "praktik, praktek",
    "kartu tanda penduduk, ktp, ktp el, e ktp",
    "surat izin praktik, sip, sipb, sipp, sipa",
    "izin, perizinan, ijin",
    "akta, akte",
    "kartu keluarga, kk",
    "nomor induk berusaha, nib",
    "pajak bumi dan bangunan, pbb",
    "persetujuan bangunan gedung, pbg, imb, izin mendirikan bangunan",
    "usaha, bisnis",
]


def load_demo(context: dict) -> str:
    for words in SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)
    organisations = context.get("organisations") or {o.code: o for o in Organisation.objects.all()}
    apps_made = services_made = 0
    apps: dict[str, Application] = {}
    for spec in APPS:
        name, code, category, audience, lifecycle, hosting, sso, api, personal, url, desc = spec
        organisation = organisations.get(code)
        if organisation is None:
            continue
        app, made = Application.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "organisation": organisation,
                "category": category,
                "audience": audience,
                "lifecycle": lifecycle,
                "hosting": hosting,
                "uses_sso": sso,
                "has_api": api,
                "holds_personal_data": personal,
                "url": url,
                "description": desc,
                "status": Application.Status.PUBLISHED,
            },
        )
        apps[app.slug] = app
        apps_made += made
    for spec in SERVICES:
        slug, name, code, desc, requirements, steps, time, fee, legal, app_slug, events = spec
        organisation = organisations.get(code)
        if organisation is None:
            continue
        _, made = PublicService.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "organisation": organisation,
                "description": desc,
                "requirements": "\n".join(requirements.split("|")),
                "procedure": "\n".join(steps.split("|")),
                "completion_time": time,
                "fee": fee,
                "legal_basis": legal,
                "application": apps.get(app_slug),
                "counter_address": MPP
                if code in ("dpmptsp", "disdukcapil")
                else organisation.address,
                "counter_hours": HOURS,
                "complaint_channel": COMPLAINT,
                "life_events": events,
                "status": PublicService.Status.PUBLISHED,
            },
        )
        services_made += made
    return f"{apps_made} aplikasi, {services_made} layanan baru"
