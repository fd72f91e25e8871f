"""The fixed regular expressions of the diplomacy rules, each beside a short example of what it
matches. Word lists (triggers, plans, protocol words, speakers that are no state's voice) live in
``extractors/data/event_terms.toml``; these are the shapes of English and Korean around them.
"""

from __future__ import annotations

import re

# -- whether a sentence concerns the peninsula at all -----------------------------------------

# "talks on the Korean peninsula", "Pyongyang", "남북"
KOREA = re.compile(r"Korea|peninsula|Pyongyang|DPRK|Seoul|북한|한반도|남북|북측|조선", re.I)

# -- who takes part ---------------------------------------------------------------------------

# "the two leaders signed", "Moon greeted him", "The Treasury also blacklisted", "양 정상": borrows
# the parties of the sentence before
REFERS_BACK = re.compile(
    r"(?=[tbhesiadTBHESIAD양두세])(?:\b(?:the two|both|him|her|his counterpart|her counterpart|they|them|the leaders|each other|"
    r"together|the pair|the two sides|both sides|the two men|the two leaders|the three|"
    r"the three countries|the three leaders|he|she|at the meeting|at the talks|during the talks|"
    r"during the visit|during the meeting|also)\b|^(?:It|They)\s+(?:was|were)\b|"
    r"양측|두 정상|양국|양 정상|세 정상)",
    re.I,
)
# "a summit in Hanoi", "on Singapore's Sentosa island", "in the east coast city of": a venue before
# the name that follows
LOCATION_BEFORE = re.compile(
    r"(?:\b(?:in|at|to|from|into|near|on|inside|off)|\b(?:south|north|east|west)\s+of)\s+(?:the\s+)?"
    r"(?:(?:[A-Z]\w+,?|southern|northern|eastern|western|east|west|north|south|coast|coastal|port|"
    r"resort|border|city|capital|naval|base|of)\s+){0,5}$"
)
# "officials in Tokyo said", "diplomats in Seoul": where the speakers are, not where it happened
PLACE_OF_SPEAKERS = re.compile(
    r"\b(?:officials?|diplomats?|sources?|analysts?|experts?|observers?|residents?|reporters?|"
    r"media|people|governments?|lawmakers?|officers?)\s+(?:in|from)\s+(?:the\s+)?$",
    re.I,
)
# "into the sea between Korea and Japan", "the Sea of Japan", "flew over Japan", "toward Japan":
# where a missile flew or fell, not a party
WATERS_BEFORE = re.compile(
    r"(?:\b(?:sea|seas|waters|ocean|strait|gulf|coast|coasts|zone|EEZ)\s+(?:between|off|of|near|around)"
    r"\s+(?:[\w.]+\s+and\s+)?|\b(?:toward|towards|over|in\s+the\s+direction\s+of|fell\s+(?:in|into|near|off)|"
    r"landed\s+(?:in|near|off)|splashed\s+down\s+(?:in|near|off))\s+)(?:the\s+)?$",
    re.I,
)
# "Japan's exclusive economic zone", "Japan's territorial waters": a sea area named by its state
WATERS_AFTER = re.compile(
    r"['\u2019]s?\s+(?:exclusive\s+economic\s+zone|EEZ|territorial\s+waters|waters|coast|airspace|"
    r"air\s+defen[cs]e\s+identification\s+zone|ADIZ)\b",
    re.I,
)
# "can strike anywhere in South Korea", "a preemptive strike on Seoul": a target, not a party or a
# venue
TARGET_BEFORE = re.compile(
    r"\b(?:strike|strikes|striking|attack|attacks|attacking|reach|reaching|destroy|destroying|"
    r"range\s+of)\s+"
    r"(?:(?:any|every|all|anywhere|anything|targets?|places?|cities|major|key)\s+)*"
    r"(?:in|on|across|of|at|against)?\s*(?:the\s+)?$",
    re.I,
)
SAID_AFTER = re.compile(
    r"(?:\s+(?:and|or)\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?\s*,?\s*(?:have\s+|had\s+)?"
    r"(?:said|say|says|told|reported|were|are|believe)\b"
)
# "secretary of Russia's Security Council", "the Security Council of the Russian Federation": a
# state's own council, not the UN's
STATE_COUNCIL_BEFORE = re.compile(
    r"(?:Russia's|Russian|Japan's|Japanese|Korea's|Korean|America's|China's|Chinese|National|national)"
    r"\s+$"
)
STATE_COUNCIL_AFTER = re.compile(
    r"\s+of\s+(?:the\s+)?(?:Russian\s+Federation|Russia|Japan|Republic\s+of\s+Korea|DPRK|China)\b"
)

# -- clauses ----------------------------------------------------------------------------------

# Where a sentence turns to another event: ";", dashes, ", as ...", ", which ...", ", drawing a
# threat from North Korea"
CLAUSE_CUT = re.compile(
    r"(?=[;,\s])(?:;|\s[\u2014\u2013]\s|,\s+(?:as|while|when|whereas|after|before|since|even\s+as|just\s+as|which|who)\s"
    r"|,\s+(?:hours|days|minutes|weeks|shortly|just)\s+(?:after|before)\s"
    r"|,\s+(?:drawing|prompting|sparking|triggering|angering|alarming|provoking|inviting)\s"
    r"|,\s+(?:though|although)\s|\s(?:while|whereas)\s)",
    re.I,
)
RELATIVE_CLAUSE = re.compile(r".*,\s+(?:which|who|when)\s$", re.I | re.S)
# "Kim's trip to Russia last September, when the two leaders met": the date just before ", when"
# is the time of the clause after it
WHEN_CLAUSE = re.compile(r",\s+when\s$", re.I)
# "Choe Son Hui, minister of Foreign Affairs, who is on an official visit to Russia, held talks":
# a relative clause closed before the trigger is an insertion into the clause, not its start
CLOSED_RELATIVE = re.compile(r",\s+(?:who|which)\s[^,;]*,", re.I)
# "the new UN sanctions", "a UN Security Council resolution": the body named as an attribute
ATTRIBUTIVE_AFTER = re.compile(
    r"\s+(?:sanctions|resolutions?|measures|rules|ban|bans|panel|charter|command|regime|mandate)\b",
    re.I,
)
# What a visit goes to: "arrived in Russia", "a visit to North Korea", "visited China"
VISIT_OBJECT = re.compile(r"\s+(?:(?:in|to)\s+)?(?:the\s+)?$")
# ", days after Seoul and Washington wrapped up their exercise": an earlier event, the time
# reference of the news, told in passing
EARLIER_CLAUSE = re.compile(
    r".*(?:,\s+|^)(?:(?:hours|days|weeks|months|shortly|just|soon|a|one|two|three|several|\d+)\s+)?"
    r"(?:(?:day|days|week|weeks|month|months)\s+)?(?:after|since)\s$",
    re.I | re.S,
)
# "Pyongyang had denounced last week's meeting": backstory in the past perfect
PLUPERFECT = re.compile(
    r"\bhad\s+(?:already\s+|earlier\s+|previously\s+|also\s+|repeatedly\s+)?(?:been\s+)?"
    r"[a-z]+(?:ed|en|wn|ne|ld|id|ht|ung|ut|et|ept|ade|ame|ook|ent)\b",
    re.I,
)
# "Pyongyang has rejected every US offer": a record over time (with a habitual word)
PRESENT_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?:already\s+|repeatedly\s+|also\s+|so\s+far\s+)?(?:been\s+)?"
    r"[a-z]+(?:ed|en|wn|ne|ld|id|ht|ung|ut|et|ept|ade|ame|ook|ent)\b",
    re.I,
)
VERB_OR_CLAUSE = re.compile(
    r"\b(?:said|says|say|was|is|were|are|that|when|after|since|before|first|time|who|which|where|"
    r"as|if|while)\b|,",
    re.I,
)
# "began on Thursday", "opened on Wednesday evening": the first day of a multi-day event
BEGAN = re.compile(
    r"\b(?:began|begun|begins|started|starts|opened|kicked\s+off|got\s+under\s*way)\b|시작|개막|돌입",
    re.I,
)
# Words by which a sentence goes on about an event of this type without naming its parties
GOES_ON = {
    "military_exercise": re.compile(
        r"\b(?:drills?|exercises?|training|manoeuvres|maneuvers)\b|훈련|연습", re.I
    ),
    "un_action": re.compile(
        r"^It\b|\b(?:vote|voting|ballot|council|resolution|members)\b|표결|결의", re.I
    ),
    "sanctions": re.compile(r"\b(?:resolution|measures|it|order|designation)\b", re.I),
    "summit": re.compile(r"\b(?:summit|talks|meeting|leaders)\b|정상회담|회담", re.I),
    # "Choe ... and Lavrov ... exchanged views on ...", "It was greeted at the airport by ..."
    "talks": re.compile(
        r"\b(?:exchanged\s+views|discussed|talks|dialogue|meeting|conversation)\b|회담", re.I
    ),
    "visit": re.compile(r"\b(?:greeted|welcomed|met)\s+at\s+the\s+(?:airport|station)\b", re.I),
    "agreement": re.compile(r"\b(?:decree|ratif\w+|signed|instruments?)\b|비준|서명", re.I),
}
# "warm greetings", "his best wishes": what a guest conveys from someone absent
GREETINGS = re.compile(r"\b(?:greetings|wishes|regards|thanks)\b", re.I)
# "a treaty that Seoul and Washington say has ...": states that make a claim, no parties
CLAIMANT_BEFORE = re.compile(
    r"\b(?:that|which|as|what)\s+(?:the\s+)?(?:[A-Z][\w.]+\s+and\s+(?:the\s+)?)?$", re.I
)
CLAIM_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?\s+(?:say|says|said|believe|believes|claim|claims)\b"
)
# "The launches came right after the allies met": the meeting is the time of the launch
LAUNCH_CONTEXT = re.compile(
    r"\b(?:launch|launches|missile|missiles|test)\b[^.]{0,40}\b(?:came|comes|followed)\b|"
    r"(?:발사|도발)[^.]{0,60}(?:직후|이후|만에|앞두고)|(?:직후|이후)[^.]{0,20}(?:이뤄졌|단행)",
    re.I,
)
# "정상회담을 하기 위해 ... 출국": a summit still to come
KOREAN_PLAN_AFTER = re.compile(
    r"\s*[을를]?\s*(?:하기|위해|할|예정|계획|추진|검토|가능|앞두|열릴|개최할)"
)
# "is expected to discuss ... at a security summit": a plan governs the clause's verb
PLAN_BEFORE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:expected|scheduled|due|set|slated|poised|planning)\s+to\b|"
    r"\bwill\b|\bplans?\s+to\b|\bintends?\s+to\b",
    re.I,
)
# "... later this month", "next week": a time still to come anywhere in the clause
PLAN_TIME = re.compile(
    r"\b(?:later\s+this\s+(?:week|month|year)|next\s+(?:week|month|year)|"
    r"in\s+the\s+coming\s+(?:days|weeks|months))\b|다음\s*주|다음\s*달|내년",
    re.I,
)
# "On October 12, 2024, a day after Pyongyang accused Seoul ...,": a phrase of time or
# circumstance before the subject, not the speaker
LEADING_ADVERBIAL = re.compile(
    r"\s*(?:On|In|At|After|Before|Following|Responding|Amid|Despite|Since|During|Earlier|Later|"
    r"Meanwhile|a|an|one|two|three|several|\d+)\b[^,]*,"
)
# "부부장은": the Korean topic marks the speaker; what follows is what was said
KOREAN_TOPIC = re.compile(r"[은는]\s")
# "Kim's trip to Russia's Far East last September": a time of the past with no date of its own
PAST_TIME = re.compile(
    r"\blast\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|spring|summer|autumn|fall|winter)\b|\b(?:a|one|two|three|\d+)\s+years?\s+ago\b",
    re.I,
)
# "Pyongyang's nuclear test": a capital as its state, not a place (but "on Singapore's Sentosa
# island" is one)
POSSESSIVE_AFTER = re.compile(r"['\u2019]s?\s+[a-z]")
# "; he then toured ...", " — ": a separate event; ", as Blinken met": the same time
SEPARATE_CLAUSE = re.compile(r"\s*(?:;|[\u2014\u2013])\s*$")
# "condemned the launch", "over the test": the event the sentence before told, named again
THE_EVENT_BEFORE = re.compile(
    r"\bthe\s+(?:latest\s+|recent\s+)?(?:launch|test|rocket|missile|nuclear\s+test|move|"
    r"provocation|detonation)\b",
    re.I,
)
# "(Seoul time)", "Washington time": a clock, not a party
TIME_ZONE_AFTER = re.compile(r"\s+time\b", re.I)
# "the summit that will be held", "talks are expected": a plan told after its trigger
PLAN_AFTER = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?<!as\s)(?:will|would|could|may|might|is\s+expected|are\s+expected|"
    r"planned|scheduled)\b",
    re.I,
)  # "held their meeting as planned" is no plan

# -- what is said, and what is only its content ------------------------------------------------

# The title or the first paragraph of a state medium's argument: "KCNA Commentary", "Rodong
# Sinmun Thursday carries a signed article", "..., says KCNA in a commentary", "in an editorial"
COMMENTARY_LEAD = re.compile(
    r"(?=[KkCcEeSsRrPpMmIi논사]|\s)(?:\b(?:KCNA|KCTV)\s+[Cc]ommentary\b|^\s*(?:[Cc]ommentary|COMMENTARY|[Ee]ditorial)\b"
    r"|\bsays?\s+(?:KCNA|Rodong\s+Sinmun|Minju\s+Joson|the\s+paper)?\s*in\s+(?:a|an|its)\s+"
    r"(?:signed\s+|front-page\s+)?(?:commentary|article|editorial)\b"
    r"|\bin\s+(?:a|an|its)\s+(?:signed\s+)?(?:commentary|editorial)\b"
    r"|\b(?:carries|carried|runs|publishes|published)\s+(?:a|an)\s+(?:signed\s+|front-page\s+)?"
    r"(?:article|editorial|commentary)\b"
    r"|\b(?:commentary|article|editorial)\s+goes\s+on\b|논평|사설)",
)
COMMENTARY_TITLE = re.compile(
    r"\b(?:KCNA|KCTV)\s+Commentary\b|^\s*(?:Commentary|Editorial)\b|\bRodong\s+Sinmun\b|"
    r"\bMinju\s+Joson\b|논평|사설",
    re.I,
)
# "issued the following press statement on Saturday:", "The commentary goes on:": what follows is
# the full text of a statement, speech or article
BODY_LEAD = re.compile(
    r"(?:\b(?:the\s+following|as\s+follows)\b[^:]{0,120}|\b(?:goes\s+on|reads|runs))\s*:\s*$",
    re.I,
)
# "He said that", "The statement warned", ", saying that": what follows is what was said
SAID_CONTENT = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Tt]he\s+(?:statement|commentary|article|editorial|paper|"
    r"newspaper|spokes(?:man|woman|person)|message|letter|speaker|report|meeting|plenary\s+meeting|"
    r"decree|session|congress))\s+(?:also\s+|then\s+|further\s+)?(?:said|says|stressed|stresses|"
    r"noted|notes|pointed\s+out|points\s+out|underlined|underlines|emphasi[sz]ed|stated|states|"
    r"added|adds|warned|warns|declared|declares|clarified|affirmed|urged|called\s+on|referred\s+to|"
    r"recalled|accused|claimed|went\s+on)\b"
    r"|\b(?:said|says|stressed|noted|pointed\s+out|underlined|emphasi[sz]ed|stated|added|warned|"
    r"declared|claimed|told\s+\w+(?:\s+\w+)?)\s+that\b"
    r"|,\s+(?:saying|noting|stressing|adding|declaring|warning|calling\s+(?:it|them|the\s+\w+))\b",
)
# "said that it had imposed": the speaker tells its own act, which is the news
SELF_REPORT = re.compile(
    r"\s*(?:that\s+)?(?:it|they|we|the\s+(?:department|ministry|government|council|allies|"
    r"two\s+(?:countries|sides|governments|allies)))\b",
    re.I,
)
# "carried by the Korean Central News Agency", "조선중앙통신을 통해": who published the statement,
# not who made it
PUBLISHED_BY = re.compile(
    r"\b(?:carried|released|published|reported|run|quoted|relayed)\s+by\s+(?:the\s+)?"
    r"(?:official\s+|state\s+)?(?:[A-Z][\w']+\s*){1,5}|\S+\s*[을를]\s*통해",
)
# "Pyongyang, October 13 (KCNA) -- ", "SEOUL, March 8 (Yonhap) -- ", "UNITED NATIONS — ": where and
# by whom a report was filed, not a party to what it tells
DATELINE = re.compile(
    r"\s*(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*(?:\([^)]{2,30}\))?"
    r"|[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+)*)\s*(?:--|\u2014|\u2013)\s*"
)
# Where the words of a speech act begin after its trigger: "said in a statement on Thursday that
# ...", "issued a statement on Friday totally rejecting ...", ", saying that", "...:"
CONTENT_START = re.compile(
    r"\bthat\b|:|,\s+(?:saying|noting|stressing|adding|declaring|warning|calling|accusing|urging|"
    r"demanding)\b|\b(?:rejecting|condemning|denouncing|blasting|slamming|accusing|urging|warning|"
    r"demanding|calling)\b",
    re.I,
)
# An attribution after the words: "Pyongyang will not hold any talks with Seoul, Kim Yo Jong said
# in a statement" (also "..., Kim Yo Jong, the leader's sister, said"): the speaker is the subject
# of the verb of saying
TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?P<speaker>[^,]{2,80}?(?:,[^,]{2,80}?,)?)\s+(?:said|says|told|stated|added|declared|"
    r"warned)\b"
)
# A verb of saying after a speech act's trigger: "In a statement, a spokesman said ..."
SAYING = re.compile(
    r"\b(?:said|says|stated|declared|announced|warned|told|added|noted|stressed)\b", re.I
)

# -- what happened, told in other words than the triggers -------------------------------------

# "they have decided to station an advanced US missile defence battery", "announced their joint
# decision to deploy a THAAD battery", "will deploy an advanced missile defense system ..., the two
# countries said": two governments' decision to deploy is an agreement
ALLIANCE_DECISION = re.compile(
    r"(?=[hdajwHDAJW])\b(?:(?:have|has|had)\s+)?(?:decided|agreed|(?:joint\s+)?decision|will|would)"
    r"\s+(?:to\s+)?(?:deploy|station|host|base|place|install)\b"
    r"(?=(?:[^.;]|\.(?!\s)|(?<=U\.S)\.|(?<=U\.N)\.){0,80}\b(?:THAAD|missile\s+defen[cs]e|battery|interceptors?|Patriot|Aegis|"
    r"strategic\s+assets|nuclear|bombers?|carrier|troops|forces)\b)",
    re.I,
)
# Sanctions told without a trigger of the list: "labelled North Korea a primary money laundering
# concern", "added Kim to its list of blocked persons", "designated Kim Jong Un ... for human rights
# abuses", "banned imports of North Korean coal", "unanimously approved the toughest sanctions yet"
SANCTIONS_OTHERWISE = re.compile(
    r"(?=[padbisuotelPADBISUOTEL])(?:\bprimary\s+money[-\s]laundering\s+concern\b"
    r"|\badded\b(?:[^.;]|\.(?!\s)|(?<=U\.S)\.|(?<=U\.N)\.){0,80}?\bto\s+(?:its|the|their)\s+(?:sanctions\s+|black\s*)?list\b"
    r"|\bdesignated\b(?=(?:[^.;]|\.(?!\s)|(?<=U\.S)\.|(?<=U\.N)\.){0,90}\b(?:for|over|under)\s+(?:sanctions|human\s+rights|abuses|"
    r"censorship|money\s+laundering|proliferation|cyber|weapons))"
    r"|\bbann?(?:ed|s|ing)\s+(?:all\s+)?(?:imports|exports|sales|shipments|trade)\s+(?:of|from|to|with)\b"
    r"|\b(?:imposed?|imposing|approved?|adopted|slapped|unveiled|ordered|passed|tightened|toughened|"
    r"expanded|levied|announced)\b(?:\s+[\w.'\u2019-]+){0,6}?\s+sanctions\b)",
    re.I,
)

# Talks told in the passive: "The 11th meeting of the DPRK-Russia Intergovernmental Commission ...
# was held in Pyongyang" (a state's own meetings are left out by the internal-meeting list)
HELD_MEETING = re.compile(
    r"(?=[mstcdMSTCD])\b(?:meeting|session|talks|consultations?|dialogue)\b"
    r"(?:[^.;]|\.(?!\s)|(?<=U\.S)\.|(?<=U\.N)\.){0,120}?\b(?:was|were)\s+held\b",
)
# What makes a meeting "held" one between states: "of the DPRK-Russia Intergovernmental Commission",
# "talks between", "bilateral" (not "a national meeting was held to denounce the U.S.")
BETWEEN_STATES = re.compile(
    r"\bbetween\b|\bintergovernmental\b|\bbilateral\b|\bcommission\b|\bstrategic\s+dialogue\b|"
    r"\b[A-Z][A-Za-z]+-[A-Z][A-Za-z]+\b",
)
# A diplomat resident in the country: "the Russian ambassador visited a factory" is no visit
RESIDENT_DIPLOMAT = re.compile(
    r"\b(?:ambassadors?|embassy|embassies|consul(?:ate)?s?|charg[eé]\s+d'affaires|diplomatic\s+corps)\b",
    re.I,
)
# "Japanese Foreign Minister Fumio Kishida": a leader of later years in another office (not "Prime
# Minister")
OTHER_OFFICE = re.compile(
    r"(?<!Prime\s)(?<!prime\s)\b(?:[Mm]inister|[Ss]ecretary|[Ee]nvoy|[Aa]mbassador|[Ss]pokes\w+|"
    r"[Cc]hief\s+[Cc]abinet\s+[Ss]ecretary)(?:\s+of\s+[A-Z][\w ]{2,20})?,?\s+$"
)
# "in a speech to the Supreme People's Assembly in Pyongyang": where a speech was made
SPEECH_VENUE = re.compile(
    r"\b(?:in|during)\s+(?:a|an|his|her|its)\s+(?:[\w-]+\s+){0,2}(?:speech|address|remarks)\b[^.;]{0,70}",
    re.I,
)
# "..., KCNA said.", "the JCS reported on Tuesday": an agency that closes the sentence as its source
ATTRIBUTION_AFTER = re.compile(
    r"\s*(?:\)\s*)?(?:said|says|reported|reports|announced|quoted)\b[^,;]{0,30}[.!]?\s*$", re.I
)
# "met", "held their meeting": a meeting told as such (not a reception or a call)
MET = re.compile(r"\b(?:met|meets|meeting|meetings|sat\s+down)\b", re.I)
# "warned North Korea", "cautioned Pyongyang": with two states' leaders as its subject, a joint
# warning ("Obama, Park and Abe warned North Korea on Thursday ...")
WARNED = re.compile(r"(?=[wcWC])\b(?:warned|cautioned)\b")
# A time span before "after": the event after it is the time of the news, told in passing ("a year
# after", "three days after", "weeks after", "shortly after")
SPAN_BEFORE = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|several|few|\d+)\s+)?(?:hours?|days?|weeks?|"
    r"months?|years?|decades?)\s+$|\b(?:shortly|soon|just|long|right|immediately)\s+$",
    re.I,
)

# -- dates of other events in the same clause -------------------------------------------------

# "punishing Pyongyang for the nuclear test it conducted on Jan. 6", "since Pyongyang's nuclear
# test in January strained their ties", "Responding to the nuclear test of January 6,": the date
# inside belongs to that other event
OTHER_EVENT_PHRASE = re.compile(
    r"(?=[afsirptAFSIRPT])\b(?:after|(?<!the\s)following|since|in\s+response\s+to|in\s+retaliation\s+for|[Rr]esponding\s+to|"
    r"in\s+the\s+wake\s+of|punishing|to\s+punish|ahead\s+of)\b[^,;]*",
    re.I,
)
# "the sanctions resolution that the Security Council adopted on March 2": a date after another
# verb than the trigger's
PARTICIPLE_BEFORE_DATE = re.compile(
    r"\b(?:adopted|held|signed|conducted|imposed|announced|made|issued|staged|launched|fired|"
    r"tested|carried\s+out|detonated|passed|approved|sent|flown|took\s+place)\s+"
    r"(?:by\s+[^,;]{1,50}?\s+)?(?:on|in|last)\s+(?:the\s+(?:nights?|mornings?|evenings?)\s+of\s+)?$",
    re.I,
)
# "the nuclear test of January 6", "the Jan. 6 nuclear test": a date that names another event
OF_BEFORE_DATE = re.compile(r"\b(?:of|from)\s+$")
EVENT_NOUN_AFTER_DATE = re.compile(
    r"(?:'s)?\s+(?:nuclear|missile|rocket|satellite|launch|test|summit|meeting|vote|election|"
    r"attack|drills?|exercises?|incursion|resolution)\b",
    re.I,
)
