# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The webhook outbox: one row per event to deliver to one webhook.

Rows are inserted by the capture trigger (``sql/change_capture.sql``) in the
writing transaction and claimed, updated and purged by the sidecar's
delivery workers (docs/data-model.md, "rest.gateway.webhook.event"). The
backend only reads them, and sends dead or skipped events again with
"Retry Now".
"""

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..controllers.bridge_errors import GatewayAccessError

from .rest_gateway_webhook import EVENT_FLAGS, wake_delivery

EVENT_STATES = [
    ("pending", "Pending"),
    ("delivering", "Delivering"),
    ("delivered", "Delivered"),
    ("skipped", "Skipped"),
    ("dead", "Dead"),
]
RETRYABLE_STATES = ("dead", "skipped")


class RestGatewayWebhookEvent(models.Model):
    _name = "rest.gateway.webhook.event"
    _description = "REST Gateway Webhook Event"
    _log_access = False
    _order = "id desc"
    _rec_name = "id"

    webhook_id = fields.Many2one(
        "rest.gateway.webhook", string="Webhook", required=True, ondelete="cascade", readonly=True,
    )
    model = fields.Char(required=True, readonly=True, help="Technical name of the changed record's model.")
    res_id = fields.Many2oneReference(string="Record ID", model_field="model", required=True, readonly=True)
    event = fields.Selection(
        [(name, name.capitalize()) for name in EVENT_FLAGS], required=True, readonly=True,
    )
    changed_fields = fields.Json(readonly=True, help="Columns whose value changed, for updates.")
    created_at = fields.Datetime(required=True, readonly=True, help="Start of the writing transaction (UTC).")
    state = fields.Selection(EVENT_STATES, required=True, default="pending", readonly=True)
    attempts = fields.Integer(default=0, readonly=True)
    next_attempt_at = fields.Datetime(string="Next Attempt", readonly=True, help="When a pending event may be sent.")
    lease_until = fields.Datetime(
        readonly=True, help="A delivering event whose lease passed is sent again (the sender stopped).",
    )
    delivered_at = fields.Datetime(readonly=True)
    last_status = fields.Integer(readonly=True, help="HTTP status of the last answer; empty when none came.")
    last_error = fields.Char(readonly=True)
    attempt_ids = fields.One2many("rest.gateway.webhook.attempt", "event_id", string="Delivery Attempts", readonly=True)
    message_id = fields.Char(
        string="Message ID", compute="_compute_message_id", help="The webhook-id header, stable across retries.",
    )

    def init(self):
        cr = self.env.cr
        # The writing transaction (pg_current_xact_id(), 64 bits, as in
        # rest_gateway_change: the ORM's Integer is int4), set by the capture
        # trigger, which folds later changes of a record in that transaction
        # into the event it already queued (docs/decisions.md D-W2).
        cr.execute("ALTER TABLE rest_gateway_webhook_event ADD COLUMN IF NOT EXISTS txid bigint")
        # the trigger's fold: this transaction's pending events of a record
        cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_event_txid_index
                ON rest_gateway_webhook_event (res_id, txid) WHERE state = 'pending'
        """)
        # the claim: each active webhook's due events in id order (D-W3)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_event_due_index
                ON rest_gateway_webhook_event (webhook_id, id) WHERE state IN ('pending', 'delivering')
        """)
        cr.execute("DROP INDEX IF EXISTS rest_gateway_webhook_event_pending_index")
        # the claim: deliveries whose sender stopped
        cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_event_lease_index
                ON rest_gateway_webhook_event (lease_until) WHERE state = 'delivering'
        """)
        # the claim's per-record order, and the webhook's events (smart buttons, cascade)
        cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_event_record_index
                ON rest_gateway_webhook_event (webhook_id, model, res_id, id)
        """)
        # the retention purge
        cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_event_created_at_index
                ON rest_gateway_webhook_event (created_at)
        """)

    def _compute_message_id(self):
        for event in self:
            event.message_id = f"evt_{event.id}" if event.id else False

    def _compute_display_name(self):
        for event in self:
            event.display_name = f"evt_{event.id} {event.model}.{event.event} #{event.res_id}"

    def action_retry(self):
        """Send dead or skipped events again from the first attempt, now."""
        if not (self.env.su or self.env.user.has_group("rest_gateway.group_manager")):
            raise GatewayAccessError(_("Only REST Gateway managers can retry webhook events."))
        events = self.filtered(lambda event: event.state in RETRYABLE_STATES)
        if not events:
            raise UserError(_("Only dead or skipped events can be retried."))
        # the outbox is read-only in the backend: the state change is the action's own
        events.sudo().write({
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": fields.Datetime.now(),
            "lease_until": False,
            "delivered_at": False,
        })
        wake_delivery(self.env.cr)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%s event(s) queued for delivery.", len(events)),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
