"""Declarative tables for list views: one `Table` subclass per list, reused for the HTML page and
for the CSV/XLSX export (core/export.py), so a column is described once.

    class OrganisationTable(Table):
        name = Column(_("Nama"), link=True)
        kind = Column(_("Jenis"), accessor="get_kind_display")
        phone = Column(_("Telepon"), export_only=False)

        class Meta:
            caption = _("Daftar perangkat daerah")

A column's `accessor` is a dotted path from the row ("organisation.short_name"); each step may
be an attribute, a dict key or a method without arguments. `link=True` links the cell to the
row's get_absolute_url(); a string is a dotted accessor giving the URL; a callable gets the row.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView

from . import export

EMPTY = "—"


def resolve(obj: Any, path: str) -> Any:
    """Follow a dotted path through attributes, dict keys and no-argument methods."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Model | type):
            value = value()
    return value


def format_value(value: Any) -> str:
    """The text a person reads in a cell: local times with the zone label, Indonesian numbers."""
    from django.conf import settings

    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        label = settings.INSTALLATION.get("timezone_label", "")
        return f"{formats.date_format(value, 'j M Y H.i')} {label}".strip()
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, int | decimal.Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def export_value(value: Any) -> Any:
    """The value written to a CSV/XLSX cell: typed where spreadsheets understand the type."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return str(value)


@dataclass
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False
    badge: str | None = None  # modifier of the badge component, e.g. "published"
    label: str = ""  # the column header, shown above the value on narrow screens
    nowrap: bool = False


class Column:
    """One column of a table. See the module docstring for `accessor` and `link`."""

    def __init__(
        self,
        header: Any,
        *,
        accessor: str | Callable[[Any], Any] | None = None,
        link: bool | str | Callable[[Any], str | None] = False,
        format: Callable[[Any], str] | None = None,
        numeric: bool = False,
        nowrap: bool = False,
        badge: str | None = None,
        export: bool = True,
        export_only: bool = False,
    ) -> None:
        self.header = header
        self.accessor = accessor
        self.link = link
        self.formatter = format
        self.numeric = numeric
        self.nowrap = nowrap  # dates and codes read badly when broken over lines
        self.badge = badge  # dotted accessor whose value names the badge modifier
        self.export = export
        self.export_only = export_only
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def value(self, row: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(row)
        return resolve(row, self.accessor or self.name)

    def url(self, row: Any) -> str | None:
        if not self.link:
            return None
        if self.link is True:
            getter = getattr(row, "get_absolute_url", None)
            return getter() if getter else None
        if callable(self.link):
            return self.link(row)
        return resolve(row, self.link)

    def cell(self, row: Any) -> Cell:
        value = self.value(row)
        text = self.formatter(value) if self.formatter else format_value(value)
        badge = resolve(row, self.badge) if self.badge else None
        return Cell(
            text=text,
            url=self.url(row) if value not in (None, "") else None,
            numeric=self.numeric,
            nowrap=self.nowrap,
            badge=str(badge) if badge else None,
            label=str(self.header),
        )


class Table:
    """A list of rows rendered by templates/components/table.html and exported by core/export."""

    columns: ClassVar[list[Column]] = []
    caption: ClassVar[Any] = ""
    empty_text: ClassVar[Any] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        inherited = list(getattr(cls.__bases__[0], "columns", []))
        own = [value for value in vars(cls).values() if isinstance(value, Column)]
        names = {c.name for c in own}
        cls.columns = [c for c in inherited if c.name not in names] + own
        meta = vars(cls).get("Meta")
        if meta is not None:
            cls.caption = getattr(meta, "caption", cls.caption)
            cls.empty_text = getattr(meta, "empty_text", cls.empty_text)

    def __init__(self, rows: Iterable[Any], *, caption: Any = None) -> None:
        self.object_list = rows
        if caption is not None:
            self.caption = caption

    @property
    def visible_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.export_only]

    @property
    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.export]

    @property
    def headers(self) -> list[Column]:
        return self.visible_columns

    @property
    def rows(self) -> list[list[Cell]]:
        columns = self.visible_columns
        return [[column.cell(row) for column in columns] for row in self.object_list]

    def export_headers(self) -> list[str]:
        return [str(c.header) for c in self.export_columns]

    def export_rows(self, rows: Iterable[Any]) -> Iterator[list[Any]]:
        columns = self.export_columns
        for row in rows:
            yield [export_value(column.value(row)) for column in columns]


class TableListView(ListView):
    """A list page with filters, pagination and CSV/XLSX export of every filtered row.

    Subclasses set `table_class`, optionally `filterset_class`, `page_title`, `page_intro`,
    `export_basename`, and override `get_base_queryset()`; for an OrgOwned model that method
    MUST go through `Model.objects.for_user(self.request.user)`.
    `?page=` beyond the last page shows the last page, a non-number shows the first (no 404).
    `?export=csv|xlsx` downloads the filtered rows; another format is a 400 with a message.
    """

    table_class: type[Table]
    filterset_class: type[django_filters.FilterSet] | None = None
    template_name = "core/table_list.html"
    paginate_by = 25
    export_formats: tuple[str, ...] = export.FORMATS
    export_basename = "data"
    page_title: Any = ""
    page_intro: Any = ""
    filterset: django_filters.FilterSet | None = None

    def get_base_queryset(self) -> QuerySet:
        return super().get_queryset()

    def get_queryset(self) -> QuerySet:
        queryset = self.get_base_queryset()
        if not queryset.ordered:
            queryset = queryset.order_by("pk")  # stable pages
        if self.filterset_class is None:
            return queryset
        self.filterset = self.filterset_class(
            self.request.GET, queryset=queryset, request=self.request
        )
        if not self.filterset.is_valid():
            return queryset.none()
        return self.filterset.qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt is None:
            return super().get(request, *args, **kwargs)
        if fmt not in self.export_formats:
            return bad_request(
                request,
                _("Format unduhan “%(format)s” tidak tersedia. Pilih salah satu: %(formats)s.")
                % {
                    "format": fmt[:20],
                    "formats": ", ".join(f.upper() for f in self.export_formats),
                },
            )
        queryset = self.get_queryset()
        if self.filterset is not None and not self.filterset.is_valid():
            return bad_request(
                request, _("Filter belum benar, jadi data tidak diunduh. Periksa isian filter.")
            )
        table = self.table_class([])
        rows = table.export_rows(queryset.iterator(chunk_size=2000))
        return export.export_response(
            fmt, table.export_headers(), rows, basename=str(self.export_basename)
        )

    def paginate_queryset(self, queryset: QuerySet, page_size: int):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_table(self, rows: Iterable[Any]) -> Table:
        return self.table_class(rows)

    def get_page_title(self) -> Any:
        return self.page_title

    def active_filter_count(self) -> int:
        """How many filters the request sets (page and sort do not count): a folded filters
        panel opens, and says so, when the list is filtered."""
        if self.filterset is None:
            return 0
        return sum(
            1
            for name in self.filterset.form.fields
            if any(value.strip() for value in self.request.GET.getlist(name))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            table=self.get_table(context["object_list"]),
            filterset=self.filterset,
            filter_form=self.filterset.form if self.filterset is not None else None,
            active_filter_count=self.active_filter_count(),
            export_formats=self.export_formats,
            page_title=self.get_page_title(),
            page_intro=self.page_intro,
            page_range=(
                list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
                if page is not None
                else []
            ),
        )
        return context


def bad_request(request: HttpRequest, message: Any) -> HttpResponse:
    """A 400 page in the base layout that says what was wrong, in the user's language."""
    return render(request, "400.html", {"message": message}, status=400)
