"""The regular expressions of the missile rules, each beside a short example of what it matches.

Word lists that an analyst may want to extend (launch verbs, failure words, ...) live in
``extractors/data/event_terms.toml``; these are the shapes of phrases that no word list can hold.
Patterns with ``_BEFORE`` in their name are searched in the few characters before a position and
end with ``$``; those with ``_AFTER`` are matched right after a position.
"""

from __future__ import annotations

import re

from extractors.events.text import WORD_NUMBER_PATTERN

# -- figures -------------------------------------------------------------------------------

# "1,001.2 km", "about 350km", "620 miles", "800여㎞", "1천㎞", "3,000-km"
# "1,001.2 km", "1 001.2km" (a space, no-break or thin space between the thousands), "350 km"
_NUM = (
    r"(?P<num>(?<![\d.,])\d{1,3}(?:(?:,|[ \u00a0\u2009\u202f])\d{3})+(?:\.\d+)?(?!\d)"
    r"|(?:\d+\s*만\s*)?(?:\d+\s*천\s*)?\d+(?:\.\d+)?(?!\s*[만천\d])|\d+\s*만(?:\s*\d+\s*천)?|\d+\s*천)"
)
_UNIT = r"(?P<unit>kilometers|kilometres|km|㎞|킬로미터|miles|mile|mi)(?![A-Za-z])"
QUANTITY = re.compile(r"(?=\d)" + _NUM + r"\s*(?:여\s*)?(?:-\s*)?" + _UNIT)
# "800 km (500 miles)": the same figure converted
CONVERSION = re.compile(
    r"\s*\(\s*(?:about\s+)?[\d,.]+\s*(?:miles|mi|km|kilometers|kilometres)\s*\)"
)
# "390 and 340 km", "between 25 and 90 km", "110 to 670 km": a first figure whose unit comes after
# the second
NUMBER_AND_BEFORE = re.compile(
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s+(?:and|to|or)\s+$"
    r"|(?<![\d.,])(?P<num2>\d+(?:\.\d+)?)\s*[-–]\s*$"
)
# "hit a target 320 km away", "400㎞ 떨어진 표적": a distance to a target
TARGET_AWAY = re.compile(r"\s*(?:away|떨어진\s*(?:표적|목표|섬))", re.I)
TARGET_WORD = re.compile(r"target|표적|목표", re.I)
# "some 620 miles (1,000 km) from its launch site": a flight distance
FROM_LAUNCH_SITE = re.compile(
    r"\s*(?:\([^)]{1,25}\)\s*)?(?:away\s+)?from\s+(?:its|the|their)\s+launch\s+(?:site|point|pad|area)",
    re.I,
)
# "200 km east of Wonsan", "350 km off the coast": where it fell, not how far it flew ("flew
# 500 km northeast" is a heading)
WHERE_AFTER = re.compile(
    r"\s*(?:\w+\s+)?(?:off|from|away|short|inside|outside|within)\b"
    r"|\s*(?:\w+\s+)?(?:east|west|north|south|northeast|southeast|northwest|southwest)"
    r"(?:ern)?\s+of\b",
    re.I,
)
# "the missile had a range of about 140 km", "their range, estimated at 490 km", "reaching a
# range of 900 km", "flew a lofted trajectory to a range of 1,000 km": how far these missiles
# flew ("has a range of 1,000 km" is what the type can do)
FLOWN_RANGE_BEFORE = re.compile(
    r"\b(?:had|flew|showed|reach|reached|reaching|to)\s+(?:a\s+)?range\s+of\s+"
    r"(?:about\s+|around\s+|some\s+|approximately\s+|roughly\s+)?$"
    r"|\brange\s*,?\s*(?:which\s+)?(?:was|were)\s+(?:estimated|assessed|put)\s+(?:to\s+be\s+|at\s+)"
    r"(?:about\s+|around\s+)?$",
    re.I,
)
# "an apogee of 60 km and a range of 450 km", "a range of 350 km and an apogee of 90 km": a
# range told beside the height the missile reached is the distance it flew
RANGE_OF_BEFORE = re.compile(
    r"\brange\s+of\s+(?:about\s+|around\s+|some\s+|approximately\s+|roughly\s+)?$", re.I
)
APOGEE_BESIDE_AFTER = re.compile(
    r"\s*(?:\([^)]{1,25}\)\s*)?(?:,\s*|\s+and\s+|\s+with\s+)(?:(?:an?|the|its)\s+)?(?:approximate\s+|maximum\s+)?"
    r"(?:apogee|altitude|height)\b",
    re.I,
)
APOGEE_BESIDE_BEFORE = re.compile(
    r"\b(?:apogee|altitude|height)\s+of\s+(?:about\s+|around\s+|approximately\s+)?[\d,.]+\s*"
    r"(?:km|kilometers|kilometres)\s*(?:,\s*|\s+and\s+)(?:a\s+)?(?=range\b)",
    re.I,
)
# "failed to send a warning": a failure of something else, not of the launch
FAILED_TO_OTHER = re.compile(
    r"\s+to\s+(?!(?:reach|enter|put|place|launch|lift|fly|separate|ignite|achieve|hit|deliver|"
    r"orbit|deploy|clear)\b)\w+",
    re.I,
)
# "the failed October tests", "the failed March 16 launch", "two failed launches in April": a
# failure that qualifies other launches, named by their time or in the plural ("a failed launch"
# of the one reported stays a failure)
FAILED_OTHER_LAUNCH_AFTER = re.compile(
    r"\s+(?:(?:[\w-]+\s+){0,3}?(?:tests|launches|attempts)\b|(?:[\w-]+\s+){0,2}?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday|previous|earlier|last|prior|\d)[\w.,-]*\s+(?:[\w-]+\s+){0,2}?"
    r"(?:test|launch|attempt)\b)"
)
# "does not appear to have failed", "doesn't explode", "unclear if it was considered successful",
# "did not say whether the launch succeeded": a verdict denied or in doubt is none
VERDICT_DOUBTED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|without|whether|if)|n['’]t|\b(?:unclear|unknown|uncertain)\s+(?:if|whether))"
    r"\s+(?:(?!(?:and|but|then|while)\b)[\w'’-]+\s+){0,5}$",
    re.I,
)
# "reached more than 2,000 km in altitude", "flew 500 km high": a height
APOGEE_AFTER = re.compile(
    r"\s*(?:in\s+(?:altitude|height)|high\b|(?:of\s+)?altitude\b|(?:maximum\s+)?apogee\b)", re.I
)
# "60 km out and 190 km apogee", "flew 400 and 350 km downrange": how far out it flew
DOWNRANGE_AFTER = re.compile(r"\s*(?:out\b|downrange\b|down\s+range\b)", re.I)
# "the missile flew about 150 km from Sondok": how far from where it left ("landed 250 km from
# Oga" is where it fell)
FLEW_FROM = re.compile(
    r"\b(?:flew|flying|flown|travell?ed|travell?ing|covered)\s+(?:[\w-]+\s+){0,5}$", re.I
)
FROM_AFTER = re.compile(r"\s*from\b", re.I)
# "one flew about 350 km and the other about 800 km": the other missile's flight, the verb left out
ELIDED_FLIGHT_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:other|second|third|latter)\s+(?:one\s+|missile\s+)?"
    r"(?:about|around|some|roughly|approximately|nearly|over|more\s+than)?\s*$",
    re.I,
)
# "800km를 비행했다": Korean puts the verb after the number
KOREAN_OBJECT_AFTER = re.compile(r"\s*[를을이가]\s")
# "could fly more than 8,000 miles": what the missile can do, not what it did
CAPABILITY_BEFORE = re.compile(
    r"\b(?:could|can|would|might|may|able\s+to|capable\s+of)\s+(?:\w+\s+){0,2}$", re.I
)

# -- counts ----------------------------------------------------------------------------------

# "a total of 9 minutes", "counted 20 seconds": a number of a unit counts no missile
NOT_A_COUNT_UNIT = (
    r"(?!\s*(?:minutes?|seconds?|hours?|days?|weeks?|months?|years?|km|kilomet|miles?\b|meters?"
    r"|metres?|tons?\b|tonnes?|%|percent|times|a\.m|p\.m))"
)

# "two short-range ballistic missiles", "18 rockets", "a new ICBM", "this missile"
COUNT = re.compile(
    r"(?=[\daostpcfendAOSTPCFEND])(?<![\w.,-])(?P<n>\d{1,2}|the|this|"
    + WORD_NUMBER_PATTERN
    + r")(?:\s+(?:more|other|new|different))?"
    r"(?P<adj>(?:\s+(?:(?!of\b)[\w'‘’\"“”-]+|\([^)]{1,24}\))){0,6}?)\s+(?P<noun>missiles|rockets|projectiles"
    r"|shots|rounds"
    r"|ICBMs|SRBMs|IRBMs|SLBMs|MRBMs|SLVs|missile|rocket|projectile|ICBM|SRBM|IRBM|SLBM|MRBM|SLV"
    r"|launch\s+vehicle['’\"”]?|carrier\s+rocket|satellite)\b"
    # "a missile regiment", "a rocket launcher": a unit or a thing, not a count of missiles
    r"(?!\s+(?:regiment|regiments|unit|units|launcher|launchers|forces|force|programme|program|"
    r"base|bases|site|sites|technology|defence|defense|system|systems|test|tests|launch|launches|"
    r"launching|administration|bureau|industry|factory|engine|engines|brigade|brigades|division|corps)\b)",
    re.IGNORECASE,
)
# "two further missiles were launched", "fired another missile", "two more ballistic missile
# launches": more missiles after those already told, of a launch of their own (or the same system)
FURTHER = re.compile(
    r"(?=[mfaMFA])\b(?P<word>more|further|additional|another)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:missiles?|rockets?|projectiles?|ICBMs?|SRBMs?|IRBMs?|MRBMs?|SLBMs?|launches)\b",
    re.I,
)
# "the North fired two more missiles": a number inside what COUNT took for adjectives
NUMBER_WORD = re.compile(r"(?<![\w-])(?:\d{1,2}|" + WORD_NUMBER_PATTERN + r")\b", re.I)
# "the first missile", "the other rocket": one of several
ORDINAL_WORD = re.compile(r"\b(?:first|second|third|fourth|fifth|other|last|latter|former)\b", re.I)
# a cheap first look for FURTHER
FURTHER_WORD = re.compile(r"more|further|additional|another", re.I)
# "two more": "more" counts further missiles only after a number ("more powerful missiles" no)
NUMBER_BEFORE_MORE = re.compile(r"(?<![\w-])(?P<n>\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+$", re.I)
# "the mass production of the missile", "pictures of the missile": the missile as a thing, not a
# launch of one ("the launch of the missile" is one)
THING_OF_BEFORE = re.compile(
    r"\b(?!launch|test|fir|flight|drill|salvo|volley|barrage|shot)[a-z]+\s+of\s+$", re.I
)
# "one missile flying 250 km and the other 350 km": "one" of an enumeration counts nothing
THE_OTHER = re.compile(r"\b(?:the\s+other|another|the\s+second|the\s+rest)\b", re.I)
# "at least one missile": a lower bound that counts nothing
AT_LEAST_BEFORE = re.compile(r"\bat\s+least\s+$", re.I)
# "two launches of a KN-23", "3 more tests": one missile a launch
LAUNCH_COUNT = re.compile(
    r"(?<![\w-])(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")\s+(?:more\s+|additional\s+|separate\s+)?"
    r"(?:launches|tests|test-firings|test-launches)\s+of\b",
    re.I,
)
# "three missile launches", "six more ballistic missile launches", "the next three launches were
# detected": one missile a launch
MISSILE_LAUNCHES_COUNT = re.compile(
    r"(?=[\dostfenOSTFEN])(?<![\w-])(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")\s+(?:more\s+|further\s+|additional\s+|separate\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:missile|rocket|ICBM|SRBM|IRBM|MRBM|SLBM)\s+(?:launches|test-launches|firings|test-firings)\b"
    r"|\bthe\s+(?:next\s+|first\s+|last\s+|other\s+)?(?P<n2>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")\s+launches\b",
    re.I,
)
# "(1 of 2)", "1 of 3 tests, ...", "one of two missiles": one entry of a launch of several
# missiles, told one by one; the count is the whole
OF_TOTAL = re.compile(
    r"(?=[(1oO])(?:\((?:1|one)\s+of\s+(?P<n>\d{1,2}|" + WORD_NUMBER_PATTERN + r")"
    r"(?:\s+(?:tests|launches|missiles|rockets))?\)"
    r"|(?<![\w,.])(?:1|[Oo]ne)\s+of\s+(?:the\s+)?(?P<n2>\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+"
    r"(?:tests|launches|missiles|rockets|projectiles)\b)",
    re.I,
)
# "Initial reports spoke of ...", "was initially reported as ...": a first claim, which a later one
# may correct
INITIAL_CLAIM = re.compile(
    r"\b(?:initial|early|first|preliminary)\s+(?:reports?|assessments?|estimates?)\b|\binitially\b",
    re.I,
)
# "a salvo of six", "a total of 18" (not "a total of 9 minutes": a number of something else)
BARRAGE = re.compile(
    r"(?=[bsvtBSVT])\b(?:barrage|salvo|volley|total)\s+of\s+(?:about\s+|some\s+|around\s+|at\s+least\s+)?"
    r"(?P<n>\d{1,2}|" + WORD_NUMBER_PATTERN + r")\b" + NOT_A_COUNT_UNIT,
    re.IGNORECASE,
)
# "미사일 2발을", "두 발"
KOREAN_COUNT = re.compile(
    r"(?=[\d한두세네다여일아열])(?:(?P<n>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발(?![가-힣])"
    r"|(?P<n2>\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*발[을이은도의])"
)
# "several missiles", "a number of short-range missiles", "여러 발": no number
VAGUE_COUNT = re.compile(
    r"(?=[smandoSMANDO수여])(?:\b(?:several|multiple|a number of|some|numerous|dozens|more than|over)\s+"
    r"(?:\w+\s+){0,3}missiles\b|수\s*발|여러\s*발)",
    re.I,
)
# "Japan said it had counted at least seven": a count with the noun left out
COUNT_VERB = re.compile(
    r"(?=[cdtsCDTS])\b(?:counted|detected|tracked|spotted)\s+(?:at\s+least\s+|about\s+|around\s+|some\s+|up\s+to\s+)?"
    r"(?P<n>\d{1,2}|"
    + WORD_NUMBER_PATTERN
    + r")\b(?!\s*(?:km|kilomet|miles?\b|minutes|seconds|hours|a\.m|p\.m|%|times))",
    re.I,
)
# "a KN-25 launcher", "a Hwasong-11 unit": after a name, a word that makes "a" count no missile
# ("fired a Pukguksong-2", "a Rodong missile": one)
NOT_A_MISSILE_NOUN_AFTER = re.compile(
    r"(?:\s+\([^)]{1,24}\))?\s+(?:[\w-]+\s+){0,3}?(?:launchers?|units?|systems?|tests?|launch"
    r"|launches|family|series|programmes?|programs?|engines?|regiments?|brigades?|variants?)\b",
    re.I,
)
# a name that is a launcher's: "a super-large multiple rocket launcher" counts no missile
LAUNCHER_NAME = re.compile(r"(?:launchers?|systems?|MLRS|방사포)$", re.I)
# "two Hwasal-1s and two Hwasal-2s", "16 short-range FROG": the number right before a name
NUMBER_BEFORE = re.compile(
    r"(?<![\w,.:-])(\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+(?:more\s+|new\s+|of\s+the\s+)?"
    r"(?:(?!(?:of|units?|launchers?|vehicles?|TELs?|sets?|batteries)\b)[a-z][a-z-]+\s+){0,2}$",
    re.I,
)

# "two missiles and rocket artillery": the number right before one kind's words, with no other
# missile word or conjunction between ("two missiles and rocket artillery" gives the artillery none)
OWN_NUMBER_BEFORE = re.compile(
    r"(?<![\w,.:-])(\d{1,2}|" + WORD_NUMBER_PATTERN + r")\s+(?:more\s+|new\s+|of\s+the\s+)?"
    r"(?:(?!(?:of|and|or|missiles?|rockets?|projectiles?|rounds|shells)\b)[a-z][a-z-]+\s+){0,2}$",
    re.I,
)
# "Sept. 12 (HRT) -- North Korea fired ...": a dash that ends a dateline lies between a day and
# the missiles
DASH = re.compile(r"--|[—–]")
# "on March 16 FROG rockets": a day of the month, not a count
MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s*$", re.I
)

# -- who launched it -------------------------------------------------------------------------

# "..., but", "; while": where a clause starts (its subject is the launcher)
CLAUSE_START = re.compile(
    r"[;:\u2014]|,\s*(?:and|but|while|as|when|whereas)\b|\bbut\b|\bwhile\b|\bwhereas\b"
)
# "The South Korean government believed these two launches were ...", "Seoul assessed that the
# missile ...": a verb of belief or saying opens a clause whose subject is not the speaker ("said
# it had fired": the pronoun is the speaker, so no new clause)
BELIEF_CLAUSE = re.compile(
    r"(?=[bBaAeEtTcCjJsSnN])\b(?:believes?|believed|assess(?:es|ed)?|estimated?|estimates|thinks?|thought|concluded?"
    r"|judged?|suspects?|suspected|said|says|stated|states|noted|added)\s+(?:that\s+)?"
    r"(?!(?:it|they|its|their|itself|we|he|she)\b)",
    re.I,
)
# ", but analysts suspect ...", "; however, ...", ", raising the possibility that ...": a clause
# that turns from the one before
BUT_CLAUSE = re.compile(r"(?:,|;)\s*(?:but|however|whereas|while|[a-z]{3,}ing)\b")
# a comma, semicolon or dash: the end of a phrase
CLAUSE_BREAK = re.compile(r"[,;:\u2014]")
# "marked the anniversary by firing ...", "celebrated it with a launch": how, not what
MEANS = re.compile(r"\b(?:by|with)\b", re.I)
OF_AFTER = re.compile(r"\s+of\b", re.I)
# "the missiles fired by North Korea": the North launched them, whoever the subject is
BY_NK = re.compile(
    r"\s*(?:\w+\s+){0,3}?by\s+(?:North\s+Korea|Pyongyang|the\s+North|N\.\s*Korea|the\s+DPRK)", re.I
)
# "북한이 ...": the Korean subject particle
KOREAN_SUBJECT = re.compile(r"(?:[이가은는]|측은|측이)(?![가-힣])")
# an agency that speaks: "South Korea's Joint Chiefs of Staff (JCS) said on Wednesday that ..."
SPEAKS = re.compile(
    r"(?:\s*\([^)]{1,20}\))?\s*(?:(?:also|later|earlier|had|has|on\s+\w+)\s+)*(?:said|says|reported|"
    r"reports|announced|told|confirmed|detected|estimated|added)\b",
    re.I,
)

# -- whether a launch word reports a launch --------------------------------------------------

# "the launch of two cruise missiles": what was launched ("its first test of 2022", "of the
# year": when, not what)
NOUN_OF = re.compile(
    r"\s+of\s+(?!(?:19|20)\d\d\b|the\s+year\b|this\s+year\b)((?:[\w'’-]+\s+){0,7}[\w'’-]+)"
)
# "missile defence command", "missile programme": the missile word names something else
NOT_A_MISSILE_AFTER = re.compile(
    r"\s+(?:defen[cs]es?|command|programmes?|programs?|units?|forces|bases?|industry|technology|"
    r"launchers?|regiments?|brigades?|administration|shield|systems?|agency)\b",
    re.I,
)
# "The council condemned the North's latest launch": the launch is what others react to
REACTION_BEFORE = re.compile(
    r"\b(?:condemn\w*|denounc\w*|criticis\w*|criticiz\w*|protest\w*|discuss\w*|deplor\w*|"
    r"sanctions\s+over|in\s+response\s+to|responded\s+to|respond\s+to)\s+(?:[\w'’-]+\s+){0,5}$",
    re.I,
)
# "a solid-fuel engine ground test", "엔진 지상분출시험": an engine fired on a stand, no launch
# "tested a new high-thrust solid-fuel engine for its ICBMs": the engine is what was tested
GROUND_TEST = re.compile(
    r"(?=[EeMmGgSsTt엔지])(?:\b(?:engine|motor)s?\s+(?:ground\s+|static\s+|jet\s+)?(?:tests?|test-fire|firing)\b|"
    r"\bground\s+(?:jet\s+)?tests?\b|\bstatic\s+(?:fire|firing|test)|\btested\s+on\s+the\s+ground\b|"
    r"\b(?:tested|tests|test-fired|test-fires|testing)\s+(?:a|an|the|its|another|their)\s+"
    r"(?:(?!(?:missiles?|rockets?|ICBMs?)\s+(?!(?:rocket\s+)?(?:engines?|motors?)\b))[\w-]+\s+){0,6}?"
    r"(?:engine|motor)s?\b|"
    r"엔진\s*(?:지상\s*)?(?:분출\s*)?시험|지상\s*분출\s*시험)",
    re.I,
)
# "This test marked ...", "these launches": the launch the article is telling of
THIS_BEFORE = re.compile(r"\b(?:[Tt]his|[Tt]hese)\s+(?:[\w-]+\s+)?$")
# "The test was overseen by ...", "this new test": the test the article has just told of
ANAPHORIC_TEST_BEFORE = re.compile(
    r"\b(?:the|this|that|these|those|its)\s+(?:[a-z-]+\s+){0,2}$", re.I
)
# "any launch using ballistic missile technology": no launch in particular
NOUN_ANY_BEFORE = re.compile(
    r"\b(?:any|every|a\s+future|future|no|another\s+possible)\s+(?:\w+\s+)?$", re.I
)
# "a launch could come within days", "the test is expected ...": not a launch that happened
NOUN_MODAL_AFTER = re.compile(
    r"[\s,]*(?:\w+\s+){0,2}?(?:could|may|might|would|will|is\s+expected|was\s+expected|is\s+likely|"
    r"appears\s+imminent|is\s+imminent|was\s+planned|is\s+planned)\b",
    re.I,
)
# "발사할 가능성", "발사 준비": a launch to come; "발사대", "발사장": a launcher, a launch site
KOREAN_FUTURE = re.compile(
    r"\s*(?:할|하려|하기|될|예정|준비|가능|징후|계획|대비|위협)|(?:대|장|관|기지|차량)"
)
# "화성-19형을 쏜 지 닷새 만이다", "쏜 지 약 10시간 만": since it fired another missile, told in passing
KOREAN_SINCE = re.compile(
    r"(?:쏜|발사한|시험발사한|쏘아\s*올린)\s*(?:것은\s*)?지\s+(?:\S+\s+){0,2}?\S*만"
)
# "a nuclear test", "an engine test", "an ejection test": a test, but of no missile in flight
NOT_A_LAUNCH_BEFORE = re.compile(
    r"\b(?:nuclear|atomic|engine|motor|ground|static|artillery|ejection|underwater)\s+$", re.I
)
# "a never-before-seen version": "never" that describes a thing (appended to a word list)
NOT_NEVER_BEFORE = r"(?!(?<=never)[\s-]+before\b)"
# "has fired", "have now launched": a perfect (a history unless it is dated or counted)
# ("appears to have been launched", "seems to have fired": a guess about this launch, no history)
PERFECT_BEFORE = re.compile(
    r"(?<!\bto\s)\b(?:has|have)\s+(?:now\s+|also\s+|already\s+)?(?:been\s+)?$", re.I
)
# "a missile test being conducted": a participle, not a finite verb
BEING_BEFORE = re.compile(r"\bbeing\s+$", re.I)
# "a window to launch a satellite": an infinitive, no launch ("attempted to launch" is one)
TO_BEFORE = re.compile(r"(?<!\battempted\s)(?<!\btried\s)\bto\s+$", re.I)
# "If North Korea launches ...": a condition
CONDITIONAL_BEFORE = re.compile(r"\b(?:if|unless|whether|should|once|in case)\s+(?:the\s+)?$", re.I)
# "exploded shortly after being launched": a time cue before a turn word keeps the same launch
TIME_CUE_BEFORE = re.compile(
    r"\b(?:shortly|just|soon|immediately|minutes|seconds|moments|hours|right)\s+$", re.I
)
# "exploded shortly after leaving the submarine": right after, in the same launch ("hours after
# new sanctions" turns to another event)
IMMEDIATELY_BEFORE = re.compile(
    r"\b(?:shortly|just|soon|immediately|seconds|moments|right)\s+$", re.I
)
# "after 6 a.m.", "after launch", "after separation": time within the launch, not another event
TIME_CUE_AFTER = re.compile(
    r"\s+(?:(?!(?:19|20)\d\d\b)\d(?!\d*\s+(?:days|weeks|months|years)\b)|launch|lift|take|dawn"
    r"|noon|midnight|sunrise|sunset|separation|ignition)",
    re.I,
)
# "The test was accompanied by smaller MLRS launches", "The tests also involved the launching of
# much shorter range missiles": another system fired at the same test, a launch of its own
ACCOMPANIED = re.compile(
    r"\b(?:(?:was|were)\s+accompanied\s+(?:by|with)|also\s+involved\s+(?:the\s+)?"
    r"(?:launching|launch|firing|test-firing)\s+of)\b",
    re.I,
)
# "fired two short-range ballistic missiles", "launched surface-to-ship missiles": a launch verb
# whose object is missiles (not "conducted its first ballistic missile test", a test noun)
VERB_MISSILE_OBJECT = re.compile(
    r"\s+(?:[\w'’\"“”()-]+\s+){0,6}?(?:missiles?|rockets?|projectiles?|ICBMs?|SRBMs?|IRBMs?|SLBMs?"
    r"|MRBMs?)\b(?!\s+(?:test|tests|launch|launches|firing|firings)\b)",
    re.I,
)
# "successfully put a satellite into orbit", "put the satellite Malligyong-1 into orbit": a satellite
# launch told by what it did
ORBIT_LAUNCH = re.compile(
    r"(?=[pPiIsSdDlL])\b(?:put|puts|placed|places|inserted|inserts|sent|sends|delivered|lofted)\s+"
    r"(?:[\w'’-]+\s+){0,4}?satellites?\s+(?:[\w\"“”'’-]+\s+){0,2}?into\s+(?:(?:an?|the|its)\s+)?"
    r"(?:[\w-]+\s+)?(?:orbit|space)\b",
    re.I,
)
# "The missile exploded shortly after", "This missile disappeared from radar", "the missiles came
# from Sukchon", "The missile appears to have blown up", "was in the air for 9 minutes": a missile
# that flew, failed or left a place was launched (a first report that uses no launch word)
FLIGHT_OF_MISSILE = re.compile(
    r"(?=[TtAa])\b(?:[Tt]he|[Tt]his|[Tt]hat|An?)\s+(?:[\w-]+\s+){0,3}?(?:missiles?|rockets?|projectiles?)\s+"
    r"(?:[\w'’-]+\s+){0,9}?(?P<verb>flew|flown|travell?ed|exploded|blew\s+up|blown\s+up|crashed"
    r"|broke\s+(?:up|apart)|broken\s+(?:up|apart)|disintegrated|disappeared|vanished|soared"
    r"|splashed\s+down|lifted\s+off|came\s+from|in\s+the\s+air|landed|came\s+down)\b"
)
# "SEOUL, May 31 (PWS) -- ", "Pyongyang, November 1 (KCNA) -- ": a dateline; its city is where the
# report was filed, not the launch's subject or site
DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Za-z .'’-]{1,30},\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"
    r"(?:\([^)\n]{1,40}\)\s*)?(?:--|[—–-])\s*"
)
# "According to the South Korean Joint Chiefs of Staff, ...": the agency is a source
ACCORDING_TO_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.I)
# "North Korea conducted an attempted launch on March 16": a launch noun whose subject is the
# North needs no missile word of its own when one follows in the next sentences
BARE_LAUNCH_NOUN = re.compile(r"launch|launches|lift-?off|liftoff|firing", re.I)
# "the launches were detected at 8:51 AM", "the launch came from near Sunan": a launch told by what
# was seen of it
LAUNCHES_TOLD_AFTER = re.compile(
    r"\s+(?:was|were)\s+(?:first\s+)?(?:detected|spotted|observed|tracked|picked\s+up)\b"
    r"|\s+(?:came|originated)\s+from\b|\s+took\s+place\b",
    re.I,
)
# "The missiles were launched within minutes", "two rockets were fired": a passive launch whose
# subject is missiles (searched before the verb)
MISSILE_SUBJECT_BEFORE = re.compile(
    r"\b(?:missiles?|rockets?|projectiles?|ICBMs?|SRBMs?|IRBMs?|SLBMs?|MRBMs?)\s+"
    r"(?:(?:was|were|had\s+been|have\s+been|has\s+been)\s+)(?:\w+\s+)?$",
    re.I,
)
# "before falling into the sea", "after flying 360 km": a phase of the same flight
FLIGHT_PHASE_AFTER = re.compile(
    r"\s+(?:falling|landing|splashing|hitting|reaching|flying|travell?ing|climbing|crashing"
    r"|exploding|disappearing)\b",
    re.I,
)
# "after being launched", "after it was fired": the same launch, told in order
SAME_LAUNCH_AFTER = re.compile(r"\s+(?:being|it\s+was|its|their)\b", re.I)
# "exploded seconds after its lift-off", "after they were fired": still this launch
OWN_PHASE_AFTER = re.compile(
    r"\s+(?:being|it\s+was|they\s+were|(?:its|their|the)\s+(?:launch|lift-?off|take-?off"
    r"|separation|ignition))\b",
    re.I,
)
# "one photograph of a Hwasong-15 launch": a launch shown in a picture, not one reported ("footage
# of the launch" is this launch's)
DEPICTION_BEFORE = re.compile(
    r"\b(?:photo(?:graph)?s?|images?|pictures?|footage|videos?|illustrations?)\s+of\s+(?:a|an)\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.I,
)
# "the launch facility", "a launch window", "launch preparations": a place, time or plan, no launch
NOUN_COMPOUND = re.compile(
    r"\s*(?:window|windows|facility|facilities|site|sites|pad|pads|complex|vehicle|vehicles|station|"
    r"ground|base|bases|platform|platforms|tube|tubes|preparations?|period|notice|schedule|plans?|"
    r"area|areas|zone|capability|capabilities|system|systems|technology|programme|program|"
    r"pattern|patterns|timing|point|points|detection|data|readiness|angle|location|locations|"
    r"position|positions|mode|sequence|ceremony|campaign)\b",
    re.I,
)
# "a third launch would be carried out in October", "The JCS did not mention a cruise missile":
# a plan or a denial, no date or fact of this launch
PLAN_SENTENCE = re.compile(
    r"\b(?:will|would|is\s+to|are\s+to|was\s+to|plans?\s+to|planned|expected\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:be|carry|hold|launch|fire|conduct|test|attempt)\b|예정|계획"
    r"|\bno\s+(?:\w+\s+)?(?:had|has|have|was|were)\s+(?:yet\s+)?been\b|\b(?:has|have|had|did)\s+not\b"
    r"|\bnever\b|\bnot\s+yet\b",
    re.I,
)
# "cruise missile tests", "ballistic missile launches", "were tests of": a plural launch word read
# as a noun
AFTER_MISSILE_WORD = re.compile(
    r"\b(?:missile|missiles|rocket|rockets|weapons?|satellite|ICBM|SRBM|IRBM|SLBM|ballistic|cruise|"
    r"flight|nuclear|Korean|its|their|the|these|those|of|on|about|for|against|new|recent|such"
    r"|were|are|be|been)\s+$",
    re.I,
)

# "super-large multiple rocket launchers and tactical ballistic missiles": two kinds joined
KINDS_JOINED = re.compile(r"\s*(?:,\s*|\s(?:and|or|as\s+well\s+as)\s+)(?:[\w-]+\s+){0,3}", re.I)
# "two missiles and rocket artillery": what lies between missiles and the class joined to them
MISSILES_AND_BEFORE = re.compile(
    r"\s+and\s+(?:(?:an?|the|some|several)\s+)?(?:[\w-]+\s+){0,2}", re.I
)
# "Hwasong-5 and -6 missiles", "Pukguksong-4 and 5": one name, several numbers
ELLIPSIS = re.compile(
    r"\b(?P<base>[A-Z][a-z]+?)s?-\d+[A-Za-z]?(?:\s*(?:,|and|or|&)\s*-?\d+[A-Za-z]?\b)+(?!\s*(?:km|kilomet|miles?|mm|%))"
)
ELLIPSIS_HINT = re.compile(r"-\d+[A-Za-z]?\s*(?:,|and|or|&)\s*-?\d")  # a cheap first look
# "thought to be KN-02s or 300mm rockets", "either a Styx or an SY-1", "it is not clear if this
# is the KN-24 or the KN-25", "one cannot rule out a KN-08 or a Polaris-2": names offered as
# alternatives name no missile in particular
ALTERNATIVES = re.compile(
    r"\b(?:either|may\s+be|might\s+be|could\s+be|(?:thought|believed|presumed|assessed|suspected)"
    r"\s+to\s+be|possibly|whether|if\s+(?:this|it|they|these|the\s+\w+)\s+(?:is|was|were|are)"
    r"|rule\s+out|chance\s+that)\b"
    r"[^.;]*?\bor\b[^.;]*",
    re.I,
)

# "Initially believed to have been a new Scud variant, later reports stated it was the Hwasong-12",
# "initially suspected of being a KN-15": a name first believed and then corrected
INITIAL_BELIEF = re.compile(
    r"\b(?:initially|originally|at\s+first|first)\s+(?:[\w-]+\s+){0,2}?(?:believed|thought|suspected"
    r"|reported|assessed|identified|described|called|misidentified|mistaken)\b[^,;.]*",
    re.I,
)

# "the footage of the Hwasong-17 was from the failed March 16 launch", "one photograph of a
# Hwasong-15 launch": the name of what a picture shows, not of the launch told
DEPICTED_BEFORE = re.compile(
    r"\b(?:photo(?:graph)?s?|images?|pictures?|footage|videos?|illustrations?)\s+of\s+"
    r"(?:the\s+|a\s+|an\s+)?$",
    re.I,
)

# "tests related to the development of a reconnaissance satellite": a satellite as the goal of a
# programme, not the thing launched
DEVELOPMENT_BEFORE = re.compile(
    r"\b(?:development|developing|develop)\s+(?:of\s+)?(?:(?:an?|the|its|their)\s+)?(?:[\w-]+\s+)?$",
    re.I,
)

# -- sources ---------------------------------------------------------------------------------

# "It said the missile flew ...", "the agency said": the agency named in the sentence before
AGENCY_ANAPHOR = re.compile(
    r"(?=[ItTa])(?:\b(?:[Ii]t|[Tt]he\s+(?:news\s+)?agency|[Tt]he\s+ministry|[Tt]hey)\s+(?:also\s+|later\s+)?"
    r"(?:said|says|added|reported|estimated|put|gave|told)\b|according\s+to\s+the\s+(?:agency|report)\b)"
)
# "said it did not reach Japan's exclusive economic zone": where it came down, told by a source
EEZ = re.compile(r"exclusive\s+economic\s+zone|\bEEZ\b|배타적\s*경제\s*수역", re.I)
# "said the missile fell into the sea west of Oga": where the flight ended, told by a source
CAME_DOWN = re.compile(r"\b(?:fell|landed|splashed\s+down|came\s+down|impacted)\b", re.I)
# "Experts said ...": someone speaks who is no agency
SAID = re.compile(
    r"(?=[satbeSATBE])\b(?:said|says|according\s+to|told|estimated|believe|believed)\b", re.I
)

# -- where -----------------------------------------------------------------------------------

# "from the Sunan area", "near Kusong", "in the vicinity of Sinpo", "in waters southeast of Sinpo":
# a site after these words
SITE_BEFORE = re.compile(
    r"\b(?:from|near|in|at|around|off|over)\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){0,3}"
    r"(?:(?:[a-z-]+\s+){0,2}?(?:area|region|vicinity|city|town|county|coast|waters|port|district"
    r"|village)\s+of\s+"
    # "in waters southeast of Sinpo", "from an area north of Pyongyang"
    r"|(?:(?:an?\s+)?(?:waters|area|areas|site)\s+)?(?:north|south|east|west|northeast|northwest"
    r"|southeast|southwest)\s+of\s+)?$"
    r"|\b(?:from|near)\s+(?:the\s+)?(?:[\w'-]+\s+){0,4}$"
    # "from four areas, including Sunan"
    r"|\bfrom\s+(?:[\w'-]+\s+){0,3}[\w'-]+,\s*including\s+(?:the\s+)?$"
)
# A city, province or coast needs a launch word around it: "from Pyongyang", "near Wonsan",
# "the Pyongyang area", "from a site in Chagang province" ("in Pyongyang, KCNA said" is no site).
BROAD_SITE_BEFORE = re.compile(
    r"\b(?:from|near|around)\s+(?:the\s+|its\s+|a\s+)?(?:[\w'-]+\s+){0,4}$"
    r"|\b(?:in|at)\s+the\s+(?:[A-Z][\w'-]*\s+){0,2}(?:area|region|vicinity)\s+of\s+$"
    # "launched off the coast of Wonsan", "in waters off Sinpo"
    r"|\boff\s+(?:the\s+)?(?:(?:coast|shore|coastal\s+city)\s+of\s+)?$"
)
# "Sunan area", "Wonsan's coast", "Sinpo shipyard"
SITE_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:area|region|airport|airfield|county|province|coast|site|launch|base|shipyard)",
    re.I,
)
# "평양 순안 일대에서", "신포 인근"
KOREAN_SITE_AFTER = re.compile(r"\s*(?:일대|부근|인근|일원|지역|국제비행장|비행장|에서)")
# "debris may have fallen on land near Pyongyang", "fired at a target buoy in the direction of
# Japan off the coastal city of Wonsan": where it fell or was aimed, not where it left
# ("flew towards the south from Tongchang-ri" names where it left)
WHERE_IT_FELL = re.compile(
    r"\b(?:fell|fallen|falling|landed|landing|crashed|debris|impact|struck|hit|toward|towards"
    r"|direction|target)\b"
    r"(?:(?!\bfrom\b)[^,.;])*$",
    re.I,
)
# "the missile regiment of North Phyongan Province": a unit's home, not where it fired from
UNIT_OF_BEFORE = re.compile(
    r"\b(?:regiments?|brigades?|units?|divisions?|corps|company|battalions?|bureau)\s+of\s+(?:the\s+)?$",
    re.I,
)
# "Kim Jong Un was not reported to have attended", "참관은 언급하지 않았다": oversight denied
OVERSIGHT_DENIED_BEFORE = re.compile(r"\b(?:not|never|no)\s+(?:[\w'’-]+\s+){0,4}$", re.I)
OVERSIGHT_DENIED_AFTER = re.compile(r"[^.,]{0,12}?(?:않았|않은|없었|없이)")
# "none had landed inside Japan's EEZ"
NOT_LANDED = re.compile(r"\b(?:none|not|no|never|neither|nor)\b[^.;,]*$", re.I)
# "the rocket passed over the Pacific"
OVERFLIGHT = re.compile(r"\b(?:over|across)\s+(?:the\s+)?$", re.I)

# -- when ------------------------------------------------------------------------------------

# "Hours before the summit opened, ... had fired", "that morning": a launch timed against
# something the article has just told of
CONTEXT_DAY = re.compile(
    r"(?=[hmsjtHMSJT같당])(?:\b(?:hours|minutes|shortly|just|moments|soon)\s+(?:before|after)\s+(?:the|his|her|their|its|that)\b"
    r"|\b(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)\b|같은\s*날|당일\s*(?:오전|오후))",
    re.I,
)

# "at 9:40 a.m.", "around 05:34", "오전 7시 10분께": a time of day
CLOCK_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b)|\b\d{1,2}:\d{2}\b"
    r"|(?:오전|오후|새벽)\s*\d{1,2}\s*시",
    re.I,
)

# "its fourth nuclear test in January", "the summit on Tuesday", "sanctions adopted in March":
# a date right after another kind of event is that event's
OTHER_EVENT_BEFORE = re.compile(
    r"\b(?:(?:nuclear|atomic|engine|motor)\s+(?:weapons?\s+)?(?:tests?|detonations?|explosions?)"
    r"|summits?|talks|elections?|visits?|meetings?|drills?|exercises?|parades?|congress|plenum"
    r"|decisions?"
    r"|inauguration|sanctions|resolutions?|ceremony|holiday|speech)"
    r"(?:\s+(?!(?:and|or|but|while|after|before)\b)[\w'’-]+){0,3}?\s+(?:on\s+|in\s+|of\s+)?$",
    re.I,
)

# "launched at 10:04 and 10:23 PM UTC", "at 2140 GMT": a launch timed in UTC (the hour, the
# a.m./p.m. of the first time or of the second)
UTC_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?::?\d{2})?\s*(?P<ap>[ap]\.?\s?m\b\.?)?"
    r"(?:\s*(?:and|to|-|–)\s*\d{1,2}(?::?\d{2})?\s*(?P<ap2>[ap]\.?\s?m\b\.?)?)?"
    r"\s*(?:UTC|GMT)\b",
    re.I,
)

# "..., a similar performance to the KN-23 tested in October 2021": a name with its own past
# launch in a participle after it (the clause before it is about this launch)
PARTICIPLE_AFTER_NAME = re.compile(
    r"\s+(?:missiles?\s+|rockets?\s+)?(?:first\s+|last\s+)?(?:tested|launched|fired|test-fired|flown|seen)"
    r"\s+(?:in|on|last|earlier|during)\b",
    re.I,
)

# "North Korea's first missile test of 2022", "its third launch this year": a year that scopes an
# ordinal counts launches; it does not date this one
ORDINAL_SCOPE_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th)"
    r"|latest)\s+(?:[\w-]+\s+){0,4}?(?:(?:of|in|for)\s+)?$",
    re.I,
)

# -- one missile of a salvo ------------------------------------------------------------------

# "The first broke up in flight, but the second soared ...", "One flew 1,000 km. The other ...",
# "첫 번째 미사일은 ..., 두 번째는": which missile of a salvo a clause speaks of.
ORDINAL = re.compile(
    r"(?=[TtfsoOl첫두세다나한])(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[,;:]\s)|(?<=\bbut\s)|(?<=\bwhile\s)|(?<=\band\s)|(?<=\bsaid\s)|(?<=\bthat\s))"
    r"(?:[Tt]he\s+)?(?P<en>first|second|third|other|latter|former|One|one)"
    r"(?:\s+(?:missile|rocket|projectile|one|launch|of\s+(?:them|the\s+missiles)))?"
    r"(?=,|\s+(?:was|were|had|has|flew|broke|soared|lifted|travel+ed|exploded|appeared|came|fell|"
    r"landed|reached|crashed|blew|disintegrated|showed|is|flying|may|might|could|apparently|appears|"
    r"seemed|possibly|probably|about|only|some|roughly|around|then|later|also|,))"
    r"|(?P<ko>첫\s*번째|두\s*번째|세\s*번째|다른\s*한\s*발|나머지\s*한\s*발|한\s*발은)"
)
ORDINAL_NUMBER = {
    "first": 1, "one": 1, "former": 1, "second": 2, "other": 2, "latter": 2, "third": 3,
    "첫번째": 1, "한발은": 1, "두번째": 2, "다른한발": 2, "나머지한발": 2, "세번째": 3,
}  # fmt: skip
# ", ", " and ", "; ": where the words about one named missile end and those of the next begin
NAME_JOINT = re.compile(r"[,;]\s|\s(?:and|as\s+well\s+as|plus)\s")
# "..., but", "..., and said": the joint at the end of a clause given as evidence
CLAUSE_TAIL = re.compile(r"(?:,?\s+(?:but|and|while)(?:\s+(?:said|added|says))?)$")

# -- detail sentences ------------------------------------------------------------------------

# "The missiles were launched from ...", "All four hit their targets", "Both flew ...": a detail
# of every missile told together in the anchor sentence
PLURAL_SUBJECT = re.compile(
    r"(?:The|These|Those|All|Both)\s+(?:[\w-]+\s+){0,2}?(?:missiles|rockets|projectiles|launches)\b"
    r"|(?:They|Both|All\s+(?:of\s+them|two|three|four|five|six|seven|eight|nine|ten|\d+))\b"
)
PLURAL_MISSILES = re.compile(r"\b(?:missiles|rockets|projectiles)\b", re.I)
# "both tests achieved their goals", "all the launches": every launch of the occasion, whatever
# else the sentence names
BOTH_TESTS = re.compile(
    r"\b(?:both|all)\s+(?:the\s+|of\s+the\s+)?(?:tests|launches|test-fires|test-firings|systems)\b",
    re.I,
)
# "these tests", "those launches": launches told in the plural, whose number is not "a missile"
PLURAL_LAUNCHES = re.compile(r"\b[Tt]hese\s+(?:[\w-]+\s+)?(?:tests|launches)\b")
# "The missile landed in ...", "the missile travelled 500 km", "the missile's erratic flight":
# the flight of one missile
SINGLE_MISSILE_FLEW = re.compile(
    r"\b[Tt]he\s+(?:new\s+)?(?:missile|rocket|ICBM|IRBM|SLBM|SRBM|MRBM)\s+(?:itself\s+)?"
    r"(?:flew|landed|reached|travell?ed|soared|climbed|fell|splashed|exploded|blew\s+up|crashed"
    r"|came\s+from|was\s+(?:launched|fired)|appears\s+to\s+have\s+(?:flown|travell?ed|exploded"
    r"|landed|blown\s+up|crashed))\b"
    r"|\b[Tt]he\s+(?:missile|rocket)['’]s\s+(?:[\w-]+\s+){0,2}?(?:flight|trajectory)\b"
)
# "Kim Jong Un oversaw the test-fire.": the occasion, every missile fired at it
OCCASION = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?:test|test-fire|test-firing|launch|launches|"
    r"firing|drill|tests|test-fires|launching\s+drill)\b",
    re.I,
)


# "a South Korean missile launch failed", "Japan's own test": a state's word right before a
# launch or missile word makes the launch that state's
STATE_OWNS_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:own\s+|new\s+|first\s+)?(?:[\w-]+\s+)?(?:missiles?|rockets?|launch|launches|"
    r"test|tests|test-firing|SRBMs?|ICBMs?|SLBMs?)\b",
    re.I,
)

# "South Korea identified these as ...", "They were ...": the launches just told of
THESE_BACK = re.compile(r"\b(?:these|those|they|them)\b(?!\s+(?:days|years|weeks|months)\b)", re.I)
# "the launch came from Sukchon", "this test": the launch the article reports, referred to before
# the sentence that reports it
BACK_REFERENCE = re.compile(
    r"\b(?:the|this|these)\s+(?:[\w-]+\s+)?(?:launch|launches|test|tests|firing|trajectory|flight)\b"
    r"|\b(?:this|these)\s+missiles?\b(?!\s+(?:regiments?|units?|brigades?))",
    re.I,
)

# A sentence after an anchor that may add to the launch: it speaks of a missile, it or a flight.
DETAIL_WORDS = re.compile(
    r"\b(?:missile|missiles|it|rocket|rockets|projectile|launch|launches|flight|tests?|first|second"
    r"|other|flew|landed|fell|came\s+down|splashed\s+down|reached|travell?ed|exploded|attempts?"
    r"|misfired|crashed|failed|blew\s+up|broke\s+(?:up|apart))\b",
    re.I,
)
KOREAN_DETAIL_WORDS = re.compile(r"미사일|발사체|탄도|발사|시험")
