# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The "REST Gateway" block of the general settings: change feed retention,
request log mode and retentions, rate limits, and the bridge secret's
rotation grace.

Stored as ``rest_gateway.*`` system parameters, which the sidecar reads
(its purge jobs, and its configuration cache, reloaded on change; see
docs/data-model.md).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .rest_gateway_bridge import DEFAULT_GRACE_MINUTES, GRACE_MINUTES_PARAM

RETENTION_PARAM = "rest_gateway.change_retention_days"
DEFAULT_RETENTION_DAYS = 7
REQUEST_LOG_MODE_PARAM = "rest_gateway.request_log_mode"
REQUEST_LOG_RETENTION_PARAM = "rest_gateway.request_log_retention_days"
REQUEST_STAT_RETENTION_PARAM = "rest_gateway.request_stat_retention_days"
RATE_LIMIT_BACKEND_PARAM = "rest_gateway.rate_limit_backend"
RATE_LIMIT_DEFAULT_PARAM = "rest_gateway.rate_limit_default"
RATE_LIMIT_ANONYMOUS_PARAM = "rest_gateway.rate_limit_anonymous"
MAX_GRACE_MINUTES = 60


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rest_gateway_change_retention_days = fields.Integer(
        string="Change Feed Retention (days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="Captured changes older than this are purged; a change feed cursor older than "
        "the purge answers 410 and the client must resync.",
    )

    rest_gateway_request_log_mode = fields.Selection(
        [
            ("all", "All requests"),
            ("errors", "Errors only"),
            ("successes", "Successes only"),
            ("off", "Off"),
        ],
        string="Request Log",
        config_parameter=REQUEST_LOG_MODE_PARAM,
        default="all",
        help="Which requests are written to the request log. Statistics count every request "
        "unless the log is off.",
    )
    rest_gateway_request_log_retention_days = fields.Integer(
        string="Request Log Retention (days)",
        config_parameter=REQUEST_LOG_RETENTION_PARAM,
        default=30,
        help="Request log entries older than this are purged.",
    )
    rest_gateway_request_stat_retention_days = fields.Integer(
        string="Request Statistics Retention (days)",
        config_parameter=REQUEST_STAT_RETENTION_PARAM,
        default=400,
        help="Hourly request statistics older than this are purged.",
    )
    rest_gateway_rate_limit_backend = fields.Selection(
        [
            ("database", "Database (shared by every sidecar)"),
            ("memory", "Memory (per sidecar)"),
            ("off", "Off (no rate limiting)"),
        ],
        string="Rate Limit Counters",
        config_parameter=RATE_LIMIT_BACKEND_PARAM,
        default="database",
        help="Where requests are counted; Off disables rate limiting.",
    )
    rest_gateway_rate_limit_default = fields.Integer(
        string="Default Rate Limit (per minute)",
        config_parameter=RATE_LIMIT_DEFAULT_PARAM,
        default=600,
        help="Requests per minute for an API key or OAuth client whose own limit is 0.",
    )
    rest_gateway_rate_limit_anonymous = fields.Integer(
        string="Anonymous Rate Limit (per minute)",
        config_parameter=RATE_LIMIT_ANONYMOUS_PARAM,
        default=60,
        help="Requests per minute per client address without a valid credential.",
    )

    rest_gateway_bridge_secret_grace_minutes = fields.Integer(
        string="Bridge Secret Rotation Grace (minutes)",
        config_parameter=GRACE_MINUTES_PARAM,
        default=DEFAULT_GRACE_MINUTES,
        help="After a rotation of the bridge secret, requests signed with the previous secret are "
        "accepted this long (so that requests in flight finish), then refused.",
    )

    @api.constrains("rest_gateway_bridge_secret_grace_minutes")
    def _check_rest_gateway_bridge_secret_grace_minutes(self):
        for settings in self:
            if not 0 <= settings.rest_gateway_bridge_secret_grace_minutes <= MAX_GRACE_MINUTES:
                raise ValidationError(self.env._(
                    "The bridge secret's rotation grace must be between 0 and %s minutes.", MAX_GRACE_MINUTES
                ))

    @api.constrains(
        "rest_gateway_request_log_retention_days",
        "rest_gateway_request_stat_retention_days",
        "rest_gateway_rate_limit_default",
        "rest_gateway_rate_limit_anonymous",
    )
    def _check_rest_gateway_request_settings(self):
        for settings in self:
            if min(settings.rest_gateway_request_log_retention_days,
                   settings.rest_gateway_request_stat_retention_days) < 1:
                raise ValidationError(self.env._("Request log and statistics retentions must be at least one day."))
            if min(settings.rest_gateway_rate_limit_default, settings.rest_gateway_rate_limit_anonymous) < 1:
                raise ValidationError(self.env._("Rate limits must be at least one request per minute."))

    @api.constrains("rest_gateway_change_retention_days")
    def _check_rest_gateway_change_retention_days(self):
        for settings in self:
            if settings.rest_gateway_change_retention_days < 1:
                raise ValidationError(self.env._("The change feed retention must be at least one day."))
