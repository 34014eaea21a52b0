"""The page form of a paper count sheet, built from the election's posts and formal candidates."""

from __future__ import annotations

from typing import Any

from django import forms

from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.elections.models import Election

WRITE_IN_ROWS = 3


def _people(text: str) -> list[dict[str, str]]:
    """ "姓名：原因" per line (a full-width or ASCII colon)."""
    rows = []
    for line in text.splitlines():
        if line.strip():
            name, _, reason = line.replace("：", ":").partition(":")
            rows.append({"name": name.strip(), "reason": reason.strip()})
    return rows


def people_text(rows: list[list[str]]) -> str:
    return "\n".join(f"{name}：{reason}" for name, reason in rows)


class SheetForm(forms.Form):
    issued = forms.IntegerField(label="发出选票", min_value=0)
    returned = forms.IntegerField(label="收回选票", min_value=0)
    valid = forms.IntegerField(label="有效票", min_value=0)
    invalid = forms.IntegerField(label="无效票（整张作废）", min_value=0)

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.election = election
        self.posts = list(election.posts.all())
        self.candidates = list(
            Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL).select_related("person")
        )
        for p in self.posts:
            self.fields[f"void_{p.post}"] = forms.IntegerField(
                label=f"{p.get_post_display()}废票", min_value=0, initial=0
            )
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=f"{c.person.name}（{c.get_post_display()}）", min_value=0, initial=0
            )
        choices = [("", "—")] + [(p.post, p.get_post_display()) for p in self.posts]
        for n in range(1, WRITE_IN_ROWS + 1):
            self.fields[f"writein_post_{n}"] = forms.ChoiceField(
                label=f"另选他人{n} 职务", choices=choices, required=False
            )
            self.fields[f"writein_name_{n}"] = forms.CharField(label="姓名", max_length=50, required=False)
            self.fields[f"writein_votes_{n}"] = forms.IntegerField(label="得票", min_value=0, required=False)
        if election.is_direct:
            self.fields["written_for"] = forms.IntegerField(label="代写选票", min_value=0, initial=0, required=False)
        if not election.is_direct:
            self.fields["due"] = forms.IntegerField(label="应到人数", min_value=0)
            self.fields["present"] = forms.IntegerField(label="实到人数", min_value=0)
            self.fields["absent"] = forms.CharField(
                label="缺席人员（每行“姓名：原因”）", widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
            self.fields["excluded"] = forms.CharField(
                label="不计入应到人数（每行“姓名：原因”，如流动党员、因病）",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def data_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {k: d[k] for k in ("issued", "returned", "valid", "invalid")}
        out["void"] = {p.post: d.get(f"void_{p.post}") or 0 for p in self.posts}
        out["votes"] = {str(c.pk): d.get(f"votes_{c.pk}") or 0 for c in self.candidates}
        out["write_ins"] = [
            {"post": d[f"writein_post_{n}"], "name": d[f"writein_name_{n}"], "votes": d.get(f"writein_votes_{n}") or 0}
            for n in range(1, WRITE_IN_ROWS + 1)
            if d.get(f"writein_name_{n}") or d.get(f"writein_post_{n}")
        ]
        if self.election.is_direct:
            out["written_for"] = d.get("written_for") or 0
        if not self.election.is_direct:
            out.update(due=d["due"], present=d["present"], absent=_people(d["absent"]), excluded=_people(d["excluded"]))
        return out

    @staticmethod
    def initial_from(figures: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        n = 0
        for key, value in figures.items():
            if key.startswith("void:"):
                initial[f"void_{key[5:]}"] = value
            elif key.startswith("votes:"):
                initial[f"votes_{key[6:]}"] = value
            elif key.startswith("writein:"):
                n += 1
                _, post, name = key.split(":", 2)
                initial.update({f"writein_post_{n}": post, f"writein_name_{n}": name, f"writein_votes_{n}": value})
            elif key in ("absent", "excluded"):
                initial[key] = people_text(value)
            else:
                initial[key] = value
        return initial


class ClearForm(forms.Form):
    check = forms.CharField(max_length=50)
    reason = forms.CharField(label="核实情况与放行原因", max_length=300)
    version = forms.IntegerField()


class VersionForm(forms.Form):
    version = forms.IntegerField()


class ScanForm(forms.Form):
    file = forms.FileField(label="签字计票单照片或扫描件")


class AccountPersonForm(forms.Form):
    username = forms.CharField(label="账号（用户名）", max_length=150)
    id_number = forms.CharField(label="本人身份证号码", max_length=18)


class RoundDayForm(forms.Form):
    election_day = forms.DateField(label="另行选举日期")
