"""Names used by the generator: regions, Västerbotten's municipalities, areas, topics, people."""

# (slug, name, number of municipalities); Västerbotten first, so every scale includes it.
REGIONS = (
    ("vbn", "Region Västerbotten", 15),
    ("sto", "Region Stockholm", 26),
    ("upp", "Region Uppsala", 8),
    ("sor", "Region Sörmland", 9),
    ("ost", "Region Östergötland", 13),
    ("jkp", "Region Jönköpings län", 13),
    ("kro", "Region Kronoberg", 8),
    ("kal", "Region Kalmar län", 12),
    ("got", "Region Gotland", 1),
    ("ble", "Region Blekinge", 5),
    ("ska", "Region Skåne", 33),
    ("hal", "Region Halland", 6),
    ("vgr", "Västra Götalandsregionen", 49),
    ("vrm", "Region Värmland", 16),
    ("ore", "Region Örebro län", 12),
    ("vma", "Region Västmanland", 10),
    ("dal", "Region Dalarna", 15),
    ("gav", "Region Gävleborg", 10),
    ("vnl", "Region Västernorrland", 7),
    ("jmt", "Region Jämtland Härjedalen", 8),
    ("nbn", "Region Norrbotten", 14),
)

VASTERBOTTEN_MUNICIPALITIES = (
    "Bjurholm", "Dorotea", "Lycksele", "Malå", "Nordmaling", "Norsjö", "Robertsfors",
    "Skellefteå", "Sorsele", "Storuman", "Umeå", "Vilhelmina", "Vindeln", "Vännäs", "Åsele",
)

AREAS = (
    ("kontinuitet", "Kontinuitet i primärvården, inklusive fast läkarkontakt"),
    ("tillganglighet", "Tillgänglighet i primärvården"),
    ("forebyggande", "Förebyggande och hälsofrämjande arbete"),
    ("rehab", "Habiliterande och rehabiliterande arbete"),
    ("personcentrering", "Personcentrering"),
    ("planering", "Planering och samverkan mellan kommun och region"),
    ("kompetens", "Kompetensförsörjning och arbetsmiljö i primärvården"),
    ("landsbygd", "Utveckling av primärvården i landsbygd och glesbygd"),
)
AREA_KEYS = tuple(key for key, _name in AREAS)

# Local programme areas (LPO) of knowledge management and the areas they have a mandate for.
PROGRAMME_AREAS = (
    ("primarvard", "LPO primärvård", ("kontinuitet", "tillganglighet")),
    ("rehab", "LPO rehabilitering", ("rehab",)),
    ("psykisk", "LPO psykisk hälsa", ("personcentrering", "forebyggande")),
    ("aldre", "LPO äldres hälsa", ("planering", "rehab")),
    ("barn", "LPO barn och unga", ("forebyggande", "personcentrering")),
    ("levnadsvanor", "LPO levnadsvanor", ("forebyggande",)),
)

TOPICS = (
    ("SIP – samordnad individuell plan", ("planering", "personcentrering")),
    ("Fast vårdkontakt", ("kontinuitet",)),
    ("Hemsjukvård", ("planering", "rehab")),
    ("Rehabilitering i hemmet", ("rehab",)),
    ("Digitala vårdmöten", ("tillganglighet", "landsbygd")),
    ("Kompetensförsörjning", ("kompetens",)),
    ("Levnadsvanor", ("forebyggande",)),
    ("Palliativ vård", ("personcentrering", "planering")),
    ("Barn och unga", ("forebyggande",)),
    ("Äldres hälsa", ("planering",)),
    ("Psykisk hälsa", ("personcentrering",)),
    ("Utskrivningsprocessen", ("planering", "kontinuitet")),
    ("Glesbygdsmedicin", ("landsbygd",)),
    ("Mobila team", ("landsbygd", "tillganglighet")),
    ("Arbetsmiljö i primärvården", ("kompetens",)),
)

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin",
    "Johanna", "Linnea", "Elin", "Ida", "Sofia", "Lars", "Mikael", "Anders", "Johan", "Per",
    "Erik", "Karl", "Peter", "Thomas", "Daniel", "Fredrik", "Jonas", "Magnus", "Oskar", "Nils",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Lindberg", "Lindström", "Lundgren",
    "Berg", "Bergström", "Sandberg", "Forsberg", "Sjöberg", "Wikström", "Holmgren", "Nyström",
    "Öberg", "Lundmark", "Marklund", "Burman", "Åström", "Sundqvist", "Hedlund", "Granberg",
)

TITLES = {
    "region": ("Regionråd", "Hälso- och sjukvårdsdirektör", "Primärvårdsdirektör", "Strateg"),
    "region_unit": (
        "Verksamhetschef", "Distriktsläkare", "Distriktssköterska", "Fysioterapeut",
        "Arbetsterapeut", "Enhetschef", "Utvecklingsledare", "Strateg Nära vård",
    ),
    "municipality": ("Socialchef", "MAS", "Enhetschef hemtjänst", "Sjuksköterska", "Strateg"),
    "private_provider": ("Verksamhetschef", "Läkare"),
    "user_organisation": ("Patientföreträdare",),
    "union": ("Facklig företrädare",),
    "national": ("Handläggare", "Utredare", "Programansvarig"),
}

MILESTONES = (
    ("BP0", "Uppdraget startat"),
    ("BP1", "Nulägesanalys klar"),
    ("MS1", "Förslag på åtgärder"),
    ("BP2", "Beslut om åtgärder"),
    ("BP3", "Leverans till uppdragsägare"),
)

ACTION_TITLES = (
    "Ta fram gemensam implementeringsplan för primärvården",
    "Säkerställ mandat och ansvar för LPO primärvård",
    "Integrera kunskapsstyrningen i länssamverkansstrukturen",
    "Kommunikationsinsats så att invånare hittar rätt",
    "Föreslå justering av ersättningsmodellen i hälsovalet",
    "Inför fast vårdkontakt för personer med stora behov",
    "Använd SIP vid utskrivning från slutenvården",
    "Starta mobilt team i glesbygd",
    "Utbilda chefer i nära vård",
    "Följ upp kontinuitet med Ko05L",
)
