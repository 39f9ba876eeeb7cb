"""The verdict of `make mutation` (tests/mutation_report.py) on made-up results: it must fail on an
unlisted survivor, and the list it reads must say why for every entry."""
import pytest

from tests.mutation_report import EQUIVALENTS, equivalents, verdict

STATUS = {
    "generator.compute.x_grade__mutmut_1": "killed",
    "generator.compute.x_grade__mutmut_2": "survived",
    "generator.compute.x_grade__mutmut_3": "no tests",
    "generator.checks.x_budget__mutmut_1": "survived",
    "generator.checks.x_budget__mutmut_2": "caught by type check",
}


def test_a_listed_survivor_is_equivalent_and_an_unlisted_one_fails():
    listed = {"generator.compute.x_grade__mutmut_2": "why", "generator.compute.x_grade__mutmut_3": "why"}
    counts, surviving, unfinished, notes = verdict(STATUS, listed)
    assert counts == {"mutants": 5, "killed": 2, "equivalent": 2, "surviving": 1}
    assert surviving == ["generator.checks.x_budget__mutmut_1"] and unfinished == [] and notes == []


def test_only_judges_the_subset_that_was_run():
    status = {**STATUS, "generator.quantity.x_base_unit__mutmut_1": "not checked"}
    counts, surviving, unfinished, _ = verdict(status, {}, only=["generator.compute.x_grade*", "generator.checks.x_weights*"])
    assert counts == {"mutants": 3, "killed": 1, "equivalent": 0, "surviving": 2}
    assert unfinished == []
    _, _, unfinished, _ = verdict(status, {})
    assert unfinished == ["generator.quantity.x_base_unit__mutmut_1: not checked"]


def test_stale_entries_are_reported():
    listed = {"generator.compute.x_grade__mutmut_1": "why", "generator.compute.x_grade__mutmut_99": "why"}
    _, _, _, notes = verdict(STATUS, listed)
    assert [s.split(":")[0] for s in notes] == ["generator.compute.x_grade__mutmut_1",
                                                "generator.compute.x_grade__mutmut_99"]


def test_every_entry_of_the_list_gives_a_reason(tmp_path):
    listed = equivalents(EQUIVALENTS)
    assert listed and all(len(reason) > 20 for reason in listed.values())
    bad = tmp_path / "list.txt"
    bad.write_text("# comment\ngenerator.compute.x_grade__mutmut_2\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="has no reason"):
        equivalents(bad)


def test_a_timeout_counts_as_killed_and_is_noted():
    counts, surviving, unfinished, notes = verdict({"generator.compute.x_grade__mutmut_1": "timeout",
                                                    "generator.compute.x_grade__mutmut_2": "suspicious"}, {})
    assert counts["killed"] == 1 and surviving == []
    assert unfinished == ["generator.compute.x_grade__mutmut_2: suspicious"]
    assert notes == ["generator.compute.x_grade__mutmut_1: timed out, counted as killed (a mutant that hangs the "
                     "tests is caught)"]
