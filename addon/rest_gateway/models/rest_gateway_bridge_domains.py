# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The domains a bridge operation carries, checked before it runs.

A domain that does not fit its model (an unknown field, a value its field
cannot take, such as a date filter on "not a date") makes Odoo raise a
``ValueError`` or ``TypeError`` deep in the search, where it cannot be told
from a bug. Checked here first, it is the request's fault: ``bad_request``,
with a generic message (Odoo's text stays in the log). Everything the
sidecar sends is checked: an operation's ``guard``, a method's ``domain``
and ``scope`` arguments, and the domains of expanded relations.
"""

import logging

from odoo import _, api, models
from odoo.fields import Domain
from odoo.orm.domains import OptimizationLevel

from ..controllers.bridge_errors import BridgeError
from .base import MAX_DEPTH

_logger = logging.getLogger(__name__)

# the method arguments that are domains of the operation's model
DOMAIN_ARGUMENTS = ("domain", "scope")
# the argument of rest_gateway_search / rest_gateway_read with expansions
SPEC_ARGUMENT = "spec"


class RestGatewayBridge(models.AbstractModel):
    _inherit = "rest.gateway.bridge"

    @api.model
    def _check_domain(self, model, domain, what):
        """Raise ``bad_request`` unless ``domain`` is a domain of ``model``.

        The values are checked as the search will read them (relative dates
        included), without running anything: no search method, no query.
        """
        try:
            Domain(domain)._optimize(model, OptimizationLevel.DYNAMIC_VALUES)
        except (ValueError, TypeError) as exc:
            # the domain may come from a credential's scope: its terms stay in the log
            _logger.info("REST Gateway bridge: %s is not a domain of %s: %s", what, model._name, exc)
            raise BridgeError("bad_request", _(
                "The %(what)s is not a valid domain of %(model)s: a field, operator or value does not fit.",
                what=what, model=model._name,
            )) from exc

    @api.model
    def _check_guard_domain(self, model, guard):
        self._check_domain(model, guard, "guard")

    @api.model
    def _check_argument_domains(self, records, arguments):
        """Check the domains among a method's bound ``arguments``."""
        for name in DOMAIN_ARGUMENTS:
            if arguments.get(name) is not None:
                self._check_domain(records, arguments[name], name)
        spec = arguments.get(SPEC_ARGUMENT)
        if isinstance(spec, dict):
            self._check_spec_domains(records, spec, 0)

    @api.model
    def _check_spec_domains(self, model, spec, depth):
        """The domains of a read spec's expanded relations, level by level.

        Anything else wrong with the spec (not a relation, too deep) is left
        to ``rest_gateway_read``, which says so.
        """
        expand = spec.get("expand")
        if not isinstance(expand, dict) or depth > MAX_DEPTH:
            return
        for field_name, sub_spec in expand.items():
            field = model._fields.get(field_name)
            if field is None or not field.relational or not isinstance(sub_spec, dict):
                continue
            comodel = model.env[field.comodel_name]
            if sub_spec.get("domain") is not None:
                self._check_domain(comodel, sub_spec["domain"], f"filter of {field_name}")
            self._check_spec_domains(comodel, sub_spec, depth + 1)
