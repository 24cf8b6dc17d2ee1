"""Letters before claim, Home Office letters and tribunal decisions of the labelled set.

The slots are those of ``labelled_templates`` (which adds witness statements and police
reports): ``{role:form}`` mentions a person, ``{address}`` … plants an identifier,
``{citation}`` … writes a look-alike that must not be reported.
"""

from __future__ import annotations

__all__ = ["LETTER_BEFORE_CLAIM", "HOME_OFFICE", "TRIBUNAL"]

_LBC_OPEN = (
    "Dear Sirs\n\nPRE-ACTION PROTOCOL LETTER\n\nOur client: {claimant:full} (DOB {dob})\n"
    "Home Office reference: {ho_ref}\nOur ref: {our_ref}",
    "Our client: {claimant:full}\nDate of birth: {dob}\nNationality: {nationality}\n"
    "Home Office ref: {ho_ref}\nAddress: {address}",
    "The proposed claimant is {claimant:full} of {address}. The defendant is the Secretary of State "
    "for the Home Department.",
    "Re: {claimant:full} - date of birth {dob} - HO ref {ho_ref}\n\nWe act for the above named.",
    "Dear Sir or Madam\n\nOur client: {claimant:surname_first}\nc/o {address}\n\nWe write under the "
    "pre-action protocol for judicial review.",
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
    "Our client's partner, Mr {spouse:surname}, is a British citizen. {spouse:given} works nights at a "
    "warehouse in {city}.",
    "The local authority's social worker, {witness:full}, assessed the family on {date} and found that "
    "{child:given} is a child in need.",
    "Our client can be reached through us or directly on {phone}. {plain}",
    "Enclosed: letter from {doctor:full} dated {date}; school report for {child:full}; tenancy "
    "agreement for {address}.",
    "Our client's national insurance number is {ni} and she is registered with {surgery}.",
)
_LBC_CLOSE = (
    "Yours faithfully\n\n{firm}",
    "Yours sincerely\n\n\n{friend:full}",
    "Yours faithfully,\n\n{firm}\nOur ref: {our_ref}",
    "Yours sincerely\n\n{witness:initial}\nSolicitor\n{firm}",
)
_HO_OPEN = (
    "Home Office\nUK Visas and Immigration\n\n{claimant:full}\n{address:lines}\n\nPerson ID: {ho_ref}\n"
    "Date: {date}\n\nDear {claimant:title}",
    "Name: {claimant:FULL}\nDate of birth: {dob}\nNationality: {nationality}\nReference: {ho_ref}\n\n"
    "Dear {claimant:title},",
    "{claimant:title_full}\n{address:lines}\n\nOur Reference: {ho_ref}\n\nDear {claimant:full}",
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
    "We have received your application made on {date} for yourself and your dependants {child:full} and {spouse:full}.",
    "Your representatives, {firm}, have told us that you now live at {address}.",
    "Our records show that {spouse:given} {spouse:surname} entered the United Kingdom on {date} using "
    "passport number {passport}.",
    "You said in interview that {friend:full}, a member of your church, helped you to travel.",
    "The medical records you sent (NHS number {nhs}) do not show a diagnosis of PTSD.",
)
_HO_CLOSE = (
    "Yours sincerely\n\nAsylum Casework Directorate\nHome Office",
    "Yours sincerely\n\nCaseworker\nOn behalf of the Secretary of State",
)
_TRIBUNAL_OPEN = (
    "IN THE FIRST-TIER TRIBUNAL\nIMMIGRATION AND ASYLUM CHAMBER\nAppeal Number: {tribunal_ref}\n\nBetween\n\n"
    "{claimant:FULL}\n(ANONYMITY DIRECTION MADE)\nAppellant\n\nand\n\nTHE SECRETARY OF STATE FOR THE HOME "
    "DEPARTMENT\nRespondent",
    "DECISION AND REASONS\n\n1. The appellant is a national of {country} born on {dob}. She entered the "
    "United Kingdom on {date} and claimed asylum on arrival (port reference {port_ref}).",
    "Upper Tribunal\nAppeal Number: {tribunal_ref}\n\nRepresentation:\nFor the appellant: {counsel}, "
    "instructed by {firm}\nFor the respondent: {counsel}",
)
_TRIBUNAL_BODY = (
    "I heard evidence from the appellant and from her brother, {witness:full}. {witness:title} was a credible witness.",
    "I have applied the guidance in {citation}.",
    "The appellant's son, {child:given}, is now at {school}. {child:given} was born on {dob}.",
    "The respondent relies on the refusal letter dated {date} ({page_ref}).",
    "The appellant lives at {address}. Her Home Office reference is {ho_ref}.",
    "Decision promulgated on {date} by {judge}.",
    "The appellant's partner, Mr {spouse:surname}, gave evidence through a {nationality} interpreter. "
    "He adopted his statement dated {date}.",
    "{claimant:given} told the social worker that {spouse:given} had hit her. The police were called "
    "and {officer:title} attended.",
    "Anonymity direction: no report of these proceedings shall identify the appellant or any member of her family.",
    "I accept the evidence of {doctor:title_full}, who has treated the appellant since {date}.",
    "The GP records (NHS no. {nhs}) confirm that the appellant has been prescribed sertraline since {date}.",
)
_TRIBUNAL_CLOSE = ("Signed\n\n{judge}\nDate: {date}", "Signed: {judge}\nDate of decision: {date}")

LETTER_BEFORE_CLAIM = (_LBC_OPEN, _LBC_BODY, _LBC_CLOSE)
HOME_OFFICE = (_HO_OPEN, _HO_BODY, _HO_CLOSE)
TRIBUNAL = (_TRIBUNAL_OPEN, _TRIBUNAL_BODY, _TRIBUNAL_CLOSE)
