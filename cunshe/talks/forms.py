from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class TalkForm(forms.Form):
    village = forms.CharField(label="村(社区)代码", max_length=12)
    held_on = forms.DateField(label="谈心日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    talker = forms.CharField(label="谈心人（乡镇(街道)党(工)委书记）", max_length=50)
    secretary = forms.CharField(label="谈心对象（空则取在任村党组织书记）", max_length=50, required=False)
    points = forms.CharField(label="点评内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    issues = forms.CharField(label="反映的问题（问题清单编号，逗号分隔）", max_length=200, required=False)
    task = forms.CharField(label="整改事项", max_length=300, required=False)
    owner = forms.CharField(label="责任人", max_length=50, required=False)
    due_on = forms.DateField(label="完成时限", widget=DATE, required=False)

    def clean_issues(self) -> list[int]:
        raw = self.cleaned_data.get("issues") or ""
        parts = [p for p in raw.replace("，", ",").split(",") if p.strip()]
        if not all(p.strip().isdigit() for p in parts):
            raise forms.ValidationError("请填写问题编号（数字），用逗号分隔。")
        return [int(p) for p in parts]

    def follow_ups(self) -> list[dict[str, object]]:
        d = self.cleaned_data
        if not (d.get("task") or d.get("owner") or d.get("due_on")):
            return []
        return [{"task": d.get("task"), "owner": d.get("owner"), "due_on": d.get("due_on")}]


class FollowUpForm(forms.Form):
    task = forms.CharField(label="整改事项", max_length=300)
    owner = forms.CharField(label="责任人", max_length=50)
    due_on = forms.DateField(label="完成时限", widget=DATE)


class DoneForm(forms.Form):
    result = forms.CharField(label="落实情况", max_length=300)
    done_on = forms.DateField(label="落实日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)
