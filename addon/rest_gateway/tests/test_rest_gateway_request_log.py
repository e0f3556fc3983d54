# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The request log and its statistics: access, clearing, views, settings."""

import importlib.util
import unittest

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import RestGatewayCase, RestGatewayHttpCase
from .test_backend_ui import WAIT_FOR

INSERT_LOGS = """
    INSERT INTO rest_gateway_request_log (logged_at, request_id, method, path, endpoint, operation, model,
                                          status, status_class, duration_ms, odoo_ms, request_summary)
    SELECT now() AT TIME ZONE 'UTC', 'req-' || n, 'GET', '/api/v1/res.partner', 'GET /api/v1/:model',
           'listRecords', 'res.partner', 200, '2xx', 12.5, 8, '{"password":"[REDACTED]"}'
      FROM generate_series(1, %s) AS n
"""
INSERT_STAT = """
    INSERT INTO rest_gateway_request_stat (hour, bucket, endpoint, method, model, status, status_class,
                                           request_count, error_count, duration_sum_ms, duration_max_ms, odoo_ms_sum)
    VALUES (date_trunc('hour', now() AT TIME ZONE 'UTC'), 'GET /api/v1/:model|res.partner|||200',
            'GET /api/v1/:model', 'GET', 'res.partner', 200, '2xx', 3, 0, 30, 12, 9)
"""


@tagged("post_install", "-at_install")
class TestRestGatewayRequestLog(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("rgw_log_manager", groups=("rest_gateway.group_manager",))
        cls.user = cls._make_user("rgw_log_user", groups=("rest_gateway.group_user",))
        cls.Log = cls.env["rest.gateway.request.log"]
        cls.Stat = cls.env["rest.gateway.request.stat"]

    def _insert_logs(self, count):
        """Rows as the sidecar writes them: straight SQL."""
        self.env.cr.execute(SQL(INSERT_LOGS, count))

    def _insert_stat(self):
        self.env.cr.execute(SQL(INSERT_STAT))

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_manager_reads_logs_and_stats(self):
        self._insert_logs(2)
        self._insert_stat()
        self.assertEqual(self.Log.with_user(self.manager).search_count([("request_id", "in", ["req-1", "req-2"])]), 2)
        stats = self.Stat.with_user(self.manager).formatted_read_group(
            [], ["endpoint"], ["request_count:sum"],
        )
        self.assertEqual(stats[0]["request_count:sum"], 3)

    def test_non_manager_cannot_read(self):
        self._insert_logs(1)
        self._insert_stat()
        for model in (self.Log, self.Stat):
            with self.subTest(model=model._name), self.assertRaises(AccessError):
                model.with_user(self.user).search([])

    def test_nobody_writes_through_the_orm(self):
        self._insert_logs(1)
        entry = self.Log.search([("request_id", "=", "req-1")])
        for model, values in ((self.Log, {"method": "GET"}), (self.Stat, {"endpoint": "x"})):
            with self.subTest(model=model._name):
                with self.assertRaises(AccessError):
                    model.with_user(self.manager).create(values)
        with self.assertRaises(AccessError):
            entry.with_user(self.manager).write({"status": 500})
        with self.assertRaises(AccessError):
            entry.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # Clearing
    # ------------------------------------------------------------------

    def test_manager_clears_every_log_and_keeps_stats(self):
        self._insert_logs(5)
        self._insert_stat()
        total = self.Log.search_count([])
        deleted = self.Log.with_user(self.manager).rest_gateway_clear_request_logs()
        self.assertEqual(deleted, total)
        self.assertEqual(self.Log.search_count([]), 0)
        self.assertEqual(self.Stat.search_count([]), 1, "statistics are kept")

    def test_clear_button_answers_a_notification(self):
        self._insert_logs(3)
        action = self.Log.with_user(self.manager).action_clear_all_logs()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("3", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertFalse(self.Log.search([]))

    def test_non_manager_cannot_clear(self):
        self._insert_logs(2)
        for method in ("rest_gateway_clear_request_logs", "action_clear_all_logs"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.Log.with_user(self.user), method)()
        self.assertEqual(self.Log.search_count([]), 2)

    def test_clear_is_open_to_the_bridge(self):
        methods = self.env["rest.gateway.bridge"]._get_bridge_methods()
        self.assertEqual(methods.get("rest_gateway_clear_request_logs"), "write")

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------

    def test_views_load(self):
        for model, view_types in (
            ("rest.gateway.request.log", ("list", "form", "search")),
            ("rest.gateway.request.stat", ("graph", "pivot", "list", "search")),
        ):
            for view_type in view_types:
                with self.subTest(model=model, view_type=view_type):
                    result = self.env[model].with_user(self.manager).get_views([(False, view_type)])
                    self.assertIn(view_type, result["views"])
        log_list = self.Log.with_user(self.manager).get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn("action_clear_all_logs", log_list)

    def test_actions_and_menus(self):
        for xmlid, model, modes in (
            ("rest_gateway.rest_gateway_request_log_action", "rest.gateway.request.log", ["list", "form"]),
            ("rest_gateway.rest_gateway_request_stat_action", "rest.gateway.request.stat", ["graph", "pivot", "list"]),
        ):
            action = self.env.ref(xmlid)
            self.assertEqual(action.res_model, model)
            self.assertEqual(action.view_mode.split(","), modes)
            result = self.env[model].with_user(self.manager).get_views(
                [(False, mode) for mode in modes] + [(action.search_view_id.id, "search")]
            )
            self.assertEqual(set(result["views"]), {*modes, "search"})
        menu = self.env.ref("rest_gateway.menu_rest_gateway_monitoring")
        self.assertEqual(menu.parent_id, self.env.ref("rest_gateway.menu_rest_gateway_root"))
        self.assertEqual(menu.group_ids, self.env.ref("rest_gateway.group_manager"))

    def test_stat_groups_by_endpoint_key_status_and_time(self):
        self._insert_stat()
        for groupby in ("endpoint", "key_id", "status", "status_class", "hour:hour", "hour:day"):
            with self.subTest(groupby=groupby):
                groups = self.Stat.with_user(self.manager).formatted_read_group(
                    [], [groupby], ["request_count:sum", "error_count:sum", "duration_max_ms:max"],
                )
                self.assertEqual(sum(g["request_count:sum"] for g in groups), 3)

    def test_deleting_a_key_empties_its_references(self):
        """No foreign keys: unlink does their ON DELETE SET NULL, so the backend still reads the row."""
        key = self.env["rest.gateway.key"].create({"name": "gone", "user_id": self.manager.id})
        self._insert_logs(1)
        self.env.cr.execute(SQL(
            "UPDATE rest_gateway_request_log SET key_id = %s, user_id = %s WHERE request_id = 'req-1'",
            key.id, self.manager.id,
        ))
        key.unlink()
        entry = self.Log.with_user(self.manager).search([("request_id", "=", "req-1")])
        self.env.cr.execute(SQL("SELECT key_id FROM rest_gateway_request_log WHERE id = %s", entry.id))
        self.assertIsNone(self.env.cr.fetchone()[0])
        [values] = entry.web_read({"key_id": {"fields": {"display_name": {}}}, "user_id": {"fields": {"display_name": {}}}})
        self.assertFalse(values["key_id"])
        self.assertEqual(values["user_id"]["id"], self.manager.id)

    def test_indexes(self):
        self.env.cr.execute(SQL(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", "rest_gateway_request_log",
        ))
        definitions = " ".join(row[0] for row in self.env.cr.fetchall())
        for columns in ("(logged_at)", "(request_id)", "(key_id, logged_at)", "(client_id, logged_at)",
                        "(user_id, logged_at)", "(status, logged_at)", "(model, logged_at)"):
            self.assertIn(columns, definitions)
        self.env.cr.execute(SQL(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            "rest_gateway_request_stat", "%UNIQUE%(hour, bucket)%",
        ))
        self.assertTrue(self.env.cr.fetchall(), "the upsert's conflict target")

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    def test_settings_round_trip(self):
        params = self.env["ir.config_parameter"].sudo()
        with Form(self.env["res.config.settings"]) as settings:
            settings.rest_gateway_request_log_mode = "errors"
            settings.rest_gateway_request_log_retention_days = 14
            settings.rest_gateway_request_stat_retention_days = 90
            settings.rest_gateway_rate_limit_default = 1200
            settings.rest_gateway_rate_limit_anonymous = 30
            # the limits are hidden while rate limiting is off
            settings.rest_gateway_rate_limit_backend = "off"
        settings.save().execute()
        self.assertEqual(params.get_param("rest_gateway.request_log_mode"), "errors")
        self.assertEqual(params.get_param("rest_gateway.request_log_retention_days"), "14")
        self.assertEqual(params.get_param("rest_gateway.request_stat_retention_days"), "90")
        self.assertEqual(params.get_param("rest_gateway.rate_limit_backend"), "off")
        self.assertEqual(params.get_param("rest_gateway.rate_limit_default"), "1200")
        self.assertEqual(params.get_param("rest_gateway.rate_limit_anonymous"), "30")
        reread = self.env["res.config.settings"].create({})
        self.assertEqual(reread.rest_gateway_request_log_mode, "errors")
        self.assertEqual(reread.rest_gateway_request_log_retention_days, 14)
        self.assertEqual(reread.rest_gateway_rate_limit_backend, "off")
        self.assertEqual(reread.rest_gateway_rate_limit_anonymous, 30)

    def test_settings_defaults(self):
        params = self.env["ir.config_parameter"].sudo()
        for key in ("request_log_mode", "request_log_retention_days", "request_stat_retention_days",
                    "rate_limit_backend", "rate_limit_default", "rate_limit_anonymous"):
            params.search([("key", "=", f"rest_gateway.{key}")]).unlink()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.rest_gateway_request_log_mode, "all")
        self.assertEqual(settings.rest_gateway_request_log_retention_days, 30)
        self.assertEqual(settings.rest_gateway_request_stat_retention_days, 400)
        self.assertEqual(settings.rest_gateway_rate_limit_backend, "database")
        self.assertEqual(settings.rest_gateway_rate_limit_default, 600)
        self.assertEqual(settings.rest_gateway_rate_limit_anonymous, 60)

    def test_settings_reject_bad_values(self):
        for field in ("rest_gateway_request_log_retention_days", "rest_gateway_request_stat_retention_days",
                      "rest_gateway_rate_limit_default", "rest_gateway_rate_limit_anonymous"):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.env["res.config.settings"].create({field: 0})


@tagged("post_install", "-at_install")
@unittest.skipUnless(importlib.util.find_spec("websocket"), "Odoo's browser tests need python3-websocket")
class TestRequestLogUi(RestGatewayHttpCase):
    """The log and analytics screens render in a real browser, and the clear button clears."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute(SQL(INSERT_LOGS, 3))
        cls.env.cr.execute(SQL(INSERT_STAT))

    def _run(self, path, steps):
        code = f"""(async () => {{ {WAIT_FOR} {steps}
            console.log("test successful"); }})().catch((e) => console.error(e.message));"""
        self.browser_js(path, code, ready="odoo.isReady", login="admin")

    def test_log_list_and_form(self):
        entry = self.env["rest.gateway.request.log"].search([("request_id", "=", "req-1")])
        self._run("/odoo/action-rest_gateway.rest_gateway_request_log_action",
                  'await waitFor(".o_list_view .o_data_row"); await waitFor(".o_list_view button[name=action_clear_all_logs]");')
        self._run(f"/odoo/action-rest_gateway.rest_gateway_request_log_action/{entry.id}",
                  'await waitFor(".o_form_view .o_field_widget[name=request_summary]");')

    def test_analytics_views(self):
        for view_type, selector in (("graph", ".o_graph_view canvas"), ("pivot", ".o_pivot_view .o_pivot_cell_value"),
                                    ("list", ".o_list_view .o_data_row")):
            with self.subTest(view_type=view_type):
                self._run(f"/odoo/action-rest_gateway.rest_gateway_request_stat_action?view_type={view_type}",
                          f'await waitFor("{selector}");')

    def test_clear_button(self):
        self._run("/odoo/action-rest_gateway.rest_gateway_request_log_action", """
            await waitFor(".o_list_view .o_data_row");
            (await waitFor("button[name=action_clear_all_logs]")).click();
            (await waitFor(".modal .modal-footer .btn-primary")).click();
            for (let i = 0; i < 100 && document.querySelector(".o_list_view .o_data_row"); i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            if (document.querySelector(".o_list_view .o_data_row")) {
                throw new Error("The list still shows log entries");
            }
        """)
        self.assertFalse(self.env["rest.gateway.request.log"].search([]))
