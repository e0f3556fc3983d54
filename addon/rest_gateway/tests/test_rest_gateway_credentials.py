# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Credentials stay out of the gateway: the bridge refuses credential fields
and models, a password change revokes the API sessions, only managers set a
key's limits, and an allowlist whose fields are gone fails closed."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestBridgeRefusesCredentials(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.admin = cls.env.ref("base.user_admin")
        cls.victim = cls._make_user("rgw_cred_victim", password="Victim-Password-1")

    def _dispatch(self, *operations):
        return self.Bridge._dispatch({"uid": self.admin.id, "operations": list(operations), "atomic": False})

    def _assert_refused(self, operation, name):
        result = self._dispatch(operation)["results"][0]
        self.assertEqual(result.get("error", {}).get("kind"), "access", result)
        self.assertIn(name, result["error"]["message"])

    def _password_unchanged(self):
        self.env["res.users"].browse(self.victim.id).invalidate_recordset()
        self.victim.with_user(self.victim)._check_credentials(
            {"type": "password", "login": self.victim.login, "password": "Victim-Password-1"}, {"interactive": True})

    def test_writes_of_passwords_are_refused(self):
        for operation in (
            {"model": "res.users", "method": "write", "ids": [self.victim.id], "args": [{"password": "x-Hijacked-1"}]},
            {"model": "res.users", "method": "write", "ids": [self.admin.id], "args": [{"new_password": "x-Hijacked-1"}]},
            {"model": "res.users", "method": "create", "args": [{"name": "n", "login": "rgw_cred_n", "password": "x"}]},
            {"model": "res.users", "method": "copy", "ids": [self.victim.id], "kwargs": {"default": {"password": "x"}}},
            {"model": "res.partner", "method": "write", "ids": [self.victim.partner_id.id],
             "args": [{"user_ids": [Command.update(self.victim.id, {"password": "x-Hijacked-1"})]}]},
            {"model": "res.users", "method": "rest_gateway_upsert",
             "kwargs": {"values": {"password": "x"}, "external_id": "base.user_demo"}},
        ):
            with self.subTest(operation=operation):
                self._assert_refused(operation, "password")
        self._password_unchanged()

    def test_reads_filters_and_orders_of_credentials_are_refused(self):
        users = {"model": "res.users"}
        for operation, name in (
            ({**users, "method": "read", "ids": [self.victim.id], "args": [["login", "password"]]}, "password"),
            ({**users, "method": "search_read", "kwargs": {"domain": [["totp_secret", "!=", False]], "fields": ["login"]}},
             "totp_secret"),
            ({**users, "method": "search_read", "kwargs": {"domain": [], "fields": ["login"], "order": "api_key_ids desc"}},
             "api_key_ids"),
            ({"model": "res.partner", "method": "search_count",
              "args": [["|", ["name", "=", "x"], ["user_ids", "any", [["password", "!=", False]]]]]}, "password"),
            ({"model": "res.partner", "method": "search_count", "args": [[["user_ids.password", "!=", False]]]}, "password"),
            ({"model": "res.partner", "method": "rest_gateway_search",
              "args": [[], {"fields": ["name"], "expand": {"user_ids": {"fields": ["login", "api_key_ids"]}}}]}, "api_key_ids"),
            ({**users, "method": "read", "ids": [self.victim.id], "args": [["login"]],
              "guard": [["password", "=", False]]}, "password"),
        ):
            with self.subTest(operation=operation):
                self._assert_refused(operation, name)

    def test_credential_models_are_refused(self):
        key = self._make_key(self.admin)
        for operation in (
            {"model": "rest.gateway.key", "method": "search_read", "kwargs": {"domain": [], "fields": ["prefix"]}},
            {"model": "rest.gateway.key", "method": "write", "ids": [key.id], "args": [{"rate_limit": 5}]},
            {"model": "rest.gateway.token", "method": "search_count", "args": [[]]},
            {"model": "res.users.apikeys", "method": "search_read", "args": [[]]},
            {"model": "ir.config_parameter", "method": "search_read", "args": [[["key", "like", "rest_gateway"]]]},
        ):
            with self.subTest(operation=operation):
                self._assert_refused(operation, operation["model"])
        # the credential models' own API stays open: it checks access itself
        result = self._dispatch({"model": "rest.gateway.key", "method": "rest_gateway_api_read", "ids": [key.id]})
        self.assertEqual(result["results"][0]["result"][0]["id"], key.id)

    def test_plain_values_are_not_names(self):
        partner = self.env["res.partner"].create({"name": "p"})
        result = self._dispatch(
            {"model": "res.partner", "method": "write", "ids": [partner.id], "args": [{"name": "password", "comment": "secret"}]},
            {"model": "res.partner", "method": "search_count", "args": [[["name", "in", ["password", "token"]]]]},
            {"model": "res.users", "method": "read", "ids": [self.victim.id], "args": [["login", "name", "email"]]},
        )
        self.assertEqual([list(r) for r in result["results"]], [["result"]] * 3, result)
        self.assertEqual(partner.name, "password")


@tagged("post_install", "-at_install")
class TestPasswordChangeRevokesTokens(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls._make_user("rgw_cred_sessions", password="Sessions-Password-1")
        cls.other = cls._make_user("rgw_cred_bystander")

    def _token(self, user, prefix, **values):
        return self.env["rest.gateway.token"].create({
            "kind": "session", "prefix": prefix, "digest": prefix.ljust(64, "0"), "user_id": user.id,
            "expires_at": fields.Datetime.now() + timedelta(hours=1), **values,
        })

    def test_any_password_change_revokes_the_user_tokens(self):
        first, second = self._token(self.user, "credsess01"), self._token(self.user, "credsess02")
        bystander = self._token(self.other, "credsess03")
        self.user.password = "Changed-Backend-1"
        self.assertTrue(first.revoked_at and second.revoked_at)
        self.assertFalse(bystander.revoked_at)
        # the backend's "Change Password" wizard sets new_password
        third = self._token(self.user, "credsess04")
        self.env["change.password.user"].create({
            "wizard_id": self.env["change.password.wizard"].create({}).id,
            "user_id": self.user.id, "user_login": self.user.login, "new_passwd": "Changed-Wizard-1",
        }).change_password_button()
        self.assertTrue(third.revoked_at)

    def test_the_changing_session_stays(self):
        current, other = self._token(self.user, "credsess05"), self._token(self.user, "credsess06")
        result = self.env["rest.gateway.auth"]._auth_change_password(
            self.user.id, "Sessions-Password-1", "Changed-Api-1", keep_token_id=current.id)
        self.assertEqual(result, {"uid": self.user.id, "revoked": 1})
        self.assertFalse(current.revoked_at)
        self.assertTrue(other.revoked_at)


@tagged("post_install", "-at_install")
class TestKeyLimitsAreManagers(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("rgw_cred_manager", groups=("rest_gateway.group_manager",))
        cls.user = cls._make_user("rgw_cred_owner", groups=("rest_gateway.group_user",))

    def test_owner_cannot_raise_own_limits(self):
        Key = self.env["rest.gateway.key"].with_user(self.user)
        for values in ({"rate_limit": 1_000_000}, {"allow_webhooks": True}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                Key.create({"name": "mine", **values})
        key = Key.create({"name": "mine", "rate_limit": 0, "allow_webhooks": False})
        self.assertEqual((key.rate_limit, key.allow_webhooks), (0, False))
        for values in ({"rate_limit": 5000}, {"allow_webhooks": True}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                key.write(values)
        key.write({"name": "renamed", "rate_limit": 0})  # unchanged values are no change
        self.assertEqual((key.rate_limit, key.allow_webhooks), (0, False))

    def test_manager_sets_limits_and_copies_get_defaults(self):
        key = self.env["rest.gateway.key"].with_user(self.manager).create(
            {"name": "given", "user_id": self.user.id, "rate_limit": 50, "allow_webhooks": True})
        self.assertEqual((key.rate_limit, key.allow_webhooks), (50, True))
        # the owner keeps what a manager gave, and may edit the rest of the key
        key.with_user(self.user).write({"notes": "mine", "rate_limit": 50})
        with self.assertRaises(AccessError):
            key.with_user(self.user).rate_limit = 100
        copy = key.with_user(self.user).copy()
        self.assertEqual((copy.rate_limit, copy.allow_webhooks), (0, False))

    def test_owner_form_hides_the_limits(self):
        with Form(self.env["rest.gateway.key"].with_user(self.user)) as form:
            form.name = "From the form"
            with self.assertRaises(AssertionError):
                form.rate_limit = 10
        self.assertEqual(form.save().rate_limit, 0)


@tagged("post_install", "-at_install")
class TestAllowlistFailsClosed(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls._make_exposed_model("res.partner")
        cls.key = cls._make_key(cls.env.ref("base.user_admin"))

    def _manual_field(self, name):
        return self.env["ir.model.fields"].create({
            "model_id": self.env["ir.model"]._get_id("res.partner"), "name": name,
            "ttype": "char", "field_description": name, "state": "manual",
        })

    def test_flag_follows_the_list_and_survives_the_fields(self):
        field = self._manual_field("x_rgw_soon_gone")
        scope = self.env["rest.gateway.key.scope"].create({
            "key_id": self.key.id, "exposed_model_id": self.partners.id,
            "allowed_field_ids": [Command.set(field.ids)],
        })
        self.assertTrue(scope.restrict_fields)
        field.unlink()
        scope.invalidate_recordset()
        self.assertFalse(scope.allowed_field_ids)
        self.assertTrue(scope.restrict_fields, "the scope still has an allowlist: no field")
        scope.allowed_field_ids = [Command.set(self.env["ir.model.fields"]._get("res.partner", "name").ids)]
        scope.allowed_field_ids = [Command.clear()]
        self.assertFalse(scope.restrict_fields, "cleared by an edit of the list: every field")

    def test_credential_fields_cannot_be_allowed(self):
        exposed = self._make_exposed_model("res.users")
        with self.assertRaises(ValidationError):
            self.env["rest.gateway.key.scope"].create({
                "key_id": self.key.id, "exposed_model_id": exposed.id,
                "allowed_field_ids": [Command.set(self.env["ir.model.fields"]._get("res.users", "password").ids)],
            })


@tagged("post_install", "-at_install")
class TestCredentialModelsAreNotExposed(RestGatewayCase):
    def test_refused(self):
        for model in ("rest.gateway.key", "rest.gateway.oauth.client", "rest.gateway.token", "rest.gateway.webhook",
                      "res.users.apikeys", "ir.config_parameter"):
            with self.subTest(model=model), self.assertRaises(ValidationError):
                self._make_exposed_model(model)
        self.assertTrue(self._make_exposed_model("res.country"))
