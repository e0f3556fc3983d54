# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge's authentication route: Odoo's own password check, its login
cooldown per client address, two-factor users, password change and reset."""

import json
import time
from unittest.mock import patch

from odoo.tests import tagged

from ..controllers.bridge import SIGNATURE_HEADER, TIMESTAMP_HEADER
from ..models.rest_gateway_auth import RestGatewayAuth
from .common import RestGatewayHttpCase

AUTH_ROUTE = "/rest_gateway/bridge/auth"
PASSWORD = "Correct-Horse-9"


@tagged("post_install", "-at_install")
class TestRestGatewayAuth(RestGatewayHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls._make_user("rgw_auth_user", password=PASSWORD, email="rgw_auth_user@example.com")

    def tearDown(self):
        # Odoo keeps login failures per address in the registry: leave none behind
        getattr(self.registry, "_login_failures", {}).clear()
        super().tearDown()

    def _auth(self, **payload):
        response = self._bridge_post(payload, route=AUTH_ROUTE)
        return response.status_code, response.json()

    def _login(self, password=PASSWORD, login="rgw_auth_user", address="198.51.100.1"):
        return self._auth(operation="authenticate", login=login, password=password, client_address=address)

    def test_authenticate(self):
        status, body = self._login()
        self.assertEqual(status, 200)
        self.assertEqual(body["result"]["uid"], self.user.id)
        self.assertEqual(body["result"]["user"]["login"], "rgw_auth_user")
        self.assertIn("base.group_user", body["result"]["user"]["groups"])

    def test_wrong_password_and_unknown_login_are_one_answer(self):
        _status, wrong = self._login(password="nope")
        _status, unknown = self._login(login="rgw_nobody")
        self.assertEqual(wrong, unknown)
        self.assertEqual(wrong["error"]["kind"], "credentials")

    def test_cooldown_counts_per_client_address(self):
        self.env["ir.config_parameter"].sudo().set_param("base.login_cooldown_after", "2")
        for _i in range(2):
            self.assertEqual(self._login(password="nope", address="198.51.100.7")[1]["error"]["kind"], "credentials")
        _status, locked = self._login(address="198.51.100.7")
        self.assertEqual(locked["error"]["kind"], "locked")
        self.assertEqual(locked["error"]["retry_after"], 60)
        # another client of the same sidecar is not locked out
        self.assertIn("result", self._login(address="198.51.100.8")[1])
        self.assertIn("198.51.100.7", self.registry._login_failures)

    def test_two_factor_user_needs_a_key(self):
        self.env.cr.execute("UPDATE res_users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = %s", [self.user.id])
        self.user.invalidate_recordset()
        _status, body = self._login()
        self.assertEqual(body["error"]["kind"], "mfa_required")
        self.assertIn("API key", body["error"]["message"])
        self.assertEqual(self._login(password="nope")[1]["error"]["kind"], "credentials")

    def test_change_password(self):
        _status, wrong = self._auth(
            operation="change_password", uid=self.user.id, old_password="nope",
            new_password="New-Secret-1", client_address="198.51.100.2",
        )
        self.assertEqual(wrong["error"]["kind"], "credentials")
        _status, done = self._auth(
            operation="change_password", uid=self.user.id, old_password=PASSWORD,
            new_password="New-Secret-1", client_address="198.51.100.2",
        )
        self.assertEqual(done, {"result": {"uid": self.user.id, "revoked": 0}})
        self.assertIn("result", self._login(password="New-Secret-1")[1])

    def test_reset_password(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.reset_password", "True")
        known = self._auth(operation="reset_password", login="rgw_auth_user", client_address="198.51.100.3")
        unknown = self._auth(operation="reset_password", login="rgw_ghost", client_address="198.51.100.3")
        self.assertEqual(known, (200, {"result": {"requested": True}}))
        self.assertEqual(known, unknown)
        self.assertTrue(self.user.partner_id.signup_type)
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.reset_password", "False")
        _status, off = self._auth(operation="reset_password", login="rgw_auth_user", client_address="198.51.100.3")
        self.assertEqual(off["error"]["kind"], "reset_unavailable")

    def test_reset_without_auth_signup(self):
        with patch.object(RestGatewayAuth, "_get_reset_password_problem", lambda self: "not installed"):
            _status, body = self._auth(operation="reset_password", login="rgw_auth_user", client_address="198.51.100.4")
        self.assertEqual(body["error"], {"kind": "reset_unavailable", "message": "not installed"})

    def test_bad_requests(self):
        self.assertEqual(self._auth(operation="sudo")[0], 400)
        self.assertEqual(self._auth(operation="authenticate", login="x", password="y")[0], 400)
        self.assertEqual(self._login(address="not-an-ip")[1]["error"]["kind"], "bad_request")

    def test_signature_required(self):
        raw = json.dumps({"operation": "authenticate", "login": "rgw_auth_user", "password": PASSWORD,
                          "client_address": "198.51.100.5"}).encode()
        response = self._bridge_post(raw, route=AUTH_ROUTE, headers={
            TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "v1=" + "0" * 64,
        })
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["kind"], "signature")
