# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""API keys: generation stores only a digest, reveal once, validation, ownership."""

import hashlib
import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RestGatewayCase

KEY_RE = re.compile(r"^rgw_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$")


@tagged("post_install", "-at_install")
class TestRestGatewayKey(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("rgw_key_manager", groups=("rest_gateway.group_manager",))
        cls.user = cls._make_user("rgw_key_user", groups=("rest_gateway.group_user",))
        cls.other = cls._make_user("rgw_key_other", groups=("rest_gateway.group_user",))
        cls.key = cls._make_key(cls.user)

    def _key_row_text(self, key):
        self.env.flush_all()
        self.env.cr.execute("SELECT row_to_json(k)::text FROM rest_gateway_key k WHERE id = %s", [key.id])
        return self.env.cr.fetchone()[0]

    def _chatter_text(self, key):
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT coalesce(string_agg(m.body::text, ' '), '') || ' '
                   || coalesce(string_agg(row_to_json(t)::text, ' '), '')
              FROM mail_message m
              LEFT JOIN mail_tracking_value t ON t.mail_message_id = m.id
             WHERE m.model = 'rest.gateway.key' AND m.res_id = %s
        """, [key.id])
        return self.env.cr.fetchone()[0]

    def test_generate_stores_only_the_digest(self):
        self.assertEqual(self.key.state, "no_key")
        plaintext = self.key._generate_key()
        match = KEY_RE.match(plaintext)
        self.assertTrue(match, plaintext)
        prefix, secret = match.groups()
        self.assertEqual(self.key.prefix, prefix)
        self.assertEqual(self.key.digest, hashlib.sha256(plaintext.encode()).hexdigest())
        self.assertEqual(self.key.prefix_display, f"rgw_{prefix}_…")
        self.assertEqual(self.key.state, "active")
        row = self._key_row_text(self.key)
        self.assertNotIn(secret, row)
        self.assertIn(self.key.digest, row)
        chatter = self._chatter_text(self.key)
        self.assertIn(prefix, chatter)
        self.assertNotIn(secret, chatter)

    def test_generate_action_reveals_once(self):
        action = self.key.action_generate_key()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "rest.gateway.key.reveal")
        self.assertEqual(action["target"], "new")
        plaintext = action["context"]["default_key"]
        self.assertTrue(KEY_RE.match(plaintext))
        self.assertEqual(self.key.digest, hashlib.sha256(plaintext.encode()).hexdigest())
        reveal = self.env["rest.gateway.key.reveal"].with_context(action["context"])
        self.assertEqual(reveal.default_get(["key"]), {"key": plaintext})
        # regenerating replaces the key: the old plaintext no longer matches
        second = self.key.action_generate_key()["context"]["default_key"]
        self.assertNotEqual(second, plaintext)
        self.assertEqual(self.key.digest, hashlib.sha256(second.encode()).hexdigest())
        self.assertNotIn(KEY_RE.match(plaintext).group(2), self._key_row_text(self.key))

    def test_user_generates_own_key_without_reading_digest(self):
        key = self.key.with_user(self.user)
        plaintext = key._generate_key()
        self.assertEqual(self.key.digest, hashlib.sha256(plaintext.encode()).hexdigest())
        with self.assertRaises(AccessError):
            key.read(["digest"])
        self.assertFalse(key.has_access("unlink"))

    def test_user_cannot_key_someone_else(self):
        other_key = self._make_key(self.other)
        with self.assertRaises(AccessError):
            other_key.with_user(self.user)._generate_key()
        self.assertFalse(other_key.prefix)
        Key = self.env["rest.gateway.key"].with_user(self.user)
        self.assertEqual(Key.search([]), self.key)
        with self.assertRaises(UserError):  # record rule or constraint, whichever comes first
            Key.create({"name": "Not mine", "user_id": self.other.id})
        with self.assertRaises(ValidationError):
            self.key.with_user(self.user).user_id = self.other

    def test_keys_run_as_their_owner_constraint(self):
        other_key = self._make_key(self.other)
        with self.assertRaises(ValidationError):
            other_key.with_user(self.user)._check_user_id()
        other_key.with_user(self.manager)._check_user_id()
        key = self.env["rest.gateway.key"].with_user(self.manager).create(
            {"name": "For someone", "user_id": self.other.id}
        )
        self.assertEqual(key.user_id, self.other)

    def test_allowed_ips(self):
        self.key.allowed_ips = "203.0.113.7\n10.0.0.0/8, 2001:db8::/32\n\n::1"
        for value in ("not-an-ip", "10.0.0.1/24", "300.1.1.1", "10.0.0.0/33"):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.key.allowed_ips = value

    def test_allowed_origins(self):
        self.key.allowed_origins = "https://app.example.com\nhttp://localhost:3000, capacitor://localhost"
        for value in (
            "app.example.com",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://app.example.com?x=1",
            "https://user@app.example.com",
            "https://app.example.com:99999",
            "*",
        ):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.key.allowed_origins = value

    def test_rate_limit_and_expiry(self):
        with self.assertRaises(ValidationError):
            self.key.rate_limit = -1
        self.key.rate_limit = 120
        with self.assertRaises(ValidationError):
            self.key.expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.key.expires_at = fields.Datetime.now() + timedelta(days=30)

    def test_state_and_search(self):
        Key = self.env["rest.gateway.key"].with_context(active_test=False)
        live = self._make_key(self.user, name="live")
        live._generate_key()
        expired = self._make_key(self.user, name="expired")
        expired._generate_key()
        # past expiry dates cannot be written, but keys do expire with time
        self.env.cr.execute("UPDATE rest_gateway_key SET expires_at = now() at time zone 'utc' - interval '1 day' "
                            "WHERE id = %s", [expired.id])
        expired.invalidate_recordset(["expires_at"])
        archived = self._make_key(self.user, name="archived", active=False)
        keys = self.key | live | expired | archived
        self.assertEqual(keys.mapped("state"), ["no_key", "active", "expired", "archived"])
        for state, key in (("no_key", self.key), ("active", live), ("expired", expired), ("archived", archived)):
            with self.subTest(state=state):
                self.assertEqual(Key.search([("id", "in", keys.ids), ("state", "=", state)]), key)
        self.assertEqual(Key.search([("id", "in", keys.ids), ("state", "in", ["active", "expired"])]),
                         live | expired)

    def test_form(self):
        with Form(self.env["rest.gateway.key"].with_user(self.user)) as form:
            form.name = "From the form"
        key = form.save()
        self.assertEqual(key.user_id, self.user)
        self.assertEqual(key.state, "no_key")

    def test_tracking(self):
        self.env.cr.precommit.run()  # creation in this transaction discards tracking until then
        self.key.rate_limit = 60
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertIn("60", self._chatter_text(self.key))
