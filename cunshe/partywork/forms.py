from __future__ import annotations

import re
from datetime import date

from django import forms

from cunshe.partywork.models import GroupKind, MeetingKind, PartyMeeting

DATE = forms.DateInput(attrs={"type": "date"})


class BranchForm(forms.Form):
    village = forms.ChoiceField(label="村(社区)")
    name = forms.CharField(label="党组织名称", max_length=100)
    formed_on = forms.DateField(label="本届支部委员会产生日期", widget=DATE)

    def __init__(self, *args: object, villages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["village"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = villages


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_at = forms.DateTimeField(label="时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=100)
    topic = forms.CharField(label="主题", max_length=200, required=False)
    chair = forms.TypedChoiceField(label="主持人", coerce=int)
    recorder = forms.TypedChoiceField(label="记录人", coerce=int)
    agenda = forms.CharField(label="议程", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    discussion = forms.CharField(
        label="发言情况（含不同意见）", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    votes = forms.CharField(label="表决情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("chair", "recorder"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = members


class MeetingEditForm(MeetingForm):
    """A draft record changed on its page: what the record says (not its kind, which numbers it), the decisions one a
    line, and the version the page was read at (a record changed meanwhile is refused, not overwritten)."""

    decisions = forms.CharField(
        label="决定事项（每行一项：事项｜责任人｜完成时限）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "道路硬化方案征求群众意见｜张三｜2026-12-31"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, members=members, **kwargs)
        del self.fields["kind"]
        held_at = self.fields["held_at"]
        held_at.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def clean_decisions(self) -> list[dict[str, object]]:
        found: list[dict[str, object]] = []
        problems: list[str] = []
        lines = [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]
        for n, line in enumerate(lines, start=1):
            parts = [p.strip() for p in re.split(r"[|｜]", line)]
            try:
                due_on = date.fromisoformat(parts[2]) if len(parts) == 3 else None
            except ValueError:
                due_on = None
            if due_on is None:
                problems.append(f"第 {n} 行须为“事项｜责任人｜完成时限（如 2026-12-31）”。")
            else:
                found.append({"text": parts[0], "owner": parts[1], "due_on": due_on})
        if problems:
            raise forms.ValidationError(problems)
        return found


def decisions_text(meeting: PartyMeeting) -> str:
    """A record's decisions as the edit form's lines."""
    return "\n".join(f"{d.text}｜{d.owner}｜{d.due_on:%Y-%m-%d}" for d in meeting.decisions.all())


class SignForm(forms.Form):
    role = forms.ChoiceField(label="身份", choices=[("recorder", "记录人"), ("chair", "主持人")])
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddendumForm(forms.Form):
    text = forms.CharField(label="补充更正内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class PostForm(forms.Form):
    person = forms.TypedChoiceField(label="党员", coerce=int)
    title = forms.CharField(label="示范岗名称", max_length=100)
    duty = forms.CharField(label="岗位职责与承诺", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    set_up_on = forms.DateField(label="设岗日期", widget=DATE)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = members


class PostEndForm(forms.Form):
    ended_on = forms.DateField(label="撤岗日期", widget=DATE)
    reason = forms.CharField(label="撤岗原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RateForm(forms.Form):
    """One integer field per criterion of the rating sheet (as the service checks it against the quarter's sheet)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第 {q} 季度") for q in (1, 2, 3, 4)])
    note = forms.CharField(label="评语", max_length=300, required=False)

    def __init__(self, *args: object, criteria: tuple[tuple[str, int], ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.criteria = criteria
        for i, (name, full) in enumerate(criteria):
            self.fields[f"score_{i}"] = forms.IntegerField(label=f"{name}（满分 {full}）", min_value=0, max_value=full)

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[f"score_{i}"] for i, (name, _) in enumerate(self.criteria)}


class FloatingForm(forms.Form):
    person = forms.TypedChoiceField(label="党员", coerce=int)
    whereabouts = forms.CharField(label="流入地（所在地）", max_length=200)
    work = forms.CharField(label="从事工作", max_length=100, required=False)
    phone = forms.CharField(label="联系方式", max_length=20, required=False)
    left_on = forms.DateField(label="外出日期", widget=DATE)
    expected_back_on = forms.DateField(label="预计返回日期", widget=DATE, required=False)
    cannot_transfer = forms.BooleanField(label="无法转移组织关系", required=False)
    cannot_transfer_reason = forms.CharField(label="无法转移的原因", max_length=200, required=False)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = members


class CardForm(forms.Form):
    issued_on = forms.DateField(label="发证日期", widget=DATE)
    valid_until = forms.DateField(label="有效期至", widget=DATE)


class ReportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    content = forms.CharField(label="报告内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label="返回日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class _MembersForm(forms.Form):
    """A form whose member fields choose among the floating members the view passes (`members=[(pk, name)]`)."""

    member_fields: tuple[str, ...] = ("member",)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in self.member_fields:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = members


class GroupForm(_MembersForm):
    """A town sets up a temporary group from its floating members away with a valid card and in no group."""

    kind = forms.ChoiceField(label="类型", choices=GroupKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    whereabouts = forms.CharField(label="活动地点（船队）", max_length=200)
    formed_on = forms.DateField(label="成立日期", widget=DATE)
    members = forms.TypedMultipleChoiceField(label="成员（3 名以上）", coerce=int, widget=forms.CheckboxSelectMultiple)
    leader = forms.TypedChoiceField(label="组长（须为成员）", coerce=int)

    member_fields = ("members", "leader")


class GroupJoinForm(_MembersForm):
    member = forms.TypedChoiceField(label="流动党员", coerce=int)
    joined_on = forms.DateField(label="加入日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupLeaveForm(forms.Form):
    left_on = forms.DateField(label="退出日期", widget=DATE)
    reason = forms.CharField(label="退出原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupLeaderForm(_MembersForm):
    member = forms.TypedChoiceField(label="新组长", coerce=int)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupDissolveForm(forms.Form):
    dissolved_on = forms.DateField(label="撤销日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
