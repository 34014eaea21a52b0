from __future__ import annotations

from typing import Any

from django import forms

from cunshe.access.roles import Role
from cunshe.accounts.models import Department


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    region = forms.CharField(label="区划代码", max_length=12, help_text="县 6 位、乡镇 9 位、村(社区) 12 位")
    department = forms.ModelChoiceField(
        label="联审单位（仅审查员）", queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments if departments is not None else Department.objects.none()


class AccountForm(AssignmentForm):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)

    field_order = ["username", "display_name", "role", "region", "department"]
