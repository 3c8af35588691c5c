"""The store's tables (DuckDB DDL). Every canonical row carries lineage: file, row, batch_id."""

from __future__ import annotations

LINEAGE = "file VARCHAR, row INTEGER, batch_id INTEGER"

SCHEMA_VERSION = 1

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE SEQUENCE IF NOT EXISTS batch_seq START 1;
CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY, file VARCHAR, file_name VARCHAR, content_hash VARCHAR,
    source VARCHAR, profile VARCHAR, kind VARCHAR,
    rows INTEGER, accepted INTEGER, rejected INTEGER, new INTEGER, updated INTEGER,
    started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR
);
CREATE TABLE IF NOT EXISTS rejects (
    batch_id INTEGER, file VARCHAR, row INTEGER, "column" VARCHAR, value VARCHAR, reason VARCHAR
);
-- Values blanked because invalid (a malformed email, a junk phone) in rows that were kept.
CREATE TABLE IF NOT EXISTS blanked_values (
    batch_id INTEGER, file VARCHAR, row INTEGER, "column" VARCHAR, value VARCHAR, reason VARCHAR
);

-- One row per identity-bearing record, keyed by (source, source_record_id).
CREATE TABLE IF NOT EXISTS person_records (
    source VARCHAR NOT NULL, source_record_id VARCHAR NOT NULL, kind VARCHAR,
    customer_ref VARCHAR,
    email VARCHAR, email_raw VARCHAR, phone VARCHAR, phone_raw VARCHAR,
    first_name VARCHAR, last_name VARCHAR, full_name VARCHAR, company VARCHAR,
    address1 VARCHAR, address2 VARCHAR, city VARCHAR, region VARCHAR, postcode VARCHAR,
    country VARCHAR, birth_date DATE, gender VARCHAR,
    created_at TIMESTAMP, updated_at TIMESTAMP, channel VARCHAR,
    email_consent BOOLEAN, sms_consent BOOLEAN, email_status VARCHAR, member_rating DOUBLE,
    tags VARCHAR, loyalty_id VARCHAR,
    {LINEAGE}
);

-- Orders reference the person record (same source) that placed them.
CREATE TABLE IF NOT EXISTS orders (
    source VARCHAR NOT NULL, order_id VARCHAR NOT NULL, person_record_id VARCHAR,
    order_date TIMESTAMP, currency VARCHAR,
    subtotal DOUBLE, discount DOUBLE, shipping DOUBLE, tax DOUBLE, total DOUBLE, refunded DOUBLE,
    status VARCHAR, channel VARCHAR, discount_code VARCHAR, units DOUBLE,
    {LINEAGE}
);
CREATE TABLE IF NOT EXISTS order_lines (
    source VARCHAR NOT NULL, order_id VARCHAR NOT NULL, line_no INTEGER,
    sku VARCHAR, product VARCHAR, category VARCHAR, quantity DOUBLE, price DOUBLE,
    {LINEAGE}
);
CREATE TABLE IF NOT EXISTS interactions (
    source VARCHAR NOT NULL, interaction_id VARCHAR NOT NULL, person_record_id VARCHAR,
    type VARCHAR, occurred_at TIMESTAMP, status VARCHAR, score DOUBLE, subject VARCHAR,
    {LINEAGE}
);
CREATE TABLE IF NOT EXISTS spend (
    source VARCHAR NOT NULL, date DATE, channel VARCHAR, campaign VARCHAR,
    spend DOUBLE, clicks DOUBLE, impressions DOUBLE, conversions DOUBLE, currency VARCHAR,
    {LINEAGE}
);
CREATE TABLE IF NOT EXISTS costs (
    source VARCHAR NOT NULL, order_id VARCHAR, cost DOUBLE, kind VARCHAR,
    {LINEAGE}
);
CREATE TABLE IF NOT EXISTS content (
    source VARCHAR NOT NULL, page VARCHAR, title VARCHAR, channel VARCHAR,
    views DOUBLE, users DOUBLE, engaged_seconds DOUBLE, conversions DOUBLE,
    period_start DATE, period_end DATE,
    {LINEAGE}
);

-- Identity state carried from build to build.
CREATE TABLE IF NOT EXISTS customer_ids (
    source VARCHAR, source_record_id VARCHAR, customer_id VARCHAR, assigned_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS review_decisions (
    source_a VARCHAR, record_id_a VARCHAR, source_b VARCHAR, record_id_b VARCHAR,
    decision VARCHAR, decided_at TIMESTAMP, note VARCHAR
);
CREATE TABLE IF NOT EXISTS identity_events (
    build_id INTEGER, event VARCHAR, customer_id VARCHAR, other_customer_id VARCHAR,
    detail VARCHAR, happened_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS builds (
    build_id INTEGER, started_at TIMESTAMP, finished_at TIMESTAMP, as_of DATE,
    records INTEGER, customers INTEGER, workbook VARCHAR, status VARCHAR
);
-- Salted hashes of forgotten people's identifiers: re-ingest keeps them out.
CREATE TABLE IF NOT EXISTS suppression (kind VARCHAR, hash VARCHAR, added_at TIMESTAMP);
"""
