# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Webhook capture: the change trigger queues outbox rows for matching webhooks.

The trigger writes in the test's own transaction, so each test reads the
outbox back after ``flush_all()`` and everything is rolled back at the end.
"""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RestGatewayCase


class WebhookTestMixin:
    """Factories for webhooks (class methods, usable in setUpClass)."""

    @classmethod
    def _make_webhook(cls, exposed, secret=True, **values):
        webhook = cls.env["rest.gateway.webhook"].create({
            "name": values.pop("name", f"Webhook of {exposed.model}"),
            "url": values.pop("url", "https://hooks.example.com/odoo"),
            "exposed_model_id": exposed.id,
            **values,
        })
        if secret:
            webhook._set_new_secret()
        cls.env.flush_all()  # the trigger reads the webhook's row
        return webhook


@tagged("post_install", "-at_install")
class TestRestGatewayWebhookCapture(WebhookTestMixin, RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rest.gateway.model"].with_context(active_test=False).search(
            [("model", "in", ["res.partner.industry", "res.users", "res.partner"])]
        ).unlink()
        cls.exposed = cls._make_exposed_model("res.partner.industry")

    def _events(self, res_ids, model="res.partner.industry"):
        """``[(webhook id, event, changed fields)]`` queued for ``res_ids``, in id order."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT webhook_id, event, changed_fields, state, attempts, next_attempt_at IS NOT NULL
              FROM rest_gateway_webhook_event
             WHERE model = %s AND res_id = ANY(%s) ORDER BY id
            """,
            [model, list(res_ids)],
        )
        rows = self.env.cr.fetchall()
        for _webhook, _event, _fields, state, attempts, due in rows:
            self.assertEqual((state, attempts, due), ("pending", 0, True))
        return [row[:3] for row in rows]

    def test_orm_create_update_archive_restore_delete(self):
        webhook = self._make_webhook(self.exposed, on_restore=True)
        industry = self.env["res.partner.industry"].create({"name": "RGW hook"})
        self.env.flush_all()
        industry.write({"name": "RGW hook 2"})
        self.env.flush_all()
        industry.action_archive()
        self.env.flush_all()
        industry.action_unarchive()
        self.env.flush_all()
        industry_id = industry.id
        industry.unlink()
        rows = self._events([industry_id])
        self.assertEqual(
            [event for _w, event, _f in rows], ["created", "updated", "updated", "restored", "deleted"],
        )
        self.assertEqual({hook for hook, _e, _f in rows}, {webhook.id})
        self.assertIsNone(rows[0][2])
        self.assertIn("name", rows[1][2])
        self.assertIn("active", rows[2][2])
        self.assertIn("active", rows[3][2])
        self.assertIsNone(rows[4][2])

    def test_raw_sql_is_captured(self):
        webhook = self._make_webhook(self.exposed)
        self.env.cr.execute("INSERT INTO res_partner_industry (name, active) VALUES ('{\"en_US\": \"Raw\"}', true) RETURNING id")
        industry_id = self.env.cr.fetchone()[0]
        self.env.cr.execute("UPDATE res_partner_industry SET full_name = '{\"en_US\": \"Raw\"}' WHERE id = %s", [industry_id])
        self.env.cr.execute("UPDATE res_partner_industry SET name = name WHERE id = %s", [industry_id])  # no-op
        self.env.cr.execute("DELETE FROM res_partner_industry WHERE id = %s", [industry_id])
        self.assertEqual(self._events([industry_id]), [
            (webhook.id, "created", None),
            (webhook.id, "updated", ["full_name"]),
            (webhook.id, "deleted", None),
        ])

    def test_event_flags_and_update_field_filter(self):
        name_field = self.env["ir.model.fields"]._get("res.partner.industry", "name")
        on_name = self._make_webhook(
            self.exposed, on_create=False, on_delete=False, update_field_ids=[Command.set(name_field.ids)],
        )
        self.assertEqual(on_name.update_fields, ["name"])
        only_created = self._make_webhook(self.exposed, on_update=False, on_delete=False)
        industry = self.env["res.partner.industry"].create({"name": "RGW filter"})
        self.env.flush_all()
        industry.full_name = "Other"  # not the name: no event for on_name
        self.env.flush_all()
        industry.name = "RGW filter 2"
        self.env.flush_all()
        industry.action_archive()
        industry.action_unarchive()  # restore: nobody subscribed
        self.assertEqual(
            [(hook, event) for hook, event, _f in self._events([industry.id])],
            [(only_created.id, "created"), (on_name.id, "updated")],
        )

    def test_inactive_webhook_or_missing_secret_queues_nothing(self):
        self._make_webhook(self.exposed, active=False)
        self._make_webhook(self.exposed, secret=False)
        industry = self.env["res.partner.industry"].create({"name": "RGW quiet"})
        industry.name = "RGW quiet 2"
        self.assertEqual(self._events([industry.id]), [])
        # the change feed is unaffected
        self.env.cr.execute(
            "SELECT count(*) FROM rest_gateway_change WHERE model = 'res.partner.industry' AND res_id = %s",
            [industry.id],
        )
        self.assertGreaterEqual(self.env.cr.fetchone()[0], 1)

    def test_rollback_leaves_no_event(self):
        self._make_webhook(self.exposed)
        ids = []
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            ids.append(self.env["res.partner.industry"].create({"name": "RGW rolled back"}).id)
            self.assertEqual(len(self._events(ids)), 1)
            1 / 0  # noqa: B018
        self.env.invalidate_all()
        self.assertEqual(self._events(ids), [])

    def test_inherits_parent_update_is_an_update_of_the_child(self):
        users = self._make_exposed_model("res.users")
        login_field = self.env["ir.model.fields"]._get("res.users", "login")
        name_field = self.env["ir.model.fields"]._get("res.users", "name")
        on_name = self._make_webhook(users, update_field_ids=[Command.set(name_field.ids)])
        on_login = self._make_webhook(users, update_field_ids=[Command.set(login_field.ids)])
        user = self._make_user("rgw_hook_user")
        before = self._events([user.id], "res.users")
        user.name = "RGW Hook Renamed"  # stored on the partner
        rows = self._events([user.id], "res.users")[len(before):]
        self.assertTrue(rows)
        self.assertEqual({(hook, event) for hook, event, _f in rows}, {(on_name.id, "updated")})
        self.assertNotIn(on_login.id, {hook for hook, _e, _f in rows})

    def test_triggers_resync_keeps_webhooks(self):
        webhook = self._make_webhook(self.exposed)
        self.env.cr.execute("DROP TRIGGER rgw_capture_res_partner_industry ON res_partner_industry")
        self.env["rest.gateway.change"]._register_hook()
        industry = self.env["res.partner.industry"].create({"name": "RGW resync"})
        self.assertEqual(self._events([industry.id]), [(webhook.id, "created", None)])

    def test_inactive_exposed_model_refused(self):
        self.exposed.active = False
        with self.assertRaises(ValidationError):
            self._make_webhook(self.exposed)
