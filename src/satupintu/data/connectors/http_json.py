"""HTTP JSON API sources: a path to the records inside each response and page-, offset- or
next-link pagination. Options (Source.options):

    records_path   dotted path to the list of records, e.g. "data.items" ("" = the response)
    pagination     {"type": "page", "param": "page", "size_param": "per_page", "size": 100,
                    "start": 1} | {"type": "offset", "param": "offset", "size_param": "limit",
                    "size": 100} | {"type": "next", "path": "links.next"} | absent (one request)
    auth_header    a header name (e.g. "X-API-Key") sent with the source's encrypted password
    max_pages      safety stop (default 10000)
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from ..validation import infer_type
from .base import Connector, ConnectorError, SourceColumn, check_url

SAMPLE_ROWS = 200


def dig(document, path: str):
    value = document
    for part in [p for p in (path or "").split(".") if p]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become prefixed columns ({"lokasi": {"lat": 1}} → lokasi_lat)."""
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


class JsonApiConnector(Connector):
    def _get(self, url: str):
        headers = {"Accept": "application/json", "User-Agent": "satupintu-data/1"}
        if self.options.get("auth_header") and self.source.password:
            headers[self.options["auth_header"]] = self.source.password
        check_url(url)
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = response.read(50 * 1024 * 1024 + 1)
        except urllib.error.HTTPError as exc:
            raise ConnectorError(f"API menjawab HTTP {exc.code} untuk {url}.") from exc
        except (urllib.error.URLError, TimeoutError) as exc:
            raise ConnectorError(f"API tidak dapat dihubungi ({url}): {exc}") from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ConnectorError(f"Jawaban API bukan JSON ({url}).") from exc

    def _records(self, document, url: str) -> list[dict]:
        records = dig(document, self.options.get("records_path", ""))
        if not isinstance(records, list):
            raise ConnectorError(
                f"Di jawaban {url} tidak ada daftar rekaman pada jalur "
                f"{self.options.get('records_path', '') or '(akar)'!r}."
            )
        return [flatten(r) for r in records if isinstance(r, dict)]

    def pages(self) -> Iterator[list[dict]]:
        base = self.source.url
        paging = self.options.get("pagination") or {}
        kind = paging.get("type", "")
        max_pages = int(self.options.get("max_pages", 10000))
        url, number = base, 0
        offset = int(paging.get("start", 0 if kind == "offset" else 1))
        while url and number < max_pages:
            if kind in ("page", "offset"):
                params = {paging.get("param", kind): offset}
                if paging.get("size_param"):
                    params[paging["size_param"]] = paging.get("size", 100)
                joiner = "&" if "?" in base else "?"
                url = f"{base}{joiner}{urllib.parse.urlencode(params)}"
            document = self._get(url)
            records = self._records(document, url)
            number += 1
            if not records:
                return
            yield records
            if kind == "page":
                offset += 1
            elif kind == "offset":
                offset += len(records)
            elif kind == "next":
                following = dig(document, paging.get("path", "next"))
                url = urllib.parse.urljoin(url, following) if following else None
            else:
                return

    def _names(self) -> list[str]:
        if "_column_names" not in self.__dict__:
            names: list[str] = []
            for page in self.pages():
                for record in page[:SAMPLE_ROWS]:
                    names += [k for k in record if k not in names]
                break
            if not names:
                raise ConnectorError("API tidak mengembalikan satu rekaman pun.")
            self.__dict__["_column_names"] = names
            self.__dict__["_first_page"] = page
        return self.__dict__["_column_names"]

    def test(self) -> str:
        return f"API terbaca: {len(self._names())} kolom."

    def columns(self) -> list[SourceColumn]:
        names = self._names()
        page = self.__dict__["_first_page"][:SAMPLE_ROWS]
        columns = []
        for name in names:
            sample = [r.get(name) for r in page]
            columns.append(SourceColumn(name, infer_type(sample, "."), sample[:50]))
        return columns

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000
    ) -> Iterator[list[tuple]]:
        names = self._names()
        for page in self.pages():
            rows = [tuple(r.get(n) for n in names) for r in page]
            if cursor_column and after is not None:
                index = names.index(cursor_column)
                rows = [r for r in rows if r[index] is not None and str(r[index]) >= str(after)]
            if rows:
                yield rows
