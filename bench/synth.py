"""Synthetic but realistic evaluations for the benchmarks: seeded, deterministic, valid.

`generate(index, seed)` returns one source as YAML text, as an officer would have typed it:
indicator rows in the official 一级/二级 vocabulary (generator/vocabulary.yaml), 8–40 of them, a mix
of quantitative rows scored by the rule (≥, ≤, %, ranges; some missed, with a 偏差原因), qualitative
rows with a tier (some below full, with a score in the tier's band and a reason) and groups of rows
sharing one score; a budget whose items add up; and a narrative of 1–20 KB (UTF-8, log-uniform, so
most reports are a few KB and a few are long) of plausible official Chinese, using the template
variables for every computed figure. The three report families appear with their forms:
reference + city2020, short + national, provincial + provincial.

Every source passes `python -m generator check` with no errors and no warnings, so a benchmark
measures building, not failing (bench.run's check step fails the run otherwise).

Each evaluation is drawn from its own Random(f"{seed}:{index}"), so the first 100 of a set of
1000 are the set of 100, and a set is the same bytes on every machine (PYTHONHASHSEED plays no part).

    python -m bench.synth OUT N [--seed S] [--year Y]   # writes OUT/<year>/<index>-<theme>.yaml
"""
from __future__ import annotations

import argparse
import json
import math
import random
from decimal import Decimal
from pathlib import Path

from generator import profile

SEED = 2024
YEAR = 2024
MIN_INDICATORS, MAX_INDICATORS = 8, 40
MIN_NARRATIVE, MAX_NARRATIVE = 1024, 20 * 1024     # bytes of UTF-8 narrative text

# outline, form, share of a city's reports
FAMILIES = (("reference", "city2020", 0.4), ("short", "national", 0.4), ("provincial", "provincial", 0.2))

# -- vocabulary of the content ----------------------------------------------------------------------

FUNDS = ("经济信息产业发展专项资金", "中小企业发展专项资金", "工业转型升级专项资金", "科技创新发展专项资金",
         "商务发展专项资金", "文化旅游发展专项资金", "农业产业化发展专项资金", "就业创业专项资金",
         "生态环境保护专项资金", "城市管理专项资金")
DEPARTMENTS = ("市工业和信息化局", "市科学技术局", "市商务局", "市文化旅游广电体育局", "市农业农村局",
               "市人力资源和社会保障局", "市生态环境局", "市城市管理和综合执法局")
UNITS = ("市中小企业服务中心", "市企业服务中心", "市信息化推进中心", "市科技情报研究所", "市对外贸易服务中心",
         "市旅游发展服务中心", "市农业技术推广站", "市就业服务中心", "市环境监测站", "市数字城管指挥中心")
# slug, project, the things the project works on
THEMES = (
    ("enterprise-service", "企业服务活动专项经费", ("企业服务", "政策宣讲", "问题协调", "走访调研")),
    ("digital-transformation", "中小企业数字化转型", ("数字化诊断", "企业上云", "工业软件应用", "智能制造")),
    ("entrepreneur-training", "企业家素质提升培训", ("企业家培训", "专题研修", "企业家沙龙", "管理咨询")),
    ("industrial-internet", "工业互联网平台建设", ("平台建设", "标识解析", "数据采集", "安全检查")),
    ("supply-chain", "产业链供需对接", ("供需对接", "配套协作", "产品推介", "银企对接")),
    ("export-promotion", "外贸出口促进", ("境外展会", "出口信保", "跨境电商", "外贸培训")),
    ("innovation-platform", "科技创新平台建设", ("研发中心", "成果转化", "科技特派员", "专利申请")),
    ("rural-tourism", "乡村旅游提质", ("民宿改造", "景区提质", "旅游推介", "导游培训")),
    ("stable-employment", "稳岗就业补贴", ("稳岗补贴", "技能培训", "招聘活动", "就业见习")),
    ("green-manufacturing", "绿色制造体系建设", ("节能诊断", "绿色工厂", "清洁生产", "能耗监测")),
    ("smart-city", "智慧城管平台运维", ("平台运维", "案件处置", "视频监控", "网格巡查")),
    ("farm-brand", "农产品品牌推广", ("品牌推广", "展销活动", "质量追溯", "合作社培育")),
)
SUBJECTS = ("我局", "项目实施单位", "各县市区", "专项工作领导小组", "局机关各科室", "项目承担单位",
            "市直有关部门", "各园区管委会")
ACTIONS = ("积极组织开展", "认真落实", "统筹推进", "扎实开展", "持续加强", "深入推进", "全面完成",
           "规范实施", "有序推进", "精心组织")
RESULTS = ("有效提升了企业满意度", "进一步优化了营商环境", "推动了产业链上下游协同发展",
           "增强了企业的获得感", "提高了财政资金使用效益", "为全市经济高质量发展提供了有力支撑",
           "取得了良好的社会效益", "形成了一批可复制可推广的经验", "夯实了工作基础",
           "得到了服务对象的充分肯定")
COUNTS = (("组织", "场次"), ("服务企业", "家"), ("培训人员", "余人次"), ("走访", "家企业"),
          ("协调解决问题", "个"), ("发放资料", "册"), ("召开调度会", "次"), ("形成报告", "份"))
CONNECTIVES = ("同时，", "此外，", "在此基础上，", "与此同时，", "通过上述工作，", "", "", "")
REASONS = ("受外部环境影响，部分活动延期举办，下一步将加强统筹调度，确保按期完成。",
           "年初目标设定偏紧，实施过程中项目进度滞后，今后将科学合理设置绩效目标。",
           "部分企业需求变化，实际完成值未达预期，将加强事前调研和过程监控。",
           "项目实施周期较长，部分成果尚未显现，将持续跟踪评价。",
           "工作质量还有提升空间，需进一步完善工作机制。")
PROBLEMS = ("绩效目标设置不够细化", "项目实施进度不够均衡", "资金拨付时效有待提高",
            "绩效评价结果应用不够充分", "部分指标难以量化", "过程监控力度有待加强")
SUGGESTION_TITLES = ("对项目决策的建议", "对预算安排及执行情况的建议", "对资金管理的建议",
                     "对项目管理的建议", "其他建议")
FUND_ROWS = {
    "安排科学性": ("根据项目特点和目标制定明确的绩效指标，预算安排与年度工作任务相匹配。",
              "改进措施：加强业务处室间的沟通协作，确保预算执行效果最大化。"),
    "拨付合规性": ("预算资金的拨付有完整的审批程序和手续，未发生截留、挤占、挪用现象。",
              "改进措施：加强业务人员资金拨付流程操作培训。"),
    "使用规范性": ("资金使用符合国家财经法规、财务管理制度和专项资金管理办法的规定。",
              "改进措施：根据需要及时调整预算，保证预算的可操作性。"),
    "预算绩效管理情况": ("加强对预算绩效目标运行的跟踪监控，按要求开展绩效自评。",
                 "改进措施：加强预算绩效管理过程控制，提高制度执行力。"),
}

# Indicator rows by 二级: each a function of (rng, theme objects) → row fields without weight.
#   ("ge", name, unit, low, high): "≥t unit", counted;   ("pct", name, low, high): "≥t%";
#   ("le", name, unit, low, high): "≤t unit";  ("range", name, unit): "a-b unit";
#   ("qual", name, target, actual): qualitative.
ROWS = {
    "数量指标": (("ge", "{o}活动场次", "场", 3, 30), ("ge", "{o}服务企业数", "家", 30, 3000),
             ("ge", "{o}参与人数", "人次", 100, 2000), ("ge", "{o}覆盖县市区", "个", 3, 12),
             ("ge", "{o}项目数量", "个", 2, 40), ("ge", "发放{o}宣传资料", "册", 1000, 20000),
             ("qual", "{o}工作任务", "全面完成年度{o}任务", "完成年度{o}各项任务")),
    "质量指标": (("pct", "{o}验收合格率", 90, 100), ("pct", "{o}问题办结率", 85, 98),
             ("qual", "{o}工作质量", "符合相关标准和要求", "工作质量符合要求"),
             ("qual", "{o}平台运行", "平稳运行", "全年运行稳定，未发生重大故障")),
    "时效指标": (("le", "{o}问题响应时间", "小时", 12, 72), ("range", "{o}资金拨付时限", "个工作日"),
             ("qual", "{o}完成时间", "年底前完成", "按期完成")),
    "成本指标": (("le", "{o}平均成本", "万元/个", 5, 50), ("qual", "{o}成本控制", "控制在预算范围内",
                                                        "未超出预算")),
    "经济效益指标": (("ge", "带动{o}企业新增产值", "亿元", 1, 50), ("ge", "{o}新增市场主体", "家", 100, 5000),
               ("qual", "{o}经济带动作用", "明显增强", "带动作用进一步显现")),
    "社会效益指标": (("qual", "营商环境", "持续优化", "企业获得感和满意度进一步增强"),
               ("qual", "{o}社会影响", "明显提升", "社会关注度和影响力明显提升"),
               ("pct", "{o}政策知晓率", 80, 95)),
    "生态效益指标": (("qual", "{o}节能降耗", "单位产值能耗下降", "能耗水平稳中有降"),
               ("qual", "生态环境", "不产生负面影响", "未对生态环境产生负面影响")),
    "可持续影响指标": (("qual", "长效机制", "建立{o}长效机制", "形成常态化{o}工作机制"),
                ("qual", "{o}持续发挥作用", "长期发挥作用", "持续发挥示范带动作用")),
    "服务对象满意度指标": (("pct", "服务对象满意度", 85, 95), ("pct", "企业满意率", 90, 98),
                   ("pct", "参训人员满意度", 85, 95)),
}


# -- small helpers ----------------------------------------------------------------------------------

def _cents(x: int) -> Decimal:
    return (Decimal(x) / 100).quantize(Decimal("0.01"))


def _money(value: Decimal) -> str:
    """An amount as an officer types it: 239.4, 600, 193.05."""
    return format(value.normalize(), "f")


def _split(total: int, parts: int, rng: random.Random, even: bool) -> list[int]:
    """`total` (≥ parts) as `parts` positive integers, near-equal or random."""
    if even:
        base, extra = divmod(total, parts)
        out = [base + (1 if i < extra else 0) for i in range(parts)]
        rng.shuffle(out)
        return out
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _scalar(value, flow: bool = False) -> str:
    """A YAML scalar: plain when it reads back as the same text, else double-quoted."""
    if isinstance(value, Decimal):
        return _money(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (not text or (ord(text[0]) < 0x80 and not text.isalpha()) or text in ("true", "false", "null", "yes", "no")
            or ": " in text or " #" in text or text.endswith(":")
            or "\n" in text or text != text.strip() or (flow and any(c in text for c in ",[]{}"))):
        return json.dumps(text, ensure_ascii=False)
    return text


# -- text -------------------------------------------------------------------------------------------

class Writer:
    """Plausible official prose: sentences about the theme, counted in UTF-8 bytes."""

    def __init__(self, rng: random.Random, objects: tuple[str, ...], year: int):
        self.rng, self.objects, self.year = rng, objects, year

    def sentence(self) -> str:
        r = self.rng
        o = r.choice(self.objects)
        verb, unit = r.choice(COUNTS)
        kind = r.random()
        if kind < 0.45:
            return (f"{r.choice(CONNECTIVES)}{r.choice(SUBJECTS)}{r.choice(ACTIONS)}{o}工作，"
                    f"全年累计{verb}{r.randint(3, 900)}{unit}，{r.choice(RESULTS)}。")
        if kind < 0.7:
            return (f"一是{r.choice(ACTIONS)}{o}；二是{r.choice(ACTIONS)}{r.choice(self.objects)}；"
                    f"三是{r.choice(ACTIONS)}{r.choice(self.objects)}，{r.choice(RESULTS)}。")
        if kind < 0.85:
            return (f"{self.year}年{r.randint(1, 12)}月，{r.choice(SUBJECTS)}围绕{o}中心任务，"
                    f"{r.choice(ACTIONS)}“{o}提质年”活动，{r.choice(RESULTS)}。")
        return f"{r.choice(CONNECTIVES)}针对{r.choice(PROBLEMS)}的问题，{r.choice(SUBJECTS)}{r.choice(ACTIONS)}整改，{r.choice(RESULTS)}。"

    def paragraph(self, budget: int) -> str:
        out = self.sentence()
        while len(out.encode()) < budget and len(out) < 600:
            out += self.sentence()
        return out

    def text(self, budget: int) -> str:
        """Paragraphs, separated by blank lines, of about `budget` bytes in all."""
        paragraphs, used = [], 0
        while used < budget:
            p = self.paragraph(min(budget - used, self.rng.randint(300, 1500)))
            paragraphs.append(p)
            used += len(p.encode()) + 2
        return "\n\n".join(paragraphs) + "\n"


# -- one evaluation ---------------------------------------------------------------------------------

class Synth:
    def __init__(self, index: int, seed: int, year: int):
        self.rng = r = random.Random(f"{seed}:{index}")
        self.index, self.year = index, year
        pick = r.random()
        acc = 0.0
        for outline, form, share in FAMILIES:
            acc += share
            if pick < acc:
                break
        self.outline, self.form = outline, form
        self.theme_slug, self.project, self.objects = r.choice(THEMES)
        self.fund = r.choice(FUNDS)
        self.writer = Writer(r, self.objects, year)
        self.slug = f"{index:04d}-{self.theme_slug}"
        self.names: set[str] = set()

    # budget ------------------------------------------------------------------------------------------
    def budget(self) -> tuple[dict[str, dict[str, Decimal]], int]:
        r = self.rng
        labels = profile.find(self.form).budget_lines()
        decimals = r.choice((0, 1, 2))
        step = 10 ** (2 - decimals)
        main = r.randint(20, 3000) * 100 // step * step + r.randint(0, 99) // step * step
        lines: dict[str, dict[str, Decimal]] = {}
        rate = 1 if r.random() < 0.3 else r.uniform(0.75, 0.999)
        executed = int(main * rate) // step * step
        lines[labels[0]] = {"initial": _cents(main), "adjusted": _cents(main), "executed": _cents(executed)}
        total = main
        carry = r.random() < 0.25
        if self.outline != "short" or carry:
            for label in labels[1:]:
                amount = r.randint(5, 200) * 100 if carry and label == labels[1] else 0
                lines[label] = {"initial": _cents(amount), "adjusted": _cents(amount), "executed": _cents(amount)}
                total += amount
        self.decimals = decimals
        return lines, total

    def amounts(self, total_cents: int, parts: int) -> list[Decimal]:
        """Item amounts that add up to the 全年预算数 exactly."""
        step = 10 ** (2 - self.decimals)
        units = total_cents // step
        if units < parts:  # pragma: no cover - budgets start at 20 万元
            parts = 1
        return [_cents(u * step) for u in _split(units, parts, self.rng, even=False)]

    # indicators --------------------------------------------------------------------------------------
    def weights(self) -> dict[str, int]:
        if self.form == "provincial":
            return dict(zip(("产出指标", "效益指标", "满意度指标"),
                            self.rng.choice(((40, 25, 5), (35, 25, 10), (40, 20, 10)))))
        return dict(zip(("产出指标", "效益指标", "满意度指标"),
                        self.rng.choice(((50, 30, 10),) * 4 + ((60, 20, 10), (40, 40, 10), (50, 35, 5)))))

    def indicators(self, weights: dict[str, int]) -> dict:
        r = self.rng
        n = round(r.triangular(MIN_INDICATORS, MAX_INDICATORS, 12))
        form = profile.find("national")      # the 二级 every form suggests
        tier1s = {t: form.tier2_names(t) for t in form.tier1_names()}
        satisfaction = min(weights["满意度指标"], 1 if n < 15 else r.randint(1, 3))
        benefit = min(weights["效益指标"], max(2, round(n * r.uniform(0.25, 0.4))))
        output = n - satisfaction - benefit
        counts = {"产出指标": output, "效益指标": benefit, "满意度指标": satisfaction}
        group_size = r.randint(2, min(5, output - 1)) if r.random() < 0.25 and output >= 4 else 0

        out: dict = {}
        for tier1, tier2_names in tier1s.items():
            rows = counts[tier1]
            entries = rows - (group_size - 1 if tier1 == "产出指标" and group_size else 0)
            entry_weights = _split(weights[tier1], entries, r, even=r.random() < 0.5)
            # 二级 in use: 数量指标 always under 产出; a random subset elsewhere, never more than entries
            names = list(tier2_names)
            used = sorted(r.sample(names, min(len(names), max(1, min(entries, r.randint(1, len(names)))))),
                          key=names.index)
            if tier1 == "产出指标" and "数量指标" not in used:
                used = ["数量指标", *used[:-1]] if len(used) == entries else ["数量指标", *used]
                used.sort(key=names.index)
            buckets: dict[str, list] = {t: [] for t in used}
            slots = list(used) + [r.choice(used) for _ in range(entries - len(used))]
            slots.sort(key=names.index)
            for tier2, weight in zip(slots, entry_weights):
                if tier2 == "数量指标" and group_size:
                    buckets[tier2].append(self.group(group_size, weight))
                    group_size = 0
                else:
                    buckets[tier2].append(self.row(tier2, weight))
            out[tier1] = buckets
        return out

    def row(self, tier2: str, weight: int) -> dict:
        r = self.rng
        for _ in range(5):              # a name used already in this table: draw again (a few times)
            spec = r.choice(ROWS[tier2])
            o = r.choice(self.objects)
            kind, name = spec[0], spec[1].format(o=o)
            if name not in self.names:
                break
        self.names.add(name)
        row: dict = {"name": name}
        w = Decimal(weight)
        missed = r.random() < 0.08
        if kind == "ge":
            _, _, unit, low, high = spec
            t = r.randint(low, high)
            if missed and t >= 3:
                a = r.randint(max(1, math.ceil(t * 0.6)), t - 1)
                row.update(target=f"≥{t}{unit}", actual=f"{a}{unit}", weight=weight,
                           reason=r.choice(REASONS))
            else:
                a = r.randint(t, max(t, int(t * 1.25)))
                row.update(target=f"≥{t}{unit}", actual=f"{a}{unit}", weight=weight)
        elif kind == "pct":
            _, _, low, high = spec
            t = r.randint(low, high)
            if missed:
                a = Decimal(r.randint(int(t * 0.8 * 10), t * 10 - 1)) / 10
                row.update(target=f"≥{t}%", actual=f"{a}%", weight=weight, reason=r.choice(REASONS))
            else:
                a = Decimal(r.randint(t * 10, 1000)) / 10
                row.update(target=f"≥{t}%", actual=f"{a}%", weight=weight)
        elif kind == "le":
            _, _, unit, low, high = spec
            t = r.randint(low, high)
            a = r.randint(max(1, t // 2), t)
            row.update(target=f"≤{t}{unit}", actual=f"{a}{unit}", weight=weight)
        elif kind == "range":
            _, _, unit = spec
            low = r.randint(3, 10)
            high = low + r.randint(2, 10)
            row.update(target=f"{low}-{high}{unit}", actual=f"{r.randint(1, high)}{unit}", weight=weight)
        else:
            _, _, target, actual = spec
            row.update(target=target.format(o=o), actual=actual.format(o=o), weight=weight)
            row.update(self.tier(w))
        return row

    def tier(self, w: Decimal) -> dict:
        """A qualitative verdict: mostly 达成 at full marks; some deducted, with a reason."""
        r = self.rng
        pick = r.random()
        if pick < 0.75:
            return {"tier": "达成"}
        if pick < 0.9:
            low, high = int(w * 80), int(w * 100) - 1
            tier = "达成"
        else:
            low, high = int(w * 60), int(w * 80)
            tier = "部分达成"
        return {"tier": tier, "score": _cents(r.randint(low, high)).normalize(), "reason": r.choice(REASONS)}

    def group(self, size: int, weight: int) -> dict:
        """Several rows under one 分值/得分 (seed 002): quantitative members, or named ones scored."""
        r = self.rng
        o = r.choice(self.objects)
        members = []
        quantitative = r.random() < 0.5
        for i in range(size):
            t = r.randint(2, 20)
            a = r.randint(t, t + t // 4)
            what = r.choice(("场", "次", "批次", "期"))
            if quantitative:
                members.append({"name": f"{o}活动（{i + 1}）", "target": f"≥{t}{what}", "actual": f"{a}{what}"})
            else:
                thing = r.choice(self.objects)
                members.append({"name": f"{t}{what}{thing}{'' if thing.endswith('活动') else '活动'}",
                                "actual": f"{a}{what}"})
        group: dict = {"weight": weight}
        if not quantitative:
            group.update({"score": weight} if r.random() < 0.5 else {"tier": "达成"})
        group["members"] = members
        return group

    # narrative ---------------------------------------------------------------------------------------
    def narrative(self, budget_cents: int, size: int) -> dict:
        return getattr(self, f"_{self.outline}")(budget_cents, size)

    def _share(self, keys: list[str], size: int) -> dict[str, int]:
        weights = [self.rng.uniform(0.3, 1.0) for _ in keys]
        total = sum(weights)
        return {k: max(60, int(size * w / total)) for k, w in zip(keys, weights)}

    def _items(self, budget: int, count: int, amounts: list[Decimal] | None = None, depth: int = 0) -> list:
        r, items = self.rng, []
        for i in range(count):
            o = r.choice(self.objects)
            item: dict = {"title": f"{o}{r.choice(('工作', '活动', '项目', '专项'))}"}
            if amounts:
                item["amount"] = amounts[i]
            if depth == 0 and r.random() < 0.25:
                item["items"] = self._items(budget // 3, r.randint(2, 3), depth=1)
                budget -= budget // 3
            item["text"] = self.writer.text(max(60, budget // count)).strip()
            items.append(item)
        return items

    def _reference(self, budget_cents: int, size: int) -> dict:
        r, w = self.rng, self.writer
        keys = ["overview", "goals", "scope", "method", "process", "conclusion", "decision", "management",
                "output", "benefit", "experience", "suggestions", "other"]
        empty = set(r.sample(["management", "suggestions", "other", "method"], r.randint(0, 3)))
        share = self._share([k for k in keys if k not in empty], size)
        out: dict = {}
        for key in keys:
            if key in empty:
                out[key] = "无。"
            elif key == "overview":
                out[key] = (f"{self.year}年，根据市委、市政府工作部署，安排{self.project}专项资金"
                            "{{ budget.adjusted }}万元。全年共支出{{ budget.executed }}万元，结余{{ balance }}万元，"
                            "预算执行率{{ execution_rate }}。\n\n" + w.text(share[key]))
            elif key == "scope":
                count = r.randint(2, 4)
                section: dict = {"items": self._items(share[key], count, self.amounts(budget_cents, count))}
                if r.random() < 0.3:
                    section = {"title": "评价工作的主要对象和范围", **section}
                out[key] = section
            elif key == "conclusion":
                out[key] = (f"经综合评价，{self.project}绩效自评得分{{{{ total }}}}分，等级为“{{{{ grade }}}}”。\n\n"
                            + w.text(share[key]))
            elif key in ("output", "benefit") and r.random() < 0.4:
                out[key] = {"text": w.text(share[key] // 3).strip(),
                            "items": self._items(share[key] * 2 // 3, r.randint(2, 4))}
            else:
                out[key] = w.text(share[key])
        return out

    def _short(self, budget_cents: int, size: int) -> dict:
        r, w = self.rng, self.writer
        share = self._share(["preamble", "budget", "performance"], size)
        budget: dict = {"title": "基本情况"} if r.random() < 0.3 else {}
        budget["text"] = ("专项资金由财政预算安排{{ budget.adjusted }}万元，共下达资金{{ budget.executed }}万元，"
                          "预算执行率{{ execution_rate }}。\n\n" + w.text(share["budget"] // 2))
        if r.random() < 0.5:
            count = r.randint(2, 5)
            budget["items"] = self._items(share["budget"] // 2, count, self.amounts(budget_cents, count))
        performance = {"text": w.text(share["performance"] // 4).strip(),
                       "items": self._items(share["performance"] * 3 // 4, r.randint(2, 5))}
        if r.random() < 0.3:
            performance["after"] = w.text(200).strip()
        return {"preamble": w.paragraph(share["preamble"]) + "现将绩效自评情况报告如下：\n",
                "budget": budget, "performance": performance}

    def _provincial(self, budget_cents: int, size: int) -> dict:
        r, w = self.rng, self.writer
        share = self._share(["overview", "conclusion", "problems", "suggestions"], size)
        return {
            "overview": w.text(share["overview"]),
            "fund_management": {label: {"situation": s, "improvement": i} for label, (s, i) in FUND_ROWS.items()},
            "conclusion": ("综合考虑资金管理、产出、效果、满意度等各方面因素，最终评分结果为：总得分{{ total }}分，"
                           "属于“{{ grade }}”。\n\n" + w.text(share["conclusion"])),
            "problems": w.text(share["problems"]),
            "suggestions": {"items": [{"title": t, "text": w.text(share["suggestions"] // 5).strip()}
                                      for t in SUGGESTION_TITLES]},
        }

    # the whole source --------------------------------------------------------------------------------
    def source(self) -> dict:
        r, y = self.rng, self.year
        lines, total = self.budget()
        weights = self.weights()
        data: dict = {
            "year": y, "fund": self.fund, "project": self.project, "department": r.choice(DEPARTMENTS),
            "unit": r.choice(UNITS), "title": f"{y}年度市{self.fund}绩效自评报告",
        }
        if r.random() < 0.8:
            data["subtitle"] = f"—{self.project}专项" if self.form != "provincial" else f"（{self.project}）"
        data["attachment"] = {"reference": 2, "short": r.randint(1, 20), "provincial": 1}[self.outline]
        data.update(outline=self.outline, form=self.form)
        if self.form == "city2020" and r.random() < 0.5:
            data["period"] = f"{y}年1月至{y}年12月"
        data["budget"] = {"weight": 10, "lines": lines}
        if self.form == "provincial":
            data["fund_management"] = {"weight": 20, "score": Decimal(r.choice(("20", "20", "19", "18.5", "18")))}
        data["goals"] = {"expected": self.writer.paragraph(r.randint(150, 600)),
                         "actual": self.writer.paragraph(r.randint(150, 900))}
        if weights != {"产出指标": 50, "效益指标": 30, "满意度指标": 10}:
            data["weights"] = weights
        data["indicators"] = self.indicators(weights)
        size = int(math.exp(r.uniform(math.log(MIN_NARRATIVE), math.log(MAX_NARRATIVE))))
        for _ in range(8):   # headings, items and whole sentences overshoot a little: aim lower
            narrative = self.narrative(total, size)
            got = text_bytes(narrative)
            if MIN_NARRATIVE <= got <= MAX_NARRATIVE:
                break
            size = int(size * (0.85 if got > MAX_NARRATIVE else 1.2))
        data["narrative"] = narrative
        return data


def text_bytes(node) -> int:
    """UTF-8 bytes of the text in a narrative (titles and paragraphs, not amounts)."""
    if isinstance(node, str):
        return len(node.encode("utf-8"))
    if isinstance(node, dict):
        return sum(text_bytes(v) for k, v in node.items() if k != "amount")
    if isinstance(node, list):
        return sum(text_bytes(v) for v in node)
    return 0


def generate(index: int, seed: int = SEED, year: int = YEAR) -> tuple[str, str]:
    """(slug, YAML text) of synthetic evaluation number `index`."""
    synth = Synth(index, seed, year)
    data = synth.source()
    header = (f"# Synthetic evaluation for the benchmarks (bench.synth, seed {seed}, index {index}); "
              "not a real report.\n")
    return synth.slug, header + dump(data)


def write_sources(root: Path, n: int, seed: int = SEED, year: int = YEAR) -> list[Path]:
    """Write evaluations 0 … n-1 as root/<year>/<slug>.yaml (only files that differ are rewritten,
    so make sees unchanged sources as unchanged)."""
    paths = []
    for i in range(n):
        slug, text = generate(i, seed, year)
        path = Path(root) / str(year) / f"{slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def text_bytes_of(path: Path) -> int:
    """UTF-8 bytes of the narrative text of a source file."""
    from ruamel.yaml import YAML
    return text_bytes(YAML(typ="safe").load(Path(path).read_text(encoding="utf-8")).get("narrative", {}))


# -- YAML, written the way the hand-made sources are ---------------------------------------------------

def dump(data: dict) -> str:
    out: list[str] = []
    _mapping(data, 0, out)
    return "\n".join(out) + "\n"


def _flow(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in d.items()) + "}"


def _mapping(d: dict, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in d.items():
        if indent == 0 and key in ("budget", "goals", "indicators", "narrative", "weights"):
            out.append("")
        if isinstance(value, dict) and value and all(isinstance(v, (Decimal, int)) for v in value.values()) \
                and key not in ("weights",) and indent > 0:
            out.append(f"{pad}{key}: {_flow(value)}")
        elif isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _mapping(value, indent + 2, out)
        elif isinstance(value, list):
            out.append(f"{pad}{key}:")
            _sequence(value, indent + 2, out)
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{pad}{key}: |")
            for line in value.rstrip("\n").split("\n"):
                out.append(f"{pad}  {line}" if line else "")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")


def _sequence(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and "members" not in item and "items" not in item and "name" in item \
                and len(item) <= 3 and "weight" not in item:
            out.append(f"{pad}- {_flow(item)}")
            continue
        if isinstance(item, dict):
            lines: list[str] = []
            _mapping(item, indent + 2, lines)
            lines[0] = pad + "- " + lines[0][indent + 2:]
            out.extend(lines)
        else:
            out.append(f"{pad}- {_scalar(item)}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--year", type=int, default=YEAR)
    args = p.parse_args(argv)
    paths = write_sources(args.out, args.n, args.seed, args.year)
    print(f"wrote {len(paths)} sources into {args.out}/{args.year}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
