"""Review copies: the whole report as plain Markdown, one fact per line, and the figures that
changed between two evaluations. Made for `git diff` and for a reviewer reading two years side by
side: a changed target, actual or score is a changed line."""
from __future__ import annotations

import re

from .compute import Figures, fmt_money, fmt_percent, fmt_score, fmt_weight
from .model import Evaluation, Group
from .pipeline import Evaluated

_DIV = re.compile(r"^::: \{custom-style=\"[^\"]+\"\}\n(.*?)\n:::\n", re.S | re.M)


def _plain(markdown: str) -> str:
    """pandoc's styled divs → plain paragraphs (the review needs the words, not the styles)."""
    return _DIV.sub(lambda m: m.group(1).replace("\\\n", "") + "\n", markdown)


def _cells(*pairs) -> str:
    return " | ".join(f"{label} {value}" for label, value in pairs if value not in (None, ""))


def table_facts(ev: Evaluation, fig: Figures) -> list[str]:
    lines = [f"# 附件{ev.attachment} 项目支出绩效自评表（{ev.year}年度）", "",
             f"- 项目名称: {ev.project}", f"- 主管部门: {ev.department}", f"- 实施单位: {ev.unit}", "",
             "## 项目资金（万元）", ""]

    def money(label, a, extra=()):
        lines.append(f"- {label}: " + _cells(("年初预算数", fmt_money(a.initial)), ("全年预算数", fmt_money(a.adjusted)),
                                              ("全年执行数", fmt_money(a.executed)), *extra))
    money("年度资金总额", fig.budget, (("分值", fmt_weight(fig.budget_weight)),
                                    ("执行率", fmt_percent(fig.execution_rate)), ("得分", fmt_score(fig.budget_score))))
    for label, a in fig.lines.items():
        money(label, a)
    lines.append(f"- 结余: {fmt_money(fig.balance)}")
    if fig.management_weight is not None:
        lines.append(f"- 资金管理: 分值 {fmt_weight(fig.management_weight)} | 得分 {fmt_score(fig.management_score)}")
    lines += ["", "## 年度总体目标", "", f"- 预期目标: {ev.goals.expected}", f"- 实际完成情况: {ev.goals.actual}",
              "", "## 绩效指标", ""]
    for s in fig.subtotals:
        lines.append(f"- {s.tier1}（{fmt_weight(s.label_weight)}分）: 分值合计 {fmt_weight(s.weight)} | 得分 {fmt_score(s.score)}")
        for f in (f for f in fig.indicators if f.tier1 == s.tier1):
            _, tier1, tier2, i = f.path
            entry = ev.indicators[tier1][tier2][i]
            score = (("分值", fmt_weight(f.weight)), ("得分", fmt_score(f.score)), ("偏差原因分析及改进措施", entry.reason))
            if isinstance(entry, Group):   # members, then the score they share
                for m in entry.members:
                    lines.append(f"  - {tier2} / {m.name}: " + _cells(("年度指标值", m.target), ("实际完成值", m.actual)))
                lines.append(f"  - {tier2} / 以上{len(entry.members)}项共用: " + _cells(*score))
            else:
                lines.append(f"  - {tier2} / {entry.name}: " + _cells(("年度指标值", entry.target),
                                                                      ("实际完成值", entry.actual), *score))
    lines += ["", "## 总分", "", f"- 总分: 分值 {fmt_weight(fig.weight_total)} | 得分 {fmt_score(fig.total)} | 等级 {fig.grade or ''}"]
    return lines


def review_markdown(ev: Evaluation, fig: Figures) -> str:
    from .render.narrative import markdown
    return _plain(markdown(ev, fig)).rstrip() + "\n\n" + "\n".join(table_facts(ev, fig)) + "\n"


def _facts(r: Evaluated) -> dict[str, str]:
    """Every comparable figure of an evaluation, keyed so the same fact matches across years."""
    ev, fig = r.evaluation, r.figures
    out = {"执行率": fmt_percent(fig.execution_rate), "预算执行率得分": fmt_score(fig.budget_score),
           "全年预算数": fmt_money(fig.budget.adjusted), "全年执行数": fmt_money(fig.budget.executed),
           "结余": fmt_money(fig.balance), "总分": fmt_score(fig.total), "等级": fig.grade or ""}
    for f in fig.indicators:
        _, tier1, tier2, i = f.path
        entry = ev.indicators[tier1][tier2][i]
        for m in (entry.members if isinstance(entry, Group) else [entry]):
            out[f"{tier1}/{tier2}/{m.name} 年度指标值"] = m.target or ""
            out[f"{tier1}/{tier2}/{m.name} 实际完成值"] = m.actual or ""
        out[f"{tier1}/{tier2}/{f.name} 分值"] = fmt_weight(f.weight)
        out[f"{tier1}/{tier2}/{f.name} 得分"] = fmt_score(f.score)
    return out


def diff_figures(old: Evaluated, new: Evaluated) -> list[str]:
    """'key: old → new' for every figure that changed, '+ key: new' / '- key: old' for facts one side lacks."""
    a, b = _facts(old), _facts(new)
    lines = []
    for key in list(a) + [k for k in b if k not in a]:
        if key not in b:
            lines.append(f"- {key}: {a[key]}")
        elif key not in a:
            lines.append(f"+ {key}: {b[key]}")
        elif a[key] != b[key]:
            lines.append(f"  {key}: {a[key] or '（空）'} → {b[key] or '（空）'}")
    return lines
