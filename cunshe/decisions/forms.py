from __future__ import annotations

from typing import Any

from django import forms

from cunshe.decisions.models import MEETING_STEPS, Step


class DecisionForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=100)
    matter = forms.CharField(label="事项内容", widget=forms.Textarea(attrs={"rows": 4}))
    proposer = forms.CharField(label="提议人", max_length=60)


class MeetingForm(forms.Form):
    step = forms.ChoiceField(label="步骤", choices=[(s, Step(s).label) for s in MEETING_STEPS])
    merged = forms.BooleanField(label="一肩挑：提议与“两委”商议合并召开", required=False)
    held_at = forms.DateTimeField(label="会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=100)
    chair = forms.CharField(label="主持人", max_length=40)
    recorder = forms.CharField(label="记录人", max_length=40)
    due = forms.IntegerField(label="应到人数", min_value=0)
    present = forms.IntegerField(label="实到人数", min_value=0)
    absentees = forms.CharField(
        label="缺席人员及原因（每行一人：姓名：原因）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, initial=0)
    notice_sent_on = forms.DateField(
        label="方案送达党员日期（党员大会）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    discussion = forms.CharField(label="发言情况（含不同意见）", widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label="会议决定", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_absentees(self) -> list[dict[str, Any]]:
        rows = []
        for line in (self.cleaned_data.get("absentees") or "").splitlines():
            if not line.strip():
                continue
            name, _, reason = line.replace(":", "：").partition("：")
            rows.append({"name": name.strip(), "reason": reason.strip()})
        return rows


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)
