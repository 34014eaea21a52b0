"""Writes to the people registry. Each checks the access rule, validates everything before saving anything,
and appends to the record book in the same transaction."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, validation_messages
from cunshe.people import id_numbers
from cunshe.people.models import Kinship, Person, Relation
from cunshe.people.permissions import person_policy
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region

EDITABLE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "is_party_member",
    "party_joined_on",
    "phone",
    "id_number",
    "region",
)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def _snapshot(person: Person) -> dict[str, Any]:
    # The record book is read by roles that may not see ID numbers, so it keeps only the masked form.
    return {
        "姓名": person.name,
        "性别": person.get_gender_display(),
        "出生日期": person.birth_date,
        "民族": person.ethnicity,
        "学历": person.get_education_display() if person.education else "",
        "中共党员": "是" if person.is_party_member else "否",
        "入党时间": person.party_joined_on,
        "联系电话": person.phone,
        "身份证号码": person.id_number_masked,
        "所在村(社区)": person.region_id,
    }


def _validate(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    try:
        parsed = id_numbers.parse(person.id_number or "")
    except id_numbers.InvalidIdNumber as exc:
        errors["id_number"] = [str(exc)]
    else:
        person.id_number = parsed.value
        if person.birth_date is None:
            person.birth_date = parsed.birth_date
        elif person.birth_date != parsed.birth_date:
            errors["birth_date"] = [f"出生日期与身份证号码不一致（号码中为 {parsed.birth_date:%Y-%m-%d}）。"]
        if Person.objects.filter(id_number=parsed.value).exclude(pk=person.pk).exists():
            errors["id_number"] = ["该身份证号码已登记，不能重复登记。"]
        if not person.gender:
            person.gender = parsed.gender
        elif person.gender != parsed.gender:
            errors["gender"] = ["性别与身份证号码不一致（第 17 位奇数为男，偶数为女）。"]
    if not (person.name or "").strip():
        errors["name"] = ["请填写姓名。"]
    person.name = (person.name or "").strip()
    if person.phone and not _PHONE.match(person.phone):
        errors["phone"] = ["联系电话格式不正确：手机号为 11 位，固定电话如 0543-4321234。"]
    if person.party_joined_on and not person.is_party_member:
        errors["party_joined_on"] = ["非党员不应填写入党时间。"]
    if person.is_party_member and person.party_joined_on is None:
        errors["party_joined_on"] = ["党员请填写入党时间。"]
    if person.party_joined_on and person.party_joined_on > timezone.localdate():
        errors["party_joined_on"] = ["入党时间不能晚于今天。"]
    if (
        person.party_joined_on
        and person.birth_date
        and person.party_joined_on < _eighteenth_birthday(person.birth_date)
    ):
        errors["party_joined_on"] = ["入党时须年满十八岁。"]
    region = Region.objects.filter(code=person.region_id).first()
    if region is None or region.level != Level.VILLAGE:
        errors["region"] = ["所在村(社区)须为村级区划。"]
    if errors:
        raise DomainError("人员信息有误，未保存。", errors)
    try:
        person.full_clean(exclude=["region"], validate_unique=False)
    except ValidationError as exc:
        message, fields = validation_messages(exc)
        raise DomainError(message, fields) from exc


def _eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + 18, day=28)


def _save_unique(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise DomainError("该身份证号码已登记，不能重复登记。", {"id_number": ["该身份证号码已登记。"]}) from exc


@transaction.atomic
def person_create(*, actor: Actor, region_code: str, **fields: Any) -> Person:
    person_policy.check_in_region(actor, "change", region_code, missing="未找到该区域。")
    person = Person(region_id=region_code, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    _validate(person)
    _save_unique(person)
    record(
        actor=actor,
        region_code=region_code,
        event="people.person_created",
        summary=f"登记人员 {person.name}",
        obj=person,
        after=_snapshot(person),
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int | None, **fields: Any) -> Person:
    person_policy.check(actor, "change", person)
    # A client may send null for a field (the API's PATCH): only the joining date may be empty; text fields that may
    # be blank are emptied, the others are refused here rather than failing later on a missing value.
    blanks = {"education", "phone"}
    missing = [n for n, v in fields.items() if v is None and n not in blanks and n != "party_joined_on"]
    if missing:
        labels = {
            n: str(getattr(Person._meta.get_field(n), "verbose_name", n)) for n in missing if n in EDITABLE_FIELDS
        }
        raise DomainError(
            f"{'、'.join(labels.get(n, n) for n in missing)}不能为空，未保存。", {n: ["不能为空。"] for n in missing}
        )
    fields = {n: ("" if v is None and n in blanks else v) for n, v in fields.items()}
    before = _snapshot(person)
    for name, value in fields.items():
        if name == "region":
            name, value = "region_id", value.code if isinstance(value, Region) else value
        elif name not in EDITABLE_FIELDS:
            raise DomainError(f"字段 {name} 不可修改。")
        setattr(person, name, value)
    if not person_policy.can_in_region(actor, "change", person.region_id):
        raise DomainError("不能把人员迁入您无权管理的区域。", {"region": ["不能迁入您无权管理的区域。"]})
    _validate(person)
    bump_version(person, expected_version=expected_version)
    _save_unique(person)
    old, new = changed_fields(before, _snapshot(person))
    record(
        actor=actor,
        region_code=person.region_id,
        event="people.person_updated",
        summary=f"修改人员 {person.name} 的信息：{'、'.join(new) or '无变化'}",
        obj=person,
        before=old,
        after=new,
    )
    return person


@transaction.atomic
def relation_add(*, actor: Actor, person: Person, relative: Person, kinship: str) -> Relation:
    """Record that `relative` is `person`'s close relative (近亲属). Both must be people the actor may change; the
    same pair is recorded once, whichever way round it was entered."""
    person_policy.check(actor, "change", person)
    person_policy.check(actor, "view", relative)
    errors: dict[str, list[str]] = {}
    if kinship not in Kinship.values:
        errors["kinship"] = ["请选择近亲属关系（配偶、父母、子女、兄弟姐妹、祖父母外祖父母、孙子女外孙子女）。"]
    if person.pk == relative.pk:
        errors["relative"] = ["不能登记本人为自己的亲属。"]
    elif (
        Relation.objects.filter(person=person, relative=relative).exists()
        or Relation.objects.filter(person=relative, relative=person).exists()
    ):
        errors["relative"] = [f"{person.name}与{relative.name}的亲属关系已登记。"]
    if errors:
        raise DomainError("亲属关系有误，未保存。", errors)
    relation = Relation.objects.create(person=person, relative=relative, kinship=kinship)
    record(
        actor=actor,
        region_code=person.region_id,
        event="people.relation_added",
        summary=f"登记近亲属：{relative.name}是{person.name}的{relation.get_kinship_display()}",
        obj=relation,
        after={"人员": person.name, "亲属": relative.name, "关系": relation.get_kinship_display()},
    )
    return relation
