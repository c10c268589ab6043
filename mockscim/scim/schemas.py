"""Attribute definitions for User, Group and the enterprise extension (RFC 7643).

One table drives filter comparison (``caseExact``), write validation (types, mutability),
``attributes``/``excludedAttributes`` and the ``/Schemas`` discovery document, so what the
server advertises is exactly what it enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

# Attributes common to every resource, answered from the record rather than its data.
COMMON = ("id", "externalId", "meta", "schemas")


@dataclass(frozen=True)
class Attr:
    name: str
    type: str = "string"  # string boolean decimal integer dateTime reference complex binary
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"  # readOnly readWrite immutable writeOnly
    returned: str = "default"  # always never default request
    uniqueness: str = "none"
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    description: str = ""
    sub_attributes: tuple[Attr, ...] = ()

    def sub(self, name: str) -> Attr | None:
        lowered = name.lower()
        for attr in self.sub_attributes:
            if attr.name.lower() == lowered:
                return attr
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description or self.name,
            "required": self.required,
            "mutability": self.mutability,
            "returned": self.returned,
        }
        if self.type in ("string", "reference", "binary"):
            out["caseExact"] = self.case_exact
        if self.type != "complex":
            out["uniqueness"] = self.uniqueness
        if self.canonical_values:
            out["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            out["referenceTypes"] = list(self.reference_types)
        if self.sub_attributes:
            out["subAttributes"] = [a.to_json() for a in self.sub_attributes]
        return out


def _multi(name: str, *subs: Attr, value_type: str = "string", **kw: Any) -> Attr:
    """A multi-valued complex attribute with the usual value/display/type/primary subs."""
    base = (
        Attr("value", value_type),
        Attr("display", mutability="readWrite"),
        Attr("type", canonical_values=("work", "home", "other")),
        Attr("primary", "boolean"),
    )
    return Attr(name, "complex", multi_valued=True, sub_attributes=base + subs, **kw)


@dataclass(frozen=True)
class Schema:
    id: str
    name: str
    description: str
    attributes: tuple[Attr, ...] = field(default_factory=tuple)

    def attr(self, name: str) -> Attr | None:
        lowered = name.lower()
        for attr in self.attributes:
            if attr.name.lower() == lowered:
                return attr
        return None

    def to_json(self, base_url: str = "") -> dict[str, Any]:
        return {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": [a.to_json() for a in self.attributes],
            "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{self.id}"},
        }


USER_SCHEMA = Schema(
    USER,
    "User",
    "User Account",
    (
        Attr("userName", required=True, uniqueness="server"),
        Attr(
            "name",
            "complex",
            sub_attributes=(
                Attr("formatted"),
                Attr("familyName"),
                Attr("givenName"),
                Attr("middleName"),
                Attr("honorificPrefix"),
                Attr("honorificSuffix"),
            ),
        ),
        Attr("displayName"),
        Attr("nickName"),
        Attr("profileUrl", "reference", reference_types=("external",)),
        Attr("title"),
        Attr("userType"),
        Attr("preferredLanguage"),
        Attr("locale"),
        Attr("timezone"),
        Attr("active", "boolean"),
        Attr("password", mutability="writeOnly", returned="never"),
        _multi("emails"),
        _multi("phoneNumbers"),
        _multi("ims"),
        _multi("photos", value_type="reference"),
        Attr(
            "addresses",
            "complex",
            multi_valued=True,
            sub_attributes=(
                Attr("formatted"),
                Attr("streetAddress"),
                Attr("locality"),
                Attr("region"),
                Attr("postalCode"),
                Attr("country"),
                Attr("type", canonical_values=("work", "home", "other")),
                Attr("primary", "boolean"),
            ),
        ),
        Attr(
            "groups",
            "complex",
            multi_valued=True,
            mutability="readOnly",
            sub_attributes=(
                Attr("value", mutability="readOnly"),
                Attr("$ref", "reference", mutability="readOnly", reference_types=("Group",)),
                Attr("display", mutability="readOnly"),
                Attr("type", mutability="readOnly", canonical_values=("direct", "indirect")),
            ),
        ),
        _multi("entitlements"),
        _multi("roles"),
        _multi("x509Certificates", value_type="binary"),
    ),
)

GROUP_SCHEMA = Schema(
    GROUP,
    "Group",
    "Group",
    (
        Attr("displayName", required=True),
        Attr(
            "members",
            "complex",
            multi_valued=True,
            sub_attributes=(
                Attr("value", mutability="immutable"),
                Attr(
                    "$ref", "reference", mutability="immutable", reference_types=("User", "Group")
                ),
                Attr("display", mutability="immutable"),
                Attr("type", mutability="immutable", canonical_values=("User", "Group")),
            ),
        ),
    ),
)

ENTERPRISE_USER_SCHEMA = Schema(
    ENTERPRISE_USER,
    "EnterpriseUser",
    "Enterprise User",
    (
        Attr("employeeNumber"),
        Attr("costCenter"),
        Attr("organization"),
        Attr("division"),
        Attr("department"),
        Attr(
            "manager",
            "complex",
            sub_attributes=(
                Attr("value"),
                Attr("$ref", "reference", reference_types=("User",)),
                Attr("displayName", mutability="readOnly"),
            ),
        ),
    ),
)

# Attributes every resource has (RFC 7643 section 3.1), for filters and attribute selection.
COMMON_ATTRS: dict[str, Attr] = {
    "id": Attr(
        "id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server"
    ),
    "externalid": Attr("externalId", case_exact=True),
    "meta": Attr(
        "meta",
        "complex",
        mutability="readOnly",
        sub_attributes=(
            Attr("resourceType", case_exact=True, mutability="readOnly"),
            Attr("created", "dateTime", mutability="readOnly"),
            Attr("lastModified", "dateTime", mutability="readOnly"),
            Attr("location", "reference", case_exact=True, mutability="readOnly"),
            Attr("version", case_exact=True, mutability="readOnly"),
        ),
    ),
    "schemas": Attr("schemas", "reference", multi_valued=True, case_exact=True),
}

SCHEMAS: dict[str, Schema] = {s.id: s for s in (USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA)}


@dataclass(frozen=True)
class ResourceType:
    name: str  # "User" | "Group"
    endpoint: str  # "/Users"
    schema: Schema
    extensions: tuple[Schema, ...] = ()

    def to_json(self, base_url: str = "") -> dict[str, Any]:
        return {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": self.name,
            "name": self.name,
            "endpoint": self.endpoint,
            "description": self.schema.description,
            "schema": self.schema.id,
            "schemaExtensions": [{"schema": e.id, "required": False} for e in self.extensions],
            "meta": {
                "resourceType": "ResourceType",
                "location": f"{base_url}/ResourceTypes/{self.name}",
            },
        }


USER_TYPE = ResourceType("User", "/Users", USER_SCHEMA, (ENTERPRISE_USER_SCHEMA,))
GROUP_TYPE = ResourceType("Group", "/Groups", GROUP_SCHEMA)
RESOURCE_TYPES: dict[str, ResourceType] = {"User": USER_TYPE, "Group": GROUP_TYPE}


@dataclass(frozen=True)
class AttrPath:
    """A resolved attribute path such as ``name.givenName`` or ``urn:...:User:manager.value``.

    ``schema`` is the URN the attribute lives under: the core schema for top-level attributes,
    an extension URN for extension attributes (stored in the resource under that URN key).
    ``attr`` is None for attributes of an unknown extension, which are kept and matched verbatim.
    """

    schema: str
    name: str
    sub_name: str | None
    attr: Attr | None
    sub_attr: Attr | None
    is_extension: bool

    @property
    def case_exact(self) -> bool:
        target = self.sub_attr or self.attr
        return bool(target and target.case_exact)

    @property
    def type(self) -> str:
        target = self.sub_attr or self.attr
        return target.type if target else "string"

    def lookup(self, resource: dict[str, Any]) -> Any:
        """Values at this path in ``resource``: a scalar, a list, or None."""
        container = resource.get(self.schema) if self.is_extension else resource
        if not isinstance(container, dict):
            return None
        value = get_ci(container, self.name)
        if self.sub_name is None or value is None:
            return value
        if isinstance(value, list):
            return [get_ci(v, self.sub_name) for v in value if isinstance(v, dict)]
        if isinstance(value, dict):
            return get_ci(value, self.sub_name)
        return None


def get_ci(container: dict[str, Any], key: str) -> Any:
    """Case-insensitive key lookup: SCIM attribute names are case-insensitive."""
    if key in container:
        return container[key]
    lowered = key.lower()
    for k, v in container.items():
        if k.lower() == lowered:
            return v
    return None


def find_key_ci(container: dict[str, Any], key: str) -> str | None:
    """The key as stored in ``container`` that matches ``key`` case-insensitively."""
    if key in container:
        return key
    lowered = key.lower()
    for k in container:
        if k.lower() == lowered:
            return k
    return None


def resolve_path(resource_type: ResourceType, path: str, *, strict: bool = True) -> AttrPath:
    """Resolve ``path`` against ``resource_type``; raise ``KeyError`` for an unknown attribute.

    ``strict`` rejects unknown attributes of known schemas; attributes under an unknown URN are
    always accepted (IdPs send custom extensions, which are kept verbatim).
    """
    schema_urn = resource_type.schema.id
    rest = path
    is_extension = False
    if path.lower().startswith("urn:"):
        known = [resource_type.schema, *resource_type.extensions]
        match = None
        for schema in sorted(known, key=lambda s: -len(s.id)):
            prefix = schema.id.lower()
            low = path.lower()
            if low == prefix:
                raise KeyError(path)
            if low.startswith(prefix + ":"):
                match = schema
                rest = path[len(schema.id) + 1 :]
                break
        if match is None:
            # Unknown extension: the URN is everything up to the last colon.
            urn, _, rest = path.rpartition(":")
            if not urn or not rest:
                raise KeyError(path)
            name, _, sub = rest.partition(".")
            return AttrPath(urn, name, sub or None, None, None, True)
        schema_urn = match.id
        is_extension = match.id != resource_type.schema.id
    name, _, sub = rest.partition(".")
    if not name:
        raise KeyError(path)
    schema = SCHEMAS.get(schema_urn)
    attr = schema.attr(name) if schema else None
    if attr is None and not is_extension:
        attr = COMMON_ATTRS.get(name.lower())
    if attr is None:
        if strict:
            raise KeyError(path)
        return AttrPath(schema_urn, name, sub or None, None, None, is_extension)
    sub_attr = None
    if sub:
        sub_attr = attr.sub(sub)
        if sub_attr is None:
            if strict:
                raise KeyError(path)
        else:
            sub = sub_attr.name
    return AttrPath(schema_urn, attr.name, sub or None, attr, sub_attr, is_extension)
