"""One generated region (organisations, people, forums, planted problems) and the national layer."""

from bench.followup import add_followup, add_indicator
from bench.people import candidates, degree
from bench.vocabulary import AREA_KEYS, PROGRAMME_AREAS, TOPICS, VASTERBOTTEN_MUNICIPALITIES

HEALTH_CENTRES = 12
PEOPLE = 1180
WORKING_GROUPS = 158
NATIONAL_PEOPLE = 120
PROGRAMME_AREAS_NATIONAL = 26
NATIONAL_WORKING_GROUPS = 16


class Region:
    """Builds one region into a ``Map``; keys are prefixed by the region's slug."""

    def __init__(self, built, number, slug, size):
        self.built, self.rng, self.number, self.slug, self.size = (
            built, built.rng, number, slug, size,
        )
        self.forum = {}
        self.groups = {}  # person group -> person keys
        self.municipalities = []  # (org key, sub-unit key, name)
        self.working_groups = []

    def key(self, suffix):
        """Return a key inside the region."""
        return f"{self.slug}-{suffix}"

    def scaled(self, count):
        """Scale a per-region count by the region's size."""
        return max(1, round(count * self.size))

    def organisations(self, name, municipality_count):
        """Add the region, its units, its municipalities and other organisations."""
        add = self.built.add
        add("organisations", key=self.slug, name=name, kind="region", principal=True)
        for unit, unit_name in (("best", "Beställarenheten"), ("sjh", "Sjukhusvården")):
            add("organisations", key=self.key(unit), name=unit_name, kind="region_unit",
                parent=self.slug)
        for nsv in range(1, 4):
            add("organisations", key=self.key(f"nsv{nsv}"), name=f"Närsjukvårdsområde {nsv}",
                kind="region_unit", parent=self.slug)
        for hc in range(self.scaled(HEALTH_CENTRES)):
            add("organisations", key=self.key(f"hc{hc:02d}"), name=f"Hälsocentral {hc + 1}",
                kind="region_unit", parent=self.key(f"nsv{hc % 3 + 1}"))
        for number in range(municipality_count):
            muni = f"{name.removeprefix('Region ')} kommun {number + 1}"
            if self.slug == "vbn":
                muni = f"{VASTERBOTTEN_MUNICIPALITIES[number]}s kommun"
            org = self.key(f"k{number:02d}")
            add("organisations", key=org, name=muni, kind="municipality", principal=True)
            add("organisations", key=f"{org}-vo", name=f"Vård och omsorg, {muni}",
                kind="municipality", parent=org)
            self.municipalities.append((org, f"{org}-vo", muni))
        for suffix, org_name, kind in (
            ("priv1", "Läkarhuset Nära AB", "private_provider"),
            ("priv2", "Vårdcentralen Kompassen AB", "private_provider"),
            ("pat", "Patient- och brukarrådet", "user_organisation"),
            ("fack", "Vårdförbundet, avdelningen", "union"),
        ):
            add("organisations", key=self.key(suffix), name=org_name, kind=kind)

    def people(self):
        """Add the people of the region, grouped by where they work."""
        total = self.scaled(PEOPLE)
        serial = iter(range(10**6))

        def person(group, org, kind):
            key = self.built.person(self.key(f"p{next(serial):04d}"), org, kind)
            self.groups.setdefault(group, []).append(key)

        for _ in range(14):
            person("politicians", self.slug, "region")
        for _ in range(8):
            person("leaders", self.slug, "region")
        health_centres = self.scaled(HEALTH_CENTRES)
        staff = {
            "nsv": (0.08, lambda i: self.key(f"nsv{i % 3 + 1}"), "region_unit"),
            "hc": (0.30, lambda i: self.key(f"hc{i % health_centres:02d}"), "region_unit"),
            "sjh": (0.14, lambda i: self.key("sjh"), "region_unit"),
            "best": (0.03, lambda i: self.key("best"), "region_unit"),
            "priv": (0.06, lambda i: self.key(f"priv{i % 2 + 1}"), "private_provider"),
            "pat": (0.02, lambda i: self.key("pat"), "user_organisation"),
            "fack": (0.02, lambda i: self.key("fack"), "union"),
        }
        for group, (share, org, kind) in staff.items():
            for i in range(max(4, round(total * share))):
                person(group, org(i), kind)
        # Municipal staff: at least three per municipality, the rest by municipality size;
        # every other one works in the municipality's care unit rather than its central office.
        weights = [self.rng.randint(1, 5) for _ in self.municipalities]
        for i in range(max(round(total * 0.33), 3 * len(weights))):
            if i < 3 * len(weights):
                number = i % len(weights)
            else:
                number = self.rng.choices(range(len(weights)), weights)[0]
            org, unit, _name = self.municipalities[number]
            person(f"muni{number}", org if i % 2 else unit, "municipality")

    def add_forum(self, suffix, name, kind, level, areas, reports_to=None, apex=False):
        """Add a forum of the region and return its entry."""
        entry = self.built.add(
            "forums", key=self.key(suffix), name=name, kind=kind, level=level, apex=apex or None,
            reports_to=reports_to["key"] if reports_to else None, areas=sorted(areas),
            meets=self.rng.choice(("varje månad", "varannan månad", "fyra gånger per år")),
        )
        self.forum[suffix] = entry
        return entry

    def forums(self):
        """Add the reporting trees: political, management, knowledge management, county."""
        f, every = self.add_forum, AREA_KEYS
        rs = f("rs", "Regionstyrelsen", "political", "regional", every, apex=True)
        lsg = f("lsg", "Länssamverkansgruppen (LSG)", "collaboration", "county", every, apex=True)
        hsn = f("hsn", "Hälso- och sjukvårdsnämnden", "political", "regional", every, rs)
        f("ber", "Beredningen för primärvård och tandvård", "political", "regional",
          ("kontinuitet", "tillganglighet", "landsbygd"), hsn)
        clg = f("clg", "Central ledningsgrupp (CLG)", "management", "regional", every, rs)
        f("samr", "Fackligt samråd", "consultation", "regional", ("kompetens",), clg)
        rpo = f("rpo", "Regionalt programområde primärvård", "knowledge_management", "regional",
                ("kontinuitet", "tillganglighet", "forebyggande"), clg)
        rsg = f("rsg", "Regional samordningsgrupp Nära vård", "collaboration", "regional", every,
                lsg)
        f("rilg", "Regionintern länsgrupp för nära vård", "collaboration", "regional",
          ("kontinuitet", "planering", "personcentrering"), lsg)
        for nsv in range(1, 4):
            f(f"nsv{nsv}-lg", f"Ledningsgrupp närsjukvårdsområde {nsv}", "management", "local",
              ("kontinuitet", "tillganglighet", "kompetens"), clg)
        for suffix, name, areas in PROGRAMME_AREAS:
            f(f"lpo-{suffix}", name, "knowledge_management", "regional", areas, rpo)
        for number, (_org, _unit, muni) in enumerate(self.municipalities):
            extra = self.rng.choice(AREA_KEYS)
            f(f"k{number:02d}-ls", f"Lokal samverkan Nära vård – {muni}", "local_forum", "local",
              {"planering", "personcentrering", extra}, rsg)
        parents = (
            [self.forum[f"k{n:02d}-ls"] for n in range(len(self.municipalities))] * 3
            + [self.forum[f"lpo-{s}"] for s, _n, _a in PROGRAMME_AREAS] * 4
            + [self.forum[f"nsv{n}-lg"] for n in range(1, 4)] * 6
            + [rsg] * 12 + [self.forum["rilg"]] * 12
        )
        for number in range(self.scaled(WORKING_GROUPS)):
            topic, areas = self.rng.choice(TOPICS)
            parent = self.rng.choice(parents if number < 20 or self.rng.random() < 0.9
                                     else self.working_groups)
            wg = f(f"ag{number:03d}", f"Arbetsgrupp {topic} {number + 1}", "working_group",
                   parent["level"] if parent["level"] == "local" else "regional", areas, parent)
            self.working_groups.append(wg)

    def memberships(self):
        """Seat the people: designated seats in the top bodies, the rest spread by weight."""
        ms, rng, g, forum = self.built.memberships, self.rng, self.groups, self.forum
        ms.add_many(forum["rs"], g["politicians"][:11] + g["leaders"][:1])
        ms.add_many(forum["hsn"], g["politicians"][5:14] + g["leaders"][1:2])
        ms.add_many(forum["ber"], g["politicians"][11:14] + g["leaders"][5:8])
        ms.add_many(forum["clg"], g["leaders"][:5] + g["nsv"][:3] + g["sjh"][:1])
        ms.add_many(forum["lsg"], g["leaders"][:4] + g["pat"][:1])
        for number in range(len(self.municipalities)):
            if rng.random() < 0.85 and g.get(f"muni{number}"):
                ms.add(forum["lsg"], g[f"muni{number}"][0])
        ms.add_many(forum["rsg"], g["leaders"][1:3])
        ms.add_many(forum["samr"], g["fack"][:4])
        regional = [forum[s] for s in ("rsg", "rilg", "rpo")]
        lpos = [forum[f"lpo-{s}"] for s, _n, _a in PROGRAMME_AREAS]
        locals_ = [forum[f"k{n:02d}-ls"] for n in range(len(self.municipalities))]
        wgs = self.working_groups
        staff = [(x, 2) for x in regional] + [(x, 4) for x in lpos] + [(x, 3) for x in wgs]
        pools = {
            "nsv": candidates(staff + [(forum[f"nsv{n}-lg"], 6) for n in range(1, 4)]),
            "hc": candidates(staff + [(x, 2) for x in locals_]),
            "sjh": candidates(staff),
            "best": candidates([(x, 4) for x in regional] + [(x, 1) for x in wgs]),
            "priv": candidates([(x, 3) for x in locals_] + [(lpos[0], 8)] + [(x, 1) for x in wgs]),
            "pat": candidates([(x, 3) for x in locals_] + [(x, 1) for x in wgs]),
            "fack": candidates([(forum["samr"], 10)] + [(x, 1) for x in wgs]),
        }
        for number, local in enumerate(locals_):
            attached = [(x, 6) for x in wgs if x.get("reports_to") == local["key"]]
            pools[f"muni{number}"] = candidates(
                [(local, 14)] + attached + [(x, 1) for x in wgs]
                + [(x, 2) for x in regional] + [(lpos[3], 2)]
            )
        for group, people in g.items():
            if group in pools:
                for person in people:
                    ms.spread(person, pools[group], degree(rng))

    def plant_problems(self):
        """Plant orphans, cycles, parallel structures and an empty forum, as real maps have."""
        rng, wgs, ms, forum = self.rng, self.working_groups, self.built.memberships, self.forum
        for wg in rng.sample(wgs, 2):
            wg.pop("reports_to", None)
        if self.number % 3 == 1:
            first, second, third = rng.sample(wgs, 3)
            first["reports_to"], second["reports_to"] = second["key"], first["key"]
            third["reports_to"] = first["key"]
        if self.number % 7 == 5:
            looped = rng.choice(wgs)
            looped["reports_to"] = looped["key"]
        if self.number % 2 == 0:
            rsg = ms.of(forum["rsg"])
            ms.add_many(forum["rilg"], rng.sample(rsg, round(len(rsg) * 0.7)))
        busy = [wg for wg in wgs if len(ms.of(wg)) >= 6]
        for number, original in enumerate(rng.sample(busy, min(2, len(busy)))):
            members = ms.of(original)
            copy = self.add_forum(f"ag-ny{number}", f"{original['name']} (ny)", "working_group",
                                  original["level"], original["areas"], forum["rsg"])
            ms.add_many(copy, rng.sample(members, round(len(members) * 0.75)))
            ms.add(copy, rng.choice(self.groups["hc"]))
        self.add_forum("ag-vilande", "Arbetsgrupp Tandvård (vilande)", "working_group",
                       "regional", ("forebyggande",), forum["rpo"])

    def summary(self):
        """Return what the national layer needs: the leaders and the active people."""
        active = [p for s in ("rsg", "rpo", "lpo-primarvard") for p in
                  self.built.memberships.of(self.forum[s])]
        return {"leaders": self.groups["leaders"], "active": active or self.groups["leaders"]}


def build_region(built, number, slug, name, municipality_count, size):
    """Add one complete region to the map and return its summary for the national layer."""
    region = Region(built, number, slug, size)
    region.organisations(name, municipality_count)
    region.people()
    region.forums()
    region.memberships()
    region.plant_problems()
    add_followup(built, region)
    return region.summary()


def build_national_layer(built, scale, regions):
    """Add the national bodies that link the regions, and national indicators."""
    rng, ms = built.rng, built.memberships
    for key, name in (("nat-skr", "Sveriges Kommuner och Regioner"),
                      ("nat-sos", "Socialstyrelsen"),
                      ("nat-vda", "Myndigheten för vård- och omsorgsanalys")):
        built.add("organisations", key=key, name=name, kind="national")
    national = [built.person(f"nat-p{i:04d}", rng.choice(("nat-skr", "nat-sos", "nat-vda")),
                             "national") for i in range(max(3, round(NATIONAL_PEOPLE * scale)))]
    top = built.add("forums", key="nat-styr", name="Nationell styrgrupp Nära vård",
                    kind="collaboration", level="national", apex=True, areas=list(AREA_KEYS))
    ks = built.add("forums", key="nat-ks", name="Nationellt system för kunskapsstyrning",
                   kind="knowledge_management", level="national", apex=True,
                   areas=["forebyggande", "kontinuitet", "rehab"])
    ms.add_many(top, rng.sample(national, 3) + [r["leaders"][0] for r in regions])
    ms.add_many(ks, rng.sample(national, 3))
    for i in range(max(1, round(PROGRAMME_AREAS_NATIONAL * scale))):
        _topic, areas = TOPICS[i % len(TOPICS)]
        npo = built.add("forums", key=f"nat-npo{i:02d}", name=f"Nationellt programområde {i + 1}",
                        kind="knowledge_management", level="national", reports_to="nat-ks",
                        areas=sorted(areas))
        ms.add_many(npo, rng.sample(national, 2))
        for region in rng.sample(regions, min(6, len(regions))):
            ms.add(npo, rng.choice(region["active"]))
    for i in range(max(1, round(NATIONAL_WORKING_GROUPS * scale))):
        topic, areas = TOPICS[(i * 5) % len(TOPICS)]
        wg = built.add("forums", key=f"nat-ag{i:02d}", name=f"Nationell arbetsgrupp {topic}",
                       kind="working_group", level="national", reports_to="nat-styr",
                       areas=sorted(areas))
        ms.add_many(wg, rng.sample(national, 2))
        for region in rng.sample(regions, min(4, len(regions))):
            ms.add(wg, rng.choice(region["active"]))
    for key, _name in (("kontinuitet", ""), ("tillganglighet", ""), ("kompetens", "")):
        add_indicator(built, f"nat-ind-{key}", key)
