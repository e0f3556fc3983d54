# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Idempotency keys: the first answer to a request, replayed to its retries.

The sidecar owns the rows (sidecar/src/db/idempotency.ts): it claims a key
before running the request (``INSERT … ON CONFLICT DO NOTHING``), stores the
answer after, and its clean-up job deletes expired rows. The bridge's write
dispatch (models/rest_gateway_bridge.py) locks the claim and records the
bridge answer in the write's own transaction, so that a write whose answer
the sidecar lost is known to have run (docs/decisions.md D-S40).
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
    state = fields.Selection(
        [("in_progress", "In Progress"), ("committed", "Committed"), ("done", "Done")],
        required=True, readonly=True, default="in_progress",
        help="In Progress: claimed, outcome unknown. Committed: the write ran in Odoo and its "
             "bridge answer is recorded; the API answer is rebuilt from it. Done: the API answer is stored.")
    attempt = fields.Integer(
        required=True, readonly=True, default=1,
        help="Fencing token: raised each time a retry takes over the claim; the bridge runs a "
             "write only for the current attempt.")
    lease_expires_at = fields.Datetime(
        readonly=True,
        help="Until then an in-progress claim belongs to the request that made it; after, a "
             "retry may take it over when no Odoo transaction holds it.")
    bridge_result = fields.Text(
        readonly=True, help="JSON bridge answer of the write, recorded in the write's transaction.")
    call_digest = fields.Char(
        readonly=True, help="SHA-256 of the bridge operations whose answer is recorded.")
    response_status = fields.Integer(readonly=True)
    response_headers = fields.Text(readonly=True, help="JSON object of the headers replayed.")
    response_body = fields.Text(readonly=True)
    created_at = fields.Datetime(required=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True, index=True)

    _scope_key_unique = models.Constraint("UNIQUE (scope, key)", "An idempotency key is used once per credential.")
