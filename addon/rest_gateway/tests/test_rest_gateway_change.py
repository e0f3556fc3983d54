# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Change capture: triggers follow the exposed models, and every write path is captured.

The triggers write in the test's own transaction, so each test reads its
rows back after ``flush_all()`` and everything is rolled back at the end.
"""

from psycopg2 import sql as pgsql

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .. import uninstall_hook
from ..models.res_config_settings import RETENTION_PARAM
from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestRestGatewayChange(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Start from "nothing exposed" for the models used here, whatever the database holds.
        cls.env["rest.gateway.model"].with_context(active_test=False).search(
            [("model", "in", ["res.partner.industry", "res.users", "res.partner"])]
        ).unlink()

    def _triggers(self, table):
        """``{trigger name: (events, args)}`` of the capture triggers on ``table``."""
        self.env.cr.execute(
            """
            SELECT t.tgname, pg_get_triggerdef(t.oid)
              FROM pg_trigger t
             WHERE t.tgrelid = to_regclass(%s) AND t.tgfoid = to_regproc('rest_gateway_capture_change')
            """,
            [table],
        )
        return dict(self.env.cr.fetchall())

    def _changes(self, model, res_ids):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT operation, changed_fields, txid FROM rest_gateway_change
             WHERE model = %s AND res_id = ANY(%s) ORDER BY txid, id
            """,
            [model, list(res_ids)],
        )
        return self.env.cr.fetchall()

    def _current_txid(self):
        self.env.cr.execute("SELECT pg_current_xact_id()::text::bigint")
        return self.env.cr.fetchone()[0]

    def test_triggers_follow_exposed_models(self):
        self.assertEqual(self._triggers("res_partner_industry"), {})
        exposed = self._make_exposed_model("res.partner.industry")
        triggers = self._triggers("res_partner_industry")
        self.assertEqual(list(triggers), ["rgw_capture_res_partner_industry"])
        self.assertIn("AFTER INSERT OR DELETE OR UPDATE", triggers["rgw_capture_res_partner_industry"])
        self.assertIn("FOR EACH ROW", triggers["rgw_capture_res_partner_industry"])
        exposed.active = False
        self.assertEqual(self._triggers("res_partner_industry"), {})
        exposed.active = True
        self.assertEqual(list(self._triggers("res_partner_industry")), ["rgw_capture_res_partner_industry"])
        exposed.unlink()
        self.assertEqual(self._triggers("res_partner_industry"), {})

    def test_inherits_parent_gets_an_update_trigger(self):
        self._make_exposed_model("res.users")
        self.assertEqual(list(self._triggers("res_users")), ["rgw_capture_res_users"])
        on_partner = self._triggers("res_partner")
        self.assertEqual(list(on_partner), ["rgw_capture_res_users"])
        self.assertIn("AFTER UPDATE", on_partner["rgw_capture_res_users"])
        self.assertIn("'res_users', 'partner_id'", on_partner["rgw_capture_res_users"])

    def test_registry_load_restores_a_dropped_trigger(self):
        self._make_exposed_model("res.partner.industry")
        self.env.cr.execute("DROP TRIGGER rgw_capture_res_partner_industry ON res_partner_industry")
        self.env["rest.gateway.change"]._register_hook()
        self.assertEqual(list(self._triggers("res_partner_industry")), ["rgw_capture_res_partner_industry"])

    def test_orm_create_write_archive_unlink(self):
        self._make_exposed_model("res.partner.industry")
        industry = self.env["res.partner.industry"].create({"name": "RGW change"})
        self.env.flush_all()  # the ORM would merge the writes below into one UPDATE
        industry.write({"name": "RGW change 2"})
        self.env.flush_all()
        industry.action_archive()
        self.env.flush_all()
        industry_id = industry.id
        industry.unlink()
        rows = self._changes("res.partner.industry", [industry_id])
        self.assertEqual([op for op, _fields, _txid in rows], ["create", "update", "update", "delete"])
        self.assertIsNone(rows[0][1])
        self.assertIn("name", rows[1][1])
        self.assertIn("active", rows[2][1])
        self.assertNotIn("name", rows[2][1])
        self.assertIsNone(rows[3][1])
        self.assertEqual({txid for _op, _fields, txid in rows}, {self._current_txid()})

    def test_raw_sql_update_and_noop(self):
        self._make_exposed_model("res.partner.industry")
        industry = self.env["res.partner.industry"].create({"name": "RGW raw"})
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner_industry SET full_name = '{\"en_US\": \"Raw\"}' WHERE id = %s", [industry.id])
        self.env.cr.execute("UPDATE res_partner_industry SET full_name = full_name, name = name WHERE id = %s", [industry.id])
        rows = self._changes("res.partner.industry", [industry.id])
        self.assertEqual([(op, fields) for op, fields, _txid in rows], [("create", None), ("update", ["full_name"])])

    def test_inherited_field_update_is_a_change_of_the_child(self):
        self._make_exposed_model("res.users")
        user = self._make_user("rgw_change_user")
        before = self._changes("res.users", [user.id])
        self.assertEqual(before[0][0], "create")
        user.name = "RGW Renamed"  # stored on the partner (_inherits)
        rows = self._changes("res.users", [user.id])[len(before):]
        # one row per UPDATE statement: the name, then the fields computed from it
        self.assertEqual({op for op, _f, _t in rows}, {"update"})
        self.assertTrue(any("name" in fields for _op, fields, _txid in rows), rows)
        # the partner itself is not exposed: nothing recorded under res.partner
        self.assertEqual(self._changes("res.partner", [user.partner_id.id]), [])

    def test_rollback_leaves_nothing(self):
        self._make_exposed_model("res.partner.industry")
        ids = []
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            ids.append(self.env["res.partner.industry"].create({"name": "RGW rolled back"}).id)
            self.env.flush_all()
            self.assertEqual(len(self._changes("res.partner.industry", ids)), 1)
            1 / 0  # noqa: B018
        self.env.invalidate_all()
        self.assertEqual(self._changes("res.partner.industry", ids), [])

    def test_unexposed_model_is_not_captured(self):
        industry = self.env["res.partner.industry"].create({"name": "RGW not exposed"})
        self.assertEqual(self._changes("res.partner.industry", [industry.id]), [])

    def test_function_recreated_when_missing(self):
        self.env.cr.execute(pgsql.SQL("DROP FUNCTION {}() CASCADE").format(pgsql.Identifier("rest_gateway_capture_change")))
        self._make_exposed_model("res.partner.industry")
        industry = self.env["res.partner.industry"].create({"name": "RGW function"})
        self.assertEqual([op for op, _f, _t in self._changes("res.partner.industry", [industry.id])], ["create"])

    def test_uninstall_hook_drops_function_and_triggers(self):
        self._make_exposed_model("res.partner.industry")
        uninstall_hook(self.env)
        self.env.cr.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'res_partner_industry'::regclass AND tgname LIKE 'rgw_capture_%%'"
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        self.env.cr.execute("SELECT to_regproc('rest_gateway_capture_change') IS NULL")
        self.assertTrue(self.env.cr.fetchone()[0])

    def test_horizon_row_exists(self):
        self.env.cr.execute("SELECT id, purged_txid FROM rest_gateway_change_horizon")
        self.assertEqual(self.env.cr.fetchall(), [(1, 0)])

    def test_retention_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.rest_gateway_change_retention_days, 7)
        settings.rest_gateway_change_retention_days = 3
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM), "3")
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"rest_gateway_change_retention_days": 0})


@tagged("post_install", "-at_install")
class TestChangeFeedRead(RestGatewayCase):
    """The feed reads changed records with active_test=False: archived ones come back,
    but x2many values and expansions still leave archived related records out."""

    def test_active_test_applies_to_the_main_search_only(self):
        Partner = self.env["res.partner"]
        company = Partner.create({"name": "RGW feed company", "is_company": True})
        active_child = Partner.create({"name": "RGW feed child", "parent_id": company.id})
        archived_child = Partner.create({"name": "RGW feed old child", "parent_id": company.id})
        archived_child.action_archive()
        company.action_archive()
        spec = {"fields": ["name", "child_ids"], "expand": {"child_ids": {"fields": ["name"]}}}
        result = Partner.with_context(active_test=False).rest_gateway_search(
            [("id", "in", [company.id, archived_child.id])], spec, order="id",
        )
        self.assertEqual([r["id"] for r in result["records"]], [company.id, archived_child.id])
        self.assertEqual([c["id"] for c in result["records"][0]["child_ids"]], [active_child.id])
