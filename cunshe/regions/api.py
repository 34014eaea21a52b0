from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cunshe.core.paging import Paged
from cunshe.core.schema import Schema
from cunshe.regions.models import Region
from cunshe.regions.permissions import region_policy
from cunshe.regions.selectors import region_children, regions_search

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: int
    kind: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id


class RegionFilter(Schema):
    q: str = ""
    under: str = ""
    level: int | None = None


@router.get("", response=list[RegionOut], url_name="api_regions_list", summary="可见区划（按名称或代码搜索）")
@paginate(Paged)
def regions_list(request: HttpRequest, filters: Query[RegionFilter]):
    if filters.q:
        return regions_search(request.user, filters.q, under=filters.under, limit=200)
    qs = region_policy.visible_to(request.user)
    if filters.under:
        qs = qs.filter(code__startswith=filters.under)
    if filters.level:
        qs = qs.filter(level=filters.level)
    return qs.order_by("code")


@router.get("/{code}", response=RegionOut, url_name="api_regions_detail", summary="区划详情")
def region_detail(request: HttpRequest, code: str) -> Region:
    return region_policy.get_or_404(request.user, code=code)


@router.get("/{code}/children", response=list[RegionOut], url_name="api_regions_children", summary="下辖单位")
def region_children_list(request: HttpRequest, code: str) -> list[Region]:
    region = region_policy.get_or_404(request.user, code=code)
    return list(region_children(region))
