"""Small word lists detection needs to tell a name from an ordinary word (all folded).

Kept short and plain: titles, months, words that mark an organisation or a place,
short English words that initials can spell, and given names that are also words.
"""

from __future__ import annotations

__all__ = [
    "TITLES",
    "POLICE_RANKS",
    "MONTHS",
    "ORG_WORDS",
    "SHORT_WORDS",
    "WORD_NAMES",
    "STREET_WORDS",
    "RELATIONS",
    "NOT_NAME_WORDS",
]

TITLES = frozenset("mr mrs ms miss mx dr prof sir dame lord lady rev master madam".split())
POLICE_RANKS = frozenset("pc dc ds di dci dsu sgt insp wpc ps supt cst".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
    " monday tuesday wednesday thursday friday saturday sunday".split()
)
STREET_WORDS = frozenset(
    "road rd street st avenue ave lane close drive way court gardens crescent terrace place square"
    " grove hill row walk mews park parade rise vale view green gate wharf yard boulevard approach"
    " circus broadway croft fold chase quay embankment".split()
)
# A capitalised word like these makes a run of capitals an organisation, court or place.
ORG_WORDS = frozenset(
    "office police council court courts tribunal tribunals department service services trust hospital"
    " school college university academy solicitors solicitor chambers llp ltd limited plc inc church"
    " centre center bank agency authority ministry government embassy commission group association"
    " society foundation charity station airport prison borough county act acts rules regulations"
    " infirmary surgery clinic practice directorate division bench casework visas team cross action"
    " help torture legal law advice partnership company committee board institute network project"
    " mosque temple gurdwara library museum stadium hotel airways airlines hospice hostel".split()
)
# English words of up to three letters: initials that spell one need more than capitals.
SHORT_WORDS = frozenset(
    "a i am an as at be by do go he if in is it me my no of oh ok on or so to up us we ye"
    " ace act add ado age ago aid aim air all and any ape apt arc are ark arm art ash ask ate awe axe"
    " bad bag ban bar bat bay bed bee beg bet bid big bin bit bob bog boo bow box boy bra bud bug bun"
    " bus but buy bye cab can cap car cat cob cod cog con cop cot cow coy cry cub cue cup cut dab dad"
    " dam day den dew did die dig dim din dip doe dog don dot dry dub due dug dye ear eat ebb egg ego"
    " elf elk elm end era eve ewe eye fan far fat fax fed fee few fig fin fir fit fix flu fly foe fog"
    " for fox fry fun fur gag gap gas gel gem get gin god got gum gun gut guy gym had ham has hat hay"
    " hem hen her hey hid him hip his hit hob hog hop hot how hub hue hug hum hut ice icy ill imp ink"
    " inn ion its ivy jab jam jar jaw jet jig job jog jot joy jug keg key kid kin kit lab lad lag lap"
    " law lay leg let lid lie lip lit log lot low mad man map mat may men met mid mix mob mop mud mug"
    " mum nab nag nap net new nil nip nod nor not now nun nut oak oar oat odd off oft oil old one opt"
    " orb ore our out owe owl own pad pal pan par pat paw pay pea peg pen pet pew pie pig pin pit ply"
    " pod pop pot pro pry pub pun pup put rag ram ran rap rat raw ray red ref rib rid rig rim rip rob"
    " rod rot row rub rug rum run rut sad sag sap sat saw say sea see set sew she shy sin sip sir sis"
    " sit six ski sky sly sob sod son sow soy spa spy sty sub sum sun tab tag tan tap tar tax tea ten"
    " the thy tie tin tip toe ton too top tow toy try tub tug two urn use van vat vet vex via vie vow"
    " wag war was wax way web wed wet who why wig win wit woe wok won woo wow yak yam yes yet you zip"
    " pc dc ds di mr ms dr st rd uk eu un hm ho nhs gp id tv pm am re cc ps pp vs ie eg"
    " cia mod dob nfa nfi pnc cps dwp hmrc".split()
)
# Given names that are also ordinary words: they need capitals and a sensible place.
WORD_NAMES = frozenset(
    "may will grace hope rose mark joy faith dawn summer june april august bill frank guy jack art ray"
    " sky amber ruby pearl holly ivy iris daisy lily violet heather jasmine autumn rob sue pat don dean"
    " drew chase hunter miles gay hazel ginger crystal sandy rocky sunny honey cliff glen lee sage"
    " precious blessing mercy patience charity honour prudence victor earnest constance hero rich"
    " bob penny bud brook reed carol robin wren jay drake angel noble king prince major son"
    " comfort gift memory fortune".split()
)
RELATIONS = frozenset(
    "husband wife son daughter brother sister mother father mum dad neighbour friend partner cousin"
    " uncle aunt auntie nephew niece grandmother grandfather grandson granddaughter stepson"
    " stepdaughter stepfather stepmother fiance fiancee child brother-in-law sister-in-law"
    " mother-in-law father-in-law flatmate landlord landlady employer girlfriend boyfriend"
    " ex-husband ex-wife ex-partner colleague carer guardian children sons daughters brothers sisters"
    " parents grandchildren".split()
)
# Capitalised words that begin sentences or headings, or name roles, courts and places: never names.
NOT_NAME_WORDS = (
    ORG_WORDS
    | MONTHS
    | TITLES
    | POLICE_RANKS
    | STREET_WORDS
    | frozenset(
        "i we he she they it this that these those there here his her their my our its a an as if"
        " when while after before during since until although though because but so then also"
        " however therefore further furthermore moreover accordingly nevertheless yes no not on in at"
        " all any each every some many most other such what which who whom whose where why how of"
        " please thank thanks sorry note notes see signed name age occupation victim suspect the and"
        " informant officer pnc costs details nationality person given surname full print for to by"
        " dear yours sincerely faithfully regards kind best wishes dated date tel email fax mobile"
        " telephone ref reference our your re subject pre-action protocol letter judicial review"
        " claim appeal case number statement witness decision reasons respondent appellant claimant"
        " applicant defendant interested party exhibit bundle page annex appendix index part chapter"
        " secretary state home upper first-tier high crown magistrates family administrative"
        " queen's king's royal judge justice lord lady master hhj sir madam sirs article section"
        " paragraph schedule convention echr refugee migrant immigration asylum detention removal"
        " crime report metropolitan greater west east north south yorkshire midlands wessex thames"
        " valley kent essex sussex united kingdom england wales scotland ireland british london leeds"
        " manchester birmingham bradford glasgow cardiff bristol sheffield liverpool leicester croydon"
        " hull christmas easter ramadan eid god allah islam christian muslim anonymity direction made"
        " between and, uk visas nhs gp dob id"
        " afghan eritrean nigerian somali iranian iraqi albanian sudanese syrian pakistani indian"
        " bangladeshi chinese vietnamese kurdish ethiopian ghanaian jamaican zimbabwean polish"
        " romanian turkish ukrainian arabic english french tigrinya amharic pashto dari farsi urdu"
        " afghanistan eritrea nigeria somalia iran iraq albania sudan syria pakistan india bangladesh"
        " china vietnam ethiopia ghana jamaica zimbabwe poland romania turkey ukraine sri lanka"
        " kabul asmara lagos mogadishu tehran sulaymaniyah tirana khartoum damascus baghdad"
        " heathrow gatwick stansted dover waterside lunar"
        # roles that sign letters or head paragraphs
        " caseworker solicitor counsel barrister interpreter manager director presenting officer"
        " worker teacher nurse doctor social support key senior principal assistant".split()
    )
)
