from django.urls import path

from cunshe.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey, name="survey"),
    path("<int:pk>/open/", views.survey_open_view, name="open"),
    path("<int:pk>/close/", views.survey_close_view, name="close"),
    path("<int:pk>/revise/", views.survey_revise_view, name="revise"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
    path("<int:pk>/form.pdf", views.form_pdf, name="form_pdf"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("run/<int:pk>/", views.run, name="run"),
    path("run/<int:pk>/paper/", views.paper, name="paper"),
    path("run/<int:pk>/answer/", views.answer, name="answer"),
    path("run/<int:pk>/tokens/", views.tokens, name="tokens"),
    path("run/<int:pk>/slips.pdf", views.slips, name="slips"),
    path("text/<int:pk>/issue/", views.raise_issue, name="raise"),
    path("holders/", views.holders, name="holders"),
    path("holders/new/", views.holder_new, name="holder_new"),
]

public_patterns = ([path("<str:code>/", views.public_answer, name="answer")], "surveys_public")
