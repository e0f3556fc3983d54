# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""rest_gateway_search / rest_gateway_read: pages, totals and expansions as the user."""

from odoo import Command

from ..controllers.bridge_errors import BridgeError
from .common import RestGatewayCase


class TestRestGatewayRead(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "RGW Read A"})
        cls.company_b = cls.env["res.company"].create({"name": "RGW Read B"})
        cls.user = cls._make_user("rgw_read_user", company=cls.company_a)
        cls.tags = cls.env["res.partner.category"].create([{"name": "RGW t1"}, {"name": "RGW t2"}])
        cls.parent = cls.env["res.partner"].create({
            "name": "RGW Read Parent",
            "is_company": True,
            "category_id": [Command.set(cls.tags.ids)],
            "country_id": cls.env.ref("base.be").id,
            "child_ids": [
                Command.create({"name": "RGW Read c3"}),
                Command.create({"name": "RGW Read c1", "category_id": [Command.set(cls.tags[:1].ids)]}),
                Command.create({"name": "RGW Read c2"}),
                Command.create({"name": "RGW Read hidden", "company_id": cls.company_b.id}),
            ],
        })
        cls.Partner = cls.env["res.partner"].with_user(cls.user)

    def _read(self, spec):
        return self.Partner.browse(self.parent.id).rest_gateway_read(spec)[0]

    def test_expansion_follows_record_rules_order_and_limit(self):
        values = self._read({"fields": ["name"], "expand": {
            "child_ids": {"fields": ["name"], "order": "name asc", "limit": 2},
            "category_id": {"fields": ["name"]},
            "country_id": {"fields": ["code"]},
        }})
        self.assertEqual([c["name"] for c in values["child_ids"]], ["RGW Read c1", "RGW Read c2"])
        self.assertEqual(sorted(t["name"] for t in values["category_id"]), ["RGW t1", "RGW t2"])
        self.assertEqual(values["country_id"], {"id": self.env.ref("base.be").id, "code": "BE"})
        all_children = self._read({"fields": [], "expand": {"child_ids": {"fields": ["name"]}}})["child_ids"]
        self.assertNotIn("RGW Read hidden", [c["name"] for c in all_children], "record rules apply when expanding")

    def test_domain_filters_and_many2one_outside_stays_plain(self):
        values = self._read({"fields": [], "expand": {
            "child_ids": {"fields": ["name"], "domain": [["name", "like", "c3"]], "expand": {"category_id": {"fields": ["name"]}}},
            "country_id": {"fields": ["code"], "domain": [["code", "=", "FR"]]},
        }})
        self.assertEqual([c["name"] for c in values["child_ids"]], ["RGW Read c3"])
        self.assertEqual(values["child_ids"][0]["category_id"], [])
        self.assertEqual(list(values["country_id"]), [self.env.ref("base.be").id, "Belgium"])

    def test_depth_is_capped(self):
        spec = {"fields": ["name"]}
        for __ in range(6):
            spec = {"fields": [], "expand": {"child_ids": spec}}
        with self.assertRaises(BridgeError) as caught:
            self._read(spec)
        self.assertEqual(caught.exception.kind, "bad_request")

    def test_search_counts_exactly(self):
        domain = [("name", "like", "RGW Read c")]
        full = self.Partner.rest_gateway_search(domain, {"fields": ["name"]}, 0, 2, "name", True)
        self.assertEqual((len(full["records"]), full["length"]), (2, 3))
        partial = self.Partner.rest_gateway_search(domain, {"fields": ["name"]}, 2, 2, "name", True)
        self.assertEqual((len(partial["records"]), partial["length"]), (1, 3))
        past = self.Partner.rest_gateway_search(domain, {"fields": ["name"]}, 10, 2, "name", True)
        self.assertEqual((past["records"], past["length"]), ([], 3))
        uncounted = self.Partner.rest_gateway_search(domain, {"fields": ["name"]}, 0, 2, "name", False)
        self.assertIsNone(uncounted["length"])
