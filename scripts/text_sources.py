#!/usr/bin/env python3
"""Seeded template grammar that writes invented, news-like text (public domain, CC0).

What it does
  * `generate_articles(seed, count)` writes synthetic news articles (headline,
    blank line, 3-12 paragraphs, 400-3000 characters) on six topics: economy,
    sport, science, politics, weather, culture. Every article has its own cast
    (people, organisation, city) and draws sentences from large template pools
    with inline alternatives, so two articles share very few word 5-grams.
  * Holds the word lists that scripts/gen_corpus.py uses for synthetic outlets
    (paper names, navigation sections, people for "Topics:" lines) and for
    templated earnings reports.
  * Run as a script it writes corpora/base_articles.jsonl:
        python3 scripts/text_sources.py --seed 7 --count 150 \
            --out corpora/base_articles.jsonl

What it leaves out
  * No real article text is used or copied; facts, names and numbers are made
    up (city and country names are real place names only).
  * The prose is grammatical but shallow; it is meant for deduplication
    benchmarks, not for language modelling.

Grammar syntax: `{slot}` is replaced by a value of the article context (fixed
for the whole article) or a random entry of LEX[slot] (expanded recursively);
`[a|b|c]` picks one alternative. Stdlib only, deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

FIRST_NAMES = """
Aaron Abigail Adele Adrian Agnes Aidan Alba Alejandro Alice Amara Amir Anders
Angela Anika Arjun Astrid Audrey Beatriz Benedict Bianca Boris Bruno Camille
Carlos Carmen Cecilia Chiara Chloe Conrad Dalia Damian Daniela Dario Delphine
Dmitri Edith Elena Elias Eloise Emeka Enzo Esther Ewan Fatima Felix Fiona
Florian Gemma Gideon Grace Greta Hamid Hannah Harriet Hector Helena Hugo Ibrahim
Ines Ingrid Irene Isaac Ivan Jana Jasper Joanna Jonas Josefine Julian Kamala
Karim Katarina Kenji Kofi Lara Laszlo Leila Leon Lidia Linnea Lorenzo Lucia
Magnus Malik Marco Margot Marta Mateo Maya Miriam Nadia Naomi Nikolai Nina Noor
Olga Oliver Omar Oscar Pablo Paloma Patrick Petra Priya Rafael Rania Renata
Rosa Ruben Ruth Sami Sandra Sebastian Selin Simone Sofia Stefan Tamara Theo
Tobias Ursula Valentina Victor Vivian Walter Wiktor Yara Yusuf Zofia
""".split()

SURNAMES = """
Abara Adeyemi Alvarez Andersen Arnaud Bakker Balogun Barros Becker Bergstrom
Bianchi Blackwood Brandt Caldwell Carvalho Castellano Chandra Chowdhury Costa
Dalton Delacroix Demir Dimitrov Dubois Eriksen Esposito Farouk Fernandes
Fischer Fontaine Gallagher Garza Gomes Haddad Halvorsen Hartmann Havel Hughes
Ibsen Ivanova Jablonski Jansen Kamau Kaplan Karlsson Kawasaki Keller Kovacs
Kowalski Kruger Lambert Larsen Laurent Lindqvist Lopez Lucero Lund Macaulay
Madsen Maier Marchetti Markovic Mendes Mensah Molina Moreau Morgenstern Nakamura
Navarro Nilsen Nowak Nyberg Okafor Okonkwo Olsen Ortega Osei Pacheco Pappas
Pereira Petrov Pham Quinlan Ramos Rasmussen Reyes Richter Rios Romano Rossi
Ruiz Sabatini Salazar Sandoval Santos Schmidt Sorensen Stavros Strand Suzuki
Takahashi Tanaka Thorsen Torres Toivonen Ueda Valdez Varga Vasquez Vogel
Walcott Weber Whitfield Wojcik Yamamoto Yilmaz Zamora Zielinski Zimmer
""".split()

CITIES = """
Lisbon|Madrid|Rome|Vienna|Prague|Warsaw|Helsinki|Oslo|Dublin|Athens|Brussels|
Geneva|Hamburg|Lyon|Milan|Krakow|Porto|Seville|Tallinn|Riga|Nairobi|Lagos|
Accra|Cairo|Casablanca|Johannesburg|Mumbai|Delhi|Dhaka|Jakarta|Manila|Hanoi|
Bangkok|Seoul|Osaka|Taipei|Sydney|Melbourne|Auckland|Toronto|Montreal|
Vancouver|Chicago|Houston|Denver|Boston|Atlanta|Seattle|Mexico City|Bogota|
Lima|Santiago|Buenos Aires|Montevideo|Sao Paulo|Quito|Istanbul|Ankara|Tbilisi|
Baku|Almaty|Tashkent|Amman|Beirut|Doha|Muscat|Karachi|Colombo|Kathmandu|
Ulaanbaatar|Reykjavik|Valletta|Ljubljana|Zagreb|Sofia|Bucharest|Vilnius|
Glasgow|Cardiff|Belfast|Marseille|Bordeaux|Turin|Naples|Valencia|Bilbao
""".replace("\n", "").split("|")

COUNTRIES = """
Portugal Spain Italy Austria Poland Finland Norway Ireland Greece Belgium
Kenya Nigeria Ghana Egypt Morocco India Indonesia Vietnam Thailand Canada
Mexico Colombia Peru Chile Argentina Uruguay Brazil Ecuador Turkey Georgia
Kazakhstan Jordan Qatar Oman Nepal Mongolia Iceland Malta Slovenia Croatia
Bulgaria Romania Lithuania Estonia Latvia Denmark Sweden Senegal Tanzania
""".split()

ORG_PREFIX = """
Alder Amber Anchor Apex Arbor Atlas Aurora Beacon Birch Blue Bridge Brook
Cardinal Cedar Cobalt Compass Copper Crescent Crown Delta Eastgate Ember
Everett Falcon Fjord Granite Harbor Heron Horizon Ironwood Juniper Keystone
Lakeview Linden Lumen Maple Meridian Monarch Northgate Oakridge Orion Pioneer
Polaris Quarry Redwood Ridgeline Sable Sentinel Silverline Solstice Summit
Tamarack Tidewater Trident Unity Vanguard Westbrook Willow Zenith
""".split()

ORG_KIND = {
    "economy": ["Holdings", "Bank", "Capital", "Logistics", "Motors", "Foods",
                "Energy", "Steel", "Retail Group", "Insurance", "Shipping",
                "Textiles", "Mining", "Telecom", "Pharmaceuticals"],
    "sport": ["United", "City", "Rovers", "Athletic", "Wanderers", "Rangers",
              "FC", "Olympic", "Sporting", "Albion"],
    "science": ["Institute", "University", "Research Centre", "Laboratory",
                "Observatory", "Medical School", "Polytechnic"],
    "politics": ["Party", "Alliance", "Movement", "Front", "Union", "Coalition"],
    "weather": ["Weather Service", "Meteorological Office", "Climate Centre",
                "Flood Agency", "Coast Guard"],
    "culture": ["Theatre", "Gallery", "Museum", "Festival", "Orchestra",
                "Film Society", "Opera House", "Book Fair"],
}

# Sections for navigation menus of synthetic outlets.
NAV_SECTIONS = ["Home", "News", "World", "Business", "Sport", "Politics",
                "Science", "Tech", "Culture", "Opinion", "Weather", "Local",
                "Health", "Travel", "Lifestyle", "Video", "Podcasts",
                "Obituaries", "Markets", "Entertainment", "Education"]

PAPER_FIRST = ["Daily", "Evening", "Morning", "Weekly", "Northern", "Southern",
               "Coastal", "Valley", "Riverside", "Metro", "County", "City",
               "Lakeside", "Harbour", "Capital", "Prairie", "Highland",
               "Midland", "Bay", "Eastern", "Western", "Union", "Frontier",
               "Island", "Summit", "Pacific", "Atlantic", "Central"]
PAPER_SECOND = ["Herald", "Gazette", "Courier", "Tribune", "Observer",
                "Chronicle", "Post", "Times", "Journal", "Sentinel", "Echo",
                "Star", "Mirror", "Press", "Record", "Dispatch", "Ledger",
                "Examiner", "Standard", "Register", "Beacon", "Bulletin",
                "Clarion", "Express", "Advocate", "Telegraph", "Monitor"]

# Names for "Topics:" lines: people, companies, places, themes.
TOPIC_NAMES = ["Climate change", "Elections", "Inflation", "Football",
               "Tennis", "Space", "Health", "Housing", "Energy", "Trade",
               "Artificial intelligence", "Transport", "Education", "Crime",
               "Tourism", "Agriculture", "Banking", "Oil", "Music", "Film",
               "Weather", "Europe", "Asia", "Africa", "Americas", "Olympics",
               "Stock markets", "Central banks", "Courts", "Immigration"]

# ---------------------------------------------------------------------------
# Grammar: shared slots
# ---------------------------------------------------------------------------

LEX: dict[str, list[str]] = {
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                "Saturday", "Sunday"],
    "when": ["on {weekday}", "late on {weekday}", "early on {weekday}",
             "this week", "on {weekday} morning", "on {weekday} evening",
             "over the weekend", "earlier this month"],
    "month": ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"],
    "said": ["said", "told reporters", "said in a statement", "told local radio",
             "wrote in a note to clients", "told a news conference",
             "said in an interview", "posted on social media"],
    "official": ["a spokesperson", "a senior official", "an aide",
                 "a government source", "a company representative",
                 "a regional director", "one board member"],
    "reaction": ["welcomed the move", "criticised the decision",
                 "called for a full review", "urged caution",
                 "declined to comment", "promised a detailed response",
                 "questioned the timing", "described it as overdue"],
    "crowd": ["residents", "commuters", "shop owners", "parents", "students",
              "farmers", "pensioners", "nurses", "taxi drivers", "fans"],
    "soon": ["in the coming weeks", "before the end of the year",
             "by the spring", "within days", "next month",
             "later this year", "in the new year"],
}

# Slots defined per topic; each topic also gets {org} and the cast slots.
TOPIC_LEX: dict[str, dict[str, list[str]]] = {
    "economy": {
        "indicator": ["inflation", "unemployment", "retail sales",
                      "factory output", "trade deficit", "consumer spending",
                      "house prices", "business confidence", "export orders",
                      "wage growth"],
        "up": ["rose", "climbed", "jumped", "edged up", "accelerated",
               "surged"],
        "down": ["fell", "slipped", "dropped", "eased", "contracted",
                 "declined"],
        "product": ["electric vans", "frozen meals", "solar panels",
                    "mobile contracts", "steel coils", "cargo services",
                    "home insurance", "generic medicines", "denim jeans",
                    "copper wire"],
        "role": ["chief executive of {org}", "chief economist at {org}",
                 "finance director of {org}", "an analyst at {org2}",
                 "head of research at {org2}", "chair of {org}"],
        "market": ["the main share index", "government bond yields",
                   "the local currency", "oil futures", "bank shares",
                   "the property market"],
    },
    "sport": {
        "result": ["beat", "edged past", "thrashed", "drew with", "lost to",
                   "came from behind to beat", "held off"],
        "event": ["the league title", "the cup final", "the semi-final",
                  "the relegation battle", "the opening round",
                  "the continental championship", "the play-offs"],
        "role": ["head coach of {org}", "captain of {org}",
                 "the {org} goalkeeper", "manager of {org}",
                 "sporting director at {org}", "the veteran striker"],
        "body": ["hamstring", "knee", "ankle", "shoulder", "calf", "wrist"],
        "venue": ["the home stadium", "a packed arena", "the national stadium",
                  "a rain-soaked ground", "the new indoor hall"],
    },
    "science": {
        "field": ["marine biology", "materials science", "genetics",
                  "astronomy", "climate modelling", "neuroscience",
                  "soil chemistry", "particle physics", "epidemiology",
                  "battery research"],
        "finding": ["a previously unknown species of beetle",
                    "a cheaper way to store hydrogen",
                    "a link between sleep and memory",
                    "traces of water ice in a distant crater",
                    "a protein that slows muscle loss",
                    "a coral strain that tolerates warmer seas",
                    "a faster method for recycling plastics",
                    "an unusual pattern in radio signals"],
        "role": ["lead author of the study", "a professor at {org}",
                 "director of {org}", "a researcher at {org2}",
                 "head of the laboratory"],
        "journal": ["a leading journal", "a peer-reviewed journal",
                    "an open-access journal", "the annual review"],
        "sample": ["mice", "volunteers", "soil samples", "patients",
                   "telescope images", "water samples", "crop trials"],
    },
    "politics": {
        "policy": ["a tax on sugary drinks", "changes to the pension age",
                   "a new border agreement", "cuts to rail subsidies",
                   "a ban on single-use plastics", "a housing bill",
                   "reform of the electoral system", "a minimum wage rise",
                   "new rules on data privacy", "a regional autonomy plan"],
        "role": ["leader of the {org}", "the opposition leader",
                 "the finance minister", "the interior minister",
                 "a senior member of the {org}", "the prime minister",
                 "the speaker of parliament"],
        "vote": ["a confidence vote", "the second reading",
                 "a snap election", "a referendum", "the budget vote",
                 "a party leadership contest"],
        "place": ["parliament", "the cabinet", "the senate",
                  "the regional assembly", "the constitutional court"],
    },
    "weather": {
        "event": ["heavy rain", "a heatwave", "strong winds", "snowfall",
                  "flash floods", "a tropical storm", "thick fog",
                  "hailstorms", "a cold snap", "drought"],
        "role": ["a forecaster at the {org}", "head of the {org}",
                 "the regional emergency coordinator", "the mayor",
                 "a spokesperson for the {org}"],
        "damage": ["fallen trees", "flooded roads", "power cuts",
                   "cancelled flights", "closed schools", "damaged roofs",
                   "landslides on mountain roads", "burst river banks"],
        "measure": ["{n2} millimetres of rain", "wind gusts of {n3} km/h",
                    "temperatures of {n2} degrees Celsius",
                    "{n2} centimetres of snow"],
    },
    "culture": {
        "work": ["a new opera", "a retrospective exhibition",
                 "a debut novel", "a documentary film", "a jazz album",
                 "a restored silent film", "a sculpture installation",
                 "a three-part drama", "a collection of short stories"],
        "role": ["artistic director of the {org}", "curator at the {org}",
                 "the award-winning author", "a critic for the {org2}",
                 "the festival director", "the composer"],
        "audience": ["audiences", "critics", "collectors", "readers",
                     "schoolchildren", "visitors"],
        "prize": ["a national book prize", "the festival's top award",
                  "a lifetime achievement award", "an international prize",
                  "the audience award"],
    },
}

# Headlines per topic.
HEADLINES = {
    "economy": [
        "{Org} [profit|revenue|sales] [jumps|slides|beats forecasts] as {product} [demand grows|orders slow]",
        "{Country} {indicator} {up} to {pct} in {month}",
        "{Country} {indicator} {down} [for a third month|more than expected]",
        "{Org} to [cut|add] {n3} jobs in {city}",
        "[Shares in|Investors dump|Investors buy] {Org} after {surname} [warning|upgrade]",
        "{City} [port|airport|factory] deal worth {money} [agreed|signed|collapses]",
    ],
    "sport": [
        "{Org} {result} {org2} [in|ahead of] {event}",
        "{Surname} [injury|return|double] [boosts|blow for|lifts] {Org}",
        "{Org} [sack|appoint|extend contract of] coach {surname}",
        "{Surname} [wins|loses] {city} [open|marathon|grand prix]",
        "[Late goal|Penalty drama|Record crowd] [as|sees] {Org} [reach|miss out on] {event}",
    ],
    "science": [
        "[Scientists|Researchers] in {city} [find|report|describe] {finding}",
        "{Org} team [links|ties] {field} [study|data] to {finding}",
        "[New|Early|Surprising] study of {sample} [points to|reveals] {finding}",
        "{Surname} [wins|receives] [funding|award] for {field} [work|project]",
    ],
    "politics": [
        "{Country} [government|parliament|cabinet] [backs|rejects|delays] {policy}",
        "{Surname} [faces|survives|calls] {vote}",
        "[Protests|Row|Talks] over {policy} in {city}",
        "{Org} [quits coalition|wins seats|picks new leader] [after|amid] [row|vote|scandal]",
    ],
    "weather": [
        "{Event} [hits|batters|grips] {city} [region|area|coast]",
        "[Warning issued|Schools shut|Roads closed] as {event} [nears|sweeps] {country}",
        "{City} [braces for|cleans up after] {event}",
        "[Record|Unseasonal|Deadly] {event} [in|across] {country}",
    ],
    "culture": [
        "{Surname} [unveils|premieres|launches] {work} in {city}",
        "{Org} [reopens|celebrates|cancels] [after|amid] [renovation|funding row|anniversary]",
        "{Work} [wins|shortlisted for] {prize}",
        "[Critics hail|Audiences flock to|Row over] {work} [at|by] {org}",
    ],
}

# Lede sentences (first paragraph), per topic.
LEDES = {
    "economy": [
        "{Country}'s {indicator} {up} to {pct} in {month}, [official figures showed|the statistics office said] {when}, [beating|confounding] [forecasts|economists' expectations] [and adding to|and easing] pressure on [the central bank|policymakers].",
        "{Org}, [one of the largest|the second-biggest|a fast-growing] makers of {product} in {country}, [reported|posted|announced] a {pct} [rise|fall] in [annual|quarterly|half-year] [profit|revenue] {when}.",
        "[Shares in|The stock of] {org} {up} [sharply|almost {n1} percent|to a record] {when} after the company [raised its outlook|unveiled a buyback|won a contract] worth {money}.",
        "{Org} [plans to|will] [close|expand] its {city} [plant|warehouse|office], [affecting|creating] {n3} jobs, [the company|{person}] {said} {when}.",
    ],
    "sport": [
        "{Org} {result} {org2} {score} {when} [to stay in the race for|and moved a step closer to|keeping alive hopes of winning] {event}.",
        "{Person} scored [twice|a late winner|from the penalty spot] as {org} {result} {org2} {score} in front of {n4} [fans|supporters] at {venue}.",
        "{Org} [have appointed|confirmed] {person} as [their|the club's] new [head coach|manager|captain] {when}, [ending weeks of speculation|after a turbulent season].",
        "{Person} [will miss|is doubtful for] {event} with a {body} injury, {org} {said} {when}.",
    ],
    "science": [
        "[Scientists|Researchers] at {org} [say they have found|have described|report] {finding}, [a result|in work] [that could|which may] [change|reshape|inform] [how|the way] {field} [is taught|develops|is funded].",
        "A [study|team] led by {person} of {org} has [identified|described] {finding}, [according to|in] a paper published {when} in {journal}.",
        "{Finding} [has been reported|was found] by a team [working in|based in] {city}, [raising|opening] [new questions|fresh hopes] for {field}.",
    ],
    "politics": [
        "{Country}'s [government|ruling coalition] [won|lost|narrowly survived] {vote} {when} over {policy}, [deepening|ending] [weeks of|a] [uncertainty|political crisis].",
        "{Person}, {role}, [announced|unveiled|defended] {policy} {when}, [promising|saying it would bring] [lower costs|fairer outcomes|more stability] for {crowd}.",
        "[Thousands of|Hundreds of] {crowd} [marched|rallied|gathered] in {city} {when} to protest against {policy}.",
    ],
    "weather": [
        "{Event} [swept across|hit|battered] {city} and [the surrounding region|nearby towns|the coast] {when}, [bringing|causing] {damage} and {damage2}.",
        "The {org} [issued|extended|raised] [a red|an amber|a yellow] warning for {event} in {country} {when}, [forecasting|with] {measure}.",
        "[Emergency crews|Volunteers|Soldiers] [worked through the night|were deployed] in {city} after {event} [left|caused] {damage}.",
    ],
    "culture": [
        "{Work} by {person} [opened|premiered|was unveiled] at the {org} in {city} {when} [to a standing ovation|to mixed reviews|before a sold-out house].",
        "The {org} in {city} [will reopen|has reopened] [after a {n1}-year renovation|with a new wing] [costing|worth] {money}, [its director|{person}] {said}.",
        "{Person} has won {prize} for {work}, [beating|ahead of] [a strong field|{n1} other finalists|established names].",
    ],
}

# Body sentences, per topic (any order).
BODY = {
    "economy": [
        "[Analysts|Economists] [had expected|had forecast|were looking for] a figure of {pct}, [according to|in] a [poll|survey] [by|of] {org2}.",
        "The [data|figures|numbers] [suggest|indicate|show] that {indicator} [is|remains] [under pressure|stronger than thought|close to a peak].",
        "{Indicator} {down} to {pct} in the [same period|previous quarter|first half], [the statistics office|the ministry] said.",
        "{Org} [employs|has] [about|roughly|more than] {n4} [people|staff|workers] [in {country}|across {n1} countries].",
        "The company [blamed|credited] [higher|lower] [energy costs|raw material prices|freight rates|interest rates] for [the result|the swing|most of the change].",
        "{Market} {up} [{n1} percent|slightly|to a {n1}-month high] after the [announcement|figures|report].",
        "[Revenue|Turnover|Operating profit] [reached|came to|totalled] {money} [in the period|for the year|over {n1} months].",
        "[Demand|Orders] for {product} [picked up|slowed|held steady] [in {month}|over the summer|during the holidays].",
        "[The central bank|The finance ministry] [is due to|will] [meet|publish its forecasts] {soon}.",
        "{Surname} said the [group|company|firm] would [invest|spend] {money} [in new equipment|on a new plant in {city}|on digital services].",
        "[Unions|Staff representatives] [said they would|plan to] [seek talks|ballot members|meet management] over the [plans|job cuts|pay offer].",
        "The [deal|merger|takeover] [still needs|requires|awaits] [approval from regulators|shareholder backing|a court ruling].",
        "[Exports|Imports] of {product} {up} [by a quarter|{pct}|sharply] [compared with|from] a year earlier.",
        "[Small businesses|Retailers|Manufacturers] in {city} [have complained|say] that [costs|rents|borrowing costs] [are rising faster than sales|leave little room for hiring].",
        "[The currency|Government bonds] [weakened|strengthened] [slightly|modestly] against the dollar [after the figures|in afternoon trading].",
        "{Org2} [cut|raised] its [growth forecast|target price|rating] [for {country}|on the shares] [to|from] {pct}.",
        "The [last time|previous occasion] {indicator} [was this high|was this low] was in {year}, [during|after] [the financial crisis|a commodity boom|a long recession].",
        "[Consumer groups|Opposition politicians] [said|argued] the [figures|results] [showed|proved] that {crowd} [were struggling|had been left behind].",
        "{Surname} [expects|sees] [margins|sales|profits] to [improve|recover|stabilise] {soon}.",
        "[A new|The] {city} [plant|centre|terminal] [will|is expected to] [open|start operating] in {year2}.",
        "[About|Nearly|Almost] {n2} percent of {org}'s sales [come from|are in] [abroad|{country}|online channels].",
        "The [board|company] [proposed|will pay] a dividend of {n1}.{n2} [euros|dollars|pounds] [per share|a share].",
        "[Rival|Competitor] {org2} [reported|is due to report] [its own results|figures] {soon}.",
    ],
    "sport": [
        "{Surname} [opened the scoring|equalised|added a second] [after {n2} minutes|just before half-time|early in the second half].",
        "The [visitors|hosts] [had|missed] [several chances|a penalty|a late chance] [through|when] {surname2} [hit the post|was denied by the goalkeeper|fired wide].",
        "{Org} [are now|sit] {n1} points [clear at the top|behind the leaders|above the relegation zone] with {n1} [games|matches] [left|remaining].",
        "[The result|Defeat|Victory] [leaves|means] {org2} [without a win in|unbeaten in] {n1} [games|matches].",
        "{Surname2}, [who joined from|signed from] {org2} [in the summer|last year], [impressed|struggled] [on the left|in midfield|up front].",
        "[The club|{Org}] [said|confirmed] {surname} [would undergo|needs] [a scan|surgery|further tests] on the {body}.",
        "[Attendance|The crowd] of {n4} was [a season high|the lowest this season|a club record].",
        "{Surname} [praised|criticised] the [referee|pitch|fixture schedule] after the [match|game].",
        "[It was|That was] {org}'s [first|third|fifth] [win|defeat|draw] [in {n1} visits|at {venue}|against {org2}] [since|in] {year}.",
        "The [two sides|teams] [meet again|will face each other again] in {event} {soon}.",
        "[Young|Teenage] [winger|defender|midfielder] {person2} [made his debut|came off the bench|was sent off] [in the {n2}th minute|late on].",
        "[Tickets|Seats] for {event} [sold out|went on sale] [within hours|this week].",
        "{Org2} [had won|had lost] [their previous|their last] {n1} [league|home|away] [matches|games].",
        "{Org} [trained|prepared] at [a camp|their base] [near {city}|in {country}] [before the game|during the break].",
        "[The federation|League officials] [will review|are investigating] [the incident|crowd trouble|a late challenge] [involving|by] {surname2}.",
        "[Bookmakers|Pundits] [now make|had made] {org} [favourites|outsiders] for {event}.",
        "{Surname2} [has scored|has now scored] {n2} [goals|points] [this season|in all competitions].",
        "[Rain|Wind|Heat] [made conditions difficult|delayed the start by {n2} minutes] at {venue}.",
    ],
    "science": [
        "The [team|researchers|group] [studied|analysed|followed] {sample} [over {n1} years|for {n2} months|from {n1} sites].",
        "[Results|Findings] were [published|reported] in {journal} {when}.",
        "[Earlier|Previous] [studies|experiments] had [suggested|hinted] that [the effect|such a link|the process] was [weaker|rarer|more common].",
        "[Funding|Money] for the [project|work] came from [{org2}|a {money} grant|a national programme].",
        "[Other|Independent] [experts|scientists] said the [work|results] [would need to be repeated|were promising|were a significant step].",
        "The [method|technique|approach] [relies on|uses|combines] [laser imaging|machine learning|chemical markers|satellite data].",
        "{Surname} said the [next step|plan] [is to|would be to] [test|repeat|extend] the [results|experiments] [in {country}|with {sample}|at larger scale].",
        "[The effect|The change] was [seen|measured] in [about|roughly|nearly] {n2} percent of {sample}.",
        "[Samples|Data] were [collected|gathered] [near {city}|off the coast of {country}|at {n1} field stations].",
        "[The study|The paper] [did not|does not] [show|prove|claim] that [one causes the other|the finding applies to humans].",
        "{Person2}, [who was not involved in the study|an independent researcher|a colleague at {org2}], [called it|said it was] [elegant|important|a careful piece of work].",
        "[Such|These] [discoveries|results] [could|might] [lead to|help develop] [cheaper treatments|better forecasts|new materials] {soon}.",
        "The [team|group] [plans to|hopes to] [share|release] [its data|the software] [with other laboratories|publicly].",
        "[Work|Research] in {field} [has grown|has slowed] [sharply|since {year}] [in {country}|worldwide].",
        "The [instrument|device|sensor] [cost|was built for] {money} and [took|needed] {n1} years to [build|develop].",
        "[Critics|Some scientists] [warned|cautioned] that {sample} [may not|do not always] [represent|reflect] [wider populations|real conditions].",
    ],
    "politics": [
        "The [measure|bill|plan] [passed|failed] by {n3} votes to {n3b} [in|at] {place}.",
        "{Surname} [accused|criticised] the [government|opposition] of [ignoring|misleading] {crowd} [over|about] [the costs|the plans].",
        "[Polls|Surveys] [suggest|show] [support|opposition] for the [plan|government] [at|near] {n2} percent.",
        "The {org} [holds|won] {n2} [seats|of the seats] [in|at] [the last election|{place}].",
        "{Official} [said|confirmed] that [talks|negotiations] would [continue|resume] {soon}.",
        "[Critics|Opponents] say {policy} [would cost|could cost] [taxpayers|the state] [up to|about] {money} [a year|over five years].",
        "[The president|The head of state] [must still sign|is expected to sign] the [bill|law] [into law|before it takes effect].",
        "{Person2}, [a member of|an MP for] the {org2}, [said|argued] the [plan|vote] was [rushed|a mistake|long overdue].",
        "[Police|Organisers] [put|estimated] the [crowd|number of protesters] at [about|around] {n4}.",
        "The [last|previous] [government|coalition] [collapsed|fell] in {year} [over|after a row about] [spending|corruption allegations|immigration].",
        "{Surname} [is due to|will] [travel to|meet leaders in] {city2} {soon} [to discuss|for talks on] [trade|security|energy].",
        "[Lawmakers|Deputies] [debated|argued over] the [amendment|proposal] for [more than|nearly] {n1} hours.",
        "[The move|The plan] [follows|comes after] [months of|a year of] [protests|negotiations|legal challenges] [in|across] {country}.",
        "[Local|Regional] elections [are due|will be held] {soon}.",
        "[Several|A number of] [ministers|deputies] [threatened to resign|abstained] [over|during] the [vote|debate].",
        "{Org} [said|insisted] it [would not|would] [support|block] [any|the] [changes|deal] [without|unless there were] [guarantees|new funding].",
    ],
    "weather": [
        "[More than|Nearly|About] {n4} [homes|households|businesses] were [left without power|evacuated] [overnight|on {weekday}].",
        "Forecasters [expect|predict] {measure} [over the next {n1} days|by {weekday}|in the hills].",
        "[Rail|Bus|Ferry] services [between {city} and {city2}|in the region] were [suspended|cancelled|disrupted].",
        "[The river|Water levels] [rose|reached] [{n1} metres above normal|a {n2}-year high] [at|near] {city}.",
        "[Schools|Offices|Markets] in [{city}|the area] [closed|stayed shut] [as a precaution|for the day].",
        "{Official} [said|warned] that [residents|people|drivers] should [avoid travel|stay indoors|check forecasts] [until|before] {weekday}.",
        "[Insurers|Officials] [estimate|put] the [damage|cost of repairs] at [around|up to] {money}.",
        "[It was|This was] the [wettest|hottest|windiest|coldest] {month} [on record|since {year}] [in {city}|for {country}].",
        "[Farmers|Growers] [fear|warned of] [losses|damage] to [crops|vineyards|livestock] [after|from] the {event}.",
        "[Rescue teams|Firefighters] [pulled|helped] {n2} people [from|out of] [flooded cars|damaged buildings|the water].",
        "[Climate scientists|Experts] [say|note] that [such events|{event}] [have become|are becoming] [more frequent|more intense] in {country}.",
        "[Airports|Ports] in {city2} [reported|saw] [delays|cancellations] [of up to|lasting] {n1} hours.",
        "The [army|civil protection agency] [sent|deployed] [{n2} troops|pumps|boats|generators] to [help|the worst-hit areas].",
        "[Temperatures|Conditions] [are expected to|should] [return to normal|improve|ease] [by|over] the [weekend|middle of next week].",
        "{Damage2} [were reported|caused problems] [in|across] [{n1} districts|several towns|the north].",
    ],
    "culture": [
        "[The show|The exhibition|The production] [runs|continues] [until|through] {month} and [includes|features] [more than|nearly] {n2} [works|pieces|performers].",
        "[Critics|Reviewers] [praised|were divided over] [its|the] [staging|pacing|ambition|design].",
        "{Surname} [spent|took] {n1} years [writing|preparing|researching] the [work|project|book].",
        "[Tickets|Copies] [sold out|were sold] [within days|in the first week|in record time].",
        "[The|Its] [budget|cost] of {money} was [paid for|covered] [by private donors|partly by the city|with a public grant].",
        "{Person2}, {role}, said the [piece|work|show] [speaks to|reflects|questions] [modern life|the history of {city}|ideas of home].",
        "[A touring|An international] [version|run] [is planned|will visit {city2}] {soon}.",
        "The {org} [has welcomed|attracted] [about|more than] {n4} {audience} [since|in] {year}.",
        "[Some|Several] {audience} [complained|were delighted] [about|by] [the length|the ending|the ticket prices].",
        "[Born|Raised] in {city2}, {surname} [began|started] [painting|writing|composing] [as a teenager|in {year}].",
        "[The|A] [jury|panel] [described|called] the [work|winner] [bold|moving|an instant classic].",
        "[Archive|Rare] [footage|letters|sketches] [from|dating back to] {year} [are|were] [also on display|included].",
        "[Funding cuts|Rising costs] [have forced|threaten] [several|many] [venues|festivals] in {country} [to close|to cut programmes].",
        "[The orchestra|The cast|The company] [will|is due to] [perform|appear] [in|at] {city2} {soon}.",
        "[Its|The] [opening night|premiere] [drew|attracted] [politicians|celebrities|former cast members] [from|across] {country}.",
    ],
}

# Quote sentences shared by all topics (need {person}/{role} context).
QUOTES = [
    "\"[We are|I am] [very|quite|cautiously] [pleased|encouraged|disappointed] [with|by] [the result|what we have seen|this outcome],\" {surname} {said}.",
    "\"This is [a big|an important|a difficult] [moment|step|day] for [everyone involved|{city}|our team|the whole country],\" said {person}, {role}.",
    "\"[Nobody|No one] [expected|predicted|could have foreseen] [this|it] [a year ago|at the start|so soon],\" {surname} added.",
    "\"[We|They] [need to|have to|must] [look at|learn from|move on from] [the details|this|what happened] [carefully|quickly],\" {surname} [said|told reporters].",
    "\"[It is|This is] not [the end|over|a surprise] [of the story|yet|to us],\" said {person2}.",
    "\"[The|Our] [priority|focus|job] [now|from here] is [to|on] [keep going|the next step|getting it right],\" {surname} said.",
    "\"[I think|We believe|I am confident] [people|{crowd}] will [understand|see the benefits|judge us on results],\" {surname} {said}.",
    "\"[There is still|We still have|There remains] [a lot of|plenty of|much] [work|uncertainty|room for improvement],\" [admitted|acknowledged|conceded] {surname}.",
    "\"[Frankly|Honestly|To be fair], [the numbers|the signs|the early results] [speak for themselves|are mixed|look good],\" said {person2}.",
    "\"[We will|I will] [not|never] [give up|back down|take this for granted],\" {surname} [said|insisted].",
]

# Background / closing sentences shared by all topics.
GENERIC = [
    "[The|This] [announcement|news|decision] [came|comes] [as|at a time when] {crowd} in {city} [face|are facing] [higher bills|uncertain times|a difficult winter].",
    "{Official} [for|at] {org} [did not respond|declined to respond] to [requests for comment|questions] {when}.",
    "[Further details are|More information is] [expected|due to be published] {soon}.",
    "[A similar|The same] [thing|situation] happened in {city2} in {year}, [when|after] [officials|organisers] [were forced|decided] to [change course|start again].",
    "{Org} was [founded|set up|established] in {year} [in|near] {city}.",
    "[Local|Regional] [media|newspapers] [reported|said] that {crowd} [had raised concerns|were divided] [about|over] the [plans|issue].",
    "{Person2} {reaction}.",
    "[The|An] [inquiry|review|audit] [into|of] [the matter|the events|the figures] [is expected to|will] [report|conclude] {soon}.",
    "[Reporting|Additional reporting] [by|from] {person2} in {city2}.",
    "[Meanwhile|Separately], [authorities|officials] in {city2} [said|announced] they [would|plan to] [review|monitor] the [situation|rules] [closely|carefully].",
    "[It was not|It is not] [immediately|yet] clear [how|whether|when] the [plan|decision|changes] [would|will] [affect|apply to] {crowd}.",
    "[Last year|In {year}], {org} [was fined|was praised|faced criticism] [over|for] [a similar|its handling of a] [case|incident|project].",
]

TOPICS = list(HEADLINES)

_SLOT_RE = re.compile(r"\{([A-Za-z0-9_]+)\}")
_ALT_RE = re.compile(r"\[([^\[\]]*)\]")


class Grammar:
    """Expands templates for one article: a fixed cast plus random fills."""

    def __init__(self, rnd: random.Random, topic: str):
        self.rnd = rnd
        self.topic = topic
        self.lex = dict(LEX)
        self.lex.update(TOPIC_LEX[topic])
        kinds = ORG_KIND[topic]
        org, org2 = rnd.sample(ORG_PREFIX, 2)
        city, city2 = rnd.sample(CITIES, 2)
        damages = TOPIC_LEX["weather"]["damage"]
        self.ctx = {
            "person": f"{rnd.choice(FIRST_NAMES)} {rnd.choice(SURNAMES)}",
            "person2": f"{rnd.choice(FIRST_NAMES)} {rnd.choice(SURNAMES)}",
            "org": f"{org} {rnd.choice(kinds)}",
            "org2": f"{org2} {rnd.choice(kinds)}",
            "city": city,
            "city2": city2,
            "country": rnd.choice(COUNTRIES),
            "year": str(rnd.randint(1988, 2012)),
            "year2": str(rnd.randint(2016, 2024)),
            "event": rnd.choice(self.lex["event"]) if "event" in self.lex else "",
            "damage2": rnd.choice(damages),
            "score": f"{rnd.randint(1, 4)}-{rnd.randint(0, 3)}",
        }
        # Topic keys that must stay the same through one article.
        for key in ("policy", "product", "indicator", "venue"):
            if key in self.lex:
                self.ctx[key] = self.expand(rnd.choice(self.lex[key]))
        self.ctx["surname"] = self.ctx["person"].split()[1]
        self.ctx["surname2"] = self.ctx["person2"].split()[1]
        # The role is fixed per article so that quotes stay consistent.
        self.ctx["role"] = self.expand(rnd.choice(self.lex["role"]))
        self.ctx["finding"] = (self.expand(rnd.choice(self.lex["finding"]))
                               if "finding" in self.lex else "")
        self.ctx["work"] = (rnd.choice(self.lex["work"])
                            if "work" in self.lex else "")

    def _number(self, name: str) -> str | None:
        r = self.rnd
        if name == "n1":
            return str(r.randint(2, 9))
        if name == "n2":
            return str(r.randint(11, 95))
        if name in ("n3", "n3b"):
            return str(r.randint(120, 880))
        if name == "n4":
            return f"{r.randint(2, 95)},{r.randint(0, 999):03d}"
        if name == "pct":
            return f"{r.randint(0, 9)}.{r.randint(0, 9)} percent"
        if name == "money":
            unit = r.choice(["million", "million", "billion"])
            cur = r.choice(["$", "€", "£"])
            return f"{cur}{r.randint(2, 950)} {unit}"
        return None

    def slot(self, name: str) -> str:
        cap = name[0].isupper()
        key = name[0].lower() + name[1:]
        if key in self.ctx:
            val = self.ctx[key]
        else:
            val = self._number(key)
            if val is None:
                val = self.expand(self.rnd.choice(self.lex[key]))
        return val[:1].upper() + val[1:] if cap else val

    def expand(self, template: str) -> str:
        text = _ALT_RE.sub(lambda m: self.rnd.choice(m.group(1).split("|")),
                           template)
        # Slots may expand to text with more slots or alternatives.
        for _ in range(4):
            if "{" not in text and "[" not in text:
                break
            text = _SLOT_RE.sub(lambda m: self.slot(m.group(1)), text)
            text = _ALT_RE.sub(lambda m: self.rnd.choice(m.group(1).split("|")),
                               text)
        return text


def generate_article(rnd: random.Random, topic: str | None = None) -> dict:
    """One article: {"title", "text", "topic", "city"}; text = title, blank
    line, paragraphs separated by blank lines."""
    topic = topic or rnd.choice(TOPICS)
    g = Grammar(rnd, topic)
    title = g.expand(rnd.choice(HEADLINES[topic]))
    # Sentence pools; each template is used at most once per article.
    body = list(BODY[topic])
    quotes = list(QUOTES)
    generic = list(GENERIC)
    for pool in (body, quotes, generic):
        rnd.shuffle(pool)

    def take() -> str:
        r = rnd.random()
        pool = quotes if r < 0.2 else generic if r < 0.32 else body
        if not pool:
            pool = body or quotes or generic
        return g.expand(pool.pop()) if pool else ""

    paragraphs = [g.expand(rnd.choice(LEDES[topic]))]
    n_par = rnd.randint(3, 12)
    limit = rnd.randint(600, 3000)
    while len(paragraphs) < n_par:
        sentences = [s for s in (take() for _ in range(rnd.choice((1, 2, 2, 3, 3, 4)))) if s]
        if not sentences:
            break
        paragraphs.append(" ".join(sentences))
        if sum(len(p) for p in paragraphs) > limit:
            break
    text = title + "\n\n" + "\n\n".join(paragraphs)
    # Keep within 3000 characters (drop trailing paragraphs, keep at least 3).
    while len(text) > 3000 and len(paragraphs) > 3:
        paragraphs.pop()
        text = title + "\n\n" + "\n\n".join(paragraphs)
    return {"title": title, "text": text, "topic": topic, "city": g.ctx["city"]}


def generate_articles(seed: int, count: int) -> list[dict]:
    """`count` articles, cycling through the topics; ids base-0001, ..."""
    rnd = random.Random(f"text_sources:{seed}")
    out = []
    while len(out) < count:
        art = generate_article(rnd, TOPICS[len(out) % len(TOPICS)])
        if len(art["text"]) < 400:
            continue  # too short for a base story; draw again
        art = {"id": f"base-{len(out) + 1:04d}", **art}
        out.append(art)
    return out


# ---------------------------------------------------------------------------
# Earnings reports (templated hard negatives for gen_corpus.py)
# ---------------------------------------------------------------------------

COMPANY_SUFFIX = ["Inc", "Corp", "Co", "Ltd", "Industries Inc", "Group Inc",
                  "Bancorp", "Holdings Corp", "Systems Inc", "Resources Ltd"]


def company_name(rnd: random.Random) -> tuple[str, str]:
    """An invented company name and its ticker, e.g. ("Cedar Ironwood Corp", "CIC")."""
    a, b = rnd.sample(ORG_PREFIX, 2)
    name = f"{a} {b} {rnd.choice(COMPANY_SUFFIX)}" if rnd.random() < 0.5 \
        else f"{a} {rnd.choice(SURNAMES)} {rnd.choice(COMPANY_SUFFIX)}"
    ticker = "".join(w[0] for w in name.split()[:3]).upper()
    ticker += "".join(rnd.choice("ABCDEFGHKLMNPRSTVWXZ") for _ in range(rnd.randint(0, 2)))
    return name, ticker


def earnings_report(rnd: random.Random) -> tuple[str, list[str]]:
    """A Reuters-style earnings table: (headline, lines). The numbers and the
    company differ every time; the line skeleton is always the same."""
    name, ticker = company_name(rnd)
    period = rnd.choice(["1ST QTR", "2ND QTR", "3RD QTR", "4TH QTR", "YEAR"])
    loss = rnd.random() < 0.25
    head = f"{name.upper()} <{ticker}> {period} {'LOSS' if loss else 'NET'}"

    def cts() -> str:
        return f"{rnd.randint(1, 99)} cts" if rnd.random() < 0.5 else \
            f"{rnd.randint(1, 9)}.{rnd.randint(0, 99):02d} dlrs"

    def amount() -> str:
        return rnd.choice([f"{rnd.randint(1, 999)},{rnd.randint(0, 999):03d},000",
                           f"{rnd.randint(1, 99)}.{rnd.randint(0, 9)} mln"])

    lines = [f"Shr {'loss ' if loss else ''}{cts()} vs {cts()}",
             f"Net {'loss ' if loss else ''}{amount()} vs {amount()}",
             f"Revs {rnd.randint(2, 999)}.{rnd.randint(0, 9)} mln vs "
             f"{rnd.randint(2, 999)}.{rnd.randint(0, 9)} mln"]
    if period != "YEAR" and rnd.random() < 0.6:
        lines += [rnd.choice(["Nine mths", "Six mths", "12 mths"]),
                  f"Shr {cts()} vs {cts()}", f"Net {amount()} vs {amount()}",
                  f"Revs {rnd.randint(10, 999)}.{rnd.randint(0, 9)} mln vs "
                  f"{rnd.randint(10, 999)}.{rnd.randint(0, 9)} mln"]
    if rnd.random() < 0.7:
        div = rnd.randint(2, 60)
        lines += [f"Qtly div {div} cts vs {div if rnd.random() < 0.7 else div - 1} cts prior",
                  f"Pay {rnd.choice(LEX['month'])} {rnd.randint(1, 28)}",
                  f"Record {rnd.choice(LEX['month'])} {rnd.randint(1, 28)}"]
    if rnd.random() < 0.5:
        unit = rnd.choice(ORG_PREFIX)
        lines.append(f"NOTE: {period.lower()} net includes "
                     f"{rnd.choice(['gain', 'charge'])} of {rnd.randint(1, 90)}.{rnd.randint(0, 9)} "
                     f"mln dlrs, or {rnd.randint(1, 99)} cts a share, from "
                     f"{rnd.choice(['sale of its', 'restructuring of its', 'closing its'])} "
                     f"{unit} {rnd.choice(['unit', 'division', 'subsidiary', 'plant'])}.")
    return head, lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--out", default="-", help="JSONL path or - for stdout")
    args = ap.parse_args()
    arts = generate_articles(args.seed, args.count)
    fh = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    with fh:
        for a in arts:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"text_sources: wrote {len(arts)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
