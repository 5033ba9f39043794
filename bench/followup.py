"""Commissions, milestones, recommendations, actions, decisions and indicators of a region."""

import datetime

from bench.vocabulary import ACTION_TITLES, AREA_KEYS, AREAS, MILESTONES

# Generated dates are placed around this day, so the benchmark's as-of date finds overdue work.
REFERENCE = datetime.date(2025, 11, 1)
COMMISSIONS = 4
STATUSES = ("planned", "in_progress", "done", "blocked", "cancelled")
STATUS_WEIGHTS = (30, 35, 20, 5, 10)


def add_followup(built, region):
    """Add the region's commissions with milestones, recommendations, actions and decisions."""
    rng, forum, groups = built.rng, region.forum, region.groups
    staff = groups["nsv"] + groups["hc"] + groups["sjh"]
    owners = [forum[s] for s in ("rs", "hsn", "lsg", "clg")]
    actions = []
    for number in range(COMMISSIONS):
        key = region.key(f"upd{number}")
        start = REFERENCE - datetime.timedelta(days=rng.randint(120, 700))
        end = start + datetime.timedelta(days=rng.randint(180, 540))
        built.add(
            "commissions", key=key, title=f"Uppdrag Nära vård {number + 1}",
            owner=rng.choice(owners)["key"], lead=rng.choice(groups["leaders"]),
            members=sorted(set(rng.sample(staff, 5))), start=start.isoformat(),
            end=end.isoformat(), goals=["Stärka primärvården som nav", "Tydliggöra ansvar"],
            status="delivered" if end < REFERENCE else "active",
        )
        step = (end - start) / (len(MILESTONES) - 1)
        for position, (code, title) in enumerate(MILESTONES):
            due = start + step * position
            done = due < REFERENCE and rng.random() < 0.8
            built.add("milestones", key=f"{key}-{code.lower()}", title=title, commission=key,
                      code=code, due=due.isoformat(),
                      done_on=(due + datetime.timedelta(days=rng.randint(-10, 20))).isoformat()
                      if done else None)
        for rec in range(3):
            rec_key = f"{key}-rek{rec}"
            areas = sorted(rng.sample(AREA_KEYS, rng.randint(1, 2)))
            built.add("recommendations", key=rec_key, commission=key, areas=areas,
                      text=f"Rekommendation {rec + 1}: utveckla arbetet inom "
                           f"{AREAS[AREA_KEYS.index(areas[0])][1].lower()}")
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                actions.append(_action(built, region, f"{key}-atg{len(actions)}", key, rec_key,
                                       areas))
    for _ in range(2):
        actions.append(_action(built, region, region.key(f"atg{len(actions)}"), None, None,
                               [rng.choice(AREA_KEYS)]))
    for number in range(6):
        built.add("decisions", key=region.key(f"beslut{number}"), forum=rng.choice(owners)["key"],
                  title=f"Beslut om åtgärder {number + 1}",
                  date=(REFERENCE - datetime.timedelta(days=rng.randint(10, 400))).isoformat(),
                  actions=sorted(set(rng.sample(actions, min(2, len(actions))))))
    add_indicator(built, region.key("ind-fastlak"), "kontinuitet")


def _action(built, region, key, commission, recommendation, areas):
    rng = built.rng
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    owner = rng.random()
    with_area = [f for f in region.working_groups if set(f.get("areas", ())) & set(areas)]
    owner_forum = owner_person = None
    if owner < 0.45:
        members = built.memberships.of(rng.choice(with_area)) if with_area else []
        owner_person = rng.choice(members or region.groups["hc"])
        if rng.random() < 0.15:
            owner_person = rng.choice(region.groups["sjh"])
    elif owner < 0.95:
        owner_forum = rng.choice(with_area or region.working_groups)["key"]
        if rng.random() < 0.1:
            owner_forum = rng.choice(region.working_groups)["key"]
        if owner > 0.85:
            owner_person = rng.choice(region.groups["leaders"])
    due = REFERENCE + datetime.timedelta(days=rng.randint(-300, 300))
    built.add(
        "actions", key=key, title=rng.choice(ACTION_TITLES), commission=commission,
        recommendation=recommendation, owner_person=owner_person, owner_forum=owner_forum,
        areas=list(areas), due=due.isoformat() if rng.random() < 0.9 else None, status=status,
        progress={"done": 100, "planned": 0}.get(status, rng.randint(1, 9) * 10),
    )
    return key


def add_indicator(built, key, area):
    """Add an indicator with monthly values for 2024 and 2025 up to the reference month."""
    rng = built.rng
    level = rng.uniform(10, 40)
    values = []
    for month in range(22):
        year, month_of_year = divmod(month, 12)
        level += rng.uniform(-1, 2)
        values.append({"date": datetime.date(2024 + year, month_of_year + 1, 1).isoformat(),
                       "value": round(level, 1)})
    built.add("indicators", key=key, name=f"Andel invånare med fast läkarkontakt ({key})",
              unit="%", areas=[area], target=round(level + 10), values=values)
