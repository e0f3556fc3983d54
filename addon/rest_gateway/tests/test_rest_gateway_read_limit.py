# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Expanded x2many relations: filtered, ordered and limited before any related record is read."""

from unittest.mock import patch

from odoo import Command

from .common import RestGatewayCase


class TestRestGatewayReadLimit(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parents = cls.env["res.partner"].create([{
            "name": f"RGW Limit P{p}",
            "is_company": True,
            "child_ids": [Command.create({"name": f"RGW Limit P{p} c{i:02d}"}) for i in range(30)],
        } for p in range(2)])

    def _read_counts(self):
        """Patch ``read`` to record how many res.partner records each call reads."""
        Partner = type(self.env["res.partner"])
        original = Partner.read
        counts = []

        def read(records, *args, **kwargs):
            counts.append(len(records))
            return original(records, *args, **kwargs)

        return patch.object(Partner, "read", read), counts

    def test_one_parent_reads_only_its_limit(self):
        patcher, counts = self._read_counts()
        with patcher:
            values = self.parents[0].rest_gateway_read({"fields": ["name"], "expand": {
                "child_ids": {"fields": ["name"], "order": "name desc", "limit": 3,
                              "domain": [["name", "not like", "c29"]]},
            }})[0]
        self.assertEqual([c["name"] for c in values["child_ids"]],
                         [f"RGW Limit P0 c{i}" for i in (28, 27, 26)])
        self.assertEqual(counts, [1, 3], "the parent, then 3 children: not 30")

    def test_a_page_of_parents_limits_per_parent(self):
        patcher, counts = self._read_counts()
        with patcher:
            result = self.env["res.partner"].rest_gateway_search(
                [("id", "in", self.parents.ids)],
                {"fields": ["name"], "expand": {"child_ids": {"fields": ["name"], "order": "name asc", "limit": 2}}},
                order="id",
            )
        self.assertEqual([[c["name"] for c in r["child_ids"]] for r in result["records"]],
                         [[f"RGW Limit P{p} c{i:02d}" for i in (0, 1)] for p in range(2)])
        self.assertEqual(counts, [2, 4], "two parents, then two children each")
