from django.urls import path

from . import search_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("cari/", search_views.search, name="search"),
    path("layanan-saya/", views.my_requests, name="my_requests"),
    path("design/", views.design, name="design"),
]
