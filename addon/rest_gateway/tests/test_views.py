# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every view and window action of the addon renders, for users and managers."""

from odoo.tests import tagged

from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestViews(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("rgw_views_manager", groups=("rest_gateway.group_manager",))
        cls.user = cls._make_user("rgw_views_user", groups=("rest_gateway.group_user",))

    def _records(self, model):
        data = self.env["ir.model.data"].search([("module", "=", "rest_gateway"), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id"))

    def _users_of(self, model):
        """Everyone who may read the model: OAuth clients, webhooks and logs are for managers only."""
        if self.env[model].with_user(self.user).has_access("read"):
            return (self.manager, self.user)
        return (self.manager,)

    def test_every_view_renders(self):
        views = self._records("ir.ui.view")
        self.assertGreaterEqual(len(views), 10)
        admin = self.env.ref("base.user_admin")
        for view in views:
            # the settings block is for administrators only (res.config.settings is theirs)
            for user in (admin,) if view.model == "res.config.settings" else self._users_of(view.model):
                with self.subTest(view=view.name, user=user.login):
                    result = self.env[view.model].with_user(user).get_views([(view.id, view.type)])
                    self.assertIn(view.type, result["views"])

    def test_every_action_renders(self):
        actions = self._records("ir.actions.act_window")
        self.assertEqual(
            set(actions.mapped("res_model")),
            {
                "rest.gateway.model",
                "rest.gateway.key",
                "rest.gateway.oauth.client",
                "rest.gateway.token",
                "rest.gateway.webhook",
                "rest.gateway.webhook.event",
                "rest.gateway.request.log",
                "rest.gateway.request.stat",
            },
        )
        for action in actions:
            view_types = action.view_mode.split(",")
            for user in self._users_of(action.res_model):
                with self.subTest(action=action.name, user=user.login):
                    result = self.env[action.res_model].with_user(user).get_views(
                        [(False, view_type) for view_type in view_types] + [(action.search_view_id.id, "search")]
                    )
                    self.assertEqual(set(result["views"]), {*view_types, "search"})

    def test_reveal_view(self):
        result = self.env["rest.gateway.key.reveal"].with_user(self.user).get_views([(False, "form")])
        self.assertIn("CopyClipboardChar", result["views"]["form"]["arch"])

    def test_digest_hidden_from_users(self):
        form = self.env["rest.gateway.key"].with_user(self.user).get_views([(False, "form")])
        self.assertNotIn('name="digest"', form["views"]["form"]["arch"])
        form = self.env["rest.gateway.key"].with_user(self.manager).get_views([(False, "form")])
        self.assertIn('name="digest"', form["views"]["form"]["arch"])

    def test_menus(self):
        root = self.env.ref("rest_gateway.menu_rest_gateway_root")
        configuration = self.env.ref("rest_gateway.menu_rest_gateway_configuration")
        for user, visible in ((self.manager, True), (self.user, False)):
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
            self.assertIn(root.id, menus)
            self.assertEqual(configuration.id in menus, visible)
        nobody = self._make_user("rgw_views_nobody")
        self.assertNotIn(root.id, self.env["ir.ui.menu"].with_user(nobody).load_menus(debug=False))

    def test_rotate_server_action(self):
        action = self.env.ref("rest_gateway.action_rotate_bridge_secret")
        params = self.env["ir.config_parameter"].sudo()
        old = params.get_param("rest_gateway.bridge_secret")
        result = action.with_user(self.manager).run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(params.get_param("rest_gateway.bridge_secret_previous"), old)
