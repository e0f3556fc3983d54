# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A write naming a related record that does not exist answers kind
``related_missing`` naming the field and the ids; the change feed's viewer
rows of a deleted credential go with it."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestGatewayCase

MISSING = 2_000_000_000


@tagged("post_install", "-at_install")
class TestBridgeRelated(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.user = cls._make_user("rgw_related_user", groups=("base.group_user", "base.group_partner_manager"))
        cls.partner = cls.env["res.partner"].create({"name": "RGW Related"})

    def _error(self, method, args=(), ids=(), **kwargs):
        operation = {"model": "res.partner", "method": method, "ids": list(ids), "args": list(args), "kwargs": kwargs}
        return self.Bridge._dispatch({"uid": self.user.id, "operations": [operation]})["error"]

    @mute_logger("odoo.sql_db")
    def test_many2one_and_x2many_ids_are_named(self):
        cases = [
            (("create", [{"name": "RGW A", "country_id": MISSING}]), "country_id: res.country"),
            (("write", [{"category_id": [[6, 0, [MISSING]]]}], [self.partner.id]), "category_id: res.partner.category"),
            (("write", [{"child_ids": [[1, MISSING, {"name": "x"}]]}], [self.partner.id]), "child_ids: res.partner"),
            (("write", [{"child_ids": [[0, 0, {"name": "RGW C", "country_id": MISSING}]]}], [self.partner.id]),
             "child_ids.country_id: res.country"),
        ]
        for (method, args, *ids), prefix in cases:
            with self.subTest(prefix):
                error = self._error(method, args, *ids)
                self.assertEqual(error["kind"], "related_missing", error)
                self.assertEqual(error["message"], f"{prefix} {MISSING} does not exist.")
        self.assertFalse(self.env["res.partner"].search([("name", "in", ["RGW A", "RGW C"])]))

    @mute_logger("odoo.sql_db")
    def test_other_failures_keep_their_kind(self):
        country = self.env.ref("base.fr")
        error = self._error("create", [{"name": "RGW B", "country_id": country.id, "parent_id": MISSING}])
        self.assertEqual(error["message"], f"parent_id: res.partner {MISSING} does not exist.")
        ok = self.Bridge._dispatch({"uid": self.user.id, "operations": [
            {"model": "res.partner", "method": "write", "ids": [self.partner.id], "args": [{"country_id": country.id}]},
        ]})
        self.assertIn("results", ok)
        self.assertEqual(self._error("write", [{"email": "x@example.com"}], [MISSING])["kind"], "missing")

    def test_deleting_a_key_forgets_its_feed_rows(self):
        key = self._make_key(self.user)
        cr = self.env.cr
        cr.execute("INSERT INTO rest_gateway_change_viewer (viewer, model, res_id) VALUES (%s, 'res.partner', 1), ('key:0', 'res.partner', 1)",
                   [f"key:{key.id}"])
        key.unlink()
        cr.execute("SELECT viewer FROM rest_gateway_change_viewer WHERE viewer IN (%s, 'key:0')", [f"key:{key.id}"])
        self.assertEqual(cr.fetchall(), [("key:0",)])
