# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge refuses credentials, whatever the sidecar sends.

The sidecar's policy never lets a record route name a credential field or
reach a credential model (docs/decisions.md D-S30, D-S31); this is the same
rule enforced again where the ORM is called, so that a bug in the sidecar
cannot set a password or read a key. Record methods (``read``, ``write``,
``search_read``...) on a credential model are refused, and so is any field
name, dotted path, order or domain term naming a credential field in their
arguments. The credential models' own API methods (``rest_gateway_api_*``)
check access themselves and are not record methods.
"""

import inspect

from odoo import _, api, models
from odoo.orm.domains import CONDITION_OPERATORS

from ..controllers.bridge_errors import GatewayAccessError
from .credential_denylist import is_credential_field, is_credential_model
from .rest_gateway_bridge import READ_METHODS, WRITE_METHODS

# the generic record methods of the bridge; unlink stays open on credential
# models: the admin API deletes keys with it, and deleting reveals nothing
RECORD_METHODS = frozenset(READ_METHODS + WRITE_METHODS) - {"unlink"}
# arguments that never name a field
NOT_FIELD_ARGUMENTS = frozenset({"offset", "limit", "count", "name", "operator", "external_id", "lazy", "load", "attributes"})
SUBDOMAIN_OPERATORS = frozenset({"any", "not any", "any!", "not any!"})
# what the second item of a domain term can be (odoo.orm.domains, optimizations included)
TERM_OPERATORS = frozenset(CONDITION_OPERATORS) | SUBDOMAIN_OPERATORS


class RestGatewayBridge(models.AbstractModel):
    _inherit = "rest.gateway.bridge"

    def _get_operation_method(self, env, operation, readonly):
        model, method = super()._get_operation_method(env, operation, readonly)
        if operation["method"] in RECORD_METHODS:
            self._check_no_credentials(model, method, operation)
        return model, method

    @api.model
    def _check_no_credentials(self, model, method, operation):
        """Raise ``AccessError`` when the operation reaches a credential."""
        if is_credential_model(model._name):
            raise GatewayAccessError(_("%s holds credentials; the REST gateway does not serve it.", model._name))
        try:
            bound = inspect.signature(method).bind(model, *operation["args"], **operation["kwargs"])
        except TypeError:
            bound = None  # _call_method answers the bad arguments
        arguments = list(bound.arguments.items())[1:] if bound else []
        for name, value in arguments:
            if name in NOT_FIELD_ARGUMENTS:
                continue
            if name == "order" and isinstance(value, str):
                self._check_order(value)
            else:
                self._check_names_in(value)
        self._check_names_in(operation["guard"])
        self._check_names_in((operation["read"] or {}).get("fields"))

    @api.model
    def _check_path(self, path):
        for segment in path.split("."):
            if is_credential_field(segment):
                raise GatewayAccessError(
                    _("%s is a credential field; the REST gateway never reads, filters on or writes it.", segment)
                )

    @api.model
    def _check_order(self, order):
        for part in order.split(","):
            if words := part.split():
                self._check_path(words[0])

    @api.model
    def _check_names_in(self, value):
        """Walk values, specs and domains: keys, field lists and term paths are names.

        Plain values (a partner named "password") are not names: dict values
        and the right-hand side of a domain term are only walked for nested
        records and sub-domains.
        """
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    self._check_path(key)
                if key == "order" and isinstance(item, str):
                    self._check_order(item)
                elif not isinstance(item, str):
                    self._check_names_in(item)
        elif isinstance(value, (list, tuple)):
            if len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], str) \
                    and value[1] in TERM_OPERATORS:
                self._check_path(value[0])  # a domain term
                if value[1] in SUBDOMAIN_OPERATORS:
                    self._check_names_in(value[2])
                return
            for item in value:
                if isinstance(item, str):
                    self._check_path(item)
                else:
                    self._check_names_in(item)
