# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Webhook capture: the change trigger queues outbox rows for matching webhooks.

The trigger writes in the test's own transaction, so each test reads the
outbox back after ``flush_all()`` and everything is rolled back at the end.
Changes of one record in one transaction fold into one event; a test stands
for a commit between two changes with ``_end_transaction()``.
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

    def _end_transaction(self):
        """Make the events queued so far those of an earlier, committed transaction.

        A test runs in one transaction, whose later changes of a record fold
        into the event it queued; giving its events an older ``txid`` is what
        a commit between the two changes would have done.
        """
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE rest_gateway_webhook_event SET txid = txid - 1 WHERE txid = pg_current_xact_id()::text::bigint"
        )

    def test_orm_create_update_archive_restore_delete(self):
        webhook = self._make_webhook(self.exposed, on_restore=True)
        industry = self.env["res.partner.industry"].create({"name": "RGW hook"})
        self._end_transaction()
        industry.write({"name": "RGW hook 2"})
        self._end_transaction()
        industry.action_archive()
        self._end_transaction()
        industry.action_unarchive()
        self._end_transaction()
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
        self._end_transaction()
        self.env.cr.execute("UPDATE res_partner_industry SET name = name WHERE id = %s", [industry_id])  # no-op
        self.env.cr.execute("UPDATE res_partner_industry SET full_name = '{\"en_US\": \"Raw 2\"}' WHERE id = %s", [industry_id])
        self.env.cr.execute("UPDATE res_partner_industry SET name = '{\"en_US\": \"Raw 2\"}' WHERE id = %s", [industry_id])
        self._end_transaction()
        self.env.cr.execute("DELETE FROM res_partner_industry WHERE id = %s", [industry_id])
        self.assertEqual(self._events([industry_id]), [
            (webhook.id, "created", None),  # the update of the same transaction folded in
            (webhook.id, "updated", ["full_name", "name"]),
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
        self._end_transaction()
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

    # ------------------------------------------------------------------
    # One event per webhook, record and transaction
    # ------------------------------------------------------------------

    def _partner_webhook(self, **values):
        partners = self._make_exposed_model("res.partner")
        return self._make_webhook(partners, on_restore=True, **values)

    def _change_rows(self, model, res_id):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT operation FROM rest_gateway_change WHERE model = %s AND res_id = %s ORDER BY id", [model, res_id],
        )
        return [operation for (operation,) in self.env.cr.fetchall()]

    def test_orm_create_is_one_created_event(self):
        webhook = self._partner_webhook()
        partner = self.env["res.partner"].create({"name": "RGW one event", "email": "one@example.com"})
        partner.write({"phone": "+32 2 000 00 00"})  # a later write of the same transaction
        self.assertEqual(self._events([partner.id], "res.partner"), [(webhook.id, "created", None)])
        # the change feed still has every statement
        changes = self._change_rows("res.partner", partner.id)
        self.assertEqual(changes[0], "create")
        self.assertGreater(len(changes), 1)

    def test_orm_write_is_one_updated_event_with_the_union(self):
        partner = self.env["res.partner"].create({"name": "RGW union"})
        webhook = self._partner_webhook()
        partner.write({"email": "union@example.com", "comment": "first"})
        self.env.flush_all()
        partner.write({"street": "Rue de la Loi 16"})
        self.env.flush_all()
        partner.write({"comment": "second"})
        rows = self._events([partner.id], "res.partner")
        self.assertEqual(len(rows), 1)
        hook, event, changed = rows[0]
        self.assertEqual((hook, event), (webhook.id, "updated"))
        self.assertEqual(changed, sorted(set(changed)))
        self.assertLessEqual({"comment", "email", "street"}, set(changed))

    def test_two_transactions_are_two_events(self):
        webhook = self._make_webhook(self.exposed)
        industry = self.env["res.partner.industry"].create({"name": "RGW twice"})
        self._end_transaction()
        industry.name = "RGW twice 2"
        self._end_transaction()
        industry.full_name = "RGW twice 3"
        self.assertEqual(self._events([industry.id]), [
            (webhook.id, "created", None),
            (webhook.id, "updated", ["name"]),
            (webhook.id, "updated", ["full_name"]),
        ])

    def test_create_then_delete_in_one_transaction_sends_nothing(self):
        self._make_webhook(self.exposed)
        industry = self.env["res.partner.industry"].create({"name": "RGW ephemeral"})
        industry.name = "RGW ephemeral 2"
        self.env.flush_all()
        industry_id = industry.id
        industry.unlink()
        self.assertEqual(self._events([industry_id]), [])
        # raw SQL, for a webhook only subscribed to creations
        self.env.cr.execute("INSERT INTO res_partner_industry (name, active) VALUES ('{\"en_US\": \"Raw\"}', true) RETURNING id")
        raw_id = self.env.cr.fetchone()[0]
        self.env.cr.execute("DELETE FROM res_partner_industry WHERE id = %s", [raw_id])
        self.assertEqual(self._events([raw_id]), [])

    def test_update_then_delete_in_one_transaction_is_the_deletion(self):
        webhook = self._make_webhook(self.exposed)
        updates_only = self._make_webhook(self.exposed, on_delete=False)
        industry = self.env["res.partner.industry"].create({"name": "RGW doomed"})
        self._end_transaction()
        created = self._events([industry.id])
        industry.name = "RGW doomed 2"
        self.env.flush_all()
        industry_id = industry.id
        industry.unlink()
        rows = self._events([industry_id])[len(created):]
        # the update goes for the webhook without deletions: the record cannot be read any more
        self.assertEqual(rows, [(webhook.id, "deleted", None)])
        self.assertNotIn(updates_only.id, {hook for hook, _e, _f in rows})

    def test_restore_absorbs_the_updates_of_its_transaction(self):
        webhook = self._make_webhook(self.exposed, on_restore=True)
        industry = self.env["res.partner.industry"].create({"name": "RGW restore"})
        industry.action_archive()
        self._end_transaction()
        before = self._events([industry.id])
        industry.name = "RGW restore 2"
        self.env.flush_all()
        industry.action_unarchive()
        self.env.flush_all()
        industry.full_name = "RGW restore 3"
        rows = self._events([industry.id])[len(before):]
        self.assertEqual(rows, [(webhook.id, "restored", ["active", "full_name", "name"])])

    def test_rolled_back_savepoint_undoes_the_fold(self):
        webhook = self._make_webhook(self.exposed)
        industry = self.env["res.partner.industry"].create({"name": "RGW savepoint"})
        self._end_transaction()
        industry.name = "RGW savepoint 2"
        self.env.flush_all()
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            industry.full_name = "RGW savepoint 3"
            self.env.flush_all()
            self.assertEqual(self._events([industry.id])[-1], (webhook.id, "updated", ["full_name", "name"]))
            industry.unlink()
            self.env.flush_all()
            self.assertEqual(self._events([industry.id])[-1], (webhook.id, "deleted", None))
            1 / 0  # noqa: B018
        self.env.invalidate_all()
        self.assertEqual(self._events([industry.id]), [
            (webhook.id, "created", None),
            (webhook.id, "updated", ["name"]),
        ])
