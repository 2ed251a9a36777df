"""A deterministic, realistic data set: the same seed always yields the same org.

Built with plain dicts and one ``random.Random(seed)`` so that 50,000 records per object
stay quick to generate. Timestamps lie in the year before ``anchor``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from .catalog import (
    CASE_STATUSES,
    INDUSTRIES,
    LEAD_STATUSES,
    PROJECT_STATUSES,
    PROJECT_TAGS,
    SOURCES,
    STAGES,
)
from .store import Record, RecordStore
from .users import SfUser

T = TypeVar("T")

FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Emily",
    "Kenji",
    "Aiko",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Sofia",
    "Mateo",
    "Lucas",
    "Emma",
    "Olga",
    "Ivan",
    "Fatima",
    "Omar",
    "Zoë",
    "Noah",
    "Chloé",
    "Liam",
    "Amara",
    "Chidi",
    "Ingrid",
    "Lars",
    "Giulia",
    "Marco",
    "José",
    "Aoife",
)
LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Hill",
    "Green",
    "Nakamura",
    "Patel",
    "Sharma",
    "Chen",
    "Wang",
    "Rossi",
    "Müller",
    "Schmidt",
    "Dubois",
    "Okafor",
    "Andersson",
    "Kowalski",
    "O'Brien",
    "García",
    "Van der Berg",
)
ADJECTIVES = (
    "Blue",
    "Summit",
    "Northern",
    "Pacific",
    "Atlas",
    "Silver",
    "Granite",
    "Evergreen",
    "Bright",
    "Pioneer",
    "Redwood",
    "Harbor",
    "Crystal",
    "Golden",
    "Iron",
    "Quantum",
    "Vertex",
    "Cedar",
    "Horizon",
    "Liberty",
    "Prairie",
    "Sterling",
    "Coastal",
    "Apex",
    "Maple",
    "Beacon",
    "Falcon",
    "Orion",
    "Nimbus",
    "Keystone",
)
NOUNS = (
    "Logistics",
    "Dynamics",
    "Systems",
    "Foods",
    "Health",
    "Analytics",
    "Energy",
    "Robotics",
    "Textiles",
    "Media",
    "Capital",
    "Labs",
    "Networks",
    "Pharma",
    "Motors",
    "Outfitters",
    "Studios",
    "Builders",
    "Foundry",
    "Partners",
    "Software",
    "Airlines",
    "Farms",
    "Telecom",
    "Consulting",
)
SUFFIXES = ("Inc.", "LLC", "Ltd", "GmbH", "Group", "Corp.", "& Co.", "S.A.", "Holdings", "")
CITIES = (
    ("San Francisco", "CA", "USA"),
    ("Austin", "TX", "USA"),
    ("Chicago", "IL", "USA"),
    ("New York", "NY", "USA"),
    ("Seattle", "WA", "USA"),
    ("Boston", "MA", "USA"),
    ("Toronto", "ON", "Canada"),
    ("London", None, "United Kingdom"),
    ("Paris", None, "France"),
    ("Berlin", None, "Germany"),
    ("Madrid", None, "Spain"),
    ("Tokyo", None, "Japan"),
    ("Sydney", "NSW", "Australia"),
    ("São Paulo", "SP", "Brazil"),
    ("Bengaluru", "KA", "India"),
    ("Dublin", None, "Ireland"),
    ("Zürich", None, "Switzerland"),
)
PRODUCTS = (
    "Annual Subscription",
    "Platform Upgrade",
    "Support Renewal",
    "Pilot",
    "Expansion",
    "Training Package",
    "Implementation",
    "Hardware Refresh",
)
SUBJECTS = (
    "Cannot log in",
    "Invoice discrepancy",
    "Shipment delayed",
    "Feature request: export to CSV",
    "Error 500 on dashboard",
    "Password reset email not received",
    "Integration sync failing",
    "Billing address update",
    "Product arrived damaged",
    "Slow report loading",
)
PROJECTS = (
    "Website Relaunch",
    "ERP Migration",
    "Data Warehouse",
    "Mobile App",
    "Security Audit",
    "CRM Rollout",
    "Office Move",
    "Brand Refresh",
    "Cloud Migration",
    "Onboarding Program",
)
TITLES = (
    "CEO",
    "CFO",
    "VP Sales",
    "Head of IT",
    "Procurement Manager",
    "Office Manager",
    "Operations Director",
    "Software Engineer",
    "Marketing Lead",
    "Buyer",
)
OPEN_STAGES = tuple(s for s, (_, _, closed, _) in STAGES.items() if not closed)


class Seeder:
    """Fills a RecordStore; one instance per seeding, consuming one Random stream."""

    def __init__(
        self, store: RecordStore, users: dict[str, SfUser], anchor: datetime, seed: int
    ) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.owner_ids = [users["admin"].id] * 4 + [users["rep"].id] * 4 + [users["limited"].id] * 2
        self.admin_id = users["admin"].id
        self._epoch = int(anchor.timestamp())
        self._random = self.rng.random

    def _pick(self, options: Sequence[T]) -> T:
        # Cheaper than Random.choice; seeding 50,000 records per object must stay quick.
        return options[int(self._random() * len(options))]

    def _int(self, low: int, high: int) -> int:
        return low + int(self._random() * (high - low + 1))

    def run(self, size: int) -> None:
        accounts = self._many("Account", size, self._account)
        contacts = self._many("Contact", size, lambda: self._contact(accounts))
        self._many("Opportunity", size, lambda: self._opportunity(accounts))
        self._many("Case", size, lambda: self._case(contacts))
        self._many("Lead", size, self._lead)
        self._many("Project__c", size, lambda: self._project(accounts))

    def _many(self, object_name: str, size: int, make: Callable[[], Record]) -> list[Record]:
        return [self._put(object_name, make()) for _ in range(size)]

    def _put(self, object_name: str, values: Record) -> Record:
        created = self._epoch - self._int(86_400, 365 * 86_400)
        modified = self._int(created, self._epoch - 3_600)
        return self.store.seed(
            object_name,
            values,
            self._pick(self.owner_ids),
            self.admin_id,
            _stamp(created),
            _stamp(modified),
        )

    # -- one record per object ------------------------------------------------------------
    def _company(self) -> str:
        return " ".join(
            p for p in (self._pick(ADJECTIVES), self._pick(NOUNS), self._pick(SUFFIXES)) if p
        )

    def _account(self) -> Record:
        name = self._company()
        city, state, country = self._pick(CITIES)
        domain = name.split()[0].lower() + name.split()[1].lower() + ".example"
        return {
            "Name": name,
            "Type": self._pick(
                ("Prospect", "Customer - Direct", "Customer - Channel", "Technology Partner")
            ),
            "Industry": self._pick(INDUSTRIES),
            "Rating": self._pick(("Hot", "Warm", "Cold", None)),
            "BillingCity": city,
            "BillingState": state,
            "BillingCountry": country,
            "Phone": f"+1 {self._int(200, 989)} 555 {self._int(1000, 9999)}",
            "Website": f"https://www.{domain}",
            "AnnualRevenue": float(self._int(5, 18_000) * 50_000),
            "NumberOfEmployees": self._int(5, 25_000),
            "AccountSource": self._pick(SOURCES),
        }

    def _person(self) -> tuple[str, str]:
        return self._pick(FIRST), self._pick(LAST)

    def _contact(self, accounts: list[Record]) -> Record:
        account = self._pick(accounts)
        first, last = self._person()
        domain = account["Website"].removeprefix("https://www.")
        return {
            "AccountId": account["Id"],
            "FirstName": first,
            "LastName": last,
            "Email": _email(first, last, domain),
            "Title": self._pick(TITLES),
            "Phone": f"+1 {self._int(200, 989)} 555 {self._int(1000, 9999)}",
            "MailingCity": account.get("BillingCity"),
            "LeadSource": self._pick(SOURCES),
            "Birthdate": (date(1960, 1, 1) + timedelta(days=self._int(0, 15_000))).isoformat(),
        }

    def _opportunity(self, accounts: list[Record]) -> Record:
        account = self._pick(accounts)
        stage = (
            self._pick(OPEN_STAGES)
            if self._random() < 0.7
            else self._pick(("Closed Won", "Closed Lost"))
        )
        close = self.anchor.date() + timedelta(days=self._int(-120, 180))
        return {
            "AccountId": account["Id"],
            "Name": f"{account['Name']} - {self._pick(PRODUCTS)}",
            "StageName": stage,
            "Amount": float(self._int(4, 2_000) * 250),
            "CloseDate": close.isoformat(),
            "LeadSource": self._pick(SOURCES),
            "Type": self._pick(("New Customer", "Existing Customer - Upgrade", None)),
        }

    def _case(self, contacts: list[Record]) -> Record:
        contact = self._pick(contacts)
        return {
            "ContactId": contact["Id"],
            "AccountId": contact.get("AccountId"),
            "Subject": self._pick(SUBJECTS),
            "Status": self._pick(CASE_STATUSES),
            "Priority": self._pick(("High", "Medium", "Low")),
            "Origin": self._pick(("Phone", "Email", "Web")),
            "Description": "Customer reported the issue through the support portal.",
        }

    def _lead(self) -> Record:
        first, last = self._person()
        company = self._company()
        return {
            "FirstName": first,
            "LastName": last,
            "Company": company,
            "Email": _email(first, last, company.split()[0].lower() + ".example"),
            "Status": self._pick(LEAD_STATUSES[:2] + LEAD_STATUSES[3:]),
            "Rating": self._pick(("Hot", "Warm", "Cold")),
            "LeadSource": self._pick(SOURCES),
            "Industry": self._pick(INDUSTRIES),
            "City": self._pick(CITIES)[0],
        }

    def _project(self, accounts: list[Record]) -> Record:
        account = self._pick(accounts)
        start = self.anchor.date() + timedelta(days=self._int(-200, 90))
        kickoff = datetime(start.year, start.month, start.day, self._int(8, 17), 0, tzinfo=UTC)
        return {
            "Name": f"{account['Name'].split()[0]} {self._pick(PROJECTS)}",
            "Status__c": self._pick(PROJECT_STATUSES),
            "Account__c": account["Id"],
            "Tags__c": ";".join(
                sorted(self.rng.sample(PROJECT_TAGS, self._int(0, 2)), key=PROJECT_TAGS.index)
            )
            or None,
            "Budget__c": float(self._int(10, 1_500) * 500),
            "Start_Date__c": start.isoformat(),
            "Kickoff__c": _stamp(int(kickoff.timestamp())),
            "Active__c": self._random() < 0.6,
            "Completion__c": float(self._int(0, 100)),
            "Contact_Email__c": _email(*self._person(), "example.org"),
            "Website__c": account.get("Website"),
            "Notes__c": "Kick-off agreed with the customer.\nNext review in two weeks.",
        }


def _email(first: str, last: str, domain: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return f"{local.encode('ascii', 'ignore').decode()}@{domain}"


def _stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(epoch))
