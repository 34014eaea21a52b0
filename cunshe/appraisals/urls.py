from django.urls import path

from cunshe.appraisals import views

app_name = "appraisals"
urlpatterns = [
    path("", views.appraisal_list, name="list"),
    path("new/", views.appraisal_new, name="new"),
    path("results.xlsx", views.export, name="export"),
    path("rollup/<str:code>/", views.rollup, name="rollup"),
    path("rollup/<str:code>/rollup.xlsx", views.rollup_download, name="rollup_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/self/", views.self_view, name="self"),
    path("<int:pk>/ratings/", views.ratings, name="ratings"),
    path("<int:pk>/rating/", views.rating, name="rating"),
    path("<int:pk>/inquiry/", views.inquiry, name="inquiry"),
    path("<int:pk>/papers/", views.paper_new, name="paper_new"),
    path("<int:pk>/inspection/", views.inspection, name="inspection"),
    path("<int:pk>/report.pdf", views.report, name="report"),
    path("<int:pk>/problems/", views.problem_new, name="problem_new"),
    path("paper/<int:pk>/", views.paper, name="paper"),
    path("paper/<int:pk>/submit/", views.paper_submit, name="paper_submit"),
    path("problem/<int:pk>/refer/", views.problem_refer, name="problem_refer"),
    path("bank/", views.bank, name="bank"),
    path("bank/new/", views.question_new, name="question_new"),
    path("bank/import/", views.bank_import, name="bank_import"),
    path("bank/<str:code>/questions.xlsx", views.bank_download, name="bank_export"),
]
