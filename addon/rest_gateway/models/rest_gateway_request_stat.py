# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hourly request statistics: what the graph and pivot views of API usage read.

One row per hour and (endpoint, model, key, client, status), upserted by the
sidecar in the same statement as each request log batch, for every request
whatever the log mode (except ``off``), so the analytics stay complete and
fast however many requests there are. Purged after their own retention.
Layout: docs/data-model.md, "rest.gateway.request.stat".
"""

from odoo import fields, models

from .rest_gateway_request_log import STATUS_CLASSES


class RestGatewayRequestStat(models.Model):
    _name = "rest.gateway.request.stat"
    _description = "REST Gateway Request Statistics"
    _order = "hour desc, id desc"
    _rec_name = "endpoint"
    # written by the sidecar: no create/write bookkeeping
    _log_access = False

    hour = fields.Datetime(readonly=True, index=True, help="Start of the hour counted (UTC).")
    bucket = fields.Char(readonly=True, help="endpoint|model|key|client|status: the row's identity within its hour.")
    endpoint = fields.Char(readonly=True, help="The matched route, e.g. GET /api/v1/:model/:id.")
    method = fields.Char(readonly=True)
    model = fields.Char(readonly=True)
    status = fields.Integer(readonly=True, aggregator=False)
    status_class = fields.Selection(STATUS_CLASSES, readonly=True)
    key_id = fields.Many2one("rest.gateway.key", string="API Key", readonly=True, ondelete="set null")
    client_id = fields.Many2one("rest.gateway.oauth.client", string="OAuth Client", readonly=True, ondelete="set null")
    request_count = fields.Integer(string="Requests", readonly=True, aggregator="sum")
    error_count = fields.Integer(string="Errors", readonly=True, aggregator="sum")
    duration_sum_ms = fields.Float(string="Total Duration (ms)", readonly=True, aggregator="sum")
    duration_max_ms = fields.Float(string="Longest (ms)", readonly=True, aggregator="max")
    odoo_ms_sum = fields.Float(string="Total Time in Odoo (ms)", readonly=True, aggregator="sum")

    _hour_bucket_unique = models.Constraint("UNIQUE (hour, bucket)", "One statistics row per hour and bucket.")
