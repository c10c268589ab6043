"""IdP push simulator: provision a directory into any SCIM base URL the way Okta, Entra or a
plain RFC 7644 client does, against the mock or a real vendor.

    from mockscim.idp import Directory, IdpPush, ScimClient, generate_directory
    engine = IdpPush(ScimClient(base_url, token), "entra")
    report = engine.sync(generate_directory(seed=1, users=20, groups=3))
"""

from mockscim.idp.client import PushAborted, ScimClient, SentRequest
from mockscim.idp.model import DesiredGroup, DesiredUser, Directory, generate_directory
from mockscim.idp.profiles import PROFILES, EntraProfile, OktaProfile, Profile, get_profile
from mockscim.idp.report import Failure, PushReport
from mockscim.idp.sync import IdpPush, IdpState, push

__all__ = [
    "PROFILES",
    "DesiredGroup",
    "DesiredUser",
    "Directory",
    "EntraProfile",
    "Failure",
    "IdpPush",
    "IdpState",
    "OktaProfile",
    "Profile",
    "PushAborted",
    "PushReport",
    "ScimClient",
    "SentRequest",
    "generate_directory",
    "get_profile",
    "push",
]
