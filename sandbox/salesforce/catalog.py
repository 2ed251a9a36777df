"""The objects of the emulated org: standard objects with their usual fields, and Project__c.

Labels, lengths, picklist values and flags follow recorded describe payloads of real orgs
(tests/fixtures/recorded/salesforce/*.json) where those exist.
"""

from __future__ import annotations

from .fieldkit import (
    address,
    audit_fields,
    boolean,
    currency,
    date,
    datetime_,
    double,
    id_field,
    integer,
    is_deleted,
    multipicklist,
    owner,
    percent,
    picklist,
    read_only,
    ref,
    text,
    textarea,
    typed,
)
from .schema import ChildRelationship, FieldDef, ObjectDef
from .wide_object import wide_object  # its own module: 500 generated fields

SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
RATINGS = ("Hot", "Warm", "Cold")
SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")
INDUSTRIES = (
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
)
# Stage -> (default probability, forecast category, closed, won): what selecting a stage implies.
STAGES: dict[str, tuple[int, str, bool, bool]] = {
    "Prospecting": (10, "Pipeline", False, False),
    "Qualification": (10, "Pipeline", False, False),
    "Needs Analysis": (20, "Pipeline", False, False),
    "Value Proposition": (50, "Pipeline", False, False),
    "Id. Decision Makers": (60, "Pipeline", False, False),
    "Perception Analysis": (70, "Pipeline", False, False),
    "Proposal/Price Quote": (75, "Pipeline", False, False),
    "Negotiation/Review": (90, "Pipeline", False, False),
    "Closed Won": (100, "Closed", True, True),
    "Closed Lost": (0, "Omitted", True, False),
}
CASE_STATUSES = ("New", "Working", "Escalated", "Closed")
LEAD_STATUSES = (
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
)
PROJECT_STATUSES = ("Planned", "In Progress", "On Hold", "Completed", "Cancelled")
PROJECT_TAGS = ("Internal", "External", "Urgent", "Strategic", "Maintenance")


def _person_name(required_last: int = 80) -> tuple[FieldDef, ...]:
    return (
        text(
            "LastName",
            "Last Name",
            required_last,
            nillable=False,
            extra_type_info="personname",
            compound_field_name="Name",
        ),
        text(
            "FirstName", "First Name", 40, extra_type_info="personname", compound_field_name="Name"
        ),
        picklist(
            "Salutation",
            "Salutation",
            SALUTATIONS,
            extra_type_info="personname",
            compound_field_name="Name",
        ),
        # Compound name: computed from the parts, never written directly.
        text(
            "Name",
            "Full Name",
            121,
            nillable=False,
            createable=False,
            updateable=False,
            name_field=True,
            extra_type_info="personname",
        ),
    )


def _common(label: str) -> tuple[FieldDef, ...]:
    return (id_field(label), is_deleted())


def account() -> ObjectDef:
    fields = (
        *_common("Account"),
        text(
            "Name",
            "Account Name",
            255,
            nillable=False,
            name_field=True,
            extra_type_info="switchablepersonname",
        ),
        picklist(
            "Type",
            "Account Type",
            (
                "Prospect",
                "Customer - Direct",
                "Customer - Channel",
                "Channel Partner / Reseller",
                "Installation Partner",
                "Technology Partner",
                "Other",
            ),
        ),
        ref("ParentId", "Parent Account ID", "Account", "Parent"),
        *address("Billing", "Billing"),
        *address("Shipping", "Shipping"),
        typed("Phone", "Account Phone", "phone", 40),
        typed("Fax", "Account Fax", "phone", 40),
        text("AccountNumber", "Account Number", 40),
        typed("Website", "Website", "url", 255),
        text("Sic", "SIC Code", 20),
        picklist("Industry", "Industry", INDUSTRIES),
        currency("AnnualRevenue", "Annual Revenue", 18, 0),
        integer("NumberOfEmployees", "Employees"),
        picklist("Ownership", "Ownership", ("Public", "Private", "Subsidiary", "Other")),
        text("TickerSymbol", "Ticker Symbol", 20),
        textarea("Description", "Account Description"),
        picklist("Rating", "Account Rating", RATINGS),
        text("Site", "Account Site", 80),
        owner(),
        *audit_fields(),
        picklist("AccountSource", "Account Source", SOURCES),
    )
    children = (
        ChildRelationship("Account", "ParentId", "ChildAccounts"),
        ChildRelationship("Case", "AccountId", "Cases"),
        ChildRelationship("Contact", "AccountId", "Contacts", cascade_delete=True),
        ChildRelationship("Opportunity", "AccountId", "Opportunities", cascade_delete=True),
        ChildRelationship("Project__c", "Account__c", "Projects__r"),
    )
    return ObjectDef(
        "Account", "Account", "Accounts", "001", fields, mergeable=True, children=children
    )


def contact() -> ObjectDef:
    fields = (
        *_common("Contact"),
        ref("AccountId", "Account ID", "Account", "Account"),
        *_person_name(),
        *address("Mailing", "Mailing"),
        typed("Phone", "Business Phone", "phone", 40),
        typed("MobilePhone", "Mobile Phone", "phone", 40),
        ref("ReportsToId", "Reports To ID", "Contact", "ReportsTo"),
        typed("Email", "Email", "email", 80, id_lookup=True),
        text("Title", "Title", 128),
        text("Department", "Department", 80),
        picklist("LeadSource", "Lead Source", SOURCES),
        date("Birthdate", "Birthdate"),
        textarea("Description", "Contact Description"),
        owner(),
        *audit_fields(),
    )
    children = (
        ChildRelationship("Case", "ContactId", "Cases"),
        ChildRelationship("Contact", "ReportsToId", None),
    )
    return ObjectDef(
        "Contact", "Contact", "Contacts", "003", fields, mergeable=True, children=children
    )


def lead() -> ObjectDef:
    fields = (
        *_common("Lead"),
        *_person_name(),
        text("Title", "Title", 128),
        text("Company", "Company", 255, nillable=False),
        textarea("Street", "Street", 255, compound_field_name="Address"),
        text("City", "City", 40, compound_field_name="Address"),
        text("State", "State/Province", 80, compound_field_name="Address"),
        text("PostalCode", "Zip/Postal Code", 20, compound_field_name="Address"),
        text("Country", "Country", 80, compound_field_name="Address"),
        typed("Phone", "Phone", "phone", 40),
        typed("MobilePhone", "Mobile Phone", "phone", 40),
        typed("Email", "Email", "email", 80, id_lookup=True),
        typed("Website", "Website", "url", 255),
        textarea("Description", "Description"),
        picklist("LeadSource", "Lead Source", SOURCES),
        picklist(
            "Status",
            "Status",
            LEAD_STATUSES,
            nillable=False,
            defaulted_on_create=True,
            picklist_default="Open - Not Contacted",
        ),
        picklist("Industry", "Industry", INDUSTRIES),
        picklist("Rating", "Rating", RATINGS),
        currency("AnnualRevenue", "Annual Revenue", 18, 0),
        integer("NumberOfEmployees", "Employees"),
        owner(("Group", "User")),
        read_only(boolean("IsConverted", "Converted")),
        *audit_fields(),
    )
    return ObjectDef("Lead", "Lead", "Leads", "00Q", fields, mergeable=True)


def opportunity() -> ObjectDef:
    fields = (
        *_common("Opportunity"),
        ref("AccountId", "Account ID", "Account", "Account"),
        boolean("IsPrivate", "Private"),
        text("Name", "Name", 120, nillable=False, name_field=True, id_lookup=True),
        textarea("Description", "Description"),
        picklist("StageName", "Stage", tuple(STAGES), nillable=False),
        currency("Amount", "Amount"),
        percent("Probability", "Probability (%)", defaulted_on_create=True),
        read_only(currency("ExpectedRevenue", "Expected Amount")),
        date("CloseDate", "Close Date", nillable=False),
        picklist(
            "Type",
            "Opportunity Type",
            (
                "Existing Customer - Upgrade",
                "Existing Customer - Replacement",
                "Existing Customer - Downgrade",
                "New Customer",
            ),
        ),
        text("NextStep", "Next Step", 255),
        picklist("LeadSource", "Lead Source", SOURCES),
        read_only(boolean("IsClosed", "Closed")),
        read_only(boolean("IsWon", "Won")),
        picklist(
            "ForecastCategoryName",
            "Forecast Category",
            ("Omitted", "Pipeline", "Best Case", "Commit", "Closed"),
            defaulted_on_create=True,
            restricted=True,
        ),
        owner(),
        *audit_fields(),
    )
    return ObjectDef(
        "Opportunity", "Opportunity", "Opportunities", "006", fields, private_sharing=True
    )


def case() -> ObjectDef:
    fields = (
        *_common("Case"),
        text(
            "CaseNumber",
            "Case Number",
            30,
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            name_field=True,
            auto_number=True,
            id_lookup=True,
        ),
        ref("ContactId", "Contact ID", "Contact", "Contact"),
        ref("AccountId", "Account ID", "Account", "Account"),
        picklist(
            "Type", "Case Type", ("Mechanical", "Electrical", "Electronic", "Structural", "Other")
        ),
        picklist(
            "Status", "Status", CASE_STATUSES, defaulted_on_create=True, picklist_default="New"
        ),
        picklist(
            "Reason",
            "Case Reason",
            (
                "Installation",
                "Equipment Complexity",
                "Performance",
                "Breakdown",
                "Equipment Design",
                "Feedback",
                "Other",
            ),
        ),
        picklist("Origin", "Case Origin", ("Phone", "Email", "Web")),
        text("Subject", "Subject", 255),
        picklist(
            "Priority",
            "Priority",
            ("High", "Medium", "Low"),
            defaulted_on_create=True,
            picklist_default="Medium",
        ),
        textarea("Description", "Description"),
        read_only(boolean("IsClosed", "Closed")),
        read_only(datetime_("ClosedDate", "Closed Date")),
        boolean("IsEscalated", "Escalated"),
        owner(("Group", "User")),
        *audit_fields(),
    )
    return ObjectDef("Case", "Case", "Cases", "500", fields)


def user() -> ObjectDef:
    fields = (
        id_field("User"),
        text("Username", "Username", 80, nillable=False, unique=True, id_lookup=True),
        *_person_name(),
        text("CompanyName", "Company Name", 80),
        text("Department", "Department", 80),
        text("Title", "Title", 80),
        typed("Email", "Email", "email", 128, nillable=False),
        text("Alias", "Alias", 8, nillable=False),
        boolean("IsActive", "Active", True),
        picklist(
            "TimeZoneSidKey",
            "Time Zone",
            ("America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "GMT"),
            nillable=False,
            restricted=True,
        ),
        *audit_fields(),
    )
    # The API user cannot create or edit users through this emulator: read-only everywhere.
    return ObjectDef(
        "User",
        "User",
        "Users",
        "005",
        tuple(read_only(f) for f in fields),
        createable=False,
        updateable=False,
        deletable=False,
    )


def project() -> ObjectDef:
    custom = {"custom": True}
    fields = (
        *_common("Record"),
        owner(("Group", "User")),
        text("Name", "Project Name", 80, nillable=False, name_field=True),
        *audit_fields(),
        picklist(
            "Status__c",
            "Status",
            PROJECT_STATUSES,
            restricted=True,
            picklist_default="Planned",
            defaulted_on_create=True,
            **custom,
        ),
        multipicklist("Tags__c", "Tags", PROJECT_TAGS, **custom),
        ref("Account__c", "Account", "Account", "Account__r", **custom),
        currency("Budget__c", "Budget", 16, 2, **custom),
        date("Start_Date__c", "Start Date", **custom),
        datetime_("Kickoff__c", "Kickoff", **custom),
        boolean("Active__c", "Active", **custom),
        percent("Completion__c", "Completion", 5, 2, **custom),
        typed("Contact_Email__c", "Contact Email", "email", 80, **custom),
        typed("Website__c", "Website", "url", 255, **custom),
        textarea("Notes__c", "Notes", 32768, **custom),
        read_only(
            double(
                "Score__c",
                "Score",
                18,
                2,
                calculated=True,
                formula="Budget__c * Completion__c / 100",
                **custom,
            )
        ),
    )
    return ObjectDef(
        "Project__c",
        "Project",
        "Projects",
        "a0X",
        fields,
        custom=True,
        private_sharing=True,
        feed_enabled=False,
    )


def build_catalog() -> dict[str, ObjectDef]:
    objects = (
        account(),
        contact(),
        lead(),
        opportunity(),
        case(),
        user(),
        project(),
        wide_object(),
    )
    return {o.name: o for o in objects}
