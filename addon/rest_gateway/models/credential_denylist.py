# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Credentials the REST gateway never serves through its record routes.

The data is ``data/credential_denylist.json`` (docs/decisions.md D-S30):
models that are never exposed (the gateway's own, Odoo's API keys, TOTP
devices, system parameters, mail and payment servers...) and fields that
are never read, filtered, sorted or written (passwords, API keys, TOTP and
OAuth secrets). Fields are refused by name on every model, so that a module
adding ``password`` to another model is covered too. The sidecar holds the
same data and enforces it first; the bridge enforces it again.
"""

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).parent.parent / "data" / "credential_denylist.json").read_text())

CREDENTIAL_MODEL_PREFIXES = tuple(_DATA["model_prefixes"])
CREDENTIAL_MODELS = frozenset(_DATA["models"])
CREDENTIAL_FIELDS = frozenset(name for names in _DATA["fields"].values() for name in names)
CREDENTIAL_NAME_RE = re.compile("|".join(f"(?:{pattern})" for pattern in _DATA["name_patterns"]), re.IGNORECASE)


def is_credential_model(model_name):
    """True when ``model_name`` holds secrets: never exposed, never served."""
    return model_name in CREDENTIAL_MODELS or model_name.startswith(CREDENTIAL_MODEL_PREFIXES)


def is_credential_field(field_name):
    """True when ``field_name`` holds or sets a credential."""
    return field_name in CREDENTIAL_FIELDS or bool(CREDENTIAL_NAME_RE.search(field_name))
