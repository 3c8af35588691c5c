"""The commented eclp.yaml that `eclp init` writes."""

CONFIG_TEMPLATE = """\
# eclp workspace configuration. Paths are relative to this folder.
# Docs: every key below is optional; delete what you don't need.

shop:
  name: My Shop
  country: US          # default country for phone numbers and addresses without one (ISO code)
  phone_countries: []  # others to try for a national number not valid in that one, e.g. [GB]
  currency: USD        # reporting currency
  timezone: UTC        # zone of export timestamps that carry no offset

# Exports that eclp recognises by their headers (Shopify, WooCommerce, Magento, Mailchimp,
# Klaviyo, HubSpot, Salesforce, Zendesk, Freshdesk, Stripe, PayPal, Square, Google Ads, Meta,
# GA4: see `eclp profiles`) need no entry here. Map any other file with `sources:`;
# `eclp map FILE` prints a scaffold to start from.
sources: {}
#  loyalty:                      # the source's name, as reports and identity_map show it
#    match: "loyalty*.xlsx"      # which files (glob on the file name) belong to it
#    kind: people                # people | orders | interactions | spend | costs | content
#    sheet: Members              # Excel only; default: the first sheet with data
#    header_row: 3               # 1-based; default: detected
#    columns:                    # export column -> canonical field
#      Card No: source_record_id
#      Name: full_name
#      Mobile: phone
#      Joined: created_at
#    options: {date_format: "%d/%m/%Y", decimal: ",", country: GB, currency: GBP}
#  shop_orders:
#    match: "orders_export*.csv"
#    profile: shopify_orders     # a built-in profile instead of columns

channels:
  aliases: {}                    # your own labels -> channel, e.g. {"newsletter": Email, "tiktok": Paid Social}

identity: {}
#  auto_merge: 0.99              # link score at or above which records merge
#  review: 0.8                   # between review and auto_merge: queued for `eclp review`
#  attach: 0.8                   # a name-only link at or above this merges when nothing in the
#                                #   customer contradicts it (1.0: always send it to review)
#  source_priority: [shopify_customers, hubspot_contacts]   # survivorship: who wins a tie

metrics: {}
#  gross_margin: 0.4             # share of net revenue kept before marketing and fulfilment
#  fulfilment_cost_per_order: 6.5
#  abc_thresholds: [0.8, 0.95]
#  clv: {horizon_months: 12}

privacy: {}
#  mask_pii: true                # mask emails and phones in the workbook and CSV outputs

# email:
#   smtp_host: smtp.example.com
#   smtp_port: 587
#   security: starttls            # starttls | ssl | none
#   username_env: ECLP_SMTP_USER  # names of environment variables, never the secrets themselves
#   password_env: ECLP_SMTP_PASSWORD
#   from: reports@shop.example
#   to: [owner@shop.example]
#   subject: "Customer dashboard {date}"
#   max_attachment_mb: 20
"""
