from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.SubscriptionListView.as_view(), name="subscription_list"),
    path("baru/", views.subscription_create, name="subscription_create"),
    path("<int:pk>/", views.subscription_detail, name="subscription_detail"),
    path("<int:pk>/uji/", views.subscription_test, name="subscription_test"),
    path("pengiriman/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("pengiriman/<int:pk>/kirim-ulang/", views.delivery_replay, name="delivery_replay"),
]
