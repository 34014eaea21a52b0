"""The one pager (web/_pages.html): the links keep the list's filters and change only the page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from cunshe.core.paging import page_of


def test_the_pager_keeps_the_filters_and_moves_the_page() -> None:
    request = RequestFactory().get("/people/", {"q": "张", "under": "371681001", "page": "2"})
    page = Paginator(list(range(120)), 50).page(2)
    html = render_to_string("web/_pages.html", {"page": page}, request=request)
    assert "第 2 / 3 页" in html
    assert 'href="?q=%E5%BC%A0&amp;under=371681001&amp;page=1"' in html
    assert 'href="?q=%E5%BC%A0&amp;under=371681001&amp;page=3"' in html


def test_a_list_of_one_page_has_no_pager() -> None:
    request = RequestFactory().get("/people/")
    page = Paginator(list(range(10)), 50).page(1)
    html = render_to_string("web/_pages.html", {"page": page}, request=request)
    assert "pagination" not in html and "下一页" not in html


def test_a_named_list_moves_its_own_page_and_keeps_the_others() -> None:
    request = RequestFactory().get("/liaison/assignments/1/", {"days": "2", "talks": "2"})
    page = page_of(request, list(range(120)), 50, param="talks")
    html = render_to_string("web/_pages.html", {"page": page}, request=request)
    assert "第 2 / 3 页" in html
    assert 'href="?days=2&amp;talks=1"' in html and 'href="?days=2&amp;talks=3"' in html
