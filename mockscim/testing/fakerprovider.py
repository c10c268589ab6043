"""A Faker provider for identity data: companies with domains, people, titles, departments.

It draws only from its own word lists through the generator's seeded ``random.Random``, never
from Faker's locale data, so a seed gives byte-identical output on every machine and with
every Faker version (only a mockscim release may change the lists).

    from faker import Faker
    from mockscim.testing.fakerprovider import MockscimProvider
    fake = Faker(); fake.add_provider(MockscimProvider); fake.seed_instance(7)
    fake.mockscim_company(), fake.mockscim_person()
"""

from __future__ import annotations

import re
from typing import Any

from faker.providers import BaseProvider

GIVEN_NAMES = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Anders",
    "Aiko",
    "Amir",
    "Beatriz",
    "Ben",
    "Bjorn",
    "Carla",
    "Chen",
    "Chloe",
    "Dario",
    "Diego",
    "Elena",
    "Emeka",
    "Emma",
    "Fatima",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jamal",
    "Jana",
    "Jin",
    "Joao",
    "Karim",
    "Kofi",
    "Lena",
    "Leo",
    "Lucia",
    "Maya",
    "Mei",
    "Mateo",
    "Nadia",
    "Nia",
    "Noah",
    "Olga",
    "Omar",
    "Priya",
    "Rafael",
    "Rosa",
    "Sana",
    "Sofia",
    "Tariq",
    "Tomas",
    "Uma",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zara",
    "Zoe",
]
FAMILY_NAMES = [
    "Abe",
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Becker",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hansen",
    "Ito",
    "Jensen",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Pereira",
    "Petrov",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Suzuki",
    "Tanaka",
    "Torres",
    "Usman",
    "Varga",
    "Wagner",
    "Weber",
    "Wong",
    "Yilmaz",
    "Zhang",
    "Zimmermann",
]
COMPANY_WORDS = [
    "Acme",
    "Apex",
    "Aurora",
    "Beacon",
    "Cedar",
    "Cobalt",
    "Crescent",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Helix",
    "Horizon",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Meridian",
    "Nimbus",
    "Northwind",
    "Orbit",
    "Pioneer",
    "Quartz",
    "Redwood",
    "Sierra",
    "Summit",
    "Tandem",
    "Umbra",
    "Vertex",
    "Willow",
    "Zephyr",
]
COMPANY_SUFFIXES = ("Corp", "Labs", "Systems", "Industries", "Health", "Logistics", "Bank")
DEPARTMENTS = (
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "Support",
    "Legal",
    "People",
    "Operations",
    "Product",
    "Security",
)
TITLES = {
    "Engineering": ("Software Engineer", "Senior Software Engineer", "Engineering Manager"),
    "Sales": ("Account Executive", "Sales Engineer", "Sales Director"),
    "Marketing": ("Marketing Manager", "Content Strategist", "Growth Lead"),
    "Finance": ("Accountant", "Financial Analyst", "Controller"),
    "Support": ("Support Engineer", "Support Lead", "Customer Success Manager"),
    "Legal": ("Counsel", "Paralegal", "General Counsel"),
    "People": ("Recruiter", "People Partner", "Head of People"),
    "Operations": ("Operations Analyst", "Program Manager", "COO"),
    "Product": ("Product Manager", "Product Designer", "UX Researcher"),
    "Security": ("Security Engineer", "Security Analyst", "CISO"),
}
GROUP_WORDS = (
    "Admins",
    "All Staff",
    "Contractors",
    "On-call",
    "Managers",
    "Platform",
    "Data",
    "Design",
    "Interns",
    "Leadership",
    "Mobile",
    "Payments",
)
CITIES = ("Lisbon", "Nairobi", "Osaka", "Toronto", "Berlin", "Austin", "Sydney", "Bogota")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class MockscimProvider(BaseProvider):
    """``mockscim_*`` methods; all randomness from ``self.generator.random`` (seeded)."""

    def _pick(self, items: tuple[str, ...] | list[str]) -> str:
        return items[self.generator.random.randrange(len(items))]

    def mockscim_company(self) -> dict[str, Any]:
        """``{"name", "slug", "domain"}`` with a reserved ``.test`` domain (RFC 2606)."""
        name = f"{self._pick(COMPANY_WORDS)} {self._pick(COMPANY_SUFFIXES)}"
        slug = _slug(name)
        return {"name": name, "slug": slug, "domain": f"{slug.replace('-', '')}.test"}

    def mockscim_person(self) -> dict[str, str]:
        given = self._pick(GIVEN_NAMES)
        family = self._pick(FAMILY_NAMES)
        department = self._pick(DEPARTMENTS)
        return {
            "given_name": given,
            "family_name": family,
            "department": department,
            "title": self._pick(TITLES[department]),
            "city": self._pick(CITIES),
        }

    def mockscim_email_local(self, given: str, family: str) -> str:
        style = self.generator.random.randrange(3)
        if style == 0:
            return f"{_ascii(given)}.{_ascii(family)}"
        if style == 1:
            return f"{_ascii(given)[0]}{_ascii(family)}"
        return f"{_ascii(given)}{_ascii(family)[0]}"

    def mockscim_external_id(self, idp: str = "okta") -> str:
        """An IdP-looking immutable id: Okta ``00u…`` (20 chars) or an Entra object GUID."""
        rnd = self.generator.random
        if idp == "okta":
            alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            return "00u" + "".join(alphabet[rnd.randrange(len(alphabet))] for _ in range(17))
        hexits = "".join("0123456789abcdef"[rnd.randrange(16)] for _ in range(32))
        return f"{hexits[:8]}-{hexits[8:12]}-4{hexits[13:16]}-a{hexits[17:20]}-{hexits[20:]}"

    def mockscim_group_name(self) -> str:
        return self._pick(GROUP_WORDS)

    def mockscim_department(self) -> str:
        return self._pick(DEPARTMENTS)
