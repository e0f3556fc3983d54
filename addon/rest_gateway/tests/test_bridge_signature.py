# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge refuses anything not signed with the current (or previous) secret."""

import json
import time

from odoo.tests import tagged

from ..controllers.bridge import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from .common import BRIDGE_RO_ROUTE, RestGatewayHttpCase


@tagged("post_install", "-at_install")
class TestBridgeSignature(RestGatewayHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payload = {
            "uid": cls.env.ref("base.user_admin").id,
            "operations": [{"model": "res.partner", "method": "search_count", "args": [[]]}],
        }

    def assertRefused(self, response):
        self.assertEqual(response.status_code, 401)
        body = response.json()
        self.assertEqual(body["error"]["kind"], "signature")
        self.assertNotIn("results", body)
        return body

    def test_good_signature(self):
        response = self._bridge_post(self.payload)
        self.assertEqual(response.status_code, 200)
        count = self.env["res.partner"].search_count([])
        self.assertEqual(response.json(), {"results": [count]})

    def test_good_signature_readonly_route(self):
        response = self._bridge_post(self.payload, route=BRIDGE_RO_ROUTE)
        self.assertEqual(response.status_code, 200)
        self.assertIn("results", response.json())

    def test_missing_signature(self):
        self.assertRefused(self._bridge_post(self.payload, headers={}))
        timestamp = str(int(time.time()))
        self.assertRefused(self._bridge_post(self.payload, headers={TIMESTAMP_HEADER: timestamp}))

    def test_malformed_signature(self):
        timestamp = int(time.time())
        raw = json.dumps(self.payload).encode()
        digest = sign(self.bridge_secret, timestamp, raw)
        for headers in (
            {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: digest},  # no scheme
            {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"v2={digest}"},
            {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"v1={digest[:-2]}"},
            {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: "v1=é" * 10},
            {TIMESTAMP_HEADER: f"{timestamp}.5", SIGNATURE_HEADER: f"v1={digest}"},
            {TIMESTAMP_HEADER: "yesterday", SIGNATURE_HEADER: f"v1={digest}"},
        ):
            with self.subTest(headers=headers):
                self.assertRefused(self._bridge_post(raw, headers=headers))

    def test_stale_timestamp(self):
        for offset in (-120, 120):
            with self.subTest(offset=offset):
                body = self.assertRefused(
                    self._bridge_post(self.payload, timestamp=int(time.time()) + offset)
                )
                self.assertIn("Stale", body["error"]["message"])

    def test_wrong_secret(self):
        self.assertRefused(self._bridge_post(self.payload, secret="not-the-secret"))

    def test_tampered_body(self):
        timestamp = int(time.time())
        signed = json.dumps(self.payload).encode()
        sent = json.dumps({**self.payload, "uid": 1}).encode()
        headers = {
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: f"v1={sign(self.bridge_secret, timestamp, signed)}",
        }
        self.assertRefused(self._bridge_post(sent, headers=headers))

    def test_uppercase_hex_accepted(self):
        timestamp = int(time.time())
        raw = json.dumps(self.payload).encode()
        headers = {
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: f"v1={sign(self.bridge_secret, timestamp, raw).upper()}",
        }
        self.assertEqual(self._bridge_post(raw, headers=headers).status_code, 200)

    def test_previous_secret_after_rotation(self):
        old = self.bridge_secret
        new, previous = self._rotate_secret()
        self.assertEqual(previous, old)
        self.assertNotEqual(new, old)
        self.assertEqual(self._bridge_post(self.payload, secret=old).status_code, 200)
        self.assertEqual(self._bridge_post(self.payload, secret=new).status_code, 200)
        # a second rotation forgets the first secret
        self._rotate_secret()
        self.assertRefused(self._bridge_post(self.payload, secret=old))
        self.assertEqual(self._bridge_post(self.payload, secret=new).status_code, 200)

    def test_no_secret_configured(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("rest_gateway.bridge_secret", False)
        self.assertRefused(self._bridge_post(self.payload))

    def test_get_is_not_routed(self):
        response = self.url_open("/rest_gateway/bridge", headers={"X-Odoo-Database": self.env.cr.dbname})
        self.assertEqual(response.status_code, 405)
