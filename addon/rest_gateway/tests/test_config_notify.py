# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Configuration changes reach a real ``LISTEN rest_gateway_config`` on commit.

These tests commit on a cursor of their own (the test cursor never commits,
and PostgreSQL delivers notifications on commit only), and delete what they
created in the same way.
"""

import select
import time
from contextlib import contextmanager

import psycopg2
from psycopg2.extensions import ISOLATION_LEVEL_AUTOCOMMIT

from odoo import SUPERUSER_ID, api
from odoo.sql_db import connection_info_for
from odoo.tests import tagged

from .common import RestGatewayCase

CHANNEL = "rest_gateway_config"


@tagged("post_install", "-at_install")
class TestConfigNotify(RestGatewayCase):
    def setUp(self):
        super().setUp()
        _dsn, info = connection_info_for(self.env.cr.dbname)
        self.listener = psycopg2.connect(**info)
        self.addCleanup(self.listener.close)
        self.listener.set_isolation_level(ISOLATION_LEVEL_AUTOCOMMIT)
        with self.listener.cursor() as cr:
            cr.execute(f"LISTEN {CHANNEL}")

    @contextmanager
    def _committed_env(self):
        """An environment on a new cursor, committed (and closed) on exit."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def _received(self, wait=3.0):
        """Payloads received on the channel, waiting up to ``wait`` s for the first."""
        payloads, deadline = [], time.monotonic() + wait
        while time.monotonic() < deadline:
            if select.select([self.listener], [], [], 0.1)[0]:
                self.listener.poll()
                payloads += [notify.payload for notify in self.listener.notifies if notify.channel == CHANNEL]
                self.listener.notifies.clear()
                if payloads:
                    deadline = min(deadline, time.monotonic() + 0.2)  # let the rest arrive
        return payloads

    def test_config_models_notify(self):
        ids = {}
        try:
            with self._committed_env() as env:
                exposed = env["rest.gateway.model"].create(
                    {"model_id": env["ir.model"]._get_id("res.partner.industry")}
                )
                ids["exposed"] = exposed.id
            self.assertEqual(self._received(), ["rest.gateway.model"])

            with self._committed_env() as env:
                env["rest.gateway.model"].browse(ids["exposed"]).domain = "[('name', '!=', False)]"
            self.assertEqual(self._received(), ["rest.gateway.model"])

            with self._committed_env() as env:
                key = env["rest.gateway.key"].create({
                    "name": "RGW notify",
                    "user_id": env.ref("base.user_admin").id,
                    "scope_ids": [(0, 0, {"exposed_model_id": ids["exposed"]})],
                })
                ids["key"] = key.id
            self.assertEqual(set(self._received()), {"rest.gateway.key", "rest.gateway.key.scope"})

            with self._committed_env() as env:
                env["rest.gateway.key.scope"].search([("key_id", "=", ids["key"])]).allow_create = True
            self.assertEqual(self._received(), ["rest.gateway.key.scope"])

            with self._committed_env() as env:
                env["rest.gateway.key"].browse(ids.pop("key")).unlink()
                env["rest.gateway.model"].browse(ids.pop("exposed")).unlink()
            self.assertEqual(set(self._received()), {"rest.gateway.key", "rest.gateway.model"})
        finally:
            with self._committed_env() as env:
                env["rest.gateway.key"].browse(ids.get("key", [])).exists().unlink()
                env["rest.gateway.model"].browse(ids.get("exposed", [])).exists().unlink()

    def test_rollback_sends_nothing(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["rest.gateway.model"].create({"model_id": env["ir.model"]._get_id("res.partner.industry")})
            env.flush_all()
            cr.rollback()
        self.assertEqual(self._received(wait=0.5), [])

    def test_system_parameters_notify(self):
        try:
            with self._committed_env() as env:
                env["ir.config_parameter"].set_param("rest_gateway.test_notify", "1")
            self.assertEqual(self._received(), ["ir.config_parameter"])
            with self._committed_env() as env:
                env["ir.config_parameter"].set_param("rest_gateway.test_notify", "2")
            self.assertEqual(self._received(), ["ir.config_parameter"])
            with self._committed_env() as env:
                env["ir.config_parameter"].set_param("rest_gateway_test.unrelated", "1")
            self.assertEqual(self._received(wait=0.5), [])
        finally:
            with self._committed_env() as env:
                env["ir.config_parameter"].set_param("rest_gateway.test_notify", False)
                env["ir.config_parameter"].set_param("rest_gateway_test.unrelated", False)
        self.assertEqual(self._received(), ["ir.config_parameter"])
