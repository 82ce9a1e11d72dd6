"""Facts the site's pages show that are derived from a region's state: who reports to whom (and where
each box goes in the diagram), contributions per member per year, indicator status against the
target, and the patchwork of regions seen from one municipality. Computed once, here, so that the
templates only present them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from . import labels, schema
from .model import Region, RegionState


# --- organisation: who reports to whom ---------------------------------------------------------

@dataclass
class OrgNode:
    id: str
    name: str
    role: Optional[str]  # body role, None for a collective (raden, colleges) or an outside party
    children: list["OrgNode"] = field(default_factory=list)
    # diagram position (centre x, top y), filled in by _layout
    x: float = 0
    y: float = 0
    lines: tuple[str, ...] = ()


@dataclass
class OrgChart:
    roots: list[OrgNode]  # for the nested list: the top of each reporting line
    nodes: list[OrgNode]  # every box of the diagram
    edges: list[tuple[OrgNode, OrgNode]]  # (child, parent)
    width: int
    height: int


BOX_W, BOX_H, GAP_X, GAP_Y, LINE_CHARS = 190, 72, 16, 44, 24


def _wrap(text: str, width: int = LINE_CHARS, max_lines: int = 3) -> tuple[str, ...]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return tuple(lines)


def org_chart(region: Region) -> OrgChart | None:
    """The bodies as a forest by `reports_to`; a collective (de gemeenteraden) becomes a top box."""
    organisation = region.organisation
    if not organisation or not organisation.bodies:
        return None
    bodies = {b.id: b for b in organisation.bodies}
    nodes = {b.id: OrgNode(b.id, b.name, b.role) for b in organisation.bodies}
    roots: list[OrgNode] = []
    for body in organisation.bodies:
        parent = body.reports_to
        if parent in bodies and not _reaches(bodies, parent, body.id):
            nodes[parent].children.append(nodes[body.id])
        elif parent and parent not in bodies:  # a collective keyword: a box of its own above
            top = next((r for r in roots if r.id == parent), None)
            if top is None:
                top = OrgNode(parent, region.body_name(parent)[:1].upper() + region.body_name(parent)[1:], None)
                roots.append(top)
            top.children.append(nodes[body.id])
        else:
            roots.append(nodes[body.id])
    chart = OrgChart(roots, [], [], 0, 0)
    _layout(chart)
    return chart


def _reaches(bodies: dict[str, schema.Body], start: str, target: str) -> bool:
    """Whether following reports_to from start comes back to target (a cycle): then it is cut."""
    seen = set()
    current: Optional[str] = start
    while current in bodies and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = bodies[current].reports_to
    return False


def _layout(chart: OrgChart) -> None:
    """A tidy tree: each leaf gets the next column, a parent sits centred above its children."""
    slot = BOX_W + GAP_X
    next_column = [0]
    depth_max = [0]

    def place(node: OrgNode, depth: int) -> None:
        depth_max[0] = max(depth_max[0], depth)
        node.y = GAP_Y / 2 + depth * (BOX_H + GAP_Y)
        node.lines = _wrap(node.name)
        chart.nodes.append(node)
        for child in node.children:
            place(child, depth + 1)
            chart.edges.append((child, node))
        if node.children:
            node.x = round((node.children[0].x + node.children[-1].x) / 2, 1)
        else:
            node.x = round(GAP_X / 2 + slot * (next_column[0] + 0.5), 1)
            next_column[0] += 1

    for root in chart.roots:
        place(root, 0)
    chart.nodes.sort(key=lambda n: (n.y, n.x))  # drawing order: top to bottom, left to right
    chart.width = int(next_column[0] * slot + GAP_X)
    chart.height = int((depth_max[0] + 1) * (BOX_H + GAP_Y))


# --- finance ---------------------------------------------------------------------------------

@dataclass
class Cell:
    amount: Optional[float]
    percentage: Optional[float]


@dataclass
class FinanceRow:
    code: str
    name: str
    cells: list[Optional[Cell]]  # one per year of FinanceTable.years


@dataclass
class FinanceTable:
    years: list[int]
    budgets: list[Optional[float]]
    rows: list[FinanceRow]


def finance_table(region: Region) -> FinanceTable | None:
    finance = region.finance
    if not finance or not finance.contributions:
        return None
    contributions = sorted(finance.contributions, key=lambda c: c.year)
    codes = sorted({s.municipality for c in contributions for s in c.shares}, key=region.municipalities.name)
    rows = []
    for code in codes:
        cells = []
        for contribution in contributions:
            share = next((s for s in contribution.shares if s.municipality == code), None)
            cells.append(Cell(share.amount, share.percentage) if share else None)
        rows.append(FinanceRow(code, region.municipalities.name(code), cells))
    return FinanceTable([c.year for c in contributions], [c.budget for c in contributions], rows)


@dataclass
class Bar:
    name: str
    value: float
    width: float
    y: float


@dataclass
class BarChart:
    year: int
    unit: str  # "euro" or "procent"
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bar_chart(region: Region, state: RegionState) -> BarChart | None:
    """Contributions of the state's year, or else the latest year, as horizontal bars."""
    finance = region.finance
    if not finance or not finance.contributions:
        return None
    contribution = state.contributions or max(finance.contributions, key=lambda c: c.year)
    use_amount = all(s.amount is not None for s in contribution.shares)
    values = [(region.municipalities.name(s.municipality), s.amount if use_amount else (s.percentage or 0))
              for s in contribution.shares]
    values.sort(key=lambda pair: (-pair[1], pair[0]))
    top = max((v for _, v in values), default=0) or 1
    label_width, plot, row = 170, 330, 26
    bars = [Bar(name, value, round(plot * value / top, 1), 8 + i * row) for i, (name, value) in enumerate(values)]
    return BarChart(contribution.year, "euro" if use_amount else "procent", bars, label_width + plot + 130,
                    16 + len(bars) * row, label_width)


# --- progress: indicators against their target ---------------------------------------------

@dataclass
class Point:
    x: float
    y: float
    date: dt.date
    value: float


@dataclass
class IndicatorFacts:
    indicator: schema.Indicator
    latest: Optional[schema.Measurement]
    previous: Optional[schema.Measurement]
    status: Optional[str]  # op-koers | aandacht | achter; None without measurements or target
    reason: str
    points: list[Point]
    target_y: Optional[float]
    y_min: float
    y_max: float


CHART_W, CHART_H, PAD = 320, 120, 24


def indicator_facts(indicator: schema.Indicator, on: dt.date) -> IndicatorFacts:
    """Status on a date: target met is op koers; moving towards it is aandacht; otherwise achter."""
    measured = sorted((m for m in indicator.measurements if m.date <= on), key=lambda m: m.date)
    latest = measured[-1] if measured else None
    previous = measured[-2] if len(measured) > 1 else None
    status, reason = None, ""
    if latest is not None and indicator.target is not None:
        sign = -1 if indicator.better == "lower" else 1
        if sign * (latest.value - indicator.target) >= 0:
            status, reason = "op-koers", "De streefwaarde is gehaald."
        elif previous is not None and sign * (latest.value - previous.value) > 0:
            status, reason = "aandacht", "De streefwaarde is nog niet gehaald, maar de laatste meting is beter dan de vorige."
        else:
            status, reason = "achter", "De streefwaarde is niet gehaald en de laatste meting is niet beter dan de vorige."
    values = [m.value for m in measured] + ([indicator.target] if indicator.target is not None else [])
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.1  # room around the line, so that small changes stay visible
    low, high = low - margin, high + margin

    def y_of(value: float) -> float:
        return round(PAD + (CHART_H - 2 * PAD) * (high - value) / (high - low), 1)

    points = []
    if measured:
        first, last = measured[0].date.toordinal(), measured[-1].date.toordinal()
        span = (last - first) or 1
        for m in measured:
            x = PAD + 30 + (CHART_W - 2 * PAD - 40) * ((m.date.toordinal() - first) / span if len(measured) > 1 else 0.5)
            points.append(Point(round(x, 1), y_of(m.value), m.date, m.value))
    target_y = y_of(indicator.target) if indicator.target is not None else None
    return IndicatorFacts(indicator, latest, previous, status, reason, points, target_y, low, high)


@dataclass
class GoalFacts:
    goal: schema.Goal
    indicators: list[IndicatorFacts]
    updates: list[schema.ProgressUpdate]  # newest first: notes beside the goal, they never set its status
    status: Optional[str]  # the goal's one status (goal_status); None when no indicator has one
    reason: str


# From worst to best. A goal is only as far as its weakest indicator.
STATUS_ORDER = ("achter", "aandacht", "op-koers")


def goal_status(indicators: list[IndicatorFacts]) -> tuple[Optional[str], str]:
    """A goal's one status: the worst status of its indicators that have one (an indicator needs a
    target and a measurement). Progress updates are the authors' notes: they never set the status,
    so that no page shows two statuses for one goal (issue 19 item 6). The guide states this rule
    (content/bijdragen/dataformaat.md, progress.yaml)."""
    rated = [i for i in indicators if i.status]
    if not rated:
        return None, ("Geen van de indicatoren heeft een streefwaarde en een meting: de status is niet te bepalen."
                      if indicators else "Er zijn geen indicatoren: de status is niet te bepalen.")
    worst = min(rated, key=lambda i: STATUS_ORDER.index(i.status))
    if len(rated) == 1:
        return worst.status, f"Volgt uit de indicator {worst.indicator.title}."
    counts = ", ".join(f"{n} {labels.label(s, 'status')}" for s in STATUS_ORDER
                       if (n := sum(i.status == s for i in rated)))
    return worst.status, (f"Van de {len(rated)} indicatoren met een streefwaarde: {counts}. "
                          "Het doel krijgt de status van de indicator die het minst ver is.")


def goal_facts(region: Region, on: dt.date) -> list[GoalFacts]:
    goals = region.data.vision.goals if region.data.vision else []
    progress = region.progress
    indicators = progress.indicators if progress else []
    updates = progress.updates if progress else []
    found = []
    for goal in goals:
        measured = [indicator_facts(i, on) for i in indicators if i.goal == goal.id]
        notes = sorted((u for u in updates if u.goal == goal.id and u.date <= on), key=lambda u: u.date,
                       reverse=True)
        found.append(GoalFacts(goal, measured, notes, *goal_status(measured)))
    return found


@dataclass
class GoalUpdates:
    """The newest updates about one goal, shown under the goal's one status ("Wat speelt er?")."""

    goal: GoalFacts
    updates: list[schema.ProgressUpdate]  # newest first


def latest_updates(region: Region, on: dt.date, goals: list[GoalFacts] | None = None,
                   count: int = 3) -> list[GoalUpdates]:
    """The `count` newest updates, grouped by the goal they concern (the goal of the newest first),
    so that each goal, with its one status, appears once. `goals`: goal_facts(region, on), when at hand."""
    updates = region.progress.updates if region.progress else []
    newest = sorted((u for u in updates if u.date <= on), key=lambda u: u.date, reverse=True)[:count]
    goals = {g.goal.id: g for g in (goal_facts(region, on) if goals is None else goals)}
    grouped: dict[str, GoalUpdates] = {}
    for update in newest:
        if update.goal in goals:  # validation makes every update's goal exist
            grouped.setdefault(update.goal, GoalUpdates(goals[update.goal], [])).updates.append(update)
    return list(grouped.values())


# --- the portal: the patchwork seen from one municipality ----------------------------------

@dataclass
class Representative:
    name: str
    position: str
    body: str
    until: Optional[dt.date]


@dataclass
class Membership:
    region: Region
    periods: list[schema.Member]  # this municipality's member periods in the region, oldest first
    current: Optional[schema.Member]
    contribution: Optional[schema.Share]  # this year's
    representatives: list[Representative]


def memberships(code: str, regions: list[Region], states: dict[str, RegionState]) -> list[Membership]:
    found = []
    for region in regions:
        periods = sorted((m for m in region.data.members if m.municipality == code), key=lambda m: m.since)
        if not periods:
            continue
        state = states[region.id]
        current = next((m for m in state.current_members if m.municipality == code), None)
        year = state.contributions
        share = next((s for s in year.shares if s.municipality == code), None) if year else None
        representatives = [Representative(h.name, p.position.title, p.body.name, h.until)
                           for p in state.positions for h in p.holders if h.municipality == code]
        found.append(Membership(region, periods, current, share, representatives))
    return sorted(found, key=lambda m: (m.current is None, m.region.data.name))


@dataclass
class OverlapRow:
    """One municipality in the overlap matrix."""

    cells: list[str]  # per region, in the given order: 'lid' (member now), 'voormalig' (was a member) or ''
    current: int  # the regions it is a member of now


def overlap(codes: list[str], regions: list[Region], states: dict[str, RegionState]) -> dict[str, OverlapRow]:
    """Per municipality, its row of the overlap matrix."""
    # each region's members as sets, looked up for every municipality (thousands of cells)
    now = [{m.municipality for m in states[r.id].current_members} for r in regions]
    ever = [{m.municipality for m in r.data.members} for r in regions]
    matrix: dict[str, OverlapRow] = {}
    for code in codes:
        cells = ["lid" if code in members else ("voormalig" if code in ever[i] else "")
                 for i, members in enumerate(now)]
        matrix[code] = OverlapRow(cells, cells.count("lid"))
    return matrix


# --- members, grouped per municipality -------------------------------------------------------

@dataclass
class MemberFacts:
    code: str
    name: str
    current: Optional[schema.Member]  # the period that applies on the date, if any
    periods: list[schema.Member]  # all periods, oldest first
    ended: Optional[dt.date]  # the municipality itself ceased to exist (herindeling)
    successor: Optional[str]  # name of the municipality it merged into
    successor_code: Optional[str]

    @property
    def last(self) -> schema.Member:
        return self.periods[-1]

    @property
    def partial(self) -> bool:
        return bool(self.current and self.current.domains)

    @property
    def bodies_key(self) -> str:
        """The municipal bodies that take part, as one text: members with the same ones are named together."""
        return ",".join(self.current.bodies) if self.current and self.current.bodies else ""


def member_facts(region: Region, state: RegionState) -> tuple[list[MemberFacts], list[MemberFacts]]:
    """(current, former) municipalities; a municipality with several periods appears once."""
    codes: dict[str, list[schema.Member]] = {}
    for member in region.data.members:
        codes.setdefault(member.municipality, []).append(member)
    current, former = [], []
    on = state.on
    for code, periods in codes.items():
        periods.sort(key=lambda m: m.since)
        now = next((m for m in periods if m.active_on(on)), None)
        info = region.municipalities.get(code)
        successor = info.succeeded_by if info else None
        facts = MemberFacts(code, region.municipalities.name(code), now, periods, info.ended if info else None,
                            region.municipalities.name(successor) if successor else None, successor)
        if now is not None:
            current.append(facts)
        elif any(m.until is not None and m.until < on for m in periods):
            former.append(facts)
    current.sort(key=lambda f: f.name)
    former.sort(key=lambda f: (f.last.until, f.name), reverse=True)
    return current, former


# --- decisions: in whose name, and where a resident objects ------------------------------------

# A decision in the name of every municipality's own body: the resident objects at their own municipality's.
OWN_MUNICIPALITY = {
    "raden": "de gemeenteraad van uw eigen gemeente",
    "colleges": "het college van burgemeester en wethouders van uw eigen gemeente",
    "burgemeesters": "de burgemeester van uw eigen gemeente",
}


@dataclass
class Objection:
    """Where a resident files an objection (bezwaar) against a decision."""

    body: str  # the body's reference: the one in whose name the decision is taken
    name: str  # in words, e.g. "het dagelijks bestuur" or "het college ... van uw eigen gemeente"
    address: Optional[str]
    website: Optional[str]
    mandate: bool  # taken under a mandate: the objection goes to the mandator (art. 10:2 Awb)


def objection(region: Region, decision: schema.Decision) -> Objection | None:
    """The body a resident objects to (art. 6:4 Awb: the body that took the decision; under a mandate the
    mandator's, art. 10:2 Awb; under delegation the delegate's own, art. 10:13 Awb). None when the decision
    records no authority or no objection is possible."""
    authority = decision.authority
    if authority is None or not authority.objection:
        return None
    ref = decision.taken_in_name_of
    body = region.organisation.body(ref) if region.organisation else None
    name = OWN_MUNICIPALITY.get(ref) or (body.name if body else region.body_name(ref))
    return Objection(ref, name, body.address if body else None, body.website if body else None,
                     authority.kind == "mandaat")


# --- zienswijze rounds: which councils gave one, and the board's answer ------------------------

@dataclass
class CouncilView:
    code: str
    name: str
    view: Optional[schema.View]  # None: this council gave no zienswijze (yet)


@dataclass
class RoundFacts:
    round: schema.ZienswijzeRound
    ends: dt.date  # the last day of the term
    councils: list[CouncilView]  # the members the draft went to, by name
    answer: Optional[schema.Answer]  # the board's answer, once given

    @property
    def given(self) -> list[CouncilView]:
        return [c for c in self.councils if c.view is not None]


def zienswijze_rounds(region: Region, on: dt.date) -> list[RoundFacts]:
    """The rounds whose draft went out by `on`, newest first, with what was known on that date."""
    accountability = region.accountability
    rounds = accountability.zienswijze_rounds if accountability else []
    found = []
    for round_ in rounds:
        if round_.sent > on:
            continue
        views = {v.municipality: v for v in round_.views if v.date <= on}
        councils = sorted((CouncilView(m.municipality, region.municipalities.name(m.municipality),
                                       views.get(m.municipality)) for m in region.members_on(round_.sent)),
                          key=lambda c: c.name)
        answer = round_.answer if round_.answer and round_.answer.date <= on else None
        found.append(RoundFacts(round_, round_.ends, councils, answer))
    return sorted(found, key=lambda r: (r.round.sent, r.round.id), reverse=True)
