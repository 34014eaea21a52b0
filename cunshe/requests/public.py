"""What residents use without an account: the village's filing page (opened from the QR poster, made for a phone),
and the follow-up page behind the link shown once after filing, where the resident answers "solved? satisfied?"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cunshe.core.errors import DomainError
from cunshe.regions.models import Level, Region
from cunshe.requests import selectors
from cunshe.requests.forms import AnswerForm, PublicRequestForm
from cunshe.requests.models import Request, Status
from cunshe.requests.services import client_key_of, photo_add_public, request_answer, request_submit_public
from cunshe.web.forms import apply_domain_error


def _village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise Http404("未找到该村(社区)。")
    return village


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def file(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    categories = [(c.code, c.name) for c in selectors.public_categories(code[:6], timezone.localdate())]
    form = PublicRequestForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["website"]:  # the honeypot: a robot; answer as if accepted, save nothing
            return render(request, "requests/public_done.html", {"village": village, "url": ""})
        try:
            created = request_submit_public(
                village_code=code,
                category_code=d["category"],
                title=d["title"],
                description=d["description"],
                address=d["address"],
                reporter_name=d["reporter_name"],
                reporter_phone=d["reporter_phone"],
                client_key=client_key_of(client_address(request)),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if d["photo"]:
                try:
                    photo_add_public(request=created, upload=d["photo"])
                except DomainError as exc:
                    messages.error(request, f"诉求已提交，但照片未保存：{exc.text}")
            url = request.build_absolute_uri(reverse("requests_public:track", kwargs={"token": created.token}))
            return render(request, "requests/public_done.html", {"village": village, "url": url, "r": created})
    return render(
        request,
        "requests/public_file.html",
        {"village": village, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    r = Request.objects.select_related("region", "category").filter(token=token).first() if len(token) > 20 else None
    if r is None:
        raise Http404("未找到该记录。")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            request_answer(token=token, solved=d["solved"], satisfaction=d["satisfaction"], comment=d["comment"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "感谢您的评价。" if d["solved"] else "已收到，您的诉求将重新办理。")
            return redirect("requests_public:track", token=token)
    return render(
        request,
        "requests/public_track.html",
        {
            "r": r,
            "events": selectors.events_of(r, public_only=True),
            "form": form if r.status == Status.CLOSED and r.answered_at is None else None,
        },
    )
