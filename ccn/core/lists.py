"""The generic list page: scope, filters, sorting, paging and the htmx switch, written once.

An app's list page names its selector (which applies the user's scope: ccn.accounts.policy.scope_q), its FilterSet
(ccn/core/filters.py) and its template; an htmx request that is not a boosted navigation gets the template's `table`
partial ({% partialdef table %}) instead of the whole page, so filtering swaps only the table.

    class ClusterList(ListView):
        selector = staticmethod(selectors.cluster_list)   # user=, order=: the clusters the user may see
        filterset_class = ClusterFilterSet
        template_name = "clusters/list.html"
        default_sort = "name"
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from . import pagecache

PAGE_SIZE = 50


class ListView(View):
    selector = None  # callable(user=..., [order=...]) -> the queryset of what the user may see (scope applied)
    filterset_class = None  # the list's FilterSet: its form is the page's filter form
    template_name: str = ""
    partial_name: str | None = "table"  # partial of template_name an htmx request gets; None: always the page
    page_size = PAGE_SIZE
    default_sort: str | None = None  # the `sort` parameter's default; None: the list has no sort parameter

    def get_queryset(self):
        """The scoped list, sorted: the app's selector."""
        if self.selector is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no selector.")
        kwargs = {"user": self.request.user}
        if self.default_sort is not None:
            kwargs["order"] = self.sort
        return self.selector(**kwargs)

    def filter_data(self):
        """The FilterSet's data: the query string (None when empty, so that the form starts unbound)."""
        return self.request.GET or None

    def get_filterset(self, qs):
        return self.filterset_class(self.filter_data(), queryset=qs, request=self.request)

    def get_context_data(self, qs) -> dict:
        """Whatever else the page shows (totals, buttons): override."""
        return {}

    def check_access(self) -> None:
        """Raise PermissionDenied for users who may not see the list at all: override."""

    def fragment_scope(self) -> str | None:
        """The viewer's scope key (`policy.scope_key`) when the page's body may be kept in the shared cache
        (ccn/core/pagecache.py; the template wraps it in `{% datacache fragment %}`); None: never kept."""
        return None

    def get(self, request, *args, **kwargs):
        self.check_access()
        self.sort = request.GET.get("sort", self.default_sort) if self.default_sort is not None else None
        partial = bool(self.partial_name and request.htmx and not request.htmx.boosted)
        scope = None if partial else self.fragment_scope()
        fragment = None
        if scope is not None:
            query = pagecache.normalised_query(request)
            fragment = pagecache.Fragment(request, f"list:{self.template_name}", scope=scope, parts=(query,))
            if fragment.hit:  # the body is kept: no query, no filter form, no table to build
                return render(request, self.template_name, {"fragment": fragment, "sort": self.sort})
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.get_filterset(qs)
            qs = filterset.qs
        page = Paginator(qs, self.page_size).get_page(request.GET.get("page"))
        context = {
            "filterset": filterset,
            "form": filterset.form if filterset is not None else None,
            "page": page,
            "sort": self.sort,
            "fragment": fragment,
            **self.get_context_data(qs),
        }
        template = self.template_name
        if partial:
            template = f"{template}#{self.partial_name}"
        return render(request, template, context)


class SignedInListView(LoginRequiredMixin, ListView):
    """A list only signed-in users see."""
