# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Webhooks: secrets shown once and rotated, retrying events, the management
API the sidecar calls through the bridge, and the backend views."""

import importlib.util
import re
import unittest
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import tagged

from .common import RestGatewayCase, RestGatewayHttpCase
from .test_backend_ui import WAIT_FOR
from .test_rest_gateway_webhook_capture import WebhookTestMixin

SECRET_RE = r"^whsec_[A-Za-z0-9+/]{43}=$"


@tagged("post_install", "-at_install")
class TestRestGatewayWebhook(WebhookTestMixin, RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rest.gateway.model"].with_context(active_test=False).search(
            [("model", "in", ["res.partner", "res.partner.industry", "res.country"])]
        ).unlink()
        cls.manager = cls._make_user("rgw_hook_manager", groups=("rest_gateway.group_manager",))
        cls.api_user = cls._make_user("rgw_hook_api_user", groups=("base.group_user",))
        cls.partners = cls._make_exposed_model("res.partner")
        cls.industries = cls._make_exposed_model("res.partner.industry")
        cls.countries = cls._make_exposed_model("res.country")
        email = cls.env["ir.model.fields"]._get("res.partner", "email")
        cls.key = cls._make_key(cls.api_user, allow_webhooks=True, scopes=[
            {"exposed_model_id": cls.partners.id, "blocked_field_ids": [Command.set(email.ids)]},
            {"exposed_model_id": cls.industries.id, "allow_read": False, "allow_create": True},
        ])
        cls.key._generate_key()
        cls.Api = cls.env["rest.gateway.webhook"].with_user(cls.api_user)

    def _create(self, **values):
        return self.Api.rest_gateway_api_create(self.key.id, {
            "name": "CRM", "url": "https://crm.example.com/hook", "model": "res.partner",
            "events": ["created", "updated"], **values,
        })

    # ------------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------------

    def test_secret_generated_once_and_hidden_from_managers(self):
        webhook = self._make_webhook(self.partners, secret=False).with_user(self.manager)
        self.assertFalse(webhook.secret_hint)
        action = webhook.action_generate_secret()
        self.assertEqual(action["res_model"], "rest.gateway.webhook.reveal")
        secret = action["context"]["default_secret"]
        self.assertRegex(secret, SECRET_RE)
        self.assertEqual(webhook.secret_hint, secret[:10])
        self.assertEqual(webhook.sudo().secret, secret)
        with self.assertRaises(AccessError):
            webhook.read(["secret"])
        with self.assertRaises(AccessError):
            webhook.read(["previous_secret"])
        self.assertNotIn("secret", webhook.read()[0])
        with self.assertRaises(AccessError):  # shown once: generating again is rotating
            webhook.action_generate_secret()

    def test_rotation_keeps_the_previous_secret_for_the_grace_period(self):
        webhook = self._make_webhook(self.partners)
        first = webhook.sudo().secret
        wizard = self.env["rest.gateway.webhook.rotate"].with_user(self.manager).create({"webhook_id": webhook.id})
        self.assertEqual(wizard.grace_hours, 24)
        action = wizard.action_rotate()
        second = action["context"]["default_secret"]
        self.assertRegex(second, SECRET_RE)
        self.assertNotEqual(second, first)
        self.assertEqual((webhook.sudo().secret, webhook.sudo().previous_secret), (second, first))
        remaining = webhook.previous_secret_expires_at - fields.Datetime.now()
        self.assertAlmostEqual(remaining.total_seconds(), 24 * 3600, delta=60)
        self.env["rest.gateway.webhook.rotate"].create({"webhook_id": webhook.id, "grace_hours": 0}).action_rotate()
        self.assertFalse(webhook.sudo().previous_secret)
        self.assertFalse(webhook.previous_secret_expires_at)
        with self.assertRaises(ValidationError):
            self.env["rest.gateway.webhook.rotate"].create({"webhook_id": webhook.id, "grace_hours": -1})

    def test_allow_private_is_for_administrators(self):
        Webhook = self.env["rest.gateway.webhook"].with_user(self.manager)
        values = {"name": "m", "url": "https://a.example.com", "exposed_model_id": self.partners.id}
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Webhook.create({**values, "allow_private": True})
        webhook = Webhook.create(values)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            webhook.write({"allow_private": True})
        webhook.with_user(self.env.ref("base.user_admin")).write({"allow_private": True})
        self.assertTrue(webhook.sudo().allow_private)

    def test_backend_validation(self):
        cases = {
            "url": "ftp://example.com/x",
            "headers": '{"Host": "evil"}',
            "max_attempts": 0,
            "timeout": 31,
            "domain": "[('nope', '=', 1)]",
            "on_create": False,
        }
        for field, value in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError), self.env.cr.savepoint():
                self._make_webhook(self.partners, on_update=False, on_delete=False, **{field: value})

    # ------------------------------------------------------------------
    # Retry now
    # ------------------------------------------------------------------

    def test_retry_now(self):
        webhook = self._make_webhook(self.partners, on_update=False)
        partner = self.env["res.partner"].create({"name": "RGW retry"})
        self.env.flush_all()
        event = self.env["rest.gateway.webhook.event"].search([("webhook_id", "=", webhook.id), ("res_id", "=", partner.id)])
        self.assertEqual(event.state, "pending")
        with self.assertRaises(UserError):
            event.with_user(self.manager).action_retry()
        event.write({"state": "dead", "attempts": 8, "created_at": fields.Datetime.now(), "last_error": "timeout"})
        with self.assertRaises(AccessError):
            event.with_user(self.api_user).action_retry()
        event.with_user(self.manager).action_retry()
        self.assertEqual((event.state, event.attempts), ("pending", 0))
        self.assertLessEqual(event.next_attempt_at, fields.Datetime.now())
        with self.assertRaises(AccessError):  # read-only in the backend
            event.with_user(self.manager).write({"state": "dead"})

    def test_activation_and_retry_wake_the_workers(self):
        webhook = self._make_webhook(self.partners, active=False)
        path = "odoo.addons.rest_gateway.models.rest_gateway_webhook%s.wake_delivery"
        with patch(path % "") as wake:
            webhook.name = "renamed"
            wake.assert_not_called()
            webhook.active = True
            wake.assert_called_once()
        self.env["res.partner"].create({"name": "RGW wake"})
        self.env.flush_all()
        event = self.env["rest.gateway.webhook.event"].search([("webhook_id", "=", webhook.id)], limit=1)
        event.state = "skipped"
        with patch(path % "_event") as wake:
            event.with_user(self.manager).action_retry()
            wake.assert_called_once()

    def test_event_counts(self):
        webhook = self._make_webhook(self.partners, on_update=False)
        self.env["res.partner"].create([{"name": "RGW count 1"}, {"name": "RGW count 2"}])
        self.env.flush_all()
        self.env["rest.gateway.webhook.event"].search([("webhook_id", "=", webhook.id)], limit=1).state = "dead"
        webhook.invalidate_recordset()
        self.assertEqual((webhook.pending_event_count, webhook.dead_event_count), (1, 1))

    # ------------------------------------------------------------------
    # Management API
    # ------------------------------------------------------------------

    def test_api_create_read_list_update_delete(self):
        created = self._create(
            fields=["name", "phone"], update_fields=["name"], domain=[["is_company", "=", True]],
            headers={"X-Token": "abc"}, max_attempts=3,
        )
        self.assertRegex(created.pop("secret"), SECRET_RE)
        self.assertEqual(created["events"], ["created", "updated"])
        self.assertEqual(created["fields"], ["name", "phone"])
        self.assertEqual(created["update_fields"], ["name"])
        self.assertEqual(created["domain"], [["is_company", "=", True]])
        self.assertEqual(created["headers"], {"X-Token": "abc"})
        self.assertEqual(created["max_attempts"], 3)
        self.assertTrue(created["secret_hint"].startswith("whsec_"))
        self.assertRegex(created["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIsNone(created["previous_secret_expires_at"])
        webhook = self.env["rest.gateway.webhook"].browse(created["id"])
        self.assertEqual((webhook.key_id, webhook.user_id), (self.key, self.api_user))
        self.assertEqual(self.Api.rest_gateway_api_read(self.key.id, webhook.id), created)
        self.assertEqual(self.Api.rest_gateway_api_list(self.key.id), [created])
        updated = self.Api.rest_gateway_api_update(self.key.id, webhook.id, {
            "events": ["deleted"], "active": False, "headers": None, "domain": [],
        })
        self.assertEqual((updated["events"], updated["active"], updated["headers"]), (["deleted"], False, {}))
        self.assertEqual(self.Api.rest_gateway_api_list(self.key.id), [updated])  # archived ones listed too
        rotated = self.Api.rest_gateway_api_rotate_secret(self.key.id, webhook.id, 2)
        self.assertRegex(rotated["secret"], SECRET_RE)
        self.assertTrue(rotated["previous_secret_expires_at"])
        self.assertTrue(self.Api.rest_gateway_api_delete(self.key.id, webhook.id))
        self.assertFalse(webhook.exists())

    def test_api_key_must_allow_webhooks(self):
        other_user_key = self._make_key(self.manager, allow_webhooks=True)
        other_user_key._generate_key()
        no_flag = self._make_key(self.api_user)
        no_flag._generate_key()
        never_generated = self._make_key(self.api_user, allow_webhooks=True)
        for key_id in (no_flag.id, never_generated.id, other_user_key.id, 0, "1", None, 10**12):
            with self.subTest(key_id=key_id), self.assertRaisesRegex(AccessError, "may not manage webhooks"):
                self.Api.rest_gateway_api_list(key_id)
        self.key.action_revoke()
        with self.assertRaisesRegex(AccessError, "may not manage webhooks"):
            self._create()

    def test_api_other_keys_webhooks_do_not_exist(self):
        backend = self._make_webhook(self.partners)
        other_key = self._make_key(self.api_user, allow_webhooks=True, scopes=[{"exposed_model_id": self.partners.id}])
        other_key._generate_key()
        theirs = self.Api.rest_gateway_api_create(other_key.id, {
            "name": "theirs", "url": "https://x.example.com", "model": "res.partner", "events": ["created"],
        })
        for webhook_id in (backend.id, theirs["id"], -1, "1", 2**40):
            with self.subTest(webhook_id=webhook_id):
                with self.assertRaises(MissingError):
                    self.Api.rest_gateway_api_read(self.key.id, webhook_id)
                with self.assertRaises(MissingError):
                    self.Api.rest_gateway_api_update(self.key.id, webhook_id, {"name": "mine"})
                with self.assertRaises(MissingError):
                    self.Api.rest_gateway_api_delete(self.key.id, webhook_id)
                with self.assertRaises(MissingError):
                    self.Api.rest_gateway_api_rotate_secret(self.key.id, webhook_id, 0)
        self.assertEqual(self.Api.rest_gateway_api_list(self.key.id), [])
        self.assertEqual(backend.name, "Webhook of res.partner")

    def test_api_refusals(self):
        cases = {
            "model out of scope": ({"model": "res.country"}, "not in this API key's scopes"),
            "scope without read": ({"model": "res.partner.industry"}, "not in this API key's scopes"),
            "unknown model": ({"model": "no.such.model"}, "not in this API key's scopes"),
            "model wrong type": ({"model": ["res.partner"]}, "technical name"),
            "blocked field": ({"fields": ["name", "email"]}, "may not read email"),
            "blocked update field": ({"update_fields": ["email"]}, "may not read email"),
            "unknown field": ({"fields": ["nope"]}, "unknown fields of res.partner: nope"),
            "non-column update field": ({"update_fields": ["display_name"]}, "cannot be watched"),
            "fields wrong type": ({"fields": "name"}, "list of field names"),
            "bad url": ({"url": "javascript:alert(1)"}, "url:"),
            "relative url": ({"url": "/hook"}, "url:"),
            "url with credentials": ({"url": "https://u:p@x.example.com"}, "url:"),
            "oversized url": ({"url": "https://x.example.com/" + "a" * 3000}, "url:"),
            "reserved header": ({"headers": {"Webhook-Signature": "x"}}, "headers:"),
            "header injection": ({"headers": {"X-A": "a\r\nHost: evil"}}, "headers:"),
            "header name": ({"headers": {"X A": "a"}}, "headers:"),
            "header value type": ({"headers": {"X-A": 1}}, "headers:"),
            "headers type": ({"headers": ["X-A"]}, "headers:"),
            "unknown keys": ({"allow_private": True, "secret": "whsec_x"}, "allow_private, secret"),
            "read-only key": ({"id": 3}, "id"),
            "unknown event": ({"events": ["created", "exploded"]}, "exploded"),
            "no event": ({"events": []}, "events"),
            "attempts range": ({"max_attempts": 21}, "max_attempts"),
            "attempts type": ({"max_attempts": True}, "max_attempts"),
            "delays inverted": ({"retry_base_delay": 600, "retry_max_delay": 60}, "retry_max_delay"),
            "timeout type": ({"timeout": "5"}, "timeout"),
            "domain type": ({"domain": "[]"}, "domain"),
            "domain field": ({"domain": [["nope", "=", 1]]}, "Invalid domain"),
            "domain operator": ({"domain": [["name", "exploded", 1]]}, "Invalid domain"),
            "oversized name": ({"name": "n" * 300}, "name"),
            "empty name": ({"name": "  "}, "name"),
            "active type": ({"active": "yes"}, "active"),
        }
        for label, (values, message) in cases.items():
            with (
                self.subTest(label),
                self.assertRaisesRegex(ValidationError, re.escape(message)),
                self.env.cr.savepoint(),
            ):
                self._create(**values)
        with self.assertRaisesRegex(ValidationError, "Missing webhook keys: url"):
            self.Api.rest_gateway_api_create(self.key.id, {"name": "x", "model": "res.partner", "events": ["created"]})
        with self.assertRaisesRegex(ValidationError, "JSON object"):
            self.Api.rest_gateway_api_create(self.key.id, ["name"])
        webhook_id = self._create()["id"]
        with self.assertRaisesRegex(ValidationError, "grace_hours"):
            self.Api.rest_gateway_api_rotate_secret(self.key.id, webhook_id, 10**6)
        with self.assertRaisesRegex(ValidationError, "not in this API key's scopes"):
            self.Api.rest_gateway_api_update(self.key.id, webhook_id, {"model": "res.country"})
        self.assertEqual(
            self.env["rest.gateway.webhook"].search_count([("key_id", "=", self.key.id)]), 1,
        )

    def test_api_activation_clears_the_disabled_reason(self):
        webhook_id = self._create()["id"]
        self.env["rest.gateway.webhook"].browse(webhook_id).write({"active": False, "disabled_reason": "HTTP 410"})
        result = self.Api.rest_gateway_api_update(self.key.id, webhook_id, {"active": True})
        self.assertEqual((result["active"], result["disabled_reason"]), (True, None))

    def test_bridge_opens_the_methods(self):
        methods = self.env["rest.gateway.bridge"]._get_bridge_methods()
        for name, access in {
            "rest_gateway_api_list": "read", "rest_gateway_api_read": "read",
            "rest_gateway_api_create": "write", "rest_gateway_api_update": "write",
            "rest_gateway_api_delete": "write", "rest_gateway_api_rotate_secret": "write",
        }.items():
            self.assertEqual(methods[name], access)

    # ------------------------------------------------------------------
    # Backend
    # ------------------------------------------------------------------

    def test_views_and_actions_load(self):
        for model in ("rest.gateway.webhook", "rest.gateway.webhook.event"):
            with self.subTest(model=model):
                result = self.env[model].with_user(self.manager).get_views(
                    [(False, "list"), (False, "form"), (False, "search")]
                )
                self.assertEqual(set(result["views"]), {"list", "form", "search"})
        for model in ("rest.gateway.webhook.rotate", "rest.gateway.webhook.reveal"):
            self.env[model].with_user(self.manager).get_views([(False, "form")])
        form = self.env["rest.gateway.webhook"].with_user(self.manager).get_views([(False, "form")])
        self.assertNotIn('name="secret"', form["views"]["form"]["arch"])
        self.assertNotIn('name="previous_secret"', form["views"]["form"]["arch"])
        webhook = self._make_webhook(self.partners)
        action = webhook.with_context(event_state="dead").action_view_events()
        self.assertIn(("state", "=", "dead"), action["domain"])
        self.assertEqual(self.env.ref("rest_gateway.menu_rest_gateway_webhook_root").group_ids,
                         self.env.ref("rest_gateway.group_manager"))
        self.assertTrue(self.env.ref("rest_gateway.rest_gateway_key_view_form").arch.count('name="allow_webhooks"'))

    def test_users_have_no_access(self):
        user = self._make_user("rgw_hook_plain", groups=("rest_gateway.group_user",))
        for model in ("rest.gateway.webhook", "rest.gateway.webhook.event", "rest.gateway.webhook.attempt"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(user).has_access("read"))


@tagged("post_install", "-at_install")
class TestRestGatewayWebhookBridge(RestGatewayHttpCase):
    """The management methods through the signed bridge, as the sidecar calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rest.gateway.model"].with_context(active_test=False).search([("model", "=", "res.partner")]).unlink()
        cls.api_user = cls._make_user("rgw_hook_bridge_user", groups=("base.group_user",))
        partners = cls._make_exposed_model("res.partner")
        cls.key = cls._make_key(cls.api_user, allow_webhooks=True, scopes=[{"exposed_model_id": partners.id}])
        cls.key._generate_key()

    def _call(self, method, *args):
        status, body = self._bridge(
            [{"model": "rest.gateway.webhook", "method": method, "args": list(args)}], uid=self.api_user.id,
        )
        self.assertEqual(status, 400 if body.get("error", {}).get("kind") == "bad_request" else 200)
        return body

    def test_errors_travel_as_kinds(self):
        body = self._call("rest_gateway_api_create", self.key.id, {
            "name": "CRM", "url": "https://crm.example.com/hook", "model": "res.partner", "events": ["created"],
        })
        created = body["results"][0]
        self.assertRegex(created["secret"], SECRET_RE)
        self.assertEqual(self._call("rest_gateway_api_list", self.key.id)["results"][0][0]["id"], created["id"])
        cases = [
            (("rest_gateway_api_read", self.key.id, created["id"] + 1000), "missing"),
            (("rest_gateway_api_update", self.key.id, created["id"], {"url": "file:///etc/passwd"}), "validation"),
            (("rest_gateway_api_update", self.key.id, created["id"], {"secret": "whsec_mine"}), "validation"),
            (("rest_gateway_api_list", self.key.id + 1000), "access"),
            (("rest_gateway_api_rotate_secret", self.key.id, created["id"], "24"), "validation"),
            (("rest_gateway_api_delete", self.key.id), "bad_request"),
        ]
        for (method, *args), kind in cases:
            with self.subTest(method=method, args=args):
                self.assertEqual(self._call(method, *args)["error"]["kind"], kind)
        webhook = self.env["rest.gateway.webhook"].browse(created["id"])
        self.assertEqual(webhook.url, "https://crm.example.com/hook")


@tagged("post_install", "-at_install")
@unittest.skipUnless(importlib.util.find_spec("websocket"), "Odoo's browser tests need python3-websocket")
class TestWebhookUi(WebhookTestMixin, RestGatewayHttpCase):
    """The webhook screens in a real browser: the secret is shown once, rotated, and dead events retried."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rest.gateway.model"].with_context(active_test=False).search([("model", "=", "res.country")]).unlink()
        cls.countries = cls._make_exposed_model("res.country")

    def _run(self, path, steps):
        code = f"""(async () => {{ {WAIT_FOR} {steps}
            console.log("test successful"); }})().catch((e) => console.error(e.message));"""
        self.browser_js(path, code, ready="odoo.isReady", login="admin")

    def test_generate_then_rotate_secret(self):
        webhook = self._make_webhook(self.countries, secret=False, name="UI hook")
        self._run(f"/odoo/action-rest_gateway.rest_gateway_webhook_action/{webhook.id}", """
            await waitFor(".o-mail-Chatter");
            (await waitFor("button[name=action_generate_secret]")).click();
            const first = (await waitFor(".modal .o_field_CopyClipboardChar")).textContent.trim();
            if (!/^whsec_[A-Za-z0-9+/]{43}=$/.test(first)) { throw new Error(`Unexpected secret: ${first}`); }
            (await waitFor(".modal .modal-footer button")).click();
            for (let i = 0; i < 50 && document.querySelector(".modal"); i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            (await waitFor("button[name=action_open_rotate_secret]")).click();
            await waitFor(".modal .o_field_widget[name=grace_hours] input");
            (await waitFor(".modal button[name=action_rotate]")).click();
            for (let i = 0; i < 100; i++) {
                const shown = document.querySelector(".modal .o_field_CopyClipboardChar");
                if (shown && shown.textContent.trim() !== first) { break; }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            const second = (await waitFor(".modal .o_field_CopyClipboardChar")).textContent.trim();
            if (second === first || !second.startsWith("whsec_")) { throw new Error("No new secret was shown"); }
        """)
        webhook.invalidate_recordset()
        self.assertTrue(webhook.sudo().secret)
        self.assertTrue(webhook.sudo().previous_secret)
        self.assertTrue(webhook.previous_secret_expires_at)

    def test_retry_dead_event(self):
        webhook = self._make_webhook(self.countries, name="UI retry hook")
        country = self.env["res.country"].search([], limit=1)
        event = self.env["rest.gateway.webhook.event"].sudo().create({
            "webhook_id": webhook.id, "model": "res.country", "res_id": country.id, "event": "updated",
            "state": "dead", "attempts": 8, "created_at": fields.Datetime.now(),
        })
        self._run(f"/odoo/action-rest_gateway.rest_gateway_webhook_event_action/{event.id}", """
            (await waitFor(".o_form_view button[name=action_retry]")).click();
            for (let i = 0; i < 100 && document.querySelector("button[name=action_retry]"); i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        """)
        event.invalidate_recordset()
        self.assertEqual((event.state, event.attempts), ("pending", 0))
