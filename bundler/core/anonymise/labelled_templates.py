"""Paragraphs of the labelled test set, written plainly as the documents read.

``{role}`` or ``{role:form}`` is a mention of a person of the cast (``labelled_people``);
``{address}``, ``{phone}``, ``{dob}`` … a planted identifier; ``{citation}``, ``{judge}``,
``{date}`` … a look-alike that is NOT an identifier and must not be reported.
Each kind of document has opening paragraphs, body paragraphs and closings.
"""

from __future__ import annotations

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
}

_WS_OPEN = (
    "WITNESS STATEMENT OF {claimant:FULL}\n\nI, {claimant:full}, of {address}, will say as follows:",
    "Statement of {claimant:full}\n\n1. I am the Claimant in this claim. I was born on {dob} in {city}. "
    "I make this statement in support of my claim for judicial review.",
    "IN THE HIGH COURT OF JUSTICE\nKING'S BENCH DIVISION\nADMINISTRATIVE COURT\nClaim No. {claim_no}\n\n"
    "WITNESS STATEMENT OF {witness:FULL}\n\nI, {witness:FULL}, of {address}, say as follows.",
    "I, {witness:full}, date of birth {dob}, make this statement in support of my friend {claimant:full}.",
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
)
_WS_CLOSE = (
    "Statement of truth\n\nI believe that the facts stated in this witness statement are true.\n\n"
    "Signed\n\n{claimant:FULL}\n\nDated {date}",
    "I believe that the facts stated in this witness statement are true.\n\nSigned: ................\n"
    "Full name: {witness:full}\nDate: {date}",
)
_LBC_OPEN = (
    "Dear Sirs\n\nPRE-ACTION PROTOCOL LETTER\n\nOur client: {claimant:full} (DOB {dob})\n"
    "Home Office reference: {ho_ref}\nOur ref: {our_ref}",
    "Our client: {claimant:full}\nDate of birth: {dob}\nNationality: {nationality}\n"
    "Home Office ref: {ho_ref}\nAddress: {address}",
    "The proposed claimant is {claimant:full} of {address}. The defendant is the Secretary of State "
    "for the Home Department.",
)
_LBC_BODY = (
    "Our client lives with her partner {spouse:full} and their children {child:full} ({dob}) and "
    "{friend:given}. The family have lived at {address} since {date}.",
    "The decision challenged is the decision dated {date} to refuse our client's further submissions "
    "(Home Office reference {ho_ref}). We refer to {citation}.",
    "{claimant:title}'s telephone number is {phone} and her email address is {email}.",
    "Our client's daughter, {child:given}, attends {school}. Her teacher, {witness:title}, describes her "
    "as withdrawn since the eviction.",
    "The claimant was encountered at {port} on {date}; the port reference is {port_ref}. A screening "
    "interview followed [B/45].",
    "We enclose a letter from {doctor:title} of {hospital} confirming that our client's NHS number is "
    "{nhs}. See {page_ref}.",
    "The claim will be issued in the Administrative Court (provisional number {claim_no}). Costs to date are {money}.",
    "Please confirm by return that you will not remove our client. Our client's passport, number "
    "{passport}, is held by the Home Office.",
)
_LBC_CLOSE = (
    "Yours faithfully\n\n{firm}",
    "Yours sincerely\n\n\n{friend:full}",
    "Yours faithfully,\n\n{firm}\nOur ref: {our_ref}",
)
_HO_OPEN = (
    "Home Office\nUK Visas and Immigration\n\n{claimant:full}\n{address:lines}\n\nPerson ID: {ho_ref}\n"
    "Date: {date}\n\nDear {claimant:title}",
    "Name: {claimant:FULL}\nDate of birth: {dob}\nNationality: {nationality}\nReference: {ho_ref}\n\n"
    "Dear {claimant:title},",
)
_HO_BODY = (
    "You claimed asylum at {port} on {date} (port reference {port_ref}).",
    "You have stated that your husband, {spouse:full}, remains in {country} and that your son "
    "{child:given} was born on {dob}.",
    "Your application of {date} was refused under paragraph 276ADE(1)(vi) of the Immigration Rules.",
    "If you wish to appeal, you must quote the reference {ho_ref} and your appeal number {tribunal_ref}.",
    "We have considered the report of {doctor:title} of {hospital} dated {date}.",
    "Your unique application number is {uan}. Please keep it safe.",
    "You must report to {org} at Waterside Court on {date}. Your national insurance number {ni} has been recorded.",
)
_HO_CLOSE = ("Yours sincerely\n\nAsylum Casework Directorate\nHome Office",)
_POLICE_OPEN = (
    "{police} - CRIME REPORT\n\nOfficer in case: {officer:title}\nVictim: {claimant:FULL}, DOB {dob}, of "
    "{address}. Tel: {phone}.",
    "STATEMENT OF WITNESS\n\nName: {witness:full}\nAge: over 18\nOccupation: carer\n\n"
    "I, {witness:full}, live at {address}.",
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
)
_POLICE_CLOSE = ("Signed: {officer:title}\n{police}\nDate: {date}",)
_TRIBUNAL_OPEN = (
    "IN THE FIRST-TIER TRIBUNAL\nIMMIGRATION AND ASYLUM CHAMBER\nAppeal Number: {tribunal_ref}\n\nBetween\n\n"
    "{claimant:FULL}\n(ANONYMITY DIRECTION MADE)\nAppellant\n\nand\n\nTHE SECRETARY OF STATE FOR THE HOME "
    "DEPARTMENT\nRespondent",
    "DECISION AND REASONS\n\n1. The appellant is a national of {country} born on {dob}. She entered the "
    "United Kingdom on {date} and claimed asylum on arrival (port reference {port_ref}).",
)
_TRIBUNAL_BODY = (
    "I heard evidence from the appellant and from her brother, {witness:full}. {witness:title} was a credible witness.",
    "I have applied the guidance in {citation}.",
    "The appellant's son, {child:given}, is now at {school}. {child:given} was born on {dob}.",
    "The respondent relies on the refusal letter dated {date} ({page_ref}).",
    "The appellant lives at {address}. Her Home Office reference is {ho_ref}.",
    "Decision promulgated on {date} by {judge}.",
)
_TRIBUNAL_CLOSE = ("Signed\n\n{judge}\nDate: {date}",)

DOCUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "witness-statement": (_WS_OPEN, _WS_BODY, _WS_CLOSE),
    "letter-before-claim": (_LBC_OPEN, _LBC_BODY, _LBC_CLOSE),
    "home-office-letter": (_HO_OPEN, _HO_BODY, _HO_CLOSE),
    "police-report": (_POLICE_OPEN, _POLICE_BODY, _POLICE_CLOSE),
    "tribunal-decision": (_TRIBUNAL_OPEN, _TRIBUNAL_BODY, _TRIBUNAL_CLOSE),
}
