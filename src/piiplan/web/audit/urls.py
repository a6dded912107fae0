from django.urls import path

from piiplan.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("nhat-ky.csv", views.log_csv, name="log_csv"),
]
