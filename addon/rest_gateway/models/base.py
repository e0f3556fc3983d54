# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reads with relational expansion, for the bridge (docs/bridge-protocol.md).

``rest_gateway_search`` and ``rest_gateway_read`` are what the sidecar's
list and read routes call: a page of records, the total when asked, and
each expanded relation read level by level (one query per relation and
level, not per record), filtered by the domain the sidecar compiled for
it (the credential's scope AND the client's filter). They run as the
calling user like any ORM read: record rules apply at every level.
"""

from odoo import api, models
from odoo.tools import OrderedSet

from ..controllers.bridge_errors import BridgeError

MAX_DEPTH = 4


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    @api.readonly
    def rest_gateway_search(self, domain, spec, offset=0, limit=None, order=None, count=True):
        """Search and read a page; ``length`` is the total when ``count`` is true.

        As ``web_search_read``, the total costs a ``search_count`` only when
        the page is full (otherwise it is ``offset + len(records)``), but an
        empty page past the end is counted, so the total is always exact.

        :param spec: ``{"fields": [...], "expand": {field: spec, ...}}``
        :return: ``{"records": [...], "length": int | None}``
        """
        # search_fetch: the page's columns come with the search, read() then hits the cache
        records = self.search_fetch(domain, self._rest_gateway_fields(spec), offset=offset, limit=limit, order=order)
        if "active_test" in records.env.context:
            # As search_read: active_test=False (the change feed reading archived
            # records) is meant for this search, not for the x2many values and
            # expansions read below.
            records = records.with_context({k: v for k, v in records.env.context.items() if k != "active_test"})
        values = records.rest_gateway_read(spec)
        length = None
        if count:
            full_page = limit and len(records) == limit
            past_the_end = offset and not records
            length = self.search_count(domain) if full_page or past_the_end else offset + len(records)
        return {"records": values, "length": length}

    @api.readonly
    def rest_gateway_read(self, spec, _depth=0):
        """Read ``self`` per ``spec``, expanding relations level by level.

        ``spec["expand"][field]`` may carry ``fields``, ``expand``, and
        ``domain``, ``order``, ``limit`` (per parent record). A related record
        that the domain or the user's rights filter out stays as a plain
        many2one value (``[id, name]``, what a read without expansion shows)
        or is left out of an x2many list.
        """
        if _depth > MAX_DEPTH:
            raise BridgeError("bad_request", f"Relations expand at most {MAX_DEPTH} levels.")
        expand = spec.get("expand") or {}
        fields = self._rest_gateway_fields(spec)
        values_list = self.read(fields) if fields else [{"id": id_} for id_ in self.ids]
        for field_name, sub_spec in expand.items():
            self._rest_gateway_expand(values_list, field_name, sub_spec, _depth)
        return values_list

    @api.model
    def _rest_gateway_fields(self, spec):
        """The fields a spec reads: its own and the relations it expands."""
        return list(OrderedSet([*(spec.get("fields") or []), *(spec.get("expand") or {})]))

    def _rest_gateway_expand(self, values_list, field_name, spec, depth):
        field = self._fields.get(field_name)
        if field is None or field.type not in ("many2one", "one2many", "many2many"):
            raise BridgeError("bad_request", f"{field_name} is not a relational field of {self._name}.")
        many2one = field.type == "many2one"
        co_ids = OrderedSet()
        for values in values_list:
            value = values[field_name]
            if many2one:
                if value:
                    co_ids.add(value[0])
            else:
                co_ids.update(value)
        co_model = self.env[field.comodel_name]
        domain = [("id", "in", list(co_ids))] + list(spec.get("domain") or [])
        order = spec.get("order") or None
        if many2one:
            visible = co_model.search_fetch(domain, co_model._rest_gateway_fields(spec), order=order)
            by_id = {vals["id"]: vals for vals in visible.rest_gateway_read(spec, depth + 1)}
            for values in values_list:
                value = values[field_name]
                if value and value[0] in by_id:
                    values[field_name] = by_id[value[0]]
            return
        kept = self._rest_gateway_x2many_page(values_list, field_name, co_model, domain, order, spec.get("limit"))
        visible = co_model.browse(OrderedSet(id_ for ids in kept for id_ in ids))
        by_id = {vals["id"]: vals for vals in visible.rest_gateway_read(spec, depth + 1)}
        for values, ids in zip(values_list, kept):
            values[field_name] = [by_id[id_] for id_ in ids if id_ in by_id]

    @api.model
    def _rest_gateway_x2many_page(self, values_list, field_name, co_model, domain, order, limit):
        """The related ids each parent lists, filtered, ordered and cut to ``limit``.

        Filter, order and limit run in the ORM's query, ids only: with one
        parent (a record read), the query itself is limited; with a page of
        parents, one ids-only query orders and filters all their related
        ids, and only each parent's first ``limit`` are then read. Either
        way the records read, and expanded further, are at most ``limit``
        per parent (docs/decisions.md D-S45).
        """
        if len(values_list) == 1:
            ids = co_model.search(domain, order=order, limit=limit).ids
            return [ids]
        rank = {id_: index for index, id_ in enumerate(co_model.search(domain, order=order).ids)}
        kept = []
        for values in values_list:
            ids = sorted((id_ for id_ in values[field_name] if id_ in rank), key=rank.__getitem__)
            kept.append(ids if limit is None else ids[:limit])
        return kept
