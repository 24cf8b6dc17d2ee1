"""Paragraphs of the labelled test set, written plainly as the documents read.

``{role}`` or ``{role:form}`` is a mention of a person of the cast (``labelled_people``);
``{address}``, ``{phone}``, ``{dob}`` … a planted identifier; ``{citation}``, ``{judge}``,
``{date}`` … a look-alike that is NOT an identifier and must not be reported.
Each kind of document has opening paragraphs, body paragraphs and closings; letters,
Home Office letters and tribunal decisions are in ``labelled_letters``.
"""

from __future__ import annotations

from bundler.core.anonymise.labelled_letters import HOME_OFFICE, LETTER_BEFORE_CLAIM, TRIBUNAL

__all__ = ["DOCUMENTS", "LOOK_ALIKES"]

LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    "citation": (
        "R (Aisha) v Secretary of State for the Home Department [2019] EWHC 123 (Admin)",
        "R (on the application of Kumar) v Secretary of State for the Home Department [2020] EWCA Civ 45",
        "KM (Zimbabwe) v Secretary of State for the Home Department [2010] UKSC 49",
        "Razgar v Secretary of State for the Home Department [2004] UKHL 27",
        "Agyarko v Secretary of State for the Home Department [2017] UKSC 11",
        "Kiarie and Byndloss v Secretary of State for the Home Department [2017] UKSC 42",
        "MM (Lebanon) v Secretary of State for the Home Department [2017] UKSC 10",
        "R (Hussein) v Secretary of State for the Home Department [2021] EWHC 2345 (Admin)",
    ),
    "claim_no": ("AC-2019-LON-002345", "CO/1234/2021", "AC-2022-MAN-000187", "CO/4567/2019"),
    "page_ref": ("[B/45]", "[CB/12-14]", "page 23 of the bundle", "[A45]", "[C/101]"),
    "money": ("£1,234.56", "£250", "£18,600", "£39.63 a week", "£7,500.00"),
    "judge": (
        "Upper Tribunal Judge Blum",
        "Mr Justice Lane",
        "First-tier Tribunal Judge Herwald",
        "HHJ Walden-Smith",
        "Lord Justice Underhill",
        "Mrs Justice Lieven",
        "Judge Ahmed",
    ),
    "org": (
        "the Home Office",
        "Wessex Police",
        "Leeds City Council",
        "Refugee Action",
        "the British Red Cross",
        "Migrant Help",
        "the Helen Bamber Foundation",
        "Freedom from Torture",
    ),
    "police": ("Wessex Police", "West Yorkshire Police", "Greater Manchester Police", "the Metropolitan Police"),
    "hospital": (
        "St James's University Hospital",
        "Queen Elizabeth Hospital",
        "the Royal Victoria Infirmary",
        "Manchester Royal Infirmary",
    ),
    "school": ("Mount Pleasant Primary School", "St Mary's Catholic Primary School", "Harehills Academy"),
    "surgery": ("Park Lane Surgery", "Church Road Medical Centre", "the Springfield Health Centre"),
    "street": ("Castle Street", "Station Road", "the Kirkstall Road", "Oxford Street", "Victoria Road"),
    "country": ("Afghanistan", "Eritrea", "Nigeria", "Somalia", "Iran", "Iraq", "Albania", "Sudan", "Sri Lanka"),
    "nationality": ("Afghan", "Eritrean", "Nigerian", "Somali", "Iranian", "Iraqi", "Albanian", "Sudanese"),
    "city": ("Kabul", "Asmara", "Lagos", "Mogadishu", "Tehran", "Sulaymaniyah", "Tirana", "Khartoum"),
    "firm": ("Harcourt & Lowe Solicitors", "Bright Law LLP", "Northgate Legal Ltd", "Aldgate Immigration Advice"),
    "port": ("Heathrow Airport", "Dover", "Manchester Airport", "Gatwick Airport", "Stansted Airport"),
    "charity": ("St Mungo's", "the Marie Curie hospice", "Leonard Cheshire", "the Tavistock and Portman clinic"),
    "plain": (
        "Hope is not a plan.",
        "It may be that the decision will be withdrawn.",
        "Mark the hearing date in your diary.",
        "Will the Secretary of State reconsider?",
        "May I ask for an extension of time.",
        "Grace periods do not apply to this fee.",
        "Rose Court is the name of the hostel.",
    ),
}

_WS_OPEN = (
    "WITNESS STATEMENT OF {claimant:FULL}\n\nI, {claimant:full}, of {address}, will say as follows:",
    "Statement of {claimant:full}\n\n1. I am the Claimant in this claim. I was born on {dob} in {city}. "
    "I make this statement in support of my claim for judicial review.",
    "IN THE HIGH COURT OF JUSTICE\nKING'S BENCH DIVISION\nADMINISTRATIVE COURT\nClaim No. {claim_no}\n\n"
    "WITNESS STATEMENT OF {witness:FULL}\n\nI, {witness:FULL}, of {address}, say as follows.",
    "I, {witness:full}, date of birth {dob}, make this statement in support of my friend {claimant:full}.",
    "1. My name is {claimant:full}. I live at {address} with my children. My date of birth is {dob}.",
    "Claimant: {claimant:title_full}\nStatement no: 2\nExhibits: {exhibit}\n\nI make this statement "
    "from my own knowledge.",
)
_WS_BODY = (
    "I live at {address} with my {rel_spouse} {spouse:given} and our {rel_child} {child:given}, who was born on {dob}.",
    "My {rel_spouse}, {spouse:full}, came to the United Kingdom on {date}. His Home Office reference is "
    "{ho_ref} and his port reference is {port_ref}.",
    "On {date} officers from {police} came to our home. {officer:title} told me that I had to leave. "
    "My neighbour {friend:full} saw what happened and has made a statement.",
    "My GP, {doctor:title} at {surgery}, has treated me for depression since {date}. My NHS number "
    "is {nhs}. I exhibit a copy of the letter from {doctor:title} marked {exhibit}.",
    "I can be contacted on {phone} or by email at {email}.",
    "My National Insurance number is {ni}. I have never claimed benefits and I worked as a cleaner earning {money}.",
    "I hold a {nationality} passport, number {passport}, which the Home Office kept when I claimed asylum.",
    "My appeal (reference {tribunal_ref}) was dismissed by {judge} on {date}.",
    "Before I came here I lived in {city}. I was born in {country} and on {date} I applied for asylum "
    "at {port}. The interview record is at {page_ref}.",
    "{claimant:given} has looked after my children many times. {claimant:title} is kind and honest. "
    "I have known her since {date}.",
    "My son {child:full} goes to {school}. His teacher told me that {child:given} is doing well.",
    "My brother-in-law, {friend:full}, lets us stay at his flat at {address} when we have nowhere to go.",
    "{spouse:full} ({dob}) is my {rel_spouse}. We married in {city} on {date}.",
    "I went with {friend:given} to the shop on {street} on {date}. We were stopped by {police}.",
    "{spouse:given} and I met in {city} in the summer of 2009. {child:given} was born two years later.",
    "{claimant:given}'s health has got worse since the eviction. She does not sleep and she has stopped "
    "eating. {plain}",
    "When the bailiffs came, {child:given} hid in the bathroom and {spouse:given} called the police. "
    "The officer who came was {officer:numbered}.",
    "I asked {friend:full} to interpret for me because my English is not good. {friend:given} speaks "
    "{nationality} and English.",
    "My previous address was {address}. I left because the landlord, {witness:title}, threatened me.",
    "My mobile number changed last year; it is now {phone}. My old email, {email}, no longer works.",
    "Mr and Mrs {claimant:surname} have been my neighbours for six years. I often see {child:given} "
    "walking to {school}.",
    "She told me: 'If anything happens, call {witness:given}.' {witness:given} lives two doors away, at {address}.",
    "I have been helped by {charity} and by {org}. My caseworker there, {witness:title_full}, wrote "
    "the letter at {page_ref}.",
    "My eldest daughter is {child:broken}. She was born on {dob} and she is now at college.",
)
_WS_CLOSE = (
    "Statement of truth\n\nI believe that the facts stated in this witness statement are true.\n\n"
    "Signed\n\n{claimant:FULL}\n\nDated {date}",
    "I believe that the facts stated in this witness statement are true.\n\nSigned: ................\n"
    "Full name: {witness:full}\nDate: {date}",
    "I believe that the facts stated in this witness statement are true. I understand that proceedings "
    "for contempt of court may be brought against anyone who makes a false statement.\n\n"
    "{claimant:full}\n{date}",
)
_POLICE_OPEN = (
    "{police} - CRIME REPORT\n\nOfficer in case: {officer:title}\nVictim: {claimant:FULL}, DOB {dob}, of "
    "{address}. Tel: {phone}.",
    "STATEMENT OF WITNESS\n\nName: {witness:full}\nAge: over 18\nOccupation: carer\n\n"
    "I, {witness:full}, live at {address}.",
    "Surname: {claimant:SURNAME}\nForename(s): {claimant:given}\nDOB: {dob}\nAddress: {address}\nTel: {phone}",
)
_POLICE_BODY = (
    "At 23:15 on {date} I attended {address} following a call from {witness:full}. The informant gave "
    "her mobile number as {phone}.",
    "Suspect: {friend:full} (born {dob}), no fixed abode. PNC checks showed no trace.",
    "{witness:given} {witness:surname} stated that she heard shouting from the flat above. "
    "{claimant:title} was crying.",
    "I spoke to {claimant:full} who told me her husband {spouse:given} had left for {city}.",
    "{officer:title} seized a passport in the name of {spouse:full}, number {passport}.",
    "The victim's email address is {email}; her NI number is {ni}.",
    "A male, later identified as {spouse:surname_first}, was arrested at {address} and taken to "
    "Elland Road custody suite.",
    "{witness:FULL} was spoken to at the scene and gave an account on body-worn video.",
    "{officer:numbered} and I searched the premises. Nothing was found. {plain}",
    "Contact details for the witness: {phone}, {email}.",
    "The victim was taken to {hospital} by ambulance. NHS No: {nhs}. She was discharged the next day.",
)
_POLICE_CLOSE = ("Signed: {officer:title}\n{police}\nDate: {date}", "Officer: {officer:numbered}\nDate: {date}")

DOCUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "witness-statement": (_WS_OPEN, _WS_BODY, _WS_CLOSE),
    "letter-before-claim": LETTER_BEFORE_CLAIM,
    "home-office-letter": HOME_OFFICE,
    "police-report": (_POLICE_OPEN, _POLICE_BODY, _POLICE_CLOSE),
    "tribunal-decision": TRIBUNAL,
}
