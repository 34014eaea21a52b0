from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Status

from cunshe.accounts.models import Department
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.schema import Schema
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.permissions import exclusion_rule_policy
from cunshe.eligibility.selectors import rules_visible
from cunshe.eligibility.services import exclusion_rule_add, exclusion_rule_update, exclusion_rules_install_defaults

router = Router(tags=["任职资格"])


class RuleOut(Schema):
    id: int
    county: str
    code: str
    title: str
    text: str
    lookback_years: int | None
    department: str | None
    source: str
    effective_from: date
    effective_until: date | None
    version: int

    @staticmethod
    def resolve_county(obj: ExclusionRule) -> str:
        return obj.county_id

    @staticmethod
    def resolve_department(obj: ExclusionRule) -> str | None:
        return obj.department.name if obj.department else None


@router.get("/rules", response=list[RuleOut], url_name="api_eligibility_rules", summary="任职资格排除规则")
def rules(request: HttpRequest) -> list[ExclusionRule]:
    return list(rules_visible(request.user))


class EligibilityRuleIn(Schema):
    county: str = Field(description="县(市、区)代码")
    code: str = Field(description="编号（1 至 10 为全国“十不选”，本县规则另用编号，如 2-县）")
    title: str
    text: str
    lookback_years: int | None = None
    department_id: int | None = None
    effective_from: date
    effective_until: date | None = None


@router.post(
    "/rules", response={201: RuleOut}, url_name="api_eligibility_rule_add", summary="新增本县排除规则（带生效日期）"
)
def rule_add(request: HttpRequest, payload: EligibilityRuleIn) -> Status[ExclusionRule]:
    department = _department(payload.county, payload.department_id)
    rule = exclusion_rule_add(
        actor=acting_user(request),
        county_code=payload.county,
        code=payload.code,
        title=payload.title,
        text=payload.text,
        lookback_years=payload.lookback_years,
        department=department,
        effective_from=payload.effective_from,
        effective_until=payload.effective_until,
    )
    return Status(201, rule)


class EligibilityRulePatch(Schema):
    version: int
    text: str
    lookback_years: int | None = None
    department_id: int | None = None
    effective_until: date | None = None


def _department(county: str, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id, county_id=county).first()
    if department is None:
        raise DomainError("核查单位须属于本县。", {"department_id": ["核查单位须属于本县。"]})
    return department


class DefaultsIn(Schema):
    county: str = Field(description="县(市、区)代码")


class DefaultsOut(Schema):
    added: int = Field(description="新启用的条数；已有的规则保持不变")


@router.post(
    "/rules/defaults",
    response=DefaultsOut,
    url_name="api_eligibility_install_defaults",
    summary="为本县启用全国“十不选”规则（已有的不变）",
)
def install_defaults(request: HttpRequest, payload: DefaultsIn) -> dict[str, int]:
    return {"added": exclusion_rules_install_defaults(actor=acting_user(request), county_code=payload.county)}


@router.patch(
    "/rules/{rule_id}",
    response=RuleOut,
    url_name="api_eligibility_rule_update",
    summary="修改排除规则（表述、追溯年限、核查单位、失效日期；须带 version）",
)
def rule_update(request: HttpRequest, rule_id: int, payload: EligibilityRulePatch) -> ExclusionRule:
    rule = exclusion_rule_policy.get_or_404(request.user, pk=rule_id)
    return exclusion_rule_update(
        actor=acting_user(request),
        rule=rule,
        expected_version=payload.version,
        text=payload.text,
        lookback_years=payload.lookback_years,
        department=_department(rule.county_id, payload.department_id),
        effective_until=payload.effective_until,
    )
