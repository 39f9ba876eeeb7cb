"""The 绩效指标 block of a 自评表: one entry per row, or a group per merged 分值 cell.

A part of match._Reader (it reads with its `find`, `at`, `put` and `guess`). Each row's 一级 and 二级
come from the cells above when a merge spans them (or a Word user left them blank on the next
page); the printed 得分 becomes `published_score` where the rule decides the score, and an
explicit score with the tier its band implies where it does not. The 一级 weights and the
scoring rules are then inferred from what the table prints, each inference a recorded guess.
"""
from __future__ import annotations

import re
from decimal import Decimal

from pydantic import ValidationError

from .. import profile
from .. import vocabulary as vocab
from ..compute import score_entry
from ..i18n import _
from ..model import Group, Indicator, Scoring
from .cells import lookalike, norm, number, value_text
from .matrix import ImportProblem

INDICATOR_KEYS = ("tier1", "tier2", "tier3", "target", "actual", "weight", "score", "reason")
# The scoring rules a source may choose (model.Scoring), tried against the printed scores; default first.
SCORING_CHOICES = ({}, {"over_rule": "proportional"}, {"reverse_rule": "deviation"},
                   {"over_rule": "proportional", "reverse_rule": "deviation"})


class IndicatorBlock:
    @property
    def profile(self):
        """The profile of the form being read (its 一级, 二级 and default weights)."""
        return profile.find(self.form)

    def tier1(self, text: str) -> tuple[str | None, Decimal | None]:
        """(一级 name, weight printed in its label) from a cell like "产出指标\n（50分）"."""
        t = norm(text)
        name = next((n for n in self.profile.tier1_names() if t.startswith(norm(n))), None)
        if name is None:
            return None, None
        rest = t[len(norm(name)):]
        m = re.search(r"(\d+(?:\.\d+)?)", rest)
        return name, Decimal(m.group(1)) if m else None

    def indicators(self) -> None:
        head = self.find("tier3")
        if head is None:
            raise ImportProblem(_("no row headed {label}: the 绩效指标 block cannot be found").format(label=self.L["tier3"]))
        h = head[0]
        cols = {k: c for k in INDICATOR_KEYS for c, cell in self.t.distinct(h) if norm(cell.text) == norm(self.L[k])}
        self.columns = cols
        missing = [self.L[k] for k in ("tier1", "tier2", "tier3", "weight") if k not in cols]
        if missing:
            raise ImportProblem(_("the 绩效指标 header has no column {labels}").format(labels=" / ".join(missing)), h + 1)
        total = norm(self.L.get("total", "\0"))
        tier1 = tier2 = None
        label_weights: dict[str, tuple[Decimal, int]] = {}
        groups: list[dict] = []       # consecutive rows under one 分值 cell
        for r in range(h + 1, len(self.t.rows)):
            row = self.t.rows[r]
            if all(norm(self.at(r, cols[k])) == norm(self.L[k]) for k in ("tier3", "weight")):
                continue                      # the header repeated on the next page
            if any(norm(c.text) == total for c in row):
                break
            cell = {k: self.at(r, c) for k, c in cols.items()}
            t1, weight1 = self.tier1(cell["tier1"])
            if t1 is not None:
                tier1 = t1
                if weight1 is not None:
                    label_weights.setdefault(t1, (weight1, r))
            elif norm(cell["tier1"]):
                raise ImportProblem(_("一级指标 '{text}' is none of {names}").format(
                    text=value_text(cell["tier1"]), names=" / ".join(self.profile.tier1_names())), r + 1)
            t2 = value_text(cell["tier2"])
            if t2 is not None:
                tier2 = next((n for n in self.profile.tier2_names(tier1 or "") if norm(n) == norm(t2)), t2)
            values = [value_text(cell.get(k, "")) for k in ("tier3", "target", "actual", "weight", "score")]
            if not any(values):
                continue           # a 二级 printed with a blank row
            if tier1 is None or tier2 is None:
                raise ImportProblem(_("an indicator row with no 一级 / 二级 label above it"), r + 1)
            origin = row[cols["weight"]].origin
            if groups and groups[-1]["origin"] == origin and groups[-1]["tier2"] == tier2:
                groups[-1]["rows"].append(r)
            else:
                groups.append({"origin": origin, "tier1": tier1, "tier2": tier2, "rows": [r]})
        if not groups:
            raise ImportProblem(_("the 绩效指标 block holds no indicator row"), h + 1)
        for g in groups:
            self.entry(g, cols)
        self.weights(label_weights)
        self.scoring()
        self.out.read.append(_("绩效指标: {n} rows").format(n=sum(len(g["rows"]) for g in groups)))

    def entry(self, g: dict, cols: dict) -> None:
        tier1, tier2, rows = g["tier1"], g["tier2"], g["rows"]
        entries = self.out.data.setdefault("indicators", {}).setdefault(tier1, {}).setdefault(tier2, [])
        path = ("indicators", tier1, tier2, len(entries))
        r0 = rows[0]
        weight = number(self.at(r0, cols["weight"]))
        if weight is None:
            raise ImportProblem(_("{label} '{text}' is not a number").format(
                label=self.L["weight"], text=value_text(self.at(r0, cols["weight"])) or ""), r0 + 1)
        printed = number(self.at(r0, cols.get("score")))
        members = []
        for r in rows:
            m = {"name": value_text(self.at(r, cols["tier3"])) or ""}
            for key, field_name in (("target", "target"), ("actual", "actual")):
                text = value_text(self.at(r, cols.get(key)))
                slip = lookalike(text or "")
                if slip:
                    self.guess(path + ((("members", rows.index(r)) if len(rows) > 1 else ()) + (field_name,)),
                               _("'{typed}' read as '{meant}' (the input method's look-alike)").format(
                                   typed=slip[0], meant=slip[1]))
                    text = slip[1] + text[1:]
                if text is not None:
                    m[field_name] = text
            members.append(m)
        entry: dict = dict(members[0]) if len(rows) == 1 else {"members": members}
        entry["weight"] = weight
        reason = value_text(self.at(r0, cols.get("reason")), "\n")
        try:      # the row as the model takes it, to ask whether the rule decides its score
            probe = (Indicator if len(rows) == 1 else Group).model_validate(
                {**members[0], "weight": weight} if len(rows) == 1 else {"members": members, "weight": weight})
        except ValidationError:   # a value the model refuses: reported at its cell when the source is validated
            probe = None
        if printed is not None and probe is not None and score_entry(probe, path, tier1, tier2, Scoring())[0].basis == "rule":
            entry["published_score"] = printed
            self.by_rule.append((probe, path, tier1, tier2, printed))
        elif printed is not None and weight > 0:
            tiers = self.tiers_of(printed, weight)
            entry["tier"], entry["score"] = tiers[0], printed
            why = _("the printed 得分 {score} of {weight} lies in the band of {tier}").format(
                score=printed, weight=weight, tier=tiers[0])
            if len(tiers) > 1:
                why += _(", on its edge with {other}: change the tier if the author meant that one").format(other=tiers[1])
            self.guess(path + ("tier",), why)
        if reason:
            entry["reason"] = reason
        entries.append(entry)
        col_label = {"published_score": self.L["score"], "score": self.L["score"], "tier": self.L["score"],
                     "weight": self.L["weight"], "reason": self.L["reason"]}
        self.out.where[path] = (r0 + 1, self.L["tier3"])
        self.out.where.setdefault(("indicators", tier1), (r0 + 1, self.L["tier1"]))
        self.out.where.setdefault(("indicators", tier1, tier2), (r0 + 1, self.L["tier2"]))
        for key, label in col_label.items():
            self.out.where[path + (key,)] = (r0 + 1, label)
        for i, r in enumerate(rows):
            base = path + (("members", i) if len(rows) > 1 else ())
            for key in ("name", "target", "actual"):
                self.out.where[base + (key,)] = (r + 1, self.L[{"name": "tier3"}.get(key, key)])

    def scoring(self) -> None:
        """The scoring rules the printed scores follow: the forms' default unless another of the
        rules a source may choose (over_rule, reverse_rule) explains more of the printed 得分."""
        def matches(scoring: Scoring) -> int:
            return sum(score_entry(e, p, t1, t2, scoring)[0].score == printed for e, p, t1, t2, printed in self.by_rule)
        candidates = [Scoring(**c) for c in SCORING_CHOICES]
        best = max(candidates, key=matches)       # the first (the default) on a tie
        if matches(best) > matches(candidates[0]):
            chosen = {k: v for k, v in best.model_dump().items() if v != getattr(Scoring(), k)}
            self.put(("scoring",), chosen)
            self.guess(("scoring",), _("{n} of the {m} printed rule-based scores follow these rules, {d} the "
                                       "default ones").format(n=matches(best), m=len(self.by_rule),
                                                              d=matches(candidates[0])))

    @staticmethod
    def tiers_of(score: Decimal, weight: Decimal) -> list[str]:
        """The tiers whose band (percent of the 分值) holds the score, best first: two on a shared edge."""
        pct = min(max(score / weight * 100, Decimal(0)), Decimal(100))   # above the 分值: check says so
        found = [t for t in vocab.vocabulary()["tiers"] if vocab.tier_band(t)[0] <= pct <= vocab.tier_band(t)[1]]
        return found or [list(vocab.vocabulary()["tiers"])[-1]]

    def weights(self, printed: dict[str, tuple[Decimal, int]]) -> None:
        """一级 weights: the label's figure goes under published.weights; the source's `weights`
        take the sum of the rows when it is not the default (so the source adds up as printed)."""
        for tier1, tier2s in self.out.data.get("indicators", {}).items():
            rows = sum((e["weight"] for es in tier2s.values() for e in es), Decimal(0))
            if tier1 in printed:
                label, r = printed[tier1]
                self.put(("published", "weights", tier1), label, r, self.L["tier1"])
                self.out.where[("weights", tier1)] = self.out.where[("published", "weights", tier1)]
                if label != rows:
                    self.guess(("weights", tier1), _("labelled {label}分 but its rows sum to {rows}: the rows are "
                                                     "taken, the label is kept under published").format(label=label, rows=rows))
            elif rows != self.profile.default_weight(tier1):
                self.guess(("weights", tier1), _("the form prints no weight on the 一级 label: the sum of its rows"))
            if ("weights", tier1) in self.out.guesses or rows != self.profile.default_weight(tier1):
                self.put(("weights", tier1), rows)      # written out wherever a comment explains it

