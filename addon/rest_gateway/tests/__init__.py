# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import test_backend_ui
from . import test_bridge_dispatch
from . import test_bridge_guard
from . import test_bridge_http
from . import test_bridge_secret
from . import test_bridge_signature
from . import test_config_notify
from . import test_rest_gateway_change
from . import test_rest_gateway_auth
from . import test_rest_gateway_credential_api
from . import test_rest_gateway_key
from . import test_rest_gateway_key_scope
from . import test_rest_gateway_model
from . import test_rest_gateway_read
from . import test_rest_gateway_upsert
from . import test_views
