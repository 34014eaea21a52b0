from datetime import date

from django.http import HttpRequest
from ninja import Router

from cunshe.core.schema import Schema
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.selectors import rules_visible

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
