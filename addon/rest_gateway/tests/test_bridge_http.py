# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge end to end: signed HTTP in, Odoo's own access rules applied, typed errors out."""

import json

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.json import json_default

from .common import BRIDGE_RO_ROUTE, RestGatewayHttpCase


@tagged("post_install", "-at_install")
class TestBridgeHttp(RestGatewayHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "RGW Company B"})
        cls.partner_a = cls.env["res.partner"].create({"name": "RGW Partner A", "company_id": cls.company_a.id})
        cls.partner_b = cls.env["res.partner"].create({"name": "RGW Partner B", "company_id": cls.company_b.id})
        cls.partner_shared = cls.env["res.partner"].create({"name": "RGW Partner Shared", "company_id": False})
        cls.user_a = cls._make_user("rgw_user_a", company=cls.company_a)
        cls.user_ab = cls._make_user(
            "rgw_user_ab",
            groups=("base.group_user", "base.group_multi_company"),
            company=cls.company_a,
            companies=cls.company_a | cls.company_b,
        )
        cls.domain = [("name", "=like", "RGW Partner %")]

    def _search_read(self, user, **body):
        return self._bridge(
            [{"model": "res.partner", "method": "search_read",
              "kwargs": {"domain": self.domain, "fields": ["name", "company_id"], "order": "id"}}],
            uid=user.id,
            **body,
        )

    def test_record_rules_apply_as_the_user(self):
        status, body = self._search_read(self.user_a)
        self.assertEqual(status, 200)
        expected = self.env["res.partner"].with_user(self.user_a).search_read(
            self.domain, ["name", "company_id"], order="id"
        )
        records = body["results"][0]
        # what Odoo returns to the same user, through the same JSON encoding
        self.assertEqual(records, json.loads(json.dumps(expected, default=json_default)))
        ids = {rec["id"] for rec in records}
        self.assertIn(self.partner_a.id, ids)
        self.assertIn(self.partner_shared.id, ids)
        self.assertNotIn(self.partner_b.id, ids)

    def test_allowed_company_ids(self):
        status, body = self._search_read(
            self.user_ab, context={"allowed_company_ids": [self.company_a.id, self.company_b.id]}
        )
        self.assertEqual(status, 200)
        self.assertIn(self.partner_b.id, {rec["id"] for rec in body["results"][0]})
        status, body = self._search_read(self.user_ab, context={"allowed_company_ids": [self.company_a.id]})
        self.assertNotIn(self.partner_b.id, {rec["id"] for rec in body["results"][0]})
        # a company the user does not belong to
        status, body = self._search_read(self.user_a, context={"allowed_company_ids": [self.company_b.id]})
        self.assertEqual((status, body["error"]["kind"]), (200, "access"))
        self.assertNotIn("results", body)

    def test_access_error(self):
        status, body = self._bridge(
            [{"model": "ir.config_parameter", "method": "search_read", "kwargs": {"domain": []}}],
            uid=self.user_a.id,
        )
        self.assertEqual(status, 200)
        self.assertEqual(body["error"]["kind"], "access")
        self.assertEqual(body["error"]["operation"], 0)
        self.assertNotIn("Traceback", body["error"]["message"])

    def test_record_rule_refusal_names_no_record(self):
        """Odoo's rule message names the refused records (for technical users): it stays in the log."""
        self.user_a.group_ids |= self.env.ref("base.group_no_one")
        status, body = self._bridge(
            [{"model": "res.partner", "method": "read", "ids": [self.partner_b.id], "args": [["name"]]}],
            uid=self.user_a.id,
        )
        self.assertEqual((status, body["error"]["kind"]), (200, "access"))
        self.assertNotIn("RGW Partner B", body["error"]["message"])
        self.assertNotIn("RGW Company B", body["error"]["message"])
        self.assertNotIn(str(self.user_a.id), body["error"]["message"])

    def test_missing_error(self):
        missing_id = self.env["res.partner"].search([], order="id desc", limit=1).id + 1000
        status, body = self._bridge(
            [{"model": "res.partner", "method": "write", "ids": [missing_id], "args": [{"name": "x"}]}]
        )
        self.assertEqual((status, body["error"]["kind"]), (200, "missing"))

    def test_atomic_rolls_back_everything(self):
        status, body = self._bridge([
            {"model": "res.partner", "method": "create", "args": [{"name": "RGW Atomic Kept?"}]},
            {"model": "res.partner", "method": "write_everything", "ids": [self.partner_a.id],
             "args": [{"name": "x"}]},
        ])
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["kind"], "bad_request")
        self.assertEqual(body["error"]["operation"], 1)
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Atomic Kept?")]))

    def test_atomic_rolls_back_on_validation_error(self):
        status, body = self._bridge([
            {"model": "res.partner", "method": "create", "args": [{"name": "RGW Atomic Child"}]},
            {"model": "res.partner", "method": "write", "ids": [self.partner_a.id],
             "args": [{"parent_id": self.partner_a.id}]},
        ])
        self.assertEqual(status, 200)
        self.assertEqual(body["error"]["kind"], "validation")
        self.assertEqual(body["error"]["operation"], 1)
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Atomic Child")]))

    def test_non_atomic_keeps_what_succeeded(self):
        status, body = self._bridge([
            {"model": "res.partner", "method": "create", "args": [{"name": "RGW Non Atomic"}]},
            {"model": "res.partner", "method": "write", "ids": [self.partner_a.id],
             "args": [{"parent_id": self.partner_a.id}]},
            {"model": "res.partner", "method": "search_count", "args": [[("name", "=", "RGW Non Atomic")]]},
        ], atomic=False)
        self.assertEqual(status, 200)
        created, failed, counted = body["results"]
        partner = self.env["res.partner"].search([("name", "=", "RGW Non Atomic")])
        self.assertEqual(created, {"result": partner.ids})
        self.assertEqual(failed["error"]["kind"], "validation")
        self.assertEqual(failed["error"]["operation"], 1)
        self.assertEqual(counted, {"result": 1})

    @mute_logger("odoo.sql_db")
    def test_unique_and_integrity(self):
        partner = self.partner_a
        values = {"acc_number": "BE71 0961 2345 6769", "partner_id": partner.id}
        status, body = self._bridge([
            {"model": "res.partner.bank", "method": "create", "args": [values]},
            {"model": "res.partner.bank", "method": "create", "args": [values]},
        ])
        self.assertEqual(body["error"]["kind"], "unique")
        self.assertEqual(body["error"]["operation"], 1)
        self.assertIn("must be unique", body["error"]["message"])
        self.assertFalse(self.env["res.partner.bank"].search_count([("partner_id", "=", partner.id)]))
        status, body = self._bridge(
            [{"model": "res.partner", "method": "create", "args": [{"type": "contact", "name": False}]}]
        )
        self.assertEqual(body["error"]["kind"], "integrity")
        self.assertIn("Contacts require a name", body["error"]["message"])

    def test_bad_requests(self):
        cases = {
            "unknown model": {"model": "no.such.model", "method": "search", "args": [[]]},
            "abstract model": {"model": "mail.thread", "method": "search", "args": [[]]},
            "unknown method": {"model": "res.partner", "method": "unlink_all"},
            "private method": {"model": "res.partner", "method": "_read_group", "args": [[]]},
            "method not listed": {"model": "res.partner", "method": "check_access", "args": ["read"]},
            "bad signature": {"model": "res.partner", "method": "search_count", "kwargs": {"nope": 1}},
            "ids on a model method": {"model": "res.partner", "method": "search_count",
                                      "ids": [self.partner_a.id], "args": [[]]},
            "bad domain": {"model": "res.partner", "method": "search", "args": [[("nope", "=", 1)]]},
            "value a field cannot take": {"model": "res.partner", "method": "search_count",
                                          "args": [[("create_date", ">", "not a date")]]},
            "bad domain keyword": {"model": "res.partner", "method": "web_search_read",
                                   "kwargs": {"domain": [("write_date", ">=", "not a date")], "specification": {}}},
            "bad expansion filter": {
                "model": "res.partner", "method": "rest_gateway_search",
                "args": [[], {"fields": ["name"], "expand": {"child_ids": {
                    "fields": ["name"], "domain": [("write_date", "<", "yesterday-ish")]}}}]},
            "bad upsert scope": {"model": "res.partner", "method": "rest_gateway_upsert",
                                 "kwargs": {"values": {"name": "RGW Never"}, "match": {"ref": "RGW-SCOPE"},
                                            "scope": [("nope", "=", 1)]}},
            "expand a field that is not a relation": {
                "model": "res.partner", "method": "rest_gateway_search",
                "args": [[], {"fields": ["name"], "expand": {"name": {"fields": ["id"]}}}]},
        }
        for name, operation in cases.items():
            with self.subTest(name):
                status, body = self._bridge([operation])
                self.assertEqual(status, 400)
                self.assertEqual(body["error"]["kind"], "bad_request")
                self.assertEqual(body["error"]["operation"], 0)

    def test_programming_errors_are_internal(self):
        """What the sidecar never sends (it checks the fields first) reaches
        an ORM ``ValueError``: a bug, answered ``internal`` without Odoo's
        text, and logged with its traceback."""
        cases = {
            "unknown field read": {"model": "res.partner", "method": "read", "ids": [self.partner_a.id],
                                   "args": [["name", "nope_field_x"]]},
            "unknown field in values": {"model": "res.partner", "method": "write", "ids": [self.partner_a.id],
                                        "args": [{"nope_field_x": 1}]},
        }
        for name, operation in cases.items():
            with self.subTest(name), self.assertLogs("odoo.addons.rest_gateway.controllers.bridge_errors",
                                                     "ERROR") as logs:
                status, body = self._bridge([operation])
                self.assertEqual(status, 200)
                self.assertEqual(body["error"]["kind"], "internal")
                self.assertNotIn("nope_field_x", json.dumps(body))
                self.assertIn("nope_field_x", "\n".join(logs.output))
                self.assertIn("Traceback", "\n".join(logs.output))

    def test_malformed_bodies(self):
        admin = self.env.ref("base.user_admin").id
        cases = {
            "not an object": [1, 2],
            "unknown key": {"uid": admin, "operations": [], "sudo": True},
            "uid not an int": {"uid": "2", "operations": []},
            "operations missing": {"uid": admin},
            "operation not an object": {"uid": admin, "operations": ["res.partner"]},
            "ids not ints": {"uid": admin, "operations": [{"model": "res.partner", "method": "read", "ids": ["1"]}]},
            "context key": {"uid": admin, "operations": [], "context": {"uid": 1}},
            "context in kwargs": {"uid": admin, "operations": [
                {"model": "res.partner", "method": "search", "args": [[]], "kwargs": {"context": {}}}]},
            "atomic not a bool": {"uid": admin, "operations": [], "atomic": "yes"},
            "unknown lang": {"uid": admin, "operations": [], "context": {"lang": "xx_XX"}},
            "unknown tz": {"uid": admin, "operations": [], "context": {"tz": "Mars/Olympus"}},
        }
        for name, payload in cases.items():
            with self.subTest(name):
                response = self._bridge_post(payload)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"]["kind"], "bad_request")
        response = self._bridge_post(b"{not json")
        self.assertEqual((response.status_code, response.json()["error"]["kind"]), (400, "bad_request"))

    def test_user_invalid(self):
        archived = self._make_user("rgw_archived")
        archived.active = False
        public = self.env.ref("base.public_user")
        for uid in (archived.id, public.id, 1, 999999):
            with self.subTest(uid=uid):
                status, body = self._bridge([{"model": "res.partner", "method": "search_count", "args": [[]]}],
                                            uid=uid)
                self.assertEqual((status, body["error"]["kind"]), (200, "user_invalid"))
        response = self._bridge_post({"operations": []})
        self.assertEqual(response.json()["error"]["kind"], "user_invalid")

    def test_readonly_route_refuses_writes(self):
        status, body = self._bridge(
            [{"model": "res.partner", "method": "create", "args": [{"name": "RGW Read Only"}]}],
            route=BRIDGE_RO_ROUTE,
        )
        self.assertEqual((status, body["error"]["kind"]), (400, "bad_request"))
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Read Only")]))
        status, body = self._bridge(
            [{"model": "res.partner", "method": "web_search_read",
              "kwargs": {"domain": [("id", "=", self.partner_a.id)], "specification": {"name": {}}}}],
            route=BRIDGE_RO_ROUTE,
        )
        self.assertEqual(status, 200)
        self.assertEqual(body["results"][0], {"length": 1, "records": [{"id": self.partner_a.id,
                                                                       "name": "RGW Partner A"}]})

    def test_result_shapes(self):
        status, body = self._bridge([
            {"model": "res.partner", "method": "create",
             "args": [{"name": "RGW Shapes", "parent_id": self.partner_a.id}]},
            {"model": "res.partner", "method": "web_search_read",
             "kwargs": {"domain": [("name", "=", "RGW Shapes")],
                        "specification": {"name": {}, "parent_id": {"fields": {"display_name": {}}},
                                          "write_date": {}, "category_id": {}}}},
            {"model": "res.partner", "method": "search", "args": [[("name", "=", "RGW Shapes")]]},
        ], context={"lang": "en_US", "tz": "Europe/Brussels", "active_test": False, "bin_size": True})
        self.assertEqual(status, 200)
        created, page, found = body["results"]
        self.assertEqual(len(created), 1)
        self.assertEqual(found, created)
        record = page["records"][0]
        self.assertEqual(record["parent_id"], {"id": self.partner_a.id, "display_name": "RGW Partner A"})
        self.assertRegex(record["write_date"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(record["category_id"], [])

    def test_runs_as_the_user(self):
        status, body = self._bridge(
            [{"model": "res.partner", "method": "create", "args": [{"name": "RGW Created By A"}]}],
            uid=self.user_a.id,
        )
        # internal users need "Contact Creation" to create partners
        self.assertEqual((status, body["error"]["kind"]), (200, "access"))
        self.user_a.group_ids += self.env.ref("base.group_partner_manager")
        status, body = self._bridge(
            [{"model": "res.partner", "method": "create", "args": [{"name": "RGW Created By A"}]}],
            uid=self.user_a.id,
        )
        self.assertEqual(status, 200)
        partner = self.env["res.partner"].browse(body["results"][0])
        self.assertEqual(partner.create_uid, self.user_a)
        # errors are described for a user who cannot read Odoo's metadata too
        with mute_logger("odoo.sql_db"):
            status, body = self._bridge(
                [{"model": "res.partner", "method": "create", "args": [{"type": "contact", "name": False}]}],
                uid=self.user_a.id,
            )
        self.assertEqual(body["error"]["kind"], "integrity")
        self.assertIn("Contacts require a name", body["error"]["message"])
