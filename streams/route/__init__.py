"""Route: the partner registry and which partner receives which article, in its form and within its rights."""

from streams.route.registry import Partner, PartnerConfigError, load_partners, partner_ids
from streams.route.router import Delivery, Router

__all__ = ["Delivery", "Partner", "PartnerConfigError", "Router", "load_partners", "partner_ids"]
