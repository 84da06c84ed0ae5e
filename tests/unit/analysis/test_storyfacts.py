"""The facts of a story (yuqing_spiders/analysis/storyfacts.py) on the rewrite texts of
tests/helpers/rewrites.py (written to test the rule: a rewrite keeps the date, place,
figures and offices of a story; another story at the same place keeps only the place)."""

from __future__ import annotations

from tests.helpers.rewrites import LIFT, OTHER_DISTRICT, PAPER
from tests.helpers.stories import ORIGINAL, TITLE
from yuqing_spiders.analysis.storyfacts import story_key


def test_facts_are_dates_quantities_places_and_organisations() -> None:
    key = story_key(TITLE, ORIGINAL)
    # The dateline (人民网南昌11月25日电) is not a fact; the day of the flood is.
    assert "11月25日" not in key.facts
    assert {"11月24日", "68毫米", "红谷滩区", "凤凰洲", "应急管理局", "住建局"} <= set(key.facts)
    kinds = dict(zip(key.facts, key.kinds, strict=True))
    assert (kinds["11月24日"], kinds["68毫米"], kinds["红谷滩区"], kinds["应急管理局"]) == (
        "d",
        "q",
        "p",
        "o",
    )
    # The city and province every item names are not facts.
    assert not {"南昌", "南昌市", "江西省"} & set(key.facts)
    # Headline words say what happened: not places, not generic words.
    assert key.title_words == ("地下", "车库", "积水", "被淹")


def test_names_are_cut_at_function_words() -> None:
    key = story_key("", "记者从红谷滩区应急管理局获悉，家住青山湖区湖坊镇的市民反映")
    assert {"红谷滩区", "应急管理局", "青山湖区", "湖坊镇"} <= set(key.facts)
    assert not any(fact.startswith(("记者", "从", "家住")) for fact in key.facts)


def test_a_rewrite_shares_the_facts_and_other_stories_do_not() -> None:
    original = set(story_key(TITLE, ORIGINAL).facts)
    assert len(original & set(story_key(*PAPER).facts)) >= 5
    lift = story_key(*LIFT)
    assert original & set(lift.facts) == {"11月24日", "红谷滩区", "凤凰洲"}
    assert not set(lift.title_words) & set(story_key(TITLE, ORIGINAL).title_words)
    other = story_key(*OTHER_DISTRICT)
    shared = original & set(other.facts)
    kinds = dict(zip(other.facts, other.kinds, strict=True))
    assert shared
    assert "p" not in {kinds[f] for f in shared}


def test_no_text_no_facts() -> None:
    assert story_key(None, None).empty
    assert story_key("", "").title_words == ()
