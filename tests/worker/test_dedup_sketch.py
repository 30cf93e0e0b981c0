"""Sketches and their comparison, without Redis: text written for the test."""

from __future__ import annotations

import numpy as np

from tests.worker.dedup_texts import STORM_PARAGRAPHS, STORM_TEXT, mortgage_brief, storm_copy
from worker.dedup.sketch import Policy, Sketch, build_sketch, compare, published_day
from worker.dedup.text import (
    figure_value,
    normalised_words,
    without_enumerations,
    without_quotes,
)


def test_a_sketch_survives_its_byte_form() -> None:
    sketch = build_sketch(STORM_TEXT, "2024-07-02T09:30:00Z")
    again = Sketch.from_bytes(sketch.to_bytes())
    assert (again.words, again.shingles, again.published_day) == (
        sketch.words,
        sketch.shingles,
        sketch.published_day,
    )
    assert np.array_equal(again.minima, sketch.minima)
    assert np.array_equal(again.positions, sketch.positions)
    assert np.array_equal(again.slots, sketch.slots)
    assert len(sketch.to_bytes()) < 400


def test_words_fold_case_accents_and_british_spelling() -> None:
    assert normalised_words("The Défense Ministry’s centre, organised in Montréal") == [
        "the", "defense", "ministrys", "center", "organized", "in", "montreal",
    ]  # fmt: skip
    assert normalised_words("Ministry's") == normalised_words("Ministry’s")
    assert figure_value("148m") == figure_value("148") == "148"


def test_quoted_speech_is_left_out() -> None:
    text = 'The minister said: "We will rebuild every bridge." Crews began work.\n“It continues'
    assert without_quotes(text).split() == ["The", "minister", "said:", "Crews", "began", "work."]
    assert "ITV’s chief" in without_quotes("ITV’s chief said no more.")


_STATES = (
    "Arizona, California, Colorado, Connecticut, Florida, Georgia, Idaho, Illinois, Indiana, "
    "Iowa, Kentucky, Maine, Maryland, Massachusetts, Michigan, Missouri, New Mexico, Nevada, "
    "New Hampshire, New Jersey, New York, Oklahoma, Oregon, Pennsylvania and Washington"
)


def test_lists_of_names_are_left_out_and_sentences_kept() -> None:
    assert without_enumerations(f"Cases in 25 states: {_STATES}. More soon.").split() == [
        "Cases", "in", "25", "states:", ".", "More", "soon.",
    ]  # fmt: skip
    sentence = "He said, on Monday, that the plan, which failed, was over."
    assert without_enumerations(sentence) == sentence
    scores = "Ohio State 39, Toledo 36, Kentucky 32, Rutgers 27, Purdue 17."
    assert without_enumerations(scores) == scores


def test_a_list_both_reports_copied_from_their_source_is_not_a_copy() -> None:
    first = (
        "The health agency counted 1,044 measles cases this year, up 22 in a week, the worst "
        f"since 1992. Infections were reported in {_STATES}, officials said in a statement "
        "on Monday, and more were expected as families travel for the summer holidays."
    )
    second = (
        "America's outbreak keeps growing: 1,022 cases through June 6, forty-one more than at "
        f"the last update, reporters were told. Cases are reported in {_STATES}. Most of the "
        "people who fell ill had never been vaccinated, doctors in the worst-hit county said."
    )
    assert not compare(build_sketch(first), build_sketch(second), Policy()).same_story


def test_a_trimmed_copy_matches_despite_low_resemblance() -> None:
    full = build_sketch(STORM_TEXT)
    trimmed = build_sketch("\n\n".join(STORM_PARAGRAPHS[:3]))
    verdict = compare(full, trimmed, Policy())
    assert verdict.same_story and verdict.similarity > 0.8


def test_publication_dates_far_apart_are_different_stories() -> None:
    first = build_sketch(storm_copy(1), "2024-07-02")
    same_day = build_sketch(storm_copy(2), "2024-07-02T18:00:00+12:00")
    next_year = build_sketch(storm_copy(2), "2025-07-02")
    assert compare(first, same_day, Policy()).same_story
    assert not compare(first, next_year, Policy()).same_story
    assert published_day("not a date") == -1


def test_figures_that_differ_throughout_part_a_series() -> None:
    week = build_sketch(mortgage_brief("6.81", "6.67", "7.09", "6.02", "Thursday"))
    next_week = build_sketch(mortgage_brief("6.95", "6.81", "7.22", "6.17", "Thursday"))
    assert not compare(week, next_week, Policy()).same_story
