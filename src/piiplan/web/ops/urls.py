from django.urls import path

from piiplan.web.ops import views

app_name = "ops"

urlpatterns = [
    path("pdf/<slug:key>/", views.pdf_status, name="pdf"),
    path("pdf/<slug:key>/tai-xuong/", views.pdf_file, name="pdf_file"),
]
