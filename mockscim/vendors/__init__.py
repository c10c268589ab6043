"""The emulated vendors, one package each in the same shape (see :mod:`mockscim.vendors.base`).

This registry is the one place outside ``mockscim/vendors/<name>/`` that names a vendor.
"""

from __future__ import annotations

from mockscim.vendors import ssoready, stytch
from mockscim.vendors.base import Vendor

VENDORS: dict[str, Vendor] = {v.name: v for v in (stytch.VENDOR, ssoready.VENDOR)}

__all__ = ["VENDORS", "Vendor"]
