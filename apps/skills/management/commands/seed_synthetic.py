"""Build a synthetic skills bank for development and benchmarks: ``manage.py seed_synthetic --profiles N``.

Profiles are generated in Python and streamed with PostgreSQL ``COPY`` (psycopg2 ``copy_expert``), a chunk at a
time; then the search documents are built by the portal's own set-based ``profile_search_refresh``. For large
loads the secondary indexes of the profile table are dropped first and rebuilt once at the end (the usual
bulk-load practice; the definitions are read from ``pg_indexes`` and restored even if the load fails).

People: names of the partner states in Latin script, with the Arabic-script spelling for people from
Arabic-speaking states (several Latin spellings of one Arabic name: Mohamed, Mohammed, Muhammad → محمد); about 40 %
of people carry one of a few very common family names, the others a family name of a long tail that few share;
residence in the usual destination countries; occupations, sectors, skills, languages, education, engagement
interests, availability, consents (about 80 % listed) and freshness. Synthetic accounts have unusable passwords
and e-mail addresses under example.invalid; their profiles have ``source = 'synthetic'``.
If the taxonomy tables are empty (the reference data files were not loaded), a small taxonomy is created.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from apps.core.bulk import copy_rows
from apps.skills.models import EducationField, EducationLevel, Occupation, Sector, Skill
from apps.skills.services import profile_search_refresh

CHUNK = 50_000
REFRESH_CHUNK = 20_000

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

# A small taxonomy for databases where the reference data files were not loaded.
# ISCO-08 chains: (code, en, fr, ar) from major group to unit group.
MINI_ISCO = [
    ("0", "Armed forces occupations", "Professions militaires", "المهن العسكرية"),
    ("1", "Managers", "Directeurs, cadres de direction et gérants", "المديرون"),
    ("2", "Professionals", "Professions intellectuelles et scientifiques", "الاختصاصيون"),
    ("3", "Technicians and associate professionals", "Professions intermédiaires", "الفنيون والاختصاصيون المساعدون"),
    ("4", "Clerical support workers", "Employés de type administratif", "العاملون في الدعم المكتبي"),
    (
        "5",
        "Service and sales workers",
        "Personnel des services directs aux particuliers, commerçants et vendeurs",
        "العاملون في الخدمات والمبيعات",
    ),
    (
        "6",
        "Skilled agricultural, forestry and fishery workers",
        "Agriculteurs et ouvriers qualifiés de l'agriculture, de la sylviculture et de la pêche",
        "العمال المهرة في الزراعة والحراجة وصيد الأسماك",
    ),
    (
        "7",
        "Craft and related trades workers",
        "Métiers qualifiés de l'industrie et de l'artisanat",
        "الحرفيون والعاملون في المهن المرتبطة بها",
    ),
    (
        "8",
        "Plant and machine operators and assemblers",
        "Conducteurs d'installations et de machines, et ouvriers de l'assemblage",
        "مشغلو المصانع والآلات والمجمعون",
    ),
    ("9", "Elementary occupations", "Professions élémentaires", "المهن الأولية"),
    (
        "13",
        "Production and specialised services managers",
        "Directeurs et cadres de direction, production et services spécialisés",
        "مديرو الإنتاج والخدمات المتخصصة",
    ),
    (
        "132",
        "Manufacturing, mining, construction and distribution managers",
        "Directeurs et cadres de direction, industries manufacturières, mines, bâtiment et distribution",
        "مديرو الصناعات التحويلية والتعدين والبناء والتوزيع",
    ),
    (
        "1321",
        "Manufacturing managers",
        "Directeurs et cadres de direction, industries manufacturières",
        "مديرو الصناعات التحويلية",
    ),
    (
        "21",
        "Science and engineering professionals",
        "Spécialistes des sciences techniques",
        "الاختصاصيون في العلوم والهندسة",
    ),
    (
        "214",
        "Engineering professionals (excluding electrotechnology)",
        "Spécialistes, sciences techniques (sauf électrotechnique)",
        "الاختصاصيون في الهندسة (باستثناء التكنولوجيا الكهربائية)",
    ),
    ("2142", "Civil engineers", "Ingénieurs civils", "المهندسون المدنيون"),
    ("22", "Health professionals", "Spécialistes de la santé", "الاختصاصيون في الصحة"),
    ("221", "Medical doctors", "Médecins", "الأطباء"),
    ("2211", "Generalist medical practitioners", "Médecins généralistes", "الأطباء العامون"),
    ("222", "Nursing and midwifery professionals", "Cadres infirmiers et sages-femmes", "اختصاصيو التمريض والقبالة"),
    ("2221", "Nursing professionals", "Cadres infirmiers", "اختصاصيو التمريض"),
    ("23", "Teaching professionals", "Spécialistes de l'enseignement", "الاختصاصيون في التعليم"),
    (
        "231",
        "University and higher education teachers",
        "Professeurs d'université et d'établissements d'enseignement supérieur",
        "أساتذة الجامعات والتعليم العالي",
    ),
    (
        "2310",
        "University and higher education teachers",
        "Professeurs d'université et d'établissements d'enseignement supérieur",
        "أساتذة الجامعات والتعليم العالي",
    ),
    (
        "24",
        "Business and administration professionals",
        "Spécialistes en administration d'entreprises",
        "الاختصاصيون في الأعمال والإدارة",
    ),
    ("241", "Finance professionals", "Spécialistes des finances", "الاختصاصيون في المالية"),
    ("2411", "Accountants", "Comptables", "المحاسبون"),
    (
        "25",
        "Information and communications technology professionals",
        "Spécialistes des technologies de l'information et des communications",
        "اختصاصيو تكنولوجيا المعلومات والاتصالات",
    ),
    (
        "251",
        "Software and applications developers and analysts",
        "Concepteurs et analystes de logiciels et de multimédia",
        "مطورو ومحللو البرمجيات والتطبيقات",
    ),
    ("2512", "Software developers", "Concepteurs de logiciels", "مطورو البرمجيات"),
    (
        "26",
        "Legal, social and cultural professionals",
        "Spécialistes de la justice, des sciences sociales et de la culture",
        "الاختصاصيون في القانون والشؤون الاجتماعية والثقافية",
    ),
    ("261", "Legal professionals", "Juristes", "الاختصاصيون في القانون"),
    ("2611", "Lawyers", "Avocats", "المحامون"),
    (
        "31",
        "Science and engineering associate professionals",
        "Professions intermédiaires des sciences et techniques",
        "الاختصاصيون المساعدون في العلوم والهندسة",
    ),
    (
        "311",
        "Physical and engineering science technicians",
        "Techniciens des sciences physiques et techniques",
        "فنيو العلوم الفيزيائية والهندسية",
    ),
    ("3112", "Civil engineering technicians", "Techniciens du génie civil", "فنيو الهندسة المدنية"),
    (
        "61",
        "Market-oriented skilled agricultural workers",
        "Agriculteurs et ouvriers qualifiés, agriculture commerciale",
        "العمال المهرة في الزراعة الموجهة للسوق",
    ),
    (
        "611",
        "Market gardeners and crop growers",
        "Agriculteurs et ouvriers qualifiés des cultures",
        "مزارعو الحدائق والمحاصيل",
    ),
    (
        "6111",
        "Field crop and vegetable growers",
        "Agriculteurs et ouvriers qualifiés, cultures de plein champ",
        "مزارعو المحاصيل الحقلية والخضروات",
    ),
    ("71", "Building and related trades workers", "Métiers qualifiés du bâtiment", "عمال البناء والحرف المرتبطة به"),
    (
        "711",
        "Building frame and related trades workers",
        "Métiers qualifiés du bâtiment (gros œuvre)",
        "عمال هياكل المباني",
    ),
    ("7112", "Bricklayers and related workers", "Maçons", "البناؤون"),
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
MINI_SECTORS = [
    ("health", "Health", "Santé", "الصحة"),
    ("education", "Education", "Éducation", "التعليم"),
    ("agriculture", "Agriculture", "Agriculture", "الزراعة"),
    (
        "ict",
        "Information and communication technology",
        "Technologies de l'information et de la communication",
        "تكنولوجيا المعلومات والاتصالات",
    ),
    ("engineering", "Engineering", "Ingénierie", "الهندسة"),
    ("finance-banking", "Finance and banking", "Finance et banque", "المالية والمصارف"),
    ("law", "Law", "Droit", "القانون"),
    ("trade-entrepreneurship", "Trade and entrepreneurship", "Commerce et entrepreneuriat", "التجارة وريادة الأعمال"),
    ("research", "Research", "Recherche", "البحث العلمي"),
    ("energy", "Energy", "Énergie", "الطاقة"),
    ("water", "Water", "Eau", "المياه"),
]
MINI_SKILLS = [
    ("health", "emergency-medicine", "Emergency medicine", "Médecine d'urgence", "طب الطوارئ"),
    ("health", "paediatrics", "Paediatrics", "Pédiatrie", "طب الأطفال"),
    ("health", "public-health", "Public health", "Santé publique", "الصحة العامة"),
    ("health", "surgery", "Surgery", "Chirurgie", "الجراحة"),
    ("education", "curriculum-design", "Curriculum design", "Conception de programmes d'enseignement", "تصميم المناهج"),
    ("education", "teacher-training", "Teacher training", "Formation des enseignants", "تدريب المعلمين"),
    ("agriculture", "irrigation", "Irrigation", "Irrigation", "الري"),
    ("agriculture", "agroforestry", "Agroforestry", "Agroforesterie", "الحراجة الزراعية"),
    ("agriculture", "food-processing", "Food processing", "Transformation agroalimentaire", "تصنيع الأغذية"),
    ("ict", "software-development", "Software development", "Développement logiciel", "تطوير البرمجيات"),
    ("ict", "data-analysis", "Data analysis", "Analyse de données", "تحليل البيانات"),
    ("ict", "cybersecurity", "Cybersecurity", "Cybersécurité", "الأمن السيبراني"),
    ("ict", "network-administration", "Network administration", "Administration de réseaux", "إدارة الشبكات"),
    ("engineering", "structural-engineering", "Structural engineering", "Calcul de structures", "الهندسة الإنشائية"),
    ("engineering", "road-construction", "Road construction", "Construction routière", "بناء الطرق"),
    ("engineering", "project-management", "Project management", "Gestion de projet", "إدارة المشاريع"),
    ("finance-banking", "microfinance", "Microfinance", "Microfinance", "التمويل الأصغر"),
    ("finance-banking", "auditing", "Auditing", "Audit", "التدقيق"),
    ("finance-banking", "islamic-finance", "Islamic finance", "Finance islamique", "التمويل الإسلامي"),
    ("law", "business-law", "Business law", "Droit des affaires", "قانون الأعمال"),
    ("law", "migration-law", "Migration law", "Droit des migrations", "قانون الهجرة"),
    (
        "trade-entrepreneurship",
        "business-planning",
        "Business planning",
        "Élaboration de plans d'affaires",
        "إعداد خطط الأعمال",
    ),
    ("trade-entrepreneurship", "export-trade", "Export trade", "Commerce d'exportation", "تجارة التصدير"),
    ("research", "statistics", "Statistics", "Statistique", "الإحصاء"),
    ("research", "laboratory-analysis", "Laboratory analysis", "Analyses de laboratoire", "التحاليل المخبرية"),
    ("energy", "solar-energy", "Solar energy", "Énergie solaire", "الطاقة الشمسية"),
    (
        "energy",
        "electrical-installation",
        "Electrical installation",
        "Installations électriques",
        "التركيبات الكهربائية",
    ),
    ("water", "water-treatment", "Water treatment", "Traitement de l'eau", "معالجة المياه"),
    ("water", "sanitation", "Sanitation", "Assainissement", "الصرف الصحي"),
]
MINI_LEVELS = [
    ("0", "Early childhood education", "Éducation de la petite enfance", "التعليم في مرحلة الطفولة المبكرة"),
    ("1", "Primary education", "Enseignement primaire", "التعليم الابتدائي"),
    ("2", "Lower secondary education", "Premier cycle de l'enseignement secondaire", "التعليم الإعدادي"),
    ("3", "Upper secondary education", "Deuxième cycle de l'enseignement secondaire", "التعليم الثانوي"),
    (
        "4",
        "Post-secondary non-tertiary education",
        "Enseignement post-secondaire non supérieur",
        "التعليم ما بعد الثانوي غير العالي",
    ),
    ("5", "Short-cycle tertiary education", "Enseignement supérieur de cycle court", "التعليم العالي قصير المدة"),
    ("6", "Bachelor's or equivalent level", "Niveau licence ou équivalent", "البكالوريوس أو ما يعادله"),
    ("7", "Master's or equivalent level", "Niveau master ou équivalent", "الماجستير أو ما يعادله"),
    ("8", "Doctoral or equivalent level", "Niveau doctorat ou équivalent", "الدكتوراه أو ما يعادلها"),
]
MINI_FIELDS = [
    ("01", "Education", "Éducation", "التعليم"),
    ("04", "Business, administration and law", "Commerce, administration et droit", "الأعمال والإدارة والقانون"),
    (
        "06",
        "Information and communication technologies",
        "Technologies de l'information et de la communication",
        "تكنولوجيا المعلومات والاتصالات",
    ),
    (
        "07",
        "Engineering, manufacturing and construction",
        "Ingénierie, industries de transformation et construction",
        "الهندسة والتصنيع والبناء",
    ),
    (
        "08",
        "Agriculture, forestry, fisheries and veterinary",
        "Agriculture, sylviculture, halieutique et sciences vétérinaires",
        "الزراعة والحراجة ومصائد الأسماك والطب البيطري",
    ),
    ("09", "Health and welfare", "Santé et protection sociale", "الصحة والرعاية"),
]


def ensure_taxonomy() -> None:
    """Create the small taxonomy above where the tables are empty (never touches loaded reference data)."""
    if not Occupation.objects.exists():
        for code, en, fr, ar in sorted(MINI_ISCO, key=lambda row: len(row[0])):
            Occupation.objects.create(
                code=code,
                level=len(code),
                parent_id=code[:-1] if len(code) > 1 else None,
                label=en,
                label_en=en,
                label_fr=fr,
                label_ar=ar,
            )
    if not Sector.objects.exists():
        Sector.objects.bulk_create(
            Sector(code=c, label=en, label_en=en, label_fr=fr, label_ar=ar) for c, en, fr, ar in MINI_SECTORS
        )
    if not Skill.objects.exists():
        known = set(Sector.objects.values_list("code", flat=True))
        fallback = sorted(known)[0]
        Skill.objects.bulk_create(
            Skill(code=c, sector_id=s if s in known else fallback, label=en, label_en=en, label_fr=fr, label_ar=ar)
            for s, c, en, fr, ar in MINI_SKILLS
        )
    if not EducationLevel.objects.exists():
        EducationLevel.objects.bulk_create(
            EducationLevel(code=c, label=en, label_en=en, label_fr=fr, label_ar=ar) for c, en, fr, ar in MINI_LEVELS
        )
    if not EducationField.objects.exists():
        EducationField.objects.bulk_create(
            EducationField(code=c, label=en, label_en=en, label_fr=fr, label_ar=ar) for c, en, fr, ar in MINI_FIELDS
        )


def refresh_in_parallel(ids: list[int], *, workers: int) -> None:
    """Build the search documents with ``profile_search_refresh``, a chunk per transaction, on several connections."""
    from concurrent.futures import ThreadPoolExecutor

    chunks = [ids[start : start + REFRESH_CHUNK] for start in range(0, len(ids), REFRESH_CHUNK)]

    def refresh(chunk: list[int]) -> None:
        try:
            with transaction.atomic():
                profile_search_refresh(profile_ids=chunk)
        finally:
            connection.close()

    if workers <= 1:
        for chunk in chunks:
            with transaction.atomic():
                profile_search_refresh(profile_ids=chunk)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(refresh, chunks))


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - table names are constants
    return cursor.fetchone()[0]


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"  # noqa: S608
    )


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.countries = set()
        self.sector_skills: dict[str, list[str]] = {}
        self.unit_groups: list[str] = []
        self.sectors: list[str] = []
        self.levels: list[str] = []
        self.fields: list[str] = []
        self.languages: list[str] = []

    def load_reference(self) -> None:
        from apps.core.models import Country, Language

        self.countries = set(Country.objects.values_list("code", flat=True))
        for code, sector in Skill.objects.values_list("code", "sector_id"):
            self.sector_skills.setdefault(sector, []).append(code)
        self.all_skills = [code for codes in self.sector_skills.values() for code in codes]
        self.unit_groups = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
        self.sectors = list(Sector.objects.values_list("code", flat=True))
        self.levels = list(EducationLevel.objects.values_list("code", flat=True))
        self.fields = list(EducationField.objects.values_list("code", flat=True))
        known = set(Language.objects.values_list("code", flat=True))
        self.languages = [code for code in LANG_POOL if code in known]
        self.jobs = [(titles, unit, sector) for titles, unit, sector in JOBS]

    def country(self, code: str) -> str | None:
        return code if code in self.countries else None


class Command(BaseCommand):
    help = "Build a synthetic skills bank with COPY: --profiles N (1,000,000 in minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--listed-share", type=float, default=0.8)
        parser.add_argument("--workers", type=int, default=2, help="database connections building search documents")

    def handle(self, *args, profiles: int, seed: int, listed_share: float, workers: int, **options):
        started = time.monotonic()
        ensure_taxonomy()
        generator = Generator(seed)
        generator.load_reference()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                # Generated rows are consistent by construction: skip per-row foreign-key triggers while copying.
                cursor.execute("SET session_replication_role = replica")
            dropped = self._drop_indexes(cursor) if profiles >= 50_000 else []
            try:
                ids = self._load(cursor, generator, profiles, listed_share)
                loaded = time.monotonic()
                self.stdout.write(f"rows copied in {loaded - started:.1f} s")
                cursor.execute("SET session_replication_role = DEFAULT")
                refresh_in_parallel(ids, workers=workers)
                refreshed = time.monotonic()
                self.stdout.write(f"search documents built in {refreshed - loaded:.1f} s")
            finally:
                for definition in dropped:
                    cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            indexed = time.monotonic()
            if dropped:
                self.stdout.write(f"{len(dropped)} indexes rebuilt in {indexed - refreshed:.1f} s")
            for table in (
                "accounts_user",
                "skills_diasporaprofile",
                "skills_profileskill",
                "skills_profilelanguage",
                "skills_diasporaprofile_sectors",
                "skills_diasporaprofile_occupations",
                "skills_profileeducation",
                "skills_consentrecord",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SET synchronous_commit = on")
        self.stdout.write(self.style.SUCCESS(f"{profiles} synthetic profiles in {time.monotonic() - started:.1f} s"))

    def _drop_indexes(self, cursor) -> list[str]:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
             WHERE i.tablename = 'skills_diasporaprofile' AND i.indexdef NOT LIKE 'CREATE UNIQUE%%'
            """
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        return [definition for _name, definition in found]

    def _load(self, cursor, g: Generator, total: int, listed_share: float) -> list[int]:
        rng = g.rng
        ids: list[int] = []
        user_id = _next_id(cursor, "accounts_user")
        profile_id = _next_id(cursor, "skills_diasporaprofile")
        skill_row = _next_id(cursor, "skills_profileskill")
        language_row = _next_id(cursor, "skills_profilelanguage")
        sector_row = _next_id(cursor, "skills_diasporaprofile_sectors")
        occupation_row = _next_id(cursor, "skills_diasporaprofile_occupations")
        education_row = _next_id(cursor, "skills_profileeducation")
        consent_row = _next_id(cursor, "skills_consentrecord")
        now = g.now
        today = now.date()
        for start in range(0, total, CHUNK):
            users, profiles, skills, languages, sectors, occupations, education, consents = ([] for _ in range(8))
            for _ in range(min(CHUNK, total - start)):
                arabic = rng.random() < 0.45
                female = rng.random() < 0.45
                if arabic:
                    origin = rng.choice(ARABIC_STATES)
                    pool = ARABIC_FIRST[15:] if female else ARABIC_FIRST[:15]
                    latin_first, first_ar = rng.choice(pool)
                    if rng.random() < TAIL_SHARE:
                        last, last_ar = tail_family_name(rng, arabic=True)
                    else:
                        latin_last, last_ar = rng.choice(ARABIC_LAST)
                        last = rng.choice(latin_last)
                    first = rng.choice(latin_first)
                else:
                    origin = rng.choice(OTHER_STATES)
                    first, first_ar, last_ar = rng.choice(OTHER_FIRST), "", ""
                    last = (
                        tail_family_name(rng, arabic=False)[0] if rng.random() < TAIL_SHARE else rng.choice(OTHER_LAST)
                    )
                residence, cities = rng.choice(RESIDENCES)
                titles, unit, sector = rng.choice(g.jobs)
                if unit not in g.unit_groups and g.unit_groups:
                    unit = rng.choice(g.unit_groups)
                if sector not in g.sectors and g.sectors:
                    sector = rng.choice(g.sectors)
                listed = rng.random() < listed_share
                confirmed = now - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.9 else None
                verified = now - timedelta(days=rng.randint(0, 300)) if rng.random() < 0.1 else None
                available = rng.random() < 0.3
                born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
                interests = rng.sample(INTERESTS, rng.randint(0, 3))
                email = f"synthetic.{user_id}@example.invalid"
                users.append(
                    (user_id, "!", False, email, f"{first} {last}", rng.choice(["fr", "en", "ar"]), False, True, now)
                )
                available_from = today + timedelta(days=rng.randint(-30, 200)) if available else None
                available_to = available_from + timedelta(days=rng.randint(30, 700)) if available else None
                profiles.append(
                    (
                        profile_id,
                        user_id,
                        first,
                        last,
                        first_ar,
                        last_ar,
                        born,
                        "female" if female else "male",
                        g.country(origin),
                        "",
                        g.country(origin),
                        g.country(residence),
                        rng.choice(cities),
                        rng.choice("1112"),
                        f"+3361{rng.randint(1000000, 9999999)}",
                        rng.choice(titles),
                        rng.choice(EMPLOYERS),
                        rng.randint(0, 40),
                        "{" + ",".join(interests) + "}",
                        available_from,
                        available_to,
                        rng.randint(5, 60) if available else None,
                        rng.choice(["remote", "on_site", "both"]) if available else "",
                        "",
                        listed,
                        listed and rng.random() < 0.5,
                        rng.random() < 0.4,
                        rng.random() < 0.2,
                        confirmed,
                        0,
                        verified,
                        "identity_document" if verified else "",
                        "synthetic",
                        "",
                        "",
                        now,
                        now,
                    )
                )
                ids.append(profile_id)
                chosen = set(
                    rng.sample(
                        g.sector_skills.get(sector) or g.all_skills,
                        min(3, len(g.sector_skills.get(sector) or g.all_skills)),
                    )
                )
                chosen |= set(rng.sample(g.all_skills, rng.randint(0, 2)))
                for code in chosen:
                    skills.append((skill_row, profile_id, code, "", rng.choice(["formal", "non_formal", "informal"])))
                    skill_row += 1
                if rng.random() < 0.05:
                    skills.append((skill_row, profile_id, None, rng.choice(PROPOSED), "informal"))
                    skill_row += 1
                spoken = {"ar" if arabic else "fr"} | set(rng.sample(g.languages, rng.randint(0, 2)))
                for code in spoken & set(g.languages):
                    languages.append((language_row, profile_id, code, rng.choice(LEVELS)))
                    language_row += 1
                if sector:
                    sectors.append((sector_row, profile_id, sector))
                    sector_row += 1
                if unit:
                    occupations.append((occupation_row, profile_id, unit))
                    occupation_row += 1
                if g.levels:
                    education.append(
                        (
                            education_row,
                            profile_id,
                            rng.choice(g.levels[3:] or g.levels),
                            rng.choice(g.fields) if g.fields else None,
                            "",
                            g.country(origin),
                            rng.randint(1975, 2024),
                        )
                    )
                    education_row += 1
                if listed:
                    consents.append((consent_row, profile_id, "listed", True, confirmed or now, "wizard", "2026-11"))
                    consent_row += 1
                user_id += 1
                profile_id += 1
            with transaction.atomic():
                copy_rows(
                    cursor,
                    "accounts_user",
                    [
                        "id",
                        "password",
                        "is_superuser",
                        "email",
                        "full_name",
                        "preferred_language",
                        "is_staff",
                        "is_active",
                        "date_joined",
                    ],
                    users,
                )
                copy_rows(
                    cursor,
                    "skills_diasporaprofile",
                    [
                        "id",
                        "user_id",
                        "first_name",
                        "last_name",
                        "first_name_ar",
                        "last_name_ar",
                        "date_of_birth",
                        "gender",
                        "origin_country_id",
                        "origin_region",
                        "nationality_id",
                        "residence_country_id",
                        "residence_city",
                        "generation",
                        "phone",
                        "job_title",
                        "employer",
                        "years_experience",
                        "engagement_interests",
                        "available_from",
                        "available_to",
                        "days_per_year",
                        "availability_mode",
                        "cv",
                        "consent_listed",
                        "consent_expert_contact",
                        "consent_newsletter_email",
                        "consent_sms",
                        "last_confirmed_at",
                        "confirmation_reminders_sent",
                        "verified_at",
                        "verification_note",
                        "source",
                        "wizard_step",
                        "search_names",
                        "created_at",
                        "updated_at",
                    ],
                    profiles,
                )
                copy_rows(
                    cursor, "skills_profileskill", ["id", "profile_id", "skill_id", "proposed_text", "kind"], skills
                )
                copy_rows(cursor, "skills_profilelanguage", ["id", "profile_id", "language_id", "level"], languages)
                copy_rows(cursor, "skills_diasporaprofile_sectors", ["id", "diasporaprofile_id", "sector_id"], sectors)
                copy_rows(
                    cursor,
                    "skills_diasporaprofile_occupations",
                    ["id", "diasporaprofile_id", "occupation_id"],
                    occupations,
                )
                copy_rows(
                    cursor,
                    "skills_profileeducation",
                    ["id", "profile_id", "level_id", "field_id", "institution", "country_id", "year"],
                    education,
                )
                copy_rows(
                    cursor,
                    "skills_consentrecord",
                    ["id", "profile_id", "purpose", "given", "recorded_at", "method", "text_version"],
                    consents,
                )
            self.stdout.write(f"  {start + len(users)} / {total}")
        for table in (
            "accounts_user",
            "skills_diasporaprofile",
            "skills_profileskill",
            "skills_profilelanguage",
            "skills_diasporaprofile_sectors",
            "skills_diasporaprofile_occupations",
            "skills_profileeducation",
            "skills_consentrecord",
        ):
            _reset_sequence(cursor, table)
        return ids
