# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge refuses anything not signed with the current secret (or the
previous one, within the grace after a rotation), for this route, method
and database, within the clock window, and with a nonce not seen before."""

import hashlib
import hmac
import json
import time

from odoo.tests import tagged

from ..controllers.auth_bridge import AUTH_ROUTE
from ..controllers.bridge import NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from ..models.rest_gateway_bridge import GRACE_MINUTES_PARAM, ROTATED_AT_PARAM
from .common import BRIDGE_RO_ROUTE, BRIDGE_ROUTE, RestGatewayHttpCase


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
        raw = json.dumps(self.payload).encode()
        signed = self._signature_headers(raw)
        for missing in (NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER):
            with self.subTest(missing=missing):
                headers = {name: value for name, value in signed.items() if name != missing}
                self.assertRefused(self._bridge_post(raw, headers=headers))

    def test_malformed_signature(self):
        raw = json.dumps(self.payload).encode()
        signed = self._signature_headers(raw)
        timestamp, nonce = signed[TIMESTAMP_HEADER], signed[NONCE_HEADER]
        digest = signed[SIGNATURE_HEADER].removeprefix("v2=")
        for changed in (
            {SIGNATURE_HEADER: digest},  # no scheme
            {SIGNATURE_HEADER: f"v1={digest}"},  # the old scheme is no longer accepted
            {SIGNATURE_HEADER: f"v2={digest[:-2]}"},
            {SIGNATURE_HEADER: "v2=é" * 10},
            {TIMESTAMP_HEADER: f"{timestamp}.5"},
            {TIMESTAMP_HEADER: "yesterday"},
            {NONCE_HEADER: "short"},
            {NONCE_HEADER: nonce + "." + nonce},
            {NONCE_HEADER: "x" * 65},
        ):
            with self.subTest(changed=changed):
                self.assertRefused(self._bridge_post(raw, headers={**signed, **changed}))

    def test_v1_signature_refused(self):
        """The old scheme (timestamp and body only) is refused, even well signed."""
        timestamp = int(time.time())
        raw = json.dumps(self.payload).encode()
        v1 = hmac.new(self.bridge_secret.encode(), str(timestamp).encode() + b"." + raw, hashlib.sha256).hexdigest()
        self.assertRefused(self._bridge_post(raw, headers={TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"v1={v1}"}))

    def test_signed_for_another_route_method_or_database(self):
        raw = json.dumps(self.payload).encode()
        # signed for the read-only route, sent to the read/write one (and the other way round)
        self.assertRefused(self._bridge_post(raw, route=BRIDGE_ROUTE, signed_route=BRIDGE_RO_ROUTE))
        self.assertRefused(self._bridge_post(raw, route=BRIDGE_RO_ROUTE, signed_route=BRIDGE_ROUTE))
        self.assertRefused(self._bridge_post(raw, route=BRIDGE_ROUTE, signed_route=AUTH_ROUTE))
        for forged in ({"method": "GET"}, {"method": "PUT"}, {"database": "another_db"},
                       {"database": self.env.cr.dbname + "_copy"}):
            with self.subTest(forged=forged):
                headers = self._signature_headers(raw, **forged)
                self.assertRefused(self._bridge_post(raw, headers=headers))
        # the same request signed for what it is goes through
        self.assertEqual(self._bridge_post(raw, route=BRIDGE_RO_ROUTE).status_code, 200)

    def test_replayed_nonce_refused(self):
        raw = json.dumps(self.payload).encode()
        headers = self._signature_headers(raw)
        self.assertEqual(self._bridge_post(raw, headers=headers).status_code, 200)
        body = self.assertRefused(self._bridge_post(raw, headers=headers))
        self.assertIn("Replayed", body["error"]["message"])
        # on another route, signed for it with the same nonce: refused too
        again = self._signature_headers(raw, route=BRIDGE_RO_ROUTE, nonce=headers[NONCE_HEADER])
        self.assertRefused(self._bridge_post(raw, route=BRIDGE_RO_ROUTE, headers=again))
        # a fresh nonce goes through
        self.assertEqual(self._bridge_post(raw).status_code, 200)

    def test_replay_on_the_auth_route_refused(self):
        raw = json.dumps({"operation": "reset_password", "login": "nobody@example.com",
                          "client_address": "198.51.100.9"}).encode()
        headers = self._signature_headers(raw, route=AUTH_ROUTE)
        self.assertNotEqual(self._bridge_post(raw, route=AUTH_ROUTE, headers=headers).status_code, 401)
        self.assertRefused(self._bridge_post(raw, route=AUTH_ROUTE, headers=headers))

    def test_nonce_kept_until_the_timestamp_leaves_the_window(self):
        raw = json.dumps(self.payload).encode()
        timestamp = int(time.time()) - 50
        headers = self._signature_headers(raw, timestamp=timestamp)
        self.assertEqual(self._bridge_post(raw, headers=headers).status_code, 200)
        self.env.cr.execute("SELECT expires_at FROM rest_gateway_bridge_nonce WHERE nonce = %s",
                            [headers[NONCE_HEADER]])
        self.assertEqual(self.env.cr.fetchone()[0], timestamp + 61)

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
        signed = json.dumps(self.payload).encode()
        sent = json.dumps({**self.payload, "uid": 1}).encode()
        self.assertRefused(self._bridge_post(sent, headers=self._signature_headers(signed)))

    def test_tampered_nonce_or_timestamp(self):
        raw = json.dumps(self.payload).encode()
        headers = self._signature_headers(raw)
        self.assertRefused(self._bridge_post(raw, headers={**headers, NONCE_HEADER: "A" * 22}))
        earlier = str(int(headers[TIMESTAMP_HEADER]) - 1)
        self.assertRefused(self._bridge_post(raw, headers={**headers, TIMESTAMP_HEADER: earlier}))

    def test_uppercase_hex_accepted(self):
        raw = json.dumps(self.payload).encode()
        headers = self._signature_headers(raw)
        headers[SIGNATURE_HEADER] = "v2=" + headers[SIGNATURE_HEADER].removeprefix("v2=").upper()
        self.assertEqual(self._bridge_post(raw, headers=headers).status_code, 200)

    def test_sign_matches_the_sidecar(self):
        """The vector of sidecar/test/unit/odoo/signature.test.ts: both sides sign alike."""
        digest = sign("s3cret", "POST", "/rest_gateway/bridge", "odoo", 1764345600,
                      "AAAAAAAAAAAAAAAAAAAAAA", b'{"uid":2}')
        self.assertEqual(digest, "729ab427bfdfe9af7151df28a34b155ea36313fa4b6587a401265289c6e4b61d")

    def test_previous_secret_within_the_grace_only(self):
        old = self.bridge_secret
        new, previous = self._rotate_secret()
        self.assertEqual(previous, old)
        self.assertNotEqual(new, old)
        params = self.env["ir.config_parameter"].sudo()
        rotated_at = int(params.get_param(ROTATED_AT_PARAM))
        self.assertAlmostEqual(rotated_at, time.time(), delta=5)
        self.assertEqual(self._bridge_post(self.payload, secret=old).status_code, 200)
        self.assertEqual(self._bridge_post(self.payload, secret=new).status_code, 200)
        # the default grace is 5 minutes: still accepted 4 minutes after the rotation...
        params.set_param(ROTATED_AT_PARAM, str(rotated_at - 4 * 60))
        self.assertEqual(self._bridge_post(self.payload, secret=old).status_code, 200)
        # ...refused after 5 minutes, while the new secret still works
        params.set_param(ROTATED_AT_PARAM, str(rotated_at - 5 * 60 - 5))
        self.assertRefused(self._bridge_post(self.payload, secret=old))
        self.assertEqual(self._bridge_post(self.payload, secret=new).status_code, 200)
        # the grace is a setting
        params.set_param(GRACE_MINUTES_PARAM, "10")
        self.assertEqual(self._bridge_post(self.payload, secret=old).status_code, 200)
        params.set_param(GRACE_MINUTES_PARAM, "0")
        self.assertRefused(self._bridge_post(self.payload, secret=old))
        params.set_param(GRACE_MINUTES_PARAM, "5")
        # a rotation without a recorded time (an older version's) keeps no previous secret
        params.set_param(ROTATED_AT_PARAM, False)
        self.assertRefused(self._bridge_post(self.payload, secret=old))
        # a second rotation forgets the first secret
        params.set_param(ROTATED_AT_PARAM, str(rotated_at))
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
