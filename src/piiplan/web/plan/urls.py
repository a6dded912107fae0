from django.urls import path

from piiplan.web.plan import views
from piiplan.web.plan.views import exports

app_name = "plan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/chi-tieu/", views.targets, name="targets"),
    path("<int:pk>/tac-dong/", views.effect, name="effect"),
    path("<int:pk>/phu-luc.xlsx", views.appendix_export, name="appendix_export"),
    path("<int:pk>/nhap-phu-luc/", views.appendix_import, name="appendix_import"),
    path("<int:pk>/bieu-mau-so-lieu.xlsx", views.agency_template, name="agency_template"),
    path("<int:pk>/bieu-nhap-bo-khcn.xlsx", views.ministry_form, name="ministry_form"),
    path("<int:pk>/nhiem-vu/", views.tasks, name="tasks"),
    path("<int:pk>/nhiem-vu/them/", views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/trang-thai/", views.task_status, name="task_status"),
    path("ky-bao-cao/", views.periods, name="periods"),
    path("ky-bao-cao/them/", views.period_create, name="period_create"),
    path("ky-bao-cao/<int:pk>/", views.period_detail, name="period_detail"),
    path("ky-bao-cao/<int:pk>/sua/", views.period_edit, name="period_edit"),
    path("ky-bao-cao/<int:pk>/bao-cao-ubnd.docx", views.period_report, name="period_report"),
    path("ky-bao-cao/<int:pk>/bao-cao-ubnd.pdf", views.period_report_pdf, name="period_report_pdf"),
    path("ky-bao-cao/<int:pk>/don-doc/<int:agency>.docx", views.reminder_letter, name="reminder_letter"),
    path("ky-bao-cao/<int:pk>/lap-bao-cao/", views.report_open, name="report_open"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/luu/", views.report_save, name="report_save"),
    path("bao-cao/<int:pk>/bieu-mau.xlsx", views.report_template, name="report_template"),
    path("bao-cao/<int:pk>/nhap-bieu-mau/", views.report_template_import, name="report_template_import"),
    path("bao-cao/<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/duyet/", views.report_review, name="report_review"),
    path("bao-cao/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence_delete"),
    path("thong-bao/", views.notices, name="notices"),
    path("mo-hinh/", views.models, name="models"),
    path("mo-hinh/de-xuat/", views.model_propose, name="model_propose"),
    path("mo-hinh/<int:pk>/", views.model_detail, name="model_detail"),
    path("mo-hinh/<int:pk>/duyet/", views.model_review, name="model_review"),
    path("mo-hinh-tieu-bieu/", views.register, name="register"),
    # CSV copies of the lists
    path("<int:pk>/nhiem-vu.csv", exports.tasks_csv, name="tasks_csv"),
    path("ky-bao-cao.csv", exports.periods_csv, name="periods_csv"),
    path("ky-bao-cao/<int:pk>/bao-cao.csv", exports.period_reports_csv, name="period_reports_csv"),
    path("mo-hinh.csv", exports.models_csv, name="models_csv"),
]
