# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Idempotency keys: the first answer to a request, replayed to its retries.

The sidecar owns the rows (sidecar/src/db/idempotency.ts): it claims a key
before running the request (``INSERT … ON CONFLICT DO NOTHING``), stores the
answer after, and its clean-up job deletes expired rows. Odoo only declares
the table and shows it to managers (docs/data-model.md).
"""

from odoo import fields, models

RETENTION_PARAM = "rest_gateway.idempotency_retention_hours"
DEFAULT_RETENTION_HOURS = 24


class RestGatewayIdempotency(models.Model):
    _name = "rest.gateway.idempotency"
    _description = "REST Gateway Idempotency Key"
    _order = "created_at desc"
    # the sidecar writes the rows with its own timestamps
    _log_access = False

    scope = fields.Char(required=True, readonly=True,
                        help="Who sent the key: credential kind and id (api_key:12).")
    key = fields.Char(required=True, readonly=True, help="The Idempotency-Key header.")
    request_digest = fields.Char(required=True, readonly=True,
                                 help="SHA-256 of method, path, query and canonical JSON body.")
    state = fields.Selection([("in_progress", "In Progress"), ("done", "Done")],
                             required=True, readonly=True, default="in_progress")
    response_status = fields.Integer(readonly=True)
    response_headers = fields.Text(readonly=True, help="JSON object of the headers replayed.")
    response_body = fields.Text(readonly=True)
    created_at = fields.Datetime(required=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True, index=True)

    _scope_key_unique = models.Constraint("UNIQUE (scope, key)", "An idempotency key is used once per credential.")
