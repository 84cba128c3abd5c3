"""Route: the partner registry and which partner receives which article, in its form, within its rights, and when."""

from streams.route.control import CONTROL_TOPIC, ChangeRefused
from streams.route.registry import Partner, PartnerConfigError, check_definition, load_partners, partner_ids
from streams.route.router import Delivery, Held, Router

__all__ = [
    "CONTROL_TOPIC", "ChangeRefused", "Delivery", "Held", "Partner", "PartnerConfigError", "Router",
    "check_definition", "load_partners", "partner_ids",
]
