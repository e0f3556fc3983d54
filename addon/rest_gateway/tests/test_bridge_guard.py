# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An operation's ``guard`` (scope domain before and after) and ``read`` (result read back)."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestGatewayCase

COMPANIES = [["is_company", "=", True]]


@tagged("post_install", "-at_install")
class TestBridgeGuard(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.admin = cls.env.ref("base.user_admin")
        Partner = cls.env["res.partner"]
        cls.company = Partner.create({"name": "RGW Guard Co", "is_company": True})
        cls.person = Partner.create({"name": "RGW Guard Person", "is_company": False})
        cls.other_company = cls.env["res.company"].create({"name": "RGW Guard Other Company"})
        cls.hidden = Partner.create({"name": "RGW Guard Hidden", "is_company": True,
                                     "company_id": cls.other_company.id})
        cls.user = cls._make_user("rgw_guard_user", groups=("base.group_user", "base.group_partner_manager"))

    def _dispatch(self, operations, uid=None, **body):
        return self.Bridge._dispatch({"uid": uid or self.admin.id, "operations": operations, **body})

    def _write(self, partner, values, guard=COMPANIES, **extra):
        return {"model": "res.partner", "method": "write", "ids": [partner.id], "args": [values],
                "guard": guard, **extra}

    def test_guard_before_hides_records_outside_the_domain(self):
        result = self._dispatch([self._write(self.person, {"name": "RGW Renamed"})])
        self.assertEqual(result["error"]["kind"], "missing")
        self.assertIn(str(self.person.id), result["error"]["message"])
        self.assertEqual(self.person.name, "RGW Guard Person")

    def test_guard_before_applies_record_rules(self):
        # the user is not in the hidden partner's company: as absent as a missing id
        result = self._dispatch([self._write(self.hidden, {"name": "RGW Renamed"}, guard=[])],
                                uid=self.user.id)
        self.assertEqual(result["error"]["kind"], "missing")
        self.assertEqual(self.hidden.name, "RGW Guard Hidden")

    def test_guard_after_refuses_and_rolls_back(self):
        result = self._dispatch([self._write(self.company, {"is_company": False, "name": "RGW Moved"})])
        self.assertEqual(result["error"]["kind"], "access")
        self.assertIn("outside the credential's scope", result["error"]["message"])
        self.company.invalidate_recordset()
        self.assertEqual((self.company.name, self.company.is_company), ("RGW Guard Co", True))
        # with a read-back, the read itself checks the guard
        result = self._dispatch([self._write(self.company, {"is_company": False}, read={"fields": ["name"]})])
        self.assertEqual(result["error"]["kind"], "access")
        self.company.invalidate_recordset()
        self.assertTrue(self.company.is_company)

    def test_guard_after_on_create_and_copy(self):
        result = self._dispatch([{"model": "res.partner", "method": "create",
                                  "args": [{"name": "RGW Guard Outside"}], "guard": COMPANIES}])
        self.assertEqual(result["error"]["kind"], "access")
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Guard Outside")]))
        result = self._dispatch([{"model": "res.partner", "method": "copy", "ids": [self.company.id],
                                  "kwargs": {"default": {"is_company": False, "name": "RGW Copy Out"}},
                                  "guard": COMPANIES}])
        self.assertEqual(result["error"]["kind"], "access")
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Copy Out")]))

    def test_read_answers_the_resulting_records(self):
        read = {"fields": ["name", "is_company", "parent_id"]}
        result = self._dispatch([
            {"model": "res.partner", "method": "create", "guard": COMPANIES, "read": read,
             "args": [[{"name": "RGW Read B", "is_company": True},
                       {"name": "RGW Read A", "is_company": True, "parent_id": self.company.id}]]},
            self._write(self.company, {"name": "RGW Guard Co 2"}, read=read),
            {"model": "res.partner", "method": "copy", "ids": [self.company.id], "read": read,
             "kwargs": {"default": {"name": "RGW Copied"}}},
        ])
        created, written, copied = result["results"]
        # in the order of the resulting ids, not the model's order (by name)
        self.assertEqual([row["name"] for row in created], ["RGW Read B", "RGW Read A"])
        self.assertEqual(created[1]["parent_id"], (self.company.id, "RGW Guard Co"))
        self.assertEqual(written, [{"id": self.company.id, "name": "RGW Guard Co 2", "is_company": True,
                                    "parent_id": False}])
        self.assertEqual(copied[0]["name"], "RGW Copied")
        self.assertNotEqual(copied[0]["id"], self.company.id)

    def test_read_includes_archived_records_and_unlink_reads_nothing(self):
        read = {"fields": ["active"]}
        result = self._dispatch([
            {"model": "res.partner", "method": "action_archive", "ids": [self.company.id],
             "guard": COMPANIES, "read": read},
            {"model": "res.partner", "method": "action_unarchive", "ids": [self.company.id],
             "guard": COMPANIES, "read": read},
            {"model": "res.partner", "method": "action_archive", "ids": [self.company.id], "guard": COMPANIES},
            {"model": "res.partner", "method": "unlink", "ids": [self.company.id], "guard": COMPANIES,
             "read": read},
        ])
        archived, restored, _archived_again, deleted = result["results"]
        self.assertEqual(archived, [{"id": self.company.id, "active": False}])
        self.assertEqual(restored, [{"id": self.company.id, "active": True}])
        self.assertEqual(deleted, [])
        self.assertFalse(self.company.exists())

    def test_guard_failure_rolls_back_the_whole_atomic_request(self):
        result = self._dispatch([
            {"model": "res.partner", "method": "create", "args": [{"name": "RGW Guard Kept?"}]},
            self._write(self.person, {"name": "RGW Renamed"}),
        ])
        self.assertEqual((result["error"]["kind"], result["error"]["operation"]), ("missing", 1))
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "RGW Guard Kept?")]))
        # without atomic, the guarded operation fails alone
        result = self._dispatch([
            {"model": "res.partner", "method": "create", "args": [{"name": "RGW Guard Kept"}]},
            self._write(self.company, {"is_company": False}),
        ], atomic=False)
        kept, refused = result["results"]
        self.assertEqual(len(kept["result"]), 1)
        self.assertEqual(refused["error"]["kind"], "access")
        self.assertTrue(self.company.is_company)

    def test_guard_and_read_on_the_read_only_route(self):
        result = self.Bridge._dispatch({"uid": self.admin.id, "operations": [
            {"model": "res.partner", "method": "read", "ids": [self.company.id], "args": [["name"]],
             "guard": COMPANIES, "read": {"fields": ["is_company"]}},
        ]}, readonly=True)
        self.assertEqual(result, {"results": [[{"id": self.company.id, "is_company": True}]]})

    def test_malformed_guard_and_read(self):
        cases = {
            "guard not a list": {"guard": {"is_company": True}},
            "guard not a domain": {"guard": [["no_such_field", "=", 1]]},
            "read not an object": {"read": ["name"]},
            "read without fields": {"read": {}},
            "read with other keys": {"read": {"fields": ["name"], "limit": 1}},
            "read fields empty": {"read": {"fields": []}},
            "read fields not strings": {"read": {"fields": [1]}},
        }
        for name, extra in cases.items():
            with self.subTest(name), mute_logger("odoo.addons.rest_gateway.models.rest_gateway_bridge"):
                result = self._dispatch([{"model": "res.partner", "method": "write", "ids": [self.company.id],
                                          "args": [{"name": "RGW Never"}], **extra}])
                self.assertEqual(result["error"]["kind"], "bad_request")
                self.assertEqual(self.company.name, "RGW Guard Co")
