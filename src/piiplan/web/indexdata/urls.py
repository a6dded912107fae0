"""URLs of indexdata, mounted at /du-lieu/ (URL names carry the ``indexdata:`` prefix)."""

from django.urls import path

from piiplan.web.indexdata import api, api_series, plans, scenarios, views

app_name = "indexdata"

urlpatterns = [
    path("", views.datasets, name="datasets"),
    path("nhap/<int:pk>/", views.import_preview, name="import_preview"),
    path("nhap/<int:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap/<int:pk>/huy/", views.import_reject, name="import_reject"),
    path("phien-ban/<int:pk>/kich-hoat/", views.dataset_activate, name="dataset_activate"),
    path("phien-ban/<int:pk>/cong-bo/", views.dataset_publish, name="dataset_publish"),
    path("khung/<int:pk>/kich-hoat/", views.framework_activate, name="framework_activate"),
    path("xuat-excel/", views.export, name="export"),
    path("kich-ban/", scenarios.scenarios, name="scenarios"),
    path("kich-ban/muc-tieu/", plans.target, name="target"),
    path("kich-ban/muc-tieu/<int:pk>/", plans.target_job, name="target_job"),
    path("kich-ban/muc-tieu/<int:pk>/trang-thai/", plans.job_status, name="job_status"),
    path("kich-ban/muc-tieu/<int:pk>/chi-tieu/", plans.target_to_plan, name="target_to_plan"),
    path("kich-ban/loi-ich-bien/", plans.gains, name="gains"),
    path("kich-ban/du-bao/", plans.projection, name="projection"),
    path("kich-ban/don-bay/", plans.levers, name="levers"),
    path("kich-ban/don-bay.csv", plans.levers_csv, name="levers_csv"),
    path("kich-ban/don-bay/nhap/", plans.levers_import, name="levers_import"),
    path("kich-ban/<int:pk>/", scenarios.scenario, name="scenario"),
    path("kich-ban/<int:pk>/xoa/", scenarios.scenario_delete, name="scenario_delete"),
    path("kich-ban/<int:pk>/khoi-phuc/", scenarios.scenario_restore, name="scenario_restore"),
    path("api/rankings", api.api_rankings, name="api_rankings"),
    path("api/units/<str:unit>", api.api_unit, name="api_unit"),
    path("api/indicators", api.api_indicators, name="api_indicators"),
    path("api/indicators/<str:code>", api.api_indicator, name="api_indicator"),
    path("api/series", api_series.api_series, name="api_series"),
    path("api/compare", api_series.api_compare, name="api_compare"),
    path("api/openapi.json", api.api_openapi, name="api_openapi"),
]
