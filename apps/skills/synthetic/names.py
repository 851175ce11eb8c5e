"""The people of the synthetic skills bank: names in Latin and Arabic script, origins, residences, employers,
languages, interests and jobs. Pools only; :mod:`.generator` draws from them."""

from __future__ import annotations

import random

# (latin spellings, arabic) — first names, Arabic-speaking states
ARABIC_FIRST = [
    (["Mohamed", "Mohammed", "Muhammad", "Mohamad"], "محمد"),
    (["Ahmed", "Ahmad"], "أحمد"),
    (["Youssef", "Youcef", "Yousef"], "يوسف"),
    (["Omar", "Omer"], "عمر"),
    (["Ali"], "علي"),
    (["Karim", "Kareem"], "كريم"),
    (["Hassan", "Hasan"], "حسن"),
    (["Rachid", "Rashid"], "رشيد"),
    (["Mustapha", "Mostafa", "Moustafa"], "مصطفى"),
    (["Ibrahim", "Brahim"], "إبراهيم"),
    (["Abdelkader", "Abdelkadir"], "عبد القادر"),
    (["Mahmoud", "Mahmud"], "محمود"),
    (["Tarek", "Tariq"], "طارق"),
    (["Georges"], "جورج"),
    (["Elie"], "إيلي"),
    (["Fatima", "Fatma", "Fatiha"], "فاطمة"),
    (["Khadija", "Khadidja"], "خديجة"),
    (["Amina", "Amina"], "أمينة"),
    (["Samira"], "سميرة"),
    (["Leila", "Layla"], "ليلى"),
    (["Nadia"], "نادية"),
    (["Salma"], "سلمى"),
    (["Aicha", "Aisha"], "عائشة"),
    (["Mariam", "Meriem", "Maryam"], "مريم"),
    (["Mona", "Mouna"], "منى"),
    (["Yasmine", "Yasmin"], "ياسمين"),
    (["Nour", "Nur"], "نور"),
    (["Rita"], "ريتا"),
]
ARABIC_LAST = [
    (["Benali", "Ben Ali"], "بن علي"),
    (["El Amrani", "Amrani"], "العمراني"),
    (["Haddad"], "حداد"),
    (["Mansour", "Mansouri"], "منصور"),
    (["Khalil"], "خليل"),
    (["Saleh", "Salah"], "صالح"),
    (["Cherif", "Chérif"], "الشريف"),
    (["Toumi"], "التومي"),
    (["Belkacem"], "بلقاسم"),
    (["Farouk"], "فاروق"),
    (["Nasser"], "ناصر"),
    (["Hamdi"], "حمدي"),
    (["Gharbi"], "الغربي"),
    (["Aziz"], "عزيز"),
    (["Bouzid"], "بوزيد"),
    (["Ouali"], "والي"),
    (["Abdallah", "Abdellah"], "عبد الله"),
    (["Saïdi", "Saidi"], "السعيدي"),
    (["Khoury", "Khouri"], "خوري"),
    (["Mahfouz"], "محفوظ"),
]
OTHER_FIRST = [
    "Mamadou",
    "Aminata",
    "Moussa",
    "Fatou",
    "Ousmane",
    "Awa",
    "Kwame",
    "Ama",
    "Kofi",
    "Abena",
    "Chinedu",
    "Ngozi",
    "Emeka",
    "Adaeze",
    "Tesfaye",
    "Almaz",
    "Abebe",
    "Wanjiru",
    "Kamau",
    "Njeri",
    "Boubacar",
    "Aïssatou",
    "Seydou",
    "Mariama",
    "Cheikh",
    "Ndèye",
    "Ibrahima",
    "Kadiatou",
    "Yaw",
    "Efua",
    "Amadou",
    "Oumou",
    "João",
    "Maria",
    "Carlos",
    "Ana",
    "Mohamed",
    "Fatoumata",
    "Issa",
    "Hadiza",
    "Abdoulaye",
    "Salif",
]
OTHER_LAST = [
    "Diop",
    "Ndiaye",
    "Diallo",
    "Traoré",
    "Keïta",
    "Coulibaly",
    "Sow",
    "Ba",
    "Fall",
    "Mensah",
    "Asante",
    "Owusu",
    "Okafor",
    "Adeyemi",
    "Balogun",
    "Kebede",
    "Tadesse",
    "Mwangi",
    "Otieno",
    "Koné",
    "Touré",
    "Cissé",
    "Sylla",
    "Camara",
    "Maïga",
    "Issoufou",
    "Moreira",
    "Tavares",
    "Lopes",
    "Fernandes",
    "Sarr",
    "Mbaye",
    "Gueye",
    "Boateng",
    "Ochieng",
    "Haile",
    "Abdou",
    "Ouédraogo",
]
# The long tail of family names: a real bank has a few very common family names (the pools above) and thousands of
# rare ones. About 40 % of people get a common family name; the others one of these generated names, which few
# people share. Arabic-speaking states: a prefix, a root and an optional nisba ending, in both scripts (720 names);
# other states: two or three syllables (66,000 names).
TAIL_SHARE = 0.6
ARABIC_TAIL_PREFIXES = [("", ""), ("Ben ", "بن "), ("Bou", "بو"), ("El ", "ال"), ("Ould ", "ولد "), ("Ait ", "آيت ")]
ARABIC_TAIL_ENDINGS = [("", ""), ("i", "ي")]
ARABIC_TAIL_ROOTS = [
    ("Slimane", "سليمان"), ("Fassi", "فاسي"), ("Tazi", "تازي"), ("Alaoui", "علوي"), ("Idriss", "إدريس"),
    ("Kabbaj", "قباج"), ("Berrada", "برادة"), ("Bennani", "بناني"), ("Chraibi", "شرايبي"), ("Lahlou", "لحلو"),
    ("Zerhouni", "زرهوني"), ("Guessous", "جسوس"), ("Sefrioui", "صفريوي"), ("Tahiri", "طاهري"), ("Naciri", "ناصري"),
    ("Rahmoun", "رحمون"), ("Jabri", "جابري"), ("Lamrani", "لمراني"), ("Hajji", "حجي"), ("Ghali", "غالي"),
    ("Marzouk", "مرزوق"), ("Zaher", "زاهر"), ("Mekki", "مكي"), ("Rachid", "رشيد"), ("Taleb", "طالب"),
    ("Khaldoun", "خلدون"), ("Messaoud", "مسعود"), ("Yacine", "ياسين"), ("Badr", "بدر"), ("Hamza", "حمزة"),
    ("Zitouni", "زيتوني"), ("Jaziri", "جزيري"), ("Trabelsi", "طرابلسي"), ("Sfaxi", "صفاقسي"), ("Kefi", "كافي"),
    ("Boukadida", "بوقديدة"), ("Mejri", "ماجري"), ("Dridi", "دريدي"), ("Hammami", "حمامي"), ("Chebbi", "شابي"),
    ("Darwish", "درويش"), ("Sabbagh", "صباغ"), ("Nassar", "نصار"), ("Aoun", "عون"), ("Frangieh", "فرنجية"),
    ("Shalaby", "شلبي"), ("Mostafa", "مصطفى"), ("Fahmy", "فهمي"), ("Ramadan", "رمضان"), ("Sherif", "شريف"),
    ("Lounes", "لونيس"), ("Ferhat", "فرحات"), ("Mebarki", "مباركي"), ("Zeroual", "زروال"), ("Belaid", "بلعيد"),
    ("Kaci", "قاسي"), ("Hamidou", "حميدو"), ("Touati", "تواتي"), ("Djaballah", "جاب الله"), ("Rezki", "رزقي"),
]  # fmt: skip
TAIL_SYLLABLES = [
    "ka", "bo", "ré", "dra", "o", "go", "sa", "wa", "do", "zon", "gra", "na", "ya", "mé", "ti", "lo", "ku", "bi",
    "nde", "mba", "sso", "ko", "ro", "fa", "la", "di", "ma", "ni", "se", "té", "wé", "ga", "zi", "bé", "ou", "ké",
    "to", "ri", "fo", "ye",
]  # fmt: skip


def tail_family_name(rng: random.Random, arabic: bool) -> tuple[str, str]:
    """A rare family name (Latin, Arabic script or empty)."""
    if arabic:
        (prefix, prefix_ar), (root, root_ar), (ending, ending_ar) = (
            rng.choice(ARABIC_TAIL_PREFIXES),
            rng.choice(ARABIC_TAIL_ROOTS),
            rng.choice(ARABIC_TAIL_ENDINGS),
        )
        if root[-1] in "aeiouy":
            ending, ending_ar = "", ""
        latin = prefix + (root.lower() if prefix == "Bou" else root) + ending
        return latin, prefix_ar + root_ar + ending_ar
    word = "".join(rng.choice(TAIL_SYLLABLES) for _ in range(rng.choice((2, 3))))
    return word.capitalize(), ""


ARABIC_STATES = ["DZ", "EG", "LB", "MA", "TN"]
OTHER_STATES = ["CV", "ET", "GH", "KE", "ML", "NE", "NG", "SN", "CI"]
RESIDENCES = [
    ("FR", ["Paris", "Lyon", "Marseille", "Lille", "Toulouse", "Bordeaux"]),
    ("ES", ["Madrid", "Barcelona", "Valencia"]),
    ("IT", ["Milano", "Roma", "Torino"]),
    ("BE", ["Bruxelles", "Liège", "Antwerpen"]),
    ("DE", ["Berlin", "Frankfurt", "München"]),
    ("GB", ["London", "Manchester", "Birmingham"]),
    ("US", ["New York", "Washington", "Houston", "Atlanta"]),
    ("CA", ["Montréal", "Toronto", "Ottawa"]),
    ("NL", ["Amsterdam", "Rotterdam"]),
    ("SA", ["Riyadh", "Jeddah"]),
    ("AE", ["Dubai", "Abu Dhabi"]),
    ("QA", ["Doha"]),
    ("CH", ["Genève", "Zürich"]),
    ("SE", ["Stockholm"]),
    ("CI", ["Abidjan"]),
    ("SN", ["Dakar"]),
    ("ZA", ["Johannesburg"]),
]
EMPLOYERS = [
    "Assistance Publique – Hôpitaux de Paris",
    "Orange",
    "Capgemini",
    "Siemens",
    "TotalEnergies",
    "Université Paris-Saclay",
    "KU Leuven",
    "Banco Santander",
    "Deloitte",
    "World Bank",
    "NHS",
    "Bouygues Construction",
    "Veolia",
    "Schneider Electric",
    "Ericsson",
    "Saudi Aramco",
    "Emirates",
    "Hôpital Erasme",
    "Banque de France",
    "Self-employed",
    "Indépendant",
    "Fondation Mérieux",
    "Université de Montréal",
    "Accenture",
]
LANG_POOL = ["fr", "en", "ar", "es", "it", "de", "pt", "wo", "bm", "ha", "yo", "am", "sw", "ff", "nl", "tw"]
LEVELS = ["native", "fluent", "working", "basic"]
INTERESTS = [
    "permanent_return",
    "temporary_return",
    "help_from_abroad",
    "expert_missions",
    "mentoring",
    "investment",
    "training",
]
PROPOSED = [
    "Gestion de projets agricoles",
    "drone mapping",
    "Solar pump maintenance",
    "Cuisine traditionnelle",
    "Négociation commerciale",
    "Montage vidéo",
    "تصميم جرافيك",
    "Mobile money",
    "Irrigation goutte à goutte",
]

# (job titles, unit group, sector)
JOBS = [
    (["Civil engineer", "Ingénieur génie civil", "Ingénieure en génie civil"], "2142", "engineering"),
    (["General practitioner", "Médecin généraliste", "Medical doctor"], "2211", "health"),
    (["Nurse", "Infirmière", "Infirmier diplômé d'État"], "2221", "health"),
    (["Lecturer", "Maître de conférences", "Professeur d'université"], "2310", "research"),
    (["Accountant", "Expert-comptable", "Comptable"], "2411", "finance-banking"),
    (["Software developer", "Développeur logiciel", "Ingénieur logiciel"], "2512", "ict"),
    (["Lawyer", "Avocate", "Juriste"], "2611", "law"),
    (["Factory manager", "Directeur d'usine"], "1321", "trade-entrepreneurship"),
    (["Civil engineering technician", "Technicien BTP"], "3112", "engineering"),
    (["Market gardener", "Maraîcher", "Agronome"], "6111", "agriculture"),
    (["Bricklayer", "Maçon"], "7112", "engineering"),
]
