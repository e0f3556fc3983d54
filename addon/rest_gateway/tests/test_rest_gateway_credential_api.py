# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The credential methods the sidecar calls through the bridge: OAuth
clients, issued tokens, revocation, scopes within the user's rights, the
manager check and the user's profile."""

import hashlib
import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestCredentialApi(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("rgw_capi_manager", groups=("rest_gateway.group_manager", "base.group_partner_manager"))
        cls.user = cls._make_user("rgw_capi_user", groups=("rest_gateway.group_user",))
        cls.partners = cls._make_exposed_model("res.partner", allow_create=True, allow_update=True)

    def _token(self, user, kind="session", client=None, prefix="abcdefghijkl"):
        return self.env["rest.gateway.token"].create({
            "kind": kind, "prefix": prefix, "digest": "0" * 64, "user_id": user.id,
            "client_id": client.id if client else False, "expires_at": "2999-01-01 00:00:00",
        })

    def test_user_creates_own_key_within_rights(self):
        Key = self.env["rest.gateway.key"].with_user(self.user)
        result = Key.rest_gateway_api_create({"name": "mine", "scopes": [{"model": "res.partner", "operations": ["read"]}]})
        self.assertRegex(result["secret"], r"^rgw_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$")
        key = self.env["rest.gateway.key"].browse(result["record"]["id"])
        self.assertEqual(key.user_id, self.user)
        self.assertEqual(key.digest, hashlib.sha256(result["secret"].encode()).hexdigest())
        self.assertEqual(result["record"]["scopes"][0]["operations"], ["read"])
        with self.assertRaisesRegex(ValidationError, "no Odoo right"):
            Key.rest_gateway_api_create({"name": "x", "scopes": [{"model": "res.partner", "operations": ["create"]}]})
        with self.assertRaisesRegex(ValidationError, "does not allow"):
            Key.rest_gateway_api_create({"name": "x", "scopes": [{"model": "res.partner", "operations": ["delete"]}]})
        with self.assertRaisesRegex(ValidationError, "not exposed"):
            Key.rest_gateway_api_create({"name": "x", "scopes": [{"model": "res.users"}]})
        with self.assertRaises(ValidationError):
            Key.rest_gateway_api_create({"name": "x", "user_id": self.manager.id, "scopes": []})

    def test_client_secret_shown_once_and_revocation(self):
        Client = self.env["rest.gateway.oauth.client"].with_user(self.manager)
        result = Client.rest_gateway_api_create({
            "name": "robot", "token_lifetime": 600, "scopes": [{"model": "res.partner", "operations": ["read", "create"]}],
        })
        client = self.env["rest.gateway.oauth.client"].browse(result["record"]["id"])
        self.assertRegex(client.client_id, r"^rgwc_[a-z0-9]{20}$")
        self.assertEqual(client.secret_digest, hashlib.sha256(result["secret"].encode()).hexdigest())
        self.assertTrue(result["secret"].startswith(f"rgwcs_{client.secret_prefix}_"))
        self.env.flush_all()
        self.env.cr.execute("SELECT row_to_json(c)::text FROM rest_gateway_oauth_client c WHERE id = %s", [client.id])
        self.assertNotIn(result["secret"], self.env.cr.fetchone()[0])
        self.assertEqual(client.state, "active")
        token = self._token(self.manager, kind="oauth", client=client)
        client.with_user(self.manager).rest_gateway_api_revoke()
        self.assertEqual(client.state, "revoked")
        self.assertFalse(client.secret_digest)
        self.assertTrue(token.revoked_at)
        with self.assertRaises(UserError):
            client.with_user(self.manager)._generate_secret()

    @mute_logger("odoo.sql_db")
    def test_clients_are_for_managers(self):
        with self.assertRaises(AccessError):
            self.env["rest.gateway.oauth.client"].with_user(self.user).create({"name": "mine"})
        with self.assertRaises(Exception), self.env.cr.savepoint():  # SQL CHECK and Python constraint
            self.env["rest.gateway.oauth.client"].create({"name": "short", "token_lifetime": 10})

    def test_key_revocation_is_final(self):
        key = self._make_key(self.user)
        key._generate_key()
        key.with_user(self.user).action_revoke()
        self.assertEqual(key.state, "revoked")
        self.assertFalse(key.active)
        self.assertFalse(key.digest)
        with self.assertRaises(UserError):
            key._generate_key()
        self.assertIn(key, self.env["rest.gateway.key"].with_context(active_test=False).search([("state", "in", ["revoked"])]))

    @mute_logger("odoo.sql_db")
    def test_scope_has_exactly_one_owner(self):
        key = self._make_key(self.user)
        client = self.env["rest.gateway.oauth.client"].create({"name": "c", "user_id": self.user.id})
        Scope = self.env["rest.gateway.key.scope"]
        with self.assertRaises(Exception), self.env.cr.savepoint():
            Scope.create({"exposed_model_id": self.partners.id, "key_id": key.id, "client_id": client.id})
        with self.assertRaises(Exception), self.env.cr.savepoint():
            Scope.create({"exposed_model_id": self.partners.id})
        scope = Scope.create({"exposed_model_id": self.partners.id, "client_id": client.id})
        self.assertEqual(scope.user_id, self.user)

    def test_tokens_own_sessions_only(self):
        mine = self._token(self.user, prefix="mine00000000")
        theirs = self._token(self.manager, prefix="theirs000000")
        Token = self.env["rest.gateway.token"].with_user(self.user)
        self.assertEqual(Token.search([]), mine)
        mine.with_user(self.user).action_revoke()
        self.assertEqual(mine.state, "revoked")
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).action_revoke()
        page = Token.with_user(self.manager).rest_gateway_api_search({"state": "active"})
        self.assertIn(theirs.id, [r["id"] for r in page["records"]])
        self.assertNotIn("digest", page["records"][0])

    def test_manager_check_and_profile(self):
        self.assertTrue(self.env["res.users"].with_user(self.manager).rest_gateway_check_manager())
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.user).rest_gateway_check_manager()
        me = self.env["res.users"].with_user(self.user).rest_gateway_me()
        self.assertEqual(me["login"], "rgw_capi_user")
        self.assertIn("rest_gateway.group_user", me["groups"])
        self.assertNotIn("rest_gateway.group_manager", me["groups"])
        self.assertFalse(me["two_factor"])

    def test_bridge_opens_the_methods(self):
        methods = self.env["rest.gateway.bridge"]._get_bridge_methods()
        self.assertEqual(methods["rest_gateway_api_create"], "write")
        self.assertEqual(methods["rest_gateway_me"], "read")
        self.assertTrue(all(re.match(r"^[a-z]", name) for name in methods))
