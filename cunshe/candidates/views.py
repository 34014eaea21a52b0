"""Pages of the candidates module: one page per election (nominations with the reasons a nominee cannot stand, the
formal candidates, withdrawals, the party list's 两推 and approval, publication) and the poster."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.candidates.api import letter_file
from cunshe.candidates.forms import ApproveForm, NominationsForm, PublishForm, VoterMeetingForm, WithdrawForm
from cunshe.candidates.models import Candidate
from cunshe.candidates.permissions import candidate_policy
from cunshe.candidates.printouts import poster_response
from cunshe.candidates.selectors import ballot_order, board, voter_meetings
from cunshe.candidates.services import (
    NominationRow,
    candidate_withdraw,
    candidates_determine,
    candidates_publish,
    list_approve,
    nominations_enter,
    recommendations_enter,
    voter_meeting_record,
)
from cunshe.core.errors import DomainError
from cunshe.elections.models import Election
from cunshe.elections.permissions import election_for, election_policy
from cunshe.people.models import Person
from cunshe.web.forms import button_action, document_or_back, form_action

_LINE = re.compile(r"^\s*(#?\S+)\s+(\d+)\s*$")


def _page(request: HttpRequest, election: Election, **extra: Any) -> HttpResponse:
    user = request.user
    posts = [(p.post, p.seats) for p in election.posts.all()]
    context = {
        "election": election,
        "board": board(election),
        "can_enter": election_policy.can(user, "enter", election),
        "can_change": election_policy.can(user, "change", election),
        "nominations_form": NominationsForm(posts=posts),
        "approve_form": ApproveForm(initial={"approved_on": timezone.localdate()}),
        "publish_form": PublishForm(initial={"on": timezone.localdate(), "version": election.version}),
        "meetings": voter_meetings(election),
        "meeting_form": _meeting_form(election, initial={"held_on": timezone.localdate()}),
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, "candidates/board.html", context)


def _meeting_form(election: Election, data: Any = None, **kwargs: Any) -> VoterMeetingForm:
    choices = [(c.pk, f"{c.person.name}（{c.get_post_display()}）") for c in ballot_order(election)]
    return VoterMeetingForm(data, candidates=choices, **kwargs)


@login_required
@require_POST
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """候选人与选民见面: record a meeting held (form on the candidates page)."""
    election = election_for(request.user, pk)
    form = _meeting_form(election, request.POST)
    done = form_action(
        request,
        form,
        lambda d: voter_meeting_record(
            actor=acting_user(request), election=election, held_on=d["held_on"], place=d["place"],
            candidate_ids=d["candidates"], note=d["note"],
        ),
    )  # fmt: skip
    if done is None:
        return _page(request, election, meeting_form=form)
    messages.success(request, "已登记候选人与选民见面。")
    return _back(pk)


def _back(pk: int) -> HttpResponse:
    return redirect("candidates:board", pk=pk)


@login_required
@require_GET
def election_board(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, election_for(request.user, pk))


def _rows(election: Election, data: dict[str, Any]) -> list[NominationRow]:
    """Read "姓名 票数" lines; a name two villagers share must be given as #人员编号."""
    villagers = list(Person.objects.filter(region=election.region_id).values_list("pk", "name"))
    by_name: dict[str, list[int]] = {}
    for pk, name in villagers:
        by_name.setdefault(name, []).append(pk)
    rows: list[NominationRow] = []
    problems: list[str] = []
    for p in election.posts.all():
        for n, line in enumerate((data.get(f"post_{p.post}") or "").splitlines(), start=1):
            if not line.strip():
                continue
            m = _LINE.match(line)
            if m is None:
                problems.append(f"{p.get_post_display()}第 {n} 行：请按“姓名 票数”填写。")
                continue
            who, votes = m.group(1), int(m.group(2))
            if who.startswith("#") and who[1:].isdigit():
                rows.append(NominationRow(p.post, int(who[1:]), votes))
                continue
            found = by_name.get(who, [])
            if len(found) != 1:
                problems.append(
                    f"{p.get_post_display()}第 {n} 行：本村(社区)"
                    + ("没有" if not found else "有多名")
                    + f"“{who}”{'' if not found else '，请写“#人员编号 票数”'}。"
                )
                continue
            rows.append(NominationRow(p.post, found[0], votes))
    if problems:
        raise DomainError("提名统计有误，未保存。", {"__all__": problems})
    return rows


@login_required
@require_POST
def nominations(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = NominationsForm(request.POST, posts=[(p.post, p.seats) for p in election.posts.all()])
    done = form_action(
        request,
        form,
        lambda d: nominations_enter(
            actor=acting_user(request), election=election, ballots=d["ballots"], on=d["on"], rows=_rows(election, d)
        ),
    )
    if done is None:
        return _page(request, election, nominations_form=form)
    messages.success(request, "提名统计已保存。")
    for sentence in done.said:
        messages.info(request, sentence)
    return _back(pk)


def _number(value: str) -> int:
    try:
        return int(value or 0)
    except ValueError as exc:
        raise DomainError("推荐票数须为整数。") from exc


@login_required
@require_POST
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)

    def run() -> Any:
        counts = {}
        for key in request.POST:
            if key.startswith("r_") and key[2:].isdigit():
                pid = int(key[2:])
                counts[pid] = (_number(request.POST[key]), _number(request.POST.get(f"m_{pid}", "0")))
        return recommendations_enter(actor=acting_user(request), election=election, counts=counts)

    button_action(request, run, done="“两推”推荐票已保存。")
    return _back(pk)


@login_required
@require_POST
def determine(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    chosen = {
        p.post: [int(v) for v in request.POST.getlist(f"post_{p.post}") if v.isdigit()] for p in election.posts.all()
    }

    button_action(
        request,
        lambda: candidates_determine(actor=acting_user(request), election=election, chosen=chosen),
        done="正式候选人已确定。",
    )
    return _back(pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = ApproveForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: list_approve(
            actor=acting_user(request), election=election, approved_on=d["approved_on"], document=d["document"]
        ),
    )
    if done is None:
        return _page(request, election, approve_form=form)
    messages.success(request, "乡镇党委批复已登记。")
    return _back(pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = PublishForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: candidates_publish(
            actor=acting_user(request), election=election, on=d["on"], expected_version=d["version"]
        ),
    )
    if done is None:
        return _page(request, election, publish_form=form)
    messages.success(request, "正式候选人名单已公布。")
    return _back(pk)


@login_required
@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return document_or_back(request, lambda: poster_response(election), f"/candidates/election/{pk}/")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    candidate: Candidate = candidate_policy.get_or_404(request.user, pk=pk)
    form = WithdrawForm(
        request.POST or None,
        request.FILES or None,
        initial={"on": timezone.localdate(), "version": candidate.version},
    )

    def call(d: dict[str, Any]) -> Any:
        upload = d["letter"]
        return candidate_withdraw(
            actor=acting_user(request), candidate=candidate, on=d["on"], reason=d["reason"], letter_name=upload.name,
            letter_type=upload.content_type or "", letter=upload.read(), expected_version=d["version"],
        )  # fmt: skip

    done = form_action(request, form, call)
    if done is None:
        return render(request, "candidates/withdraw.html", {"candidate": candidate, "form": form})
    for sentence in done.said:
        messages.info(request, sentence)
    return _back(candidate.election_id)


@login_required
@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    candidate: Candidate = candidate_policy.get_or_404(request.user, pk=pk)
    return document_or_back(request, lambda: letter_file(candidate), f"/candidates/election/{candidate.election_id}/")
