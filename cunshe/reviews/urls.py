from django.urls import path

from cunshe.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/report.xlsx", views.round_report_xlsx, name="round_report_xlsx"),
    path("rounds/<int:pk>/report.pdf", views.round_report_pdf, name="round_report_pdf"),
    path("rounds/<int:pk>/import/", views.batch_import, name="batch_import"),
    path("rounds/<int:pk>/pick/", views.batch_pick, name="batch_pick"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/release/", views.batch_release, name="batch_release"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/decide/", views.candidate_decide, name="candidate_decide"),
    path("department-reviews/<int:pk>/reopen/", views.department_review_reopen, name="reopen"),
    path("departments/", views.departments, name="departments"),
    path("departments/<int:pk>/head/", views.department_head, name="department_head"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:pk>/", views.desk_batch, name="desk_batch"),
    path("desk/<int:pk>/candidates/<int:candidate_pk>/", views.desk_candidate, name="desk_candidate"),
    path("desk/<int:pk>/candidates/<int:candidate_pk>/answer/", views.desk_answer, name="desk_answer"),
    path("desk/<int:pk>/clear-rest/", views.desk_clear_rest, name="desk_clear_rest"),
    path("desk/<int:pk>/sign/", views.desk_sign, name="desk_sign"),
]
