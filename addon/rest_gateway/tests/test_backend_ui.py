# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The backend screens render in a real browser, and "Generate key" shows the key once.

Uses Odoo's headless Chrome (``HttpCase.browser_js``, which needs chromium
and python3-websocket); a console error fails the test, so a broken view or
field widget does too.
"""

import importlib.util
import unittest

from odoo.tests import tagged

from .common import RestGatewayHttpCase

WAIT_FOR = """
const waitFor = async (selector, root = document) => {
    for (let i = 0; i < 150; i++) {
        const el = root.querySelector(selector);
        if (el) { return el; }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Not found: ${selector}`);
};
"""


@tagged("post_install", "-at_install")
@unittest.skipUnless(importlib.util.find_spec("websocket"), "Odoo's browser tests need python3-websocket")
class TestBackendUi(RestGatewayHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exposed = cls._make_exposed_model("res.partner", domain="[('is_company', '=', True)]")
        cls.admin = cls.env.ref("base.user_admin")
        cls.key = cls._make_key(cls.admin, name="UI key", scopes=[{"exposed_model_id": cls.exposed.id}])

    def _run(self, path, steps, login="admin"):
        code = f"""(async () => {{ {WAIT_FOR} {steps}
            console.log("test successful"); }})().catch((e) => console.error(e.message));"""
        self.browser_js(path, code, ready="odoo.isReady", login=login)

    def test_lists_render(self):
        self._run("/odoo/action-rest_gateway.rest_gateway_key_action",
                  'await waitFor(".o_list_view .o_data_row");')
        self._run("/odoo/action-rest_gateway.rest_gateway_model_action",
                  'await waitFor(".o_list_view .o_data_row");')

    def test_forms_render(self):
        self._run(f"/odoo/action-rest_gateway.rest_gateway_model_action/{self.exposed.id}",
                  'await waitFor(".o_form_view .o_field_domain");')
        self._run("/odoo/action-rest_gateway.rest_gateway_model_action/new",
                  'await waitFor(".o_form_view .o_field_many2one[name=model_id]");')
        self._run("/odoo/action-rest_gateway.rest_gateway_key_action/new",
                  'await waitFor(".o_form_view button[name=action_generate_key]");')

    def test_generate_key_reveals_it(self):
        self._run(f"/odoo/action-rest_gateway.rest_gateway_key_action/{self.key.id}", """
            await waitFor(".o_form_view .o_field_one2many .o_data_row");
            await waitFor(".o-mail-Chatter");
            (await waitFor("button[name=action_generate_key]")).click();
            const field = await waitFor(".modal .o_field_CopyClipboardChar");
            const key = field.textContent.trim();
            if (!/^rgw_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/.test(key)) {
                throw new Error(`Unexpected key: ${key}`);
            }
        """)
        self.assertTrue(self.key.prefix)

    def test_user_screens(self):
        """A REST Gateway User (no manager, no admin) works on their own key."""
        user = self._make_user("rgw_ui_user", groups=("rest_gateway.group_user",))
        key = self._make_key(user, name="User UI key", scopes=[{
            "exposed_model_id": self.exposed.id,
            "allowed_field_ids": [self.env["ir.model.fields"]._get("res.partner", "name").id],
        }])
        self._run(f"/odoo/action-rest_gateway.rest_gateway_key_action/{key.id}", """
            await waitFor(".o_form_view .o_field_one2many .o_data_row .o_field_many2many_tags .badge");
            if (document.querySelector(".o_field_widget[name=digest]")) {
                throw new Error("The digest is shown to a user");
            }
            (await waitFor("button[name=action_generate_key]")).click();
            await waitFor(".modal .o_field_CopyClipboardChar");
        """, login="rgw_ui_user")
        self.assertTrue(key.prefix)
