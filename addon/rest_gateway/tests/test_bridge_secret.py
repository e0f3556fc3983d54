# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge secret: created at install, rotated by managers only, the
previous one valid for a short grace (a setting) after a rotation."""

import re
import time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .. import post_init_hook
from ..models.rest_gateway_bridge import GRACE_MINUTES_PARAM, ROTATED_AT_PARAM, get_bridge_secrets
from .common import PREVIOUS_SECRET_PARAM, SECRET_PARAM, RestGatewayCase


@tagged("post_install", "-at_install")
class TestBridgeSecret(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.manager = cls._make_user("rgw_secret_manager", groups=("rest_gateway.group_manager",))
        cls.user = cls._make_user("rgw_secret_user", groups=("rest_gateway.group_user",))

    def test_secret_created_at_install(self):
        secret = self.params.get_param(SECRET_PARAM)
        # token_urlsafe(48): 48 random bytes, 64 URL-safe base64 characters
        self.assertRegex(secret, r"^[A-Za-z0-9_-]{64}$")

    def test_install_hook_keeps_an_existing_secret(self):
        secret = self.params.get_param(SECRET_PARAM)
        post_init_hook(self.env)
        self.assertEqual(self.params.get_param(SECRET_PARAM), secret)
        self.params.set_param(SECRET_PARAM, False)
        post_init_hook(self.env)
        self.assertTrue(re.match(r"^[A-Za-z0-9_-]{64}$", self.params.get_param(SECRET_PARAM)))

    def test_rotation_by_manager(self):
        old = self.params.get_param(SECRET_PARAM)
        action = self.env["rest.gateway.bridge"].with_user(self.manager).action_rotate_bridge_secret()
        self.assertEqual(action["tag"], "display_notification")
        new = self.params.get_param(SECRET_PARAM)
        self.assertNotEqual(new, old)
        self.assertEqual(self.params.get_param(PREVIOUS_SECRET_PARAM), old)

    def test_previous_secret_valid_within_the_grace(self):
        old = self.params.get_param(SECRET_PARAM)
        before = int(time.time())
        self.env["rest.gateway.bridge"].with_user(self.manager).action_rotate_bridge_secret()
        new = self.params.get_param(SECRET_PARAM)
        rotated_at = int(self.params.get_param(ROTATED_AT_PARAM))
        self.assertGreaterEqual(rotated_at, before)
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 1), [new, old])
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 300), [new, old])
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 301), [new])
        # a rotation time in the future (clock moved back) is not a grace
        self.assertEqual(get_bridge_secrets(self.env, rotated_at - 10), [new])
        self.params.set_param(GRACE_MINUTES_PARAM, "1")
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 61), [new])
        self.params.set_param(GRACE_MINUTES_PARAM, "not a number")
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 300), [new, old])
        self.params.set_param(ROTATED_AT_PARAM, "garbage")
        self.assertEqual(get_bridge_secrets(self.env, rotated_at + 1), [new])

    def test_grace_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.rest_gateway_bridge_secret_grace_minutes, 5)
        settings.rest_gateway_bridge_secret_grace_minutes = 2
        settings.execute()
        self.assertEqual(self.params.get_param(GRACE_MINUTES_PARAM), "2")
        for bad in (-1, 61):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create({"rest_gateway_bridge_secret_grace_minutes": bad})

    def test_rotation_refused_to_users(self):
        old = self.params.get_param(SECRET_PARAM)
        with self.assertRaises(AccessError):
            self.env["rest.gateway.bridge"].with_user(self.user).action_rotate_bridge_secret()
        self.assertEqual(self.params.get_param(SECRET_PARAM), old)

    def test_admin_is_manager(self):
        for xmlid in ("base.user_admin", "base.user_root"):
            self.assertTrue(self.env.ref(xmlid).has_group("rest_gateway.group_manager"))
