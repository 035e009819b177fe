from django.urls import path, re_path

from . import ckan
from .views import deletion, portal, review, workspace

app_name = "data"

urlpatterns = [
    path("api/3/action/<str:name>", ckan.action, name="ckan_action"),
    # ckanapi's RemoteCKAN and older harvesters call the unversioned path.
    path("api/action/<str:name>", ckan.action, name="ckan_action_unversioned"),
    re_path(r"^catalog\.(?P<fmt>ttl|jsonld|rdf)$", portal.catalogue, name="catalogue"),
    path("data/", portal.dataset_list, name="dataset_list"),
    path("data/unduh/<int:pk>.<str:fmt>", portal.resource_download, name="resource_download"),
    path("data/unduh/<int:pk>/berkas", portal.resource_file, name="resource_file"),
    # OPD workspace
    path("data/kelola/", workspace.workspace, name="workspace"),
    path("data/kelola/dataset/baru/", workspace.dataset_form, name="dataset_create"),
    path("data/kelola/dataset/<slug:slug>/", workspace.dataset_manage, name="dataset_manage"),
    path("data/kelola/dataset/<slug:slug>/ubah/", workspace.dataset_form, name="dataset_edit"),
    path(
        "data/kelola/dataset/<slug:slug>/ajukan/", workspace.dataset_submit, name="dataset_submit"
    ),
    path("data/kelola/dataset/<slug:slug>/ms-keg/", workspace.activity_form, name="activity_form"),
    path(
        "data/kelola/dataset/<slug:slug>/ms-ind/", workspace.indicator_form, name="indicator_form"
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/baru/",
        workspace.resource_form,
        name="resource_create",
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/<int:pk>/",
        workspace.resource_form,
        name="resource_edit",
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/<int:pk>/hapus/",
        deletion.resource_delete,
        name="resource_delete",
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/<int:pk>/kolom/",
        workspace.resource_mapping,
        name="resource_mapping",
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/<int:pk>/sinkron/",
        workspace.resource_sync,
        name="resource_sync",
    ),
    path(
        "data/kelola/dataset/<slug:slug>/sumber-daya/<int:pk>/agregasi/",
        workspace.resource_aggregate,
        name="resource_aggregate",
    ),
    path("data/kelola/proses/<int:pk>/", workspace.run_report, name="run_report"),
    path("data/kelola/sumber/", workspace.SourceListView.as_view(), name="source_list"),
    path("data/kelola/dataset/", workspace.DatasetListView.as_view(), name="dataset_table"),
    path("data/kelola/sumber/baru/", workspace.source_form, name="source_create"),
    path("data/kelola/sumber/<int:pk>/", workspace.source_detail, name="source_detail"),
    path("data/kelola/sumber/<int:pk>/ubah/", workspace.source_form, name="source_edit"),
    path("data/kelola/sumber/<int:pk>/hapus/", deletion.source_delete, name="source_delete"),
    # walidata
    path("data/verifikasi/", review.review_queue, name="review_queue"),
    path("data/verifikasi/<slug:slug>/", review.dataset_review, name="dataset_review"),
    path(
        "data/verifikasi/kolom/<int:pk>/deklasifikasi/",
        review.variable_declassify,
        name="variable_declassify",
    ),
    # public dataset pages (last: the slug catches everything else under data/)
    path("data/<slug:slug>/", portal.dataset_detail, name="dataset_detail"),
    path(
        "data/<slug:slug>/datapackage.json", portal.dataset_datapackage, name="dataset_datapackage"
    ),
    re_path(
        r"^data/(?P<slug>[-\w]+)\.(?P<fmt>ttl|jsonld|rdf)$",
        portal.dataset_dcat,
        name="dataset_dcat",
    ),
    path("data/<slug:slug>/sumber-daya/<int:pk>/", portal.resource_detail, name="resource_detail"),
]
