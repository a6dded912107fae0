from django.urls import path

from piiplan.web.pages import downloads, views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("xep-hang/ket-qua.xlsx", downloads.results_workbook, name="results_workbook"),
    path("ho-so/", views.profile, name="profile"),
    path("ho-so/ho-so.docx", downloads.profile_docx, name="profile_docx"),
    path("ho-so/ho-so.pdf", downloads.profile_pdf, name="profile_pdf"),
    path("chi-so/", views.indicators, name="indicators"),
    path("chi-so/<str:code>/", views.indicator, name="indicator"),
    path("do-tin-cay/", views.uncertainty, name="uncertainty"),
]
