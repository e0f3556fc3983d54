# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import base
from . import rest_gateway_config_notify
from . import ir_config_parameter
from . import rest_gateway_model
from . import rest_gateway_key
from . import rest_gateway_key_scope
from . import rest_gateway_key_reveal
from . import rest_gateway_bridge
from . import res_lang
