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


FRACTION_HELP = "写成分数，如 2/3"
BASES = [("present", "实到人数"), ("due", "应到人数（全体）")]


class RulesForm(forms.Form):
    """A county's rule set for the four meetings from a day on (DecisionRules; the service checks the fractions)."""

    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.CharField(label="依据（文件名称、文号，选填）", max_length=200, required=False)
    committee_quorum = forms.CharField(label=f"支委会、“两委”会议到会比例（{FRACTION_HELP}）", max_length=10)
    committee_quorum_strict = forms.BooleanField(
        label="到会须超过该比例（过半数）；不选则达到即可（以上）", required=False
    )
    committee_base = forms.ChoiceField(label="支委会、“两委”会议赞成票须过半数的基数", choices=BASES)
    party_quorum = forms.CharField(label=f"党员大会到会比例（{FRACTION_HELP}）", max_length=10)
    party_quorum_strict = forms.BooleanField(label="到会须超过该比例（过半数）；不选则达到即可（以上）", required=False)
    party_base = forms.ChoiceField(label="党员大会赞成票须过半数的基数", choices=BASES)
    party_notice_days = forms.IntegerField(label="方案提前送达党员天数", min_value=0, max_value=30)
    villagers_quorum = forms.CharField(label=f"村民(代表)会议到会比例（{FRACTION_HELP}）", max_length=10)
    villagers_quorum_strict = forms.BooleanField(
        label="到会须超过该比例（过半数）；不选则达到即可（以上）", required=False
    )
    villagers_base = forms.ChoiceField(
        label="村民(代表)会议赞成票须过半数的基数（有的县要求全体代表过半数）", choices=BASES
    )
