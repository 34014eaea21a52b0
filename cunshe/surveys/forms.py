from __future__ import annotations

from typing import Any

from django import forms

from cunshe.surveys.models import Kind, Post, Purpose
from cunshe.surveys.services import QuestionSpec

DATE = forms.DateInput(attrs={"type": "date"})
KIND_WORDS = {"单选": Kind.SINGLE, "多选": Kind.MULTIPLE, "文字": Kind.TEXT}
QUESTIONS_HELP = "每行一题：类型｜题目｜选项1｜选项2…；类型为 单选、多选、文字，或 打分5（1-5 分，可逐分写说明）。"


def parse_questions(text: str) -> list[QuestionSpec]:
    """The form's one-question-a-line notation; what it cannot read is left to the service to refuse by line."""
    specs = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
        head, body, rest = parts[0], parts[1] if len(parts) > 1 else "", parts[2:]
        if head.startswith("打分"):
            digits = head[2:].strip()
            specs.append(QuestionSpec(Kind.SCALE, body, rest, int(digits) if digits.isdigit() else None))
        else:
            specs.append(QuestionSpec(KIND_WORDS.get(head, head), body, rest))
    return specs


class SurveyForm(forms.Form):
    region = forms.ChoiceField(label="发起单位")
    title = forms.CharField(label="问卷名称", max_length=100)
    purpose = forms.ChoiceField(label="类型", choices=Purpose.choices)
    post = forms.ChoiceField(label="测评对象（满意度测评）", choices=[("", "—"), *Post.choices], required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    intro = forms.CharField(label="说明", max_length=300, required=False)
    previous = forms.ChoiceField(label="对比上年度测评", required=False)
    questions = forms.CharField(label="题目", widget=forms.Textarea(attrs={"rows": 8}), help_text=QUESTIONS_HELP)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]], previous: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        self.fields["previous"].choices = [("", "—"), *previous]  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TokensForm(forms.Form):
    count = forms.IntegerField(label="份数", min_value=1, max_value=500)


class RaiseForm(forms.Form):
    title = forms.CharField(label="问题（默认为意见原文）", max_length=200, required=False)
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="办结时限", widget=DATE, required=False)


class HolderForm(forms.Form):
    village = forms.CharField(label="村(社区)代码", max_length=12)
    post = forms.ChoiceField(label="岗位", choices=Post.choices)
    person_id = forms.IntegerField(label="人员编号")
    unit = forms.CharField(label="单位", max_length=100, required=False)
    since = forms.DateField(label="到岗日期", widget=DATE)
