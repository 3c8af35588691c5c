"""Records typed by hand with errors in them (a person register, a loyalty desk): one person
whose birth date, card number or name order went wrong in one copy stays one customer."""

from __future__ import annotations

from eclp.identity import resolve
from eclp.identity.prepare import prepare

from .conftest import filler, people, same_customer

HOME = {"address1": "57 Fincham Crescent", "city": "Thebarton", "postcode": "2642"}


def test_a_record_with_only_a_surname_gets_no_first_name_from_it():
    # Ingest joins a blank given name and "Korbut" into the full name "Korbut".
    recs = people({"last_name": "Korbut", "full_name": "Korbut"}, {"full_name": "Ann Lee"})
    first = prepare(recs).features["first"].tolist()
    assert first == [None, "ann"]


def test_a_surname_only_copy_does_not_keep_a_second_card_out():
    base = {**HOME, "last_name": "Korbut"}
    recs = people(
        *filler(300),
        {**base, "source_record_id": "org", "first_name": "Bradley", "loyalty_id": "7572011"},
        {**base, "source_record_id": "dup", "full_name": "Korbut", "loyalty_id": "7572011"},
        {**base, "source_record_id": "new", "first_name": "Bradley", "loyalty_id": "7577439"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "org"), ("shop", "dup"), ("shop", "new"))


def test_a_birth_date_with_two_neighbouring_digits_transposed_is_a_typo():
    base = {**HOME, "first_name": "Liam", "last_name": "Laing"}
    recs = people(
        *filler(300),
        {**base, "source_record_id": "1", "birth_date": "1939-11-23"},
        {**base, "source_record_id": "2", "birth_date": "1939-12-13"},
        {**base, "source_record_id": "3", "birth_date": "1914-01-28"},
        {**base, "source_record_id": "4", "birth_date": "1941-01-28", "first_name": "Liam"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "1"), ("shop", "2"))
    assert same_customer(res, ("shop", "3"), ("shop", "4"))
    # Digits apart, not neighbours swapped: still father and son.
    assert not same_customer(res, ("shop", "1"), ("shop", "3"))


def test_a_surname_of_several_words_typed_as_the_given_name_is_a_swap():
    base = {**HOME, "birth_date": "1987-09-11"}
    recs = people(
        *filler(300),
        {**base, "source_record_id": "1", "first_name": "Cambell", "last_name": "De La Cruz"},
        {**base, "source_record_id": "2", "first_name": "De La Cruz", "last_name": "Cambell"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "1"), ("shop", "2"))
    assert '"first_name": {"status": "fuzzy"' in res.links.iloc[0]["evidence"]


def test_names_swapped_and_mistyped_are_found_by_birth_date_and_street():
    # No name key, postcode or town is shared: only the birth date and the street are.
    base = {"address1": "34 Lumholtz Place", "birth_date": "1971-10-02"}
    recs = people(
        *filler(3000),
        {**base, "source_record_id": "1", "first_name": "Harvey", "last_name": "Shepherdson",
         "city": "Roleystone", "postcode": "6430"},
        {**base, "source_record_id": "2", "first_name": "Shepherdosn", "last_name": "Harvey",
         "city": "Wilson", "postcode": "6403"},
    )  # fmt: skip
    assert same_customer(resolve(recs), ("shop", "1"), ("shop", "2"))


def test_a_birth_date_a_member_id_vouched_for_keeps_no_other_copy_out():
    # Copy 0 carries the card but a wrong birth date; copy 2 the right date but another card.
    # Copy 2 conflicts with copy 0 only over the date the card already showed to be a typo.
    base = {**HOME, "first_name": "Amy", "last_name": "Chandler"}
    recs = people(
        *filler(300),
        {**base, "source_record_id": "org", "birth_date": "1951-07-15", "loyalty_id": "1609739"},
        {**base, "source_record_id": "d0", "birth_date": "1973-03-18", "loyalty_id": "1609739"},
        {**base, "source_record_id": "d2", "birth_date": "1951-07-15", "loyalty_id": "8026179"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "org"), ("shop", "d0"), ("shop", "d2"))


def test_a_birth_date_is_forgiven_only_for_the_dates_the_card_accepted():
    # The card accepted 1973 for 1951; the son's 1992 is another matter. (They share a home
    # phone as well: only the veto keeps the son apart.)
    base = {**HOME, "first_name": "John", "last_name": "Chandler", "phone": "+61298765432"}
    recs = people(
        *filler(300),
        {**base, "source_record_id": "org", "birth_date": "1951-07-15", "loyalty_id": "1609739"},
        {**base, "source_record_id": "d0", "birth_date": "1973-03-18", "loyalty_id": "1609739"},
        {**base, "source_record_id": "son", "birth_date": "1992-02-01", "loyalty_id": "8026179"},
    )
    res = resolve(recs)
    assert same_customer(res, ("shop", "org"), ("shop", "d0"))
    assert not same_customer(res, ("shop", "org"), ("shop", "son"))


def test_a_card_a_couple_share_does_not_make_their_other_records_one_customer():
    base = {**HOME, "last_name": "Smith"}
    recs = people(
        *filler(300),
        {**base, "source": "loyalty", "source_record_id": "c1", "first_name": "Mary",
         "loyalty_id": "4137134"},
        {**base, "source": "loyalty", "source_record_id": "c2", "first_name": "John",
         "loyalty_id": "4137134"},
        {**base, "source_record_id": "mary", "first_name": "Mary", "email": "mary@smith.org"},
        {**base, "source_record_id": "john", "first_name": "John", "email": "john@smith.org"},
    )  # fmt: skip
    assert not same_customer(resolve(recs), ("shop", "mary"), ("shop", "john"))
