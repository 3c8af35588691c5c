"""The traps of spec §5: who must be one customer and who must stay apart."""

from __future__ import annotations

import numpy as np

from eclp.identity import resolve
from eclp.identity.prepare import prepare
from eclp.identity.scoring import DISAGREE, FUZZY, score_pairs

from .conftest import filler, people, same_customer


def test_household_sharing_an_email_with_different_first_names_is_two_customers():
    recs = people(
        {
            "source": "shopify",
            "source_record_id": "1",
            "email": "smiths@gmail.com",
            "first_name": "Mary",
            "last_name": "Smith",
            "address1": "1 High St",
            "postcode": "AB1 2CD",
        },
        {
            "source": "shopify",
            "source_record_id": "2",
            "email": "smiths@gmail.com",
            "first_name": "John",
            "last_name": "Smith",
            "address1": "1 High St",
            "postcode": "AB1 2CD",
        },
    )
    res = resolve(recs)
    assert not same_customer(res, ("shopify", "1"), ("shopify", "2"))
    link = res.links.iloc[0]
    assert '"first_name": {"status": "disagree"' in link["evidence"]
    assert link["decision"] == "reject"


def test_namesakes_in_other_cities_with_other_emails_are_two_customers():
    recs = people(
        {
            "source_record_id": "1",
            "email": "john.smith@gmail.com",
            "first_name": "John",
            "last_name": "Smith",
            "city": "Leeds",
            "postcode": "LS1 1AA",
        },
        {
            "source_record_id": "2",
            "email": "jsmith77@yahoo.com",
            "first_name": "John",
            "last_name": "Smith",
            "city": "Bristol",
            "postcode": "BS1 9ZZ",
        },
    )
    res = resolve(recs)
    assert not same_customer(res, ("shop", "1"), ("shop", "2"))


def test_nickname_bob_and_robert_with_the_same_phone_are_one_customer():
    recs = people(
        {
            "source": "loyalty",
            "source_record_id": "L1",
            "phone": "+447700900123",
            "first_name": "Bob",
            "last_name": "Jones",
        },
        {
            "source": "shopify",
            "source_record_id": "9",
            "phone": "+447700900123",
            "first_name": "Robert",
            "last_name": "Jones",
            "email": "rj@example.com",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("loyalty", "L1"), ("shopify", "9"))
    assert '"first_name": {"status": "fuzzy"' in res.links.iloc[0]["evidence"]


def test_typo_in_surname_with_the_same_email_is_one_customer():
    recs = people(
        {
            "source_record_id": "1",
            "email": "kate.w@outlook.com",
            "first_name": "Kate",
            "last_name": "Whitmore",
        },
        {
            "source_record_id": "2",
            "email": "kate.w@outlook.com",
            "first_name": "Kate",
            "last_name": "Whitmroe",
        },
    )
    assert same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_swapped_first_and_last_name_is_one_customer():
    recs = people(
        {
            "source": "zendesk",
            "source_record_id": "t1",
            "email": "anna.k@gmail.com",
            "first_name": "Kowalski",
            "last_name": "Anna",
        },
        {
            "source": "shopify",
            "source_record_id": "c1",
            "email": "anna.k@gmail.com",
            "first_name": "Anna",
            "last_name": "Kowalski",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("zendesk", "t1"), ("shopify", "c1"))
    assert '"first_name": {"status": "disagree"' not in res.links.iloc[0]["evidence"]


def test_gmail_alias_with_dots_plus_tag_and_googlemail_is_one_customer():
    recs = people(
        {
            "source": "shopify_orders",
            "source_record_id": "#1001",
            "email": "j.o.h.n+shop@googlemail.com",
            "first_name": "John",
            "last_name": "Doe",
        },
        {
            "source": "shopify",
            "source_record_id": "c7",
            "email": "john@gmail.com",
            "first_name": "John",
            "last_name": "Doe",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("shopify_orders", "#1001"), ("shopify", "c7"))
    assert (
        '"email": {"status": "agree", "a": "john@gmail.com", "b": "john@gmail.com"'
        in res.links.iloc[0]["evidence"]
    )


def test_dots_are_not_dropped_outside_gmail():
    recs = people(
        {
            "source_record_id": "1",
            "email": "j.doe@example.com",
            "first_name": "Jane",
            "last_name": "Doe",
        },
        {
            "source_record_id": "2",
            "email": "jdoe@example.com",
            "first_name": "Joe",
            "last_name": "Doe",
        },
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_same_e164_phone_and_name_match_across_sources():
    recs = people(
        {
            "source": "hubspot",
            "source_record_id": "h1",
            "phone": "+14155550123",
            "first_name": "Maria",
            "last_name": "Garcia",
            "email": "maria@work.example",
        },
        {
            "source": "zendesk",
            "source_record_id": "z1",
            "phone": "+14155550123",
            "first_name": "Maria",
            "last_name": "Garcia",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("hubspot", "h1"), ("zendesk", "z1"))
    assert res.identity_map.set_index("source").loc["zendesk", "rule"] in {"phone+name", "anchor"}


def test_loyalty_card_with_only_phone_and_name_is_linked_to_the_shop_customer():
    recs = people(
        {
            "source": "shopify",
            "source_record_id": "c1",
            "email": "priya@gmail.com",
            "phone": "+447911123456",
            "first_name": "Priya",
            "last_name": "Raman",
            "city": "Leicester",
        },
        {
            "source": "shopify_orders",
            "source_record_id": "#5",
            "email": "priya@gmail.com",
            "first_name": "Priya",
            "last_name": "Raman",
        },
        {
            "source": "loyalty",
            "source_record_id": "card-88",
            "phone": "+447911123456",
            "full_name": "Priya Raman",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("shopify", "c1"), ("shopify_orders", "#5"), ("loyalty", "card-88"))
    assert res.golden.loc[0, "n_records"] == 3


def test_same_name_and_address_with_different_birth_dates_stay_apart():
    # Father and son: John Smith Sr and Jr at one address.
    recs = people(
        {
            "source_record_id": "1",
            "first_name": "John",
            "last_name": "Smith",
            "address1": "4 Elm Road",
            "postcode": "LS2 7QT",
            "birth_date": "1961-03-02",
        },
        {
            "source_record_id": "2",
            "first_name": "John",
            "last_name": "Smith",
            "address1": "4 Elm Road",
            "postcode": "LS2 7QT",
            "birth_date": "1992-11-20",
        },
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_shared_phone_with_different_first_names_is_a_household():
    recs = people(
        {
            "source_record_id": "1",
            "phone": "+441132000000",
            "first_name": "Alice",
            "last_name": "Ng",
        },
        {
            "source_record_id": "2",
            "phone": "+441132000000",
            "first_name": "Peter",
            "last_name": "Ng",
        },
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_work_email_and_personal_email_do_not_conflict():
    recs = people(
        {
            "source": "shopify",
            "source_record_id": "1",
            "email": "zoltan.abernathy@gmail.com",
            "phone": "+447700900555",
            "first_name": "Zoltan",
            "last_name": "Abernathy",
        },
        {
            "source": "hubspot",
            "source_record_id": "2",
            "email": "z.abernathy@acme.co.uk",
            "phone": "+447700900555",
            "first_name": "Zoltan",
            "last_name": "Abernathy",
        },
    )
    res = resolve(recs)
    assert same_customer(res, ("shopify", "1"), ("hubspot", "2"))
    assert '"email": {"status": "disagree"' in res.links.iloc[0]["evidence"]


def test_typo_of_a_nickname_is_not_a_different_first_name():
    # "Jdith" is a typo of Judith and Judy its nickname: the same person, not a household.
    base = {"email": "judith.hill@hotmail.com", "last_name": "Hill", "postcode": "LS18 9QS"}
    recs = people(
        {**base, "source_record_id": "1", "first_name": "Judy", "address1": "4 Mill Lane"},
        {**base, "source_record_id": "2", "first_name": "Jdith", "address1": "4 Mill Lane"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "1"), ("shop", "2"))
    assert '"first_name": {"status": "fuzzy"' in res.links.iloc[0]["evidence"]


def test_a_name_one_edit_from_a_table_name_of_another_group_still_conflicts():
    # "Marc" is one edit from Mark (another group than John): a shared email stays a household.
    base = {"email": "thebakers@gmail.com", "last_name": "Baker", "postcode": "LS1 1AA"}
    recs = people(
        {**base, "source_record_id": "1", "first_name": "Marc"},
        {**base, "source_record_id": "2", "first_name": "Johnny"},
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_swapped_name_order_with_a_nickname_is_one_customer():
    recs = people(
        {
            "source": "loyalty",
            "source_record_id": "L7",
            "phone": "+447974638443",
            "first_name": "Mason",
            "last_name": "Ginny",
        },
        {
            "source": "shopify",
            "source_record_id": "3",
            "phone": "+447974638443",
            "first_name": "Virginia",
            "last_name": "Mason",
            "email": "virginia.mason@icloud.com",
        },
    )
    assert same_customer(resolve(recs), ("loyalty", "L7"), ("shopify", "3"))


def test_close_names_that_are_two_table_names_are_a_household():
    # Alexander and Alexandra differ by one letter, but both are names: two people.
    base = {"email": "the.greys@gmail.com", "last_name": "Grey", "address1": "9 Elm Road"}
    recs = people(
        {**base, "source_record_id": "1", "first_name": "Alexander"},
        {**base, "source_record_id": "2", "first_name": "Alexandra"},
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_namesakes_with_the_same_name_mailbox_at_two_providers_stay_apart():
    # michael.elteini@ at gmail and at btinternet is what any two Michael Elteinis would pick.
    recs = people(
        {
            "source_record_id": "1",
            "email": "michael.elteini@gmail.com",
            "first_name": "Michael",
            "last_name": "Elteini",
            "city": "London",
        },
        {
            "source_record_id": "2",
            "email": "michael.elteini@btinternet.com",
            "first_name": "Michael",
            "last_name": "Elteini",
            "city": "Sheffield",
        },
    )
    assert not same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_a_mailbox_with_digits_at_two_providers_is_fuzzy_agreement():
    recs = people(
        {"source_record_id": "1", "email": "npowell58@gmail.com"},
        {"source_record_id": "2", "email": "n.powell58@yahoo.co.uk"},
        {"source_record_id": "3", "email": "natalie.powell@yahoo.co.uk"},
        {"source_record_id": "4", "email": "natalie.powell@gmail.com"},
    )
    scored = score_pairs(prepare(recs), np.array([0, 2]), np.array([1, 3]))
    assert scored["s_email"].tolist() == [FUZZY, DISAGREE]


def _loyalty_card(**extra) -> dict:
    return {
        "source": "loyalty",
        "source_record_id": "L1",
        "phone": "+447490790032",
        "first_name": "Bertie",
        "last_name": "Nacraini",
        **extra,
    }


def _shop_orders(email: str, city: str, postcode: str, phone: str | None, start: int) -> list:
    return [
        {
            "source": "shopify",
            "source_record_id": f"o{start + i}",
            "email": email,
            "first_name": "Bertie",
            "last_name": "Nacraini",
            "city": city,
            "postcode": postcode,
            "phone": phone,
        }
        for i in range(2)
    ]


def test_a_card_sharing_only_a_rare_name_with_one_customer_joins_them():
    recs = people(
        _loyalty_card(),
        *_shop_orders("bertie.n@icloud.com", "Leeds", "LS3 3QS", None, 0),
        *filler(300),
    )
    res = resolve(recs)
    assert same_customer(res, ("loyalty", "L1"), ("shopify", "o0"), ("shopify", "o1"))
    link = res.links[res.links["source_a"] == "loyalty"].sort_values("score").iloc[-1]
    assert (link["decision"], link["rule"]) == ("merge", "name")


def test_a_card_whose_name_two_different_customers_carry_stays_in_review():
    recs = people(
        _loyalty_card(),
        *_shop_orders("bertie.n@icloud.com", "Leeds", "LS3 3QS", "+447700900001", 0),
        *_shop_orders("bnacraini@hotmail.com", "Bristol", "BS1 9ZZ", "+447700900002", 10),
        *filler(300),
    )
    res = resolve(recs)
    assert not same_customer(res, ("loyalty", "L1"), ("shopify", "o0"))
    assert not same_customer(res, ("loyalty", "L1"), ("shopify", "o10"))
    assert not same_customer(res, ("shopify", "o0"), ("shopify", "o10"))


def test_a_member_number_typo_is_the_same_person_but_the_next_card_is_not():
    base = {
        "first_name": "Melissa",
        "last_name": "Lanzotti",
        "address1": "24 Balfour Cres",
        "postcode": "2064",
    }
    recs = people(
        *filler(300),
        {**base, "source_record_id": "1", "loyalty_id": "7432331", "birth_date": "1981-08-28"},
        # digits 4 and 5 swapped, and a wrong birth date: one person, typed badly
        {**base, "source_record_id": "2", "loyalty_id": "7433231", "birth_date": "1908-01-03"},
        # the next card in sequence, another birth date: her daughter
        {**base, "source_record_id": "3", "loyalty_id": "7432332", "birth_date": "2004-05-17"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "1"), ("shop", "2"))
    assert not same_customer(res, ("shop", "1"), ("shop", "3"))


def test_namesakes_with_a_rare_name_and_nothing_else_in_common_stay_apart():
    # A rare whole name is strong evidence, but never stronger than another email, phone,
    # postcode and street together: two Abigail Dalemores, in London and in Birmingham.
    def customer(i: int, email: str, phone: str, city: str, postcode: str, street: str) -> dict:
        return {
            "source_record_id": f"d{i}",
            "first_name": "Abigail",
            "last_name": "Dalemore",
            "email": email,
            "phone": phone,
            "city": city,
            "postcode": postcode,
            "address1": street,
        }

    recs = people(
        customer(1, "adalemore96@gmail.com", "+447916598955", "London", "LO23 3YY", "62 Mill Rd"),
        customer(
            2, "adalemore95@yahoo.co.uk", "+447392148130", "Birmingham", "B5 5DL", "6 Elm Way"
        ),
        # Each also signed up to the newsletter: records with only a name and an email.
        {"source": "mailchimp", "source_record_id": "m1", "email": "adalemore96@gmail.com",
         "first_name": "Abigail", "last_name": "Dalemore"},
        {"source": "mailchimp", "source_record_id": "m2", "email": "adalemore95@yahoo.co.uk",
         "first_name": "Abigail", "last_name": "Dalemore"},
        *filler(3000),  # a shop big enough for the name to look unique
    )  # fmt: skip
    res = resolve(recs)
    assert same_customer(res, ("shop", "d1"), ("mailchimp", "m1"))
    assert same_customer(res, ("shop", "d2"), ("mailchimp", "m2"))
    assert not same_customer(res, ("shop", "d1"), ("shop", "d2"))


def test_a_member_id_vouches_for_a_record_with_a_wrong_name_and_date():
    # The card number, address and surname agree; first name and birth date were mistyped.
    base = {"last_name": "Dixon", "address1": "37 Sanford Place"}
    recs = people(
        *filler(3000),
        {**base, "source_record_id": "1", "first_name": "Madison", "loyalty_id": "7161189",
         "birth_date": "1922-06-09"},
        {**base, "source_record_id": "2", "first_name": "Kylie", "loyalty_id": "7161189",
         "birth_date": "1900-04-04"},
    )  # fmt: skip
    res = resolve(recs)
    assert same_customer(res, ("shop", "1"), ("shop", "2"))
