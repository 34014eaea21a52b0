from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import scope_q, scope_root
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.people.exports import people_export, people_import
from cunshe.people.forms import PeopleImportForm, PersonForm, RelationForm
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import (
    people_for_export,
    people_visible,
    person_values,
    relations_of,
    shows_id_number,
    villages_user_may_change,
)
from cunshe.people.services import person_create, person_update, relation_add
from cunshe.records.kept import Kept
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import (
    form_action,
    form_errors_text,
    upload_report,
)
from cunshe.web.htmx import HtmxRequest
from cunshe.web.kept_pages import render_kept


@login_required
@require_GET
def person_list(request: HtmxRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    under = request.GET.get("under", "")

    def can_add() -> bool:
        # Whether any such village exists, asked in the query: loading every village of a county as a model only
        # to test the list for emptiness was half of the list page's time.
        condition = scope_q(request.user, "people.change", "code")
        return condition is not None and Region.objects.filter(condition, level=Level.VILLAGE).exists()

    # The search form and the table kept rendered under the reader, the query string and the change number of the
    # reader's regions (records.kept, issue 15): a repeat view neither reads nor renders the rows.
    kept = Kept(
        f"people.list:{request.GET.urlencode()}",
        request.user,
        lambda: Paginator(people_visible(request.user, under=under, query=query), 50).get_page(request.GET.get("page")),
        region_code=scope_root(request.user),
        value_kept=False,
    )
    template = "people/list.html#table" if request.htmx else "people/list.html"
    return render_kept(
        request,
        kept,
        template,
        {"kept": kept, "page": kept.lazy(), "query": query, "under": under, "can_add": SimpleLazyObject(can_add)},
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_policy.get_or_404(request.user, pk=pk)
    can_change = person_policy.can(request.user, "change", person)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "show_id": shows_id_number(request.user, person),
            "can_change": can_change,
            "relations": relations_of(person),
            "relation_form": RelationForm(person=person) if can_change else None,
        },
    )


@login_required
@require_POST
def relation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a close relative (近亲属) from the person's page: the election checks read them."""
    person = person_policy.get_or_404(request.user, pk=pk)
    form = RelationForm(request.POST, person=person)

    def call(data: dict[str, Any]) -> Any:
        relative = person_policy.get_or_404(request.user, pk=data["relative"])
        return relation_add(actor=acting_user(request), person=person, relative=relative, kinship=data["kinship"])

    if form_action(request, form, call):
        messages.success(request, "已登记近亲属。")
    elif form.errors:
        messages.error(request, form_errors_text(form))
    return redirect("people:detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    villages = villages_user_may_change(request.user)
    if not villages:
        raise NotPermitted("您无权登记人员。")
    form = PersonForm(request.POST or None, villages=villages, initial={"region": villages[0].code})
    person = form_action(request, form, lambda data: person_create(actor=acting_user(request), **form.service_fields()))
    if person is not None:
        messages.success(request, f"已登记 {person.name}。")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": "登记人员"})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_policy.get_or_404(request.user, pk=pk)
    person_policy.check(request.user, "change", person, message="您无权修改该人员。")
    villages = villages_user_may_change(request.user)
    form = PersonForm(request.POST or None, villages=villages, initial=person_values(person))

    def update(d: dict[str, Any]) -> Person:
        fields = form.service_fields()
        fields["region"] = fields.pop("region_code")
        return person_update(actor=acting_user(request), person=person, expected_version=d["version"], **fields)

    saved = form_action(request, form, update)
    if saved is not None:
        messages.success(request, f"已保存 {saved.name} 的修改。")
        return redirect("people:detail", pk=saved.pk)
    return render(request, "people/form.html", {"form": form, "title": f"修改 {person.name}", "person": person})


@login_required
@require_GET
def person_export(request: HtmxRequest) -> HttpResponse:
    people = people_for_export(request.user, under=request.GET.get("under", ""), query=request.GET.get("q", ""))
    buffer = BytesIO()
    people_export(people=people, target=buffer)
    return xlsx_response(buffer.getvalue(), "人员花名册.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    if not villages_user_may_change(request.user):
        raise NotPermitted("您无权导入人员。")
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    report = upload_report(
        request,
        form,
        lambda data: people_import(
            actor=acting_user(request), stream=data["file"], import_good_rows=data["import_good_rows"]
        ),
    )
    return render(request, "people/import.html", {"form": form, "report": report})
