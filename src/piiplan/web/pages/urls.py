from django.urls import path

from piiplan.web.pages import downloads, explore_views, exports, search, views

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
    path("ban-do/", explore_views.tile_map, name="map"),
    path("so-sanh/", explore_views.compare, name="compare"),
    path("xu-huong/", explore_views.trends, name="trends"),
    path("phuong-phap/", explore_views.method, name="method"),
    path("tim-kiem/", search.search_page, name="search"),
    path("bang/<slug:name>.<str:fmt>", exports.table_download, name="table_download"),
]
