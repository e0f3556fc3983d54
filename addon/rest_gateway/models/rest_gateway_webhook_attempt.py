# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Delivery attempts of webhook events, one row per HTTP request sent.

Inserted by the sidecar's delivery workers (docs/data-model.md,
"rest.gateway.webhook.attempt"); read-only in the backend, where they are
listed on their event.
"""

from odoo import fields, models


class RestGatewayWebhookAttempt(models.Model):
    _name = "rest.gateway.webhook.attempt"
    _description = "REST Gateway Webhook Delivery Attempt"
    _log_access = False
    _order = "attempted_at desc, id desc"

    event_id = fields.Many2one(
        "rest.gateway.webhook.event",
        string="Event",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
        help="Empty for a test delivery.",
    )
    webhook_id = fields.Many2one(
        "rest.gateway.webhook", string="Webhook", required=True, ondelete="cascade", index=True, readonly=True,
    )
    attempted_at = fields.Datetime(string="Time", required=True, readonly=True)
    status = fields.Integer(readonly=True, help="The receiver's HTTP status; empty when no answer came.")
    duration_ms = fields.Float(string="Duration (ms)", readonly=True)
    response_excerpt = fields.Text(readonly=True, help="First 1,024 characters of the answer's body.")
    error = fields.Char(readonly=True, help="Why the attempt failed, e.g. timeout.")
