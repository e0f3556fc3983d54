# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""``rest_gateway_upsert``: create or update by external id or by a marked field, as the user."""

from odoo.tests import tagged

from .common import RestGatewayCase

COMPANIES = [["is_company", "=", True]]


@tagged("post_install", "-at_install")
class TestUpsert(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.admin = cls.env.ref("base.user_admin")
        exposed = cls.env["rest.gateway.model"].with_context(active_test=False).search(
            [("model", "=", "res.partner")])
        cls.exposed = exposed or cls._make_exposed_model("res.partner")
        cls.exposed.write({
            "upsert_namespace": "rgw_test",
            "upsert_match_field_ids": [(6, 0, cls.env["ir.model.fields"].search(
                [("model", "=", "res.partner"), ("name", "=", "ref")]).ids)],
        })
        cls.user = cls._make_user("rgw_upsert_user", groups=("base.group_user", "base.group_partner_manager"))

    def _upsert(self, uid=None, **kwargs):
        operation = {"model": "res.partner", "method": "rest_gateway_upsert", "kwargs": kwargs}
        return self.Bridge._dispatch({"uid": uid or self.user.id, "operations": [operation]})

    def test_external_id_creates_then_updates(self):
        first = self._upsert(external_id="rgw_test.acme", values={"name": "RGW Acme"}, fields=["name"])
        result = first["results"][0]
        self.assertTrue(result["created"])
        self.assertEqual(result["record"]["name"], "RGW Acme")
        partner = self.env.ref("rgw_test.acme")
        self.assertEqual(partner.id, result["id"])
        self.assertEqual(partner.create_uid, self.user, "the record is created as the user, not sudo")
        second = self._upsert(external_id="rgw_test.acme", values={"name": "RGW Acme 2"})["results"][0]
        self.assertFalse(second["created"])
        self.assertEqual(second["id"], partner.id)
        self.assertEqual(partner.name, "RGW Acme 2")

    def test_bare_name_uses_the_namespace(self):
        result = self._upsert(external_id="bare_one", values={"name": "RGW Bare"})["results"][0]
        self.assertEqual(self.env.ref("rgw_test.bare_one").id, result["id"])

    def test_external_id_outside_the_namespace_is_not_created(self):
        result = self._upsert(external_id="other_ns.thing", values={"name": "RGW Other"})
        self.assertEqual(result["error"]["kind"], "validation")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "RGW Other")]))

    def test_existing_external_id_of_another_namespace_is_updated(self):
        partner = self.env.ref("base.main_partner")
        result = self._upsert(uid=self.admin.id, external_id="base.main_partner", values={"comment": "RGW"})
        self.assertFalse(result["results"][0]["created"])
        self.assertEqual(partner.comment, "<p>RGW</p>")

    def test_external_id_of_another_model_is_refused_without_naming_it(self):
        result = self._upsert(external_id="base.user_admin", values={"name": "RGW X"})
        self.assertEqual(result["error"]["kind"], "validation")
        self.assertNotIn("res.users", result["error"]["message"])
        self.assertEqual(result["error"]["message"], self._upsert(
            external_id="base.rgw_nothing", values={"name": "RGW X"})["error"]["message"].replace(
                "base.rgw_nothing", "base.user_admin"), "the same answer as a name that does not exist")

    def test_taken_external_id_in_the_namespace_is_one_conflict(self):
        person = self.env["res.partner"].create({"name": "RGW Hidden"})
        country = self.env.ref("base.fr")
        self.env["ir.model.data"].create([
            {"module": "rgw_test", "name": "hidden", "model": "res.partner", "res_id": person.id},
            {"module": "rgw_test", "name": "country", "model": "res.country", "res_id": country.id},
        ])
        hidden = self._upsert(external_id="rgw_test.hidden", values={"name": "RGW H2"}, scope=COMPANIES)["error"]
        foreign = self._upsert(external_id="rgw_test.country", values={"name": "RGW H2"})["error"]
        self.assertEqual((hidden["kind"], foreign["kind"]), ("upsert_conflict", "upsert_conflict"))
        self.assertEqual(hidden["message"].replace("hidden", "X"), foreign["message"].replace("country", "X"))
        self.assertNotIn("res.country", foreign["message"])
        self.assertNotIn(str(person.id), hidden["message"])
        self.assertEqual(person.name, "RGW Hidden")

    def test_match_creates_then_updates(self):
        first = self._upsert(match={"ref": "RGW-M1"}, values={"name": "RGW M1", "ref": "RGW-M1"})["results"][0]
        self.assertTrue(first["created"])
        second = self._upsert(match={"ref": "RGW-M1"}, values={"name": "RGW M1b"})["results"][0]
        self.assertEqual((second["created"], second["id"]), (False, first["id"]))
        self.assertEqual(self.env["res.partner"].search_count([("ref", "=", "RGW-M1")]), 1)

    def test_match_by_an_unmarked_field_is_refused(self):
        result = self._upsert(match={"email": "x@example.com"}, values={"name": "RGW E"})
        self.assertEqual(result["error"]["kind"], "validation")

    def test_more_than_one_match_is_ambiguous(self):
        self.env["res.partner"].create([{"name": "RGW D1", "ref": "RGW-DUP"}, {"name": "RGW D2", "ref": "RGW-DUP"}])
        result = self._upsert(match={"ref": "RGW-DUP"}, values={"name": "RGW D3"})
        self.assertEqual(result["error"]["kind"], "ambiguous")

    def test_scope_hides_existing_records_and_guards_the_result(self):
        person = self.env["res.partner"].create({"name": "RGW Person", "ref": "RGW-P"})
        result = self._upsert(match={"ref": "RGW-P"}, values={"name": "RGW Co", "ref": "RGW-P", "is_company": True},
                              scope=COMPANIES)["results"][0]
        self.assertTrue(result["created"], "a record outside the scope is not matched: as if it did not exist")
        self.assertNotEqual(result["id"], person.id)
        self.assertFalse(person.is_company, "a record outside the scope is not brought into it")
        created = self._upsert(match={"ref": "RGW-NEW"}, values={"name": "RGW New", "ref": "RGW-NEW"},
                               scope=COMPANIES)
        self.assertEqual(created["error"]["kind"], "access")
        self.assertFalse(self.env["res.partner"].search([("ref", "=", "RGW-NEW")]))

    def test_key_is_required_once(self):
        result = self._upsert(values={"name": "RGW none"})
        self.assertEqual(result["error"]["kind"], "bad_request")

    def test_groups_share_a_savepoint_in_partial_mode(self):
        partner = self.env["res.partner"].create({"name": "RGW G"})
        operations = [
            {"model": "res.partner", "method": "write", "ids": [partner.id], "args": [{"name": "RGW G2"}], "group": 1},
            {"model": "res.partner", "method": "read", "ids": [999999999], "args": [["id"]], "guard": [], "group": 1},
            {"model": "res.partner", "method": "write", "ids": [partner.id], "args": [{"comment": "kept"}]},
        ]
        result = self.Bridge._dispatch({"uid": self.user.id, "atomic": False, "operations": operations})
        self.assertEqual([list(r) for r in result["results"]], [["error"], ["error"], ["result"]])
        self.assertEqual(result["results"][0]["error"]["operation"], 1)
        self.assertEqual(partner.name, "RGW G", "the failed group rolled back together")
        self.assertEqual(partner.comment, "<p>kept</p>")
