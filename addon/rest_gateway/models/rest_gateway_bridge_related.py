# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A write naming a related record that does not exist, told as such.

``{"country_id": 99999}`` fails deep in the ORM, as a foreign key violation
("another model requires the record…") or a ``MissingError`` of a computed
field. When a write method fails that way, the many2one values and x2many
command ids of its values are looked up; a missing one becomes the bridge
kind ``related_missing`` naming the field and the ids (docs/decisions.md
D-S53). Success costs nothing: the look-up runs only after a failure.
"""

import psycopg2.errors

from odoo import _, api, models
from odoo.exceptions import MissingError
from odoo.tools import SQL

from ..controllers.bridge_errors import BridgeError
from .rest_gateway_bridge import _is_int

# x2many commands naming an existing record by id: update, delete, unlink, link
ID_COMMANDS = frozenset({1, 2, 3, 4})


def _is_id(value):
    return _is_int(value) and value > 0


def _written_values(operation):
    """The ``vals`` dicts a write operation hands the ORM (none for other methods)."""
    args, kwargs, method = operation["args"], operation["kwargs"], operation["method"]
    if method in ("create", "write"):
        values = args[0] if args else kwargs.get("vals_list", kwargs.get("vals"))
    elif method == "copy":
        values = kwargs.get("default", args[0] if args else None)
    elif method == "rest_gateway_upsert":
        values = kwargs.get("values", args[0] if args else None)
    else:
        values = None
    if isinstance(values, dict):
        return [values]
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


class RestGatewayBridge(models.AbstractModel):
    _inherit = "rest.gateway.bridge"

    def _call_method(self, method, records, operation):
        values = _written_values(operation)
        if not values:
            return super()._call_method(method, records, operation)
        try:
            # a savepoint of its own, so that the cursor can look the ids up after a failure
            with records.env.cr.savepoint():
                return super()._call_method(method, records, operation)
        except (psycopg2.errors.ForeignKeyViolation, MissingError) as exc:
            missing = self._find_missing_related(records, values)
            if not missing:
                raise
            path, comodel, ids = missing[0]
            raise BridgeError("related_missing", _(
                "%(field)s: %(model)s %(ids)s does not exist.",
                field=path, model=comodel, ids=", ".join(map(str, ids)),
            )) from exc

    @api.model
    def _find_missing_related(self, records, values_list):
        """``[(field path, comodel, missing ids)]`` for the related ids the values name."""
        wanted = {}
        for values in values_list:
            self._collect_related_ids(records, values, "", wanted)
        missing = []
        for (path, comodel), ids in wanted.items():
            if records.env[comodel]._abstract:
                continue
            # plain SQL, as exists() but without flushing what the failed
            # write left behind, and without record rules: only ids that
            # really do not exist are named
            records.env.cr.execute(SQL("SELECT id FROM %s WHERE id IN %s",
                                       SQL.identifier(records.env[comodel]._table), tuple(ids)))
            found = {id_ for (id_,) in records.env.cr.fetchall()}
            if gone := sorted(ids - found):
                missing.append((path, comodel, gone))
        return missing

    @api.model
    def _collect_related_ids(self, model, values, prefix, wanted):
        for name, value in values.items():
            field = model._fields.get(name)
            if field is None or not field.relational:
                continue
            path = f"{prefix}{name}"
            if field.type == "many2one":
                if _is_id(value):
                    wanted.setdefault((path, field.comodel_name), set()).add(value)
                continue
            if not isinstance(value, (list, tuple)):
                continue
            comodel = model.env[field.comodel_name]
            for command in value:
                if not isinstance(command, (list, tuple)) or not command:
                    continue
                code = command[0]
                if code == 6 and len(command) > 2 and isinstance(command[2], (list, tuple)):
                    ids = command[2]
                elif code in ID_COMMANDS and len(command) > 1:
                    ids = [command[1]]
                else:
                    ids = []
                ids = [id_ for id_ in ids if _is_id(id_)]
                if ids:
                    wanted.setdefault((path, field.comodel_name), set()).update(ids)
                if code in (0, 1) and len(command) > 2 and isinstance(command[2], dict):
                    self._collect_related_ids(comodel, command[2], f"{path}.", wanted)
