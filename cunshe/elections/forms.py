from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from cunshe.elections.models import KIND_POSTS, CommitteeRole, Kind, Round
from cunshe.teams.models import Post

# Every post any kind of election has, in ballot order: the open form shows the seats of the chosen kind.
SEAT_POSTS = list(dict.fromkeys(p for posts in KIND_POSTS.values() for p in posts))


def seats_from(data: dict[str, Any], kind: str) -> dict[str, int]:
    return {p: int(data.get(f"seats_{p}") or 0) for p in KIND_POSTS.get(kind, ())}


class SeatFields(forms.Form):
    """应选人数 per post; only those of the election's kind are read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for post in SEAT_POSTS:
            self.fields[f"seats_{post}"] = forms.IntegerField(
                label=f"{Post(post).label}应选人数", min_value=0, max_value=20, required=False
            )


class ElectionForm(SeatFields):
    village = forms.ChoiceField(label="村(社区)")
    villages: list[tuple[str, str]]
    kind = forms.ChoiceField(label="选举类别", choices=Kind.choices)
    election_day = forms.DateField(label="选举日")

    field_order = ["village", "kind", "election_day"]

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.villages = villages
        self.fields["village"] = forms.ChoiceField(label="村(社区)", choices=villages)
        self.order_fields(self.field_order)


class RoundForm(SeatFields):
    round = forms.ChoiceField(label="轮次", choices=[(Round.FURTHER, "另行选举"), (Round.RERUN, "重新选举")])
    election_day = forms.DateField(label="投票日期")

    field_order = ["round", "election_day"]


class MoveForm(forms.Form):
    to_status = forms.CharField(label="转为")
    on = forms.DateField(label="日期", initial=date.today)
    reason = forms.CharField(label="原因", max_length=200, required=False)
    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)


class CommitteeMemberForm(forms.Form):
    person = forms.IntegerField(label="人员")
    role = forms.ChoiceField(label="职务", choices=CommitteeRole.choices)
    chosen_by = forms.CharField(label="推选方式", max_length=100, initial="村民代表会议推选")
    chosen_on = forms.DateField(label="推选日期")

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = forms.TypedChoiceField(label="人员", choices=people, coerce=int)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="退出原因", max_length=200)
    on = forms.DateField(label="退出日期", initial=date.today)
    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)


class RulesForm(forms.Form):
    kind = forms.ChoiceField(label="选举类别", choices=Kind.choices)
    effective_from = forms.DateField(label="施行日期")
    name = forms.CharField(label="名称", max_length=100)
    source = forms.CharField(label="依据文件", max_length=300)
    register_days_before = forms.IntegerField(label="选民名单于选举日前公布（日，以上）", min_value=0, required=False)
    objection_days = forms.IntegerField(label="公布后申诉期（日）", min_value=0, required=False)
    candidates_days_before = forms.IntegerField(
        label="正式候选人于选举日前公布（日，以上）", min_value=0, required=False
    )
    scrutineers_min = forms.IntegerField(label="每个投票站(票箱)监票人（以上）", min_value=0, required=False)
    proxy_cap = forms.IntegerField(label="每名受托人受托人数（以下）", min_value=0, required=False)
    turnout = forms.CharField(label="投票有效：参加投票人数须超过登记选民的（分数）", required=False)
    win = forms.CharField(label="当选：得票须超过参加投票人数的（分数）", required=False)
    further_floor = forms.CharField(label="另行选举：得票不得少于参加投票人数的（分数）", required=False)

    TIGHTENED = (
        "register_days_before", "objection_days", "candidates_days_before", "scrutineers_min", "proxy_cap",
        "turnout", "win", "further_floor",
    )  # fmt: skip

    def tightened(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.TIGHTENED if self.cleaned_data.get(k) not in (None, "")}
