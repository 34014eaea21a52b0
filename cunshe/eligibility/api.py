from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Status

from cunshe.accounts.models import Department
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.schema import Schema
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.selectors import rules_visible
from cunshe.eligibility.services import exclusion_rule_add

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
    department = None
    if payload.department_id is not None:
        department = Department.objects.filter(pk=payload.department_id, county_id=payload.county).first()
        if department is None:
            raise DomainError("核查单位须属于本县。", {"department_id": ["核查单位须属于本县。"]})
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
