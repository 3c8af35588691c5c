"""The one vocabulary: canonical kinds, fields and store table names (spec §3–4)."""

from __future__ import annotations

KINDS = ("people", "orders", "interactions", "spend", "costs", "content")

# Identity-bearing fields every person record may carry.
PEOPLE_FIELDS = (
    "source_record_id",
    "customer_ref",
    "email",
    "phone",
    "first_name",
    "last_name",
    "full_name",
    "company",
    "address1",
    "address2",
    "city",
    "region",
    "postcode",
    "country",
    "birth_date",
    "gender",
    "created_at",
    "updated_at",
    "channel",
    "email_consent",
    "sms_consent",
    "tags",
    "loyalty_id",
)
# Not in the spec's list, but carried by real exports (Mailchimp status, member rating).
PEOPLE_EXTRA_FIELDS = ("email_status", "member_rating")

ORDER_ONLY_FIELDS = (
    "order_id",
    "order_date",
    "currency",
    "subtotal",
    "discount",
    "shipping",
    "tax",
    "total",
    "refunded",
    "status",
    "discount_code",
    "sku",
    "product",
    "category",
    "quantity",
    "price",
    "units",
)
INTERACTION_ONLY_FIELDS = ("type", "occurred_at", "status", "score", "subject")
SPEND_FIELDS = (
    "date",
    "channel",
    "campaign",
    "spend",
    "clicks",
    "impressions",
    "conversions",
    "currency",
)
COST_FIELDS = ("order_id", "cost", "kind")
CONTENT_FIELDS = (
    "page",
    "title",
    "views",
    "users",
    "engaged_seconds",
    "conversions",
    "channel",
    "period_start",  # the report's date range (GA4 `# Start date:` comments)
    "period_end",
)

FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "people": PEOPLE_FIELDS + PEOPLE_EXTRA_FIELDS,
    "orders": tuple(dict.fromkeys(PEOPLE_FIELDS + PEOPLE_EXTRA_FIELDS + ORDER_ONLY_FIELDS)),
    "interactions": tuple(
        dict.fromkeys(PEOPLE_FIELDS + PEOPLE_EXTRA_FIELDS + INTERACTION_ONLY_FIELDS)
    ),
    "spend": SPEND_FIELDS,
    "costs": COST_FIELDS,
    "content": CONTENT_FIELDS,
}

# Kinds whose rows name a person and so yield person records.
PERSON_KINDS = ("people", "orders", "interactions")

# Field types, used by normalisation and the store schema.
DATE_FIELDS = frozenset({"birth_date", "date", "period_start", "period_end"})
TIMESTAMP_FIELDS = frozenset({"created_at", "updated_at", "order_date", "occurred_at"})
MONEY_FIELDS = frozenset(
    {"subtotal", "discount", "shipping", "tax", "total", "refunded", "price", "spend", "cost"}
)
NUMBER_FIELDS = frozenset(
    {
        "quantity",
        "units",
        "score",
        "member_rating",
        "clicks",
        "impressions",
        "conversions",
        "views",
        "users",
        "engaged_seconds",
    }
)
FLAG_FIELDS = frozenset({"email_consent", "sms_consent"})

# out/identity_map.csv (spec §5): every person record exactly once.
IDENTITY_MAP_COLUMNS = (
    "customer_id",
    "source",
    "source_record_id",
    "file",
    "row",
    "match_score",
    "rule",
)

# Store tables.
T_BATCHES = "batches"
T_REJECTS = "rejects"
T_BLANKED = "blanked_values"
T_PERSON_RECORDS = "person_records"
T_ORDERS = "orders"
T_ORDER_LINES = "order_lines"
T_INTERACTIONS = "interactions"
T_SPEND = "spend"
T_COSTS = "costs"
T_CONTENT = "content"

# Channel vocabulary: every source's channel is normalised onto these names.
CHANNELS = (
    "Organic Search",
    "Paid Search",
    "Paid Social",
    "Organic Social",
    "Email",
    "SMS",
    "Referral",
    "Affiliate",
    "Display",
    "Direct",
    "Offline",
    "Marketplace",
    "Other",
    "Unknown",
)
