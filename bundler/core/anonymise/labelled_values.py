"""Made-up people and identifiers for the labelled test set (``labelled_set``).

Every value is invented, written out plainly and formatted in the several ways
people really write it (spaced, run together, broken over a line, in lower or
upper case). Phone numbers use Ofcom's drama ranges. Nothing here knows how the
detector works: the values are what letters and statements contain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Piece", "Values", "GIVEN_F", "GIVEN_M", "SURNAMES", "COUNSEL"]

GIVEN_F = (
    "Amina Farida Ngozi Chiamaka Folake Bolanle Ama Akosua Hodan Faduma Ayaan Semhar Senait Zahra"
    " Mahbooba Maryam Parisa Shilan Dilan Rania Saima Nadia Nasima Priya Sunita Harpreet Nirmala"
    " Elira Drita Agnieszka Magdalena Andreea Jing Huong Shanice Tendai Farai Amna Grace Hope Rose"
    " May Joy Blessing Precious Esther Ruth Mercy Sarah Emma Chloe Hannah Tsegereda Nkechinyere"
    " Sokhna Qudsia Ifeoma Yewande Mulu Habiba Ikram Samira Leila Soraya Gulalai Nasrin Ewa Oksana"
).split()
GIVEN_M = (
    "Chidi Emeka Adebayo Oluwaseun Kwame Kofi Yaw Abdi Mahad Yonas Filmon Ahmad Farid Reza Dariush"
    " Karwan Rebwar Omar Khaled Imran Bilal Rahim Shahid Rajesh Tharshan Kajan Arben Besnik"
    " Krzysztof Tomasz Ionut Florin Wei Minh Thanh Marcus Tyrone Jermaine Tatenda Osman Mohamed"
    " Mark Will Daniel James Thomas Samuel David Michael Segun Tesfay Habtom Mehari Gulbuddin"
    " Zabihullah Hamza Musa Ali Hassan Idris Ibrahim Dawit Bereket Siddiq Obinna Uchenna Kamal"
).split()
SURNAMES = (
    "Yusuf Khanum Okafor Okafor-Hughes Okonkwo-Reyes Osei-Bonsu Mensah Boateng Adeyemi Balogun Eze"
    " Nwosu Abdullahi Warsame Farah Hersi Tesfaye Gebremedhin Haile Ahmadzai Rahimi Hosseini Karimi"
    " Mohammadi Ahmed Hussain Khan Begum Chowdhury Rahman Patel Sharma Singh Kaur Sivakumar"
    " Rajendran Hoxha Krasniqi Kowalski Nowak Popescu Ionescu Zhang Chen Nguyen Tran Campbell"
    " Smith-Jones Clarke Moyo Ncube Chikwanha Al-Amin El-Sayed O'Brien McDonald Abubakar Oyelaran"
    " Gashi Berisha Mahmoud Haddad Darwish Qureshi Malik Bashir Mirza Dlamini Asante Owusu Darko"
    " Kebede Tadesse Yohannes Berhane Adjei-Mensah Sesay Kamara Jalloh"
).split()
COUNSEL = "Collier Bates Okoro Fenwick Iqbal Mensah-Clarke Hartley Doyle".split()  # not in the register
OFFICERS = "Walker Hughes Fletcher Pearson Dobson Marsh Carter Holt Reeves Baxter Lowther Pennington".split()

STREETS = (
    "Castle Mill Church Station Victoria Albert Park Elm Oak Beech Willow Cedar Rosebank Highfield"
    " Fernhill Moorland Ashgrove Belgrave Clarendon Harehills Roundhay Cemetery Queen's Manor"
    " Brunswick Carlton Hartley Sefton Stanley Granville Meadow Orchard Spring Cross Princes"
).split()
STREET_KINDS = (
    "Road Street Avenue Lane Close Drive Way Court Gardens Crescent Terrace Place Square Grove"
    " Hill Row Walk Mews Road Street Road Avenue"
).split()
HOUSE_NAMES = "Rose Cottage|The Old Forge|Ivy House|Sunnyside|Holly Lodge|Mill Farm|The Willows|Fairview".split("|")
BLOCKS = "Rosebank Court|Carlton House|Princes Tower|Hanover Point|Kestrel Heights|Unity Buildings".split("|")
# town, postcode area, localities
TOWNS = (
    ("Leeds", "LS", ("Headingley", "Harehills", "Chapeltown")),
    ("Bradford", "BD", ("Manningham", "Girlington")),
    ("Manchester", "M", ("Moss Side", "Longsight", "Cheetham Hill")),
    ("Birmingham", "B", ("Sparkbrook", "Handsworth", "Small Heath")),
    ("London", "E", ("Walthamstow", "Forest Gate")),
    ("London", "SE", ("Peckham", "Lewisham")),
    ("London", "N", ("Tottenham", "Edmonton")),
    ("Sheffield", "S", ("Darnall", "Page Hall")),
    ("Liverpool", "L", ("Toxteth", "Kensington")),
    ("Bristol", "BS", ("Easton", "St Pauls")),
    ("Cardiff", "CF", ("Splott", "Grangetown")),
    ("Glasgow", "G", ("Govanhill", "Sighthill")),
    ("Leicester", "LE", ("Highfields", "Belgrave")),
    ("Newcastle upon Tyne", "NE", ("Elswick", "Benwell")),
    ("Middlesbrough", "TS", ("North Ormesby",)),
    ("Stoke-on-Trent", "ST", ("Hanley", "Shelton")),
    ("Croydon", "CR", ("Thornton Heath",)),
    ("Hull", "HU", ("Newland",)),
)
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
_NI_LETTERS = "ABCEGHJKLMNPRSTWXYZ"


@dataclass(frozen=True)
class Piece:
    """Text and the planted spans inside it, (start, end, kind) relative to the text."""

    text: str
    spans: tuple[tuple[int, int, str], ...] = ()


def _whole(text: str, kind: str) -> Piece:
    return Piece(text, ((0, len(text), kind),))


class Values:
    """Random identifiers, each written one of the ways people write it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def postcode_text(self, area: str) -> str:
        outward = f"{area}{self.rng.randint(1, 19 if len(area) > 1 else 40)}"
        inward = f"{self.rng.randint(0, 9)}{self.rng.choice(_INWARD)}{self.rng.choice(_INWARD)}"
        return self.rng.choice([f"{outward} {inward}"] * 6 + [f"{outward}{inward}", f"{outward} {inward}".lower()])

    def phone(self) -> Piece:
        n = self.rng.randint(0, 999)
        forms = [
            f"07700 900{n:03d}",
            f"07700900{n:03d}",
            f"+44 7700 900{n:03d}",
            f"+44 20\n7946 0{n:03d}",
            f"020 7946 0{n:03d}",
            f"0113 496 0{n:03d}",
            f"(0161) 496 0{n:03d}",
            f"0161 496\n0{n:03d}",
            f"07700-900-{n:03d}",
            f"07700 900 {n:03d}",
            f"+44 (0)7700 900{n:03d}",
            f"0044 7700 900{n:03d}",
        ]
        return _whole(self.rng.choice(forms), "phone")

    def ni_number(self) -> Piece:
        a, b = self.rng.choice("ABCEHJKLMNPRSTWYZ"), self.rng.choice(_NI_LETTERS)
        d, s = self.digits(6), self.rng.choice("ABCD")
        forms = [
            f"{a}{b} {d[:2]} {d[2:4]} {d[4:]} {s}",
            f"{a}{b}{d}{s}",
            f"{a}{b}{d}{s}".lower(),
            f"{a}{b} {d[:2]} {d[2:4]} {d[4:]}\n{s}",
            f"{a}{b} {d} {s}",
            f"{a}{b} {d[:2]} {d[2:4]} {d[4:]} {s}".lower(),
        ]
        return _whole(self.rng.choice(forms), "ni-number")

    def nhs_number(self) -> Piece:
        while True:
            first = [self.rng.randint(0, 9) for _ in range(9)]
            check = 11 - sum(d * w for d, w in zip(first, range(10, 1, -1), strict=True)) % 11
            if check != 10:
                break
        d = "".join(map(str, first)) + str(check % 11)
        return _whole(self.rng.choice([f"{d[:3]} {d[3:6]} {d[6:]}", d, f"{d[:3]}-{d[3:6]}-{d[6:]}"]), "nhs-number")

    def passport(self) -> Piece:
        letter = self.rng.choice("ABCDEFGHKLMNPRT")
        forms = [
            self.digits(9),
            f"{self.digits(3)} {self.digits(3)} {self.digits(3)}",
            f"{letter}{self.digits(8)}",
            f"{letter}{self.rng.choice('ABDKLMNP')}{self.digits(7)}",
        ]
        return _whole(self.rng.choice(forms), "passport")

    def date(self, year_from: int = 1950, year_to: int = 2005) -> str:
        y, m, d = self.rng.randint(year_from, year_to), self.rng.randint(1, 12), self.rng.randint(1, 28)
        months = "January February March April May June July August September October November December".split()
        forms = [
            f"{d} {months[m - 1]} {y}",
            f"{d:02d}/{m:02d}/{y}",
            f"{d:02d}.{m:02d}.{y}",
            f"{d} {months[m - 1][:3]} {y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{d}/{m}/{y % 100:02d}",
            f"{d}.{m}.{y}",
            f"{d}{'th' if d not in (1, 2, 3, 21, 22, 23) else {1: 'st', 2: 'nd', 3: 'rd'}[d % 10]} {months[m - 1]} {y}",
        ]
        return self.rng.choice(forms)

    def dob(self) -> Piece:
        return _whole(self.date(), "date-of-birth")

    def ho_ref(self) -> Piece:
        letter = self.rng.choice("ABCDFHKMOPSTWY")
        forms = [
            f"{letter}{self.digits(7)}",
            f"{letter}{self.digits(7)}/{self.digits(3)}",
            f"{letter}{self.digits(7)}",
            f"{self.digits(4)}-{self.digits(4)}-{self.digits(4)}-{self.digits(4)}",
            f"GWF0{self.digits(8)}",
        ]
        return _whole(self.rng.choice(forms), "home-office-ref")

    def port_ref(self) -> Piece:
        port = self.rng.choice(["LHR", "LGW", "MAN", "STN", "DVR", "BHX", "GLA", "LTN"])
        forms = [f"{port}/{self.digits(7)}", f"{port}{self.digits(7)}", f"{port}/{self.digits(8)}/{self.digits(2)}"]
        return _whole(self.rng.choice(forms), "port-ref")

    def tribunal_ref(self) -> Piece:
        kind = self.rng.choice(["PA", "HU", "RP", "EA", "DA", "IA"])
        forms = [
            f"{kind}/{self.digits(5)}/{self.rng.randint(2015, 2023)}",
            f"UI-{self.rng.randint(2021, 2024)}-{self.digits(6)}",
        ]
        return _whole(self.rng.choice(forms), "tribunal-ref")
