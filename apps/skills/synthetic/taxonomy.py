"""A small taxonomy (ISCO-08 chains, sectors, skills, ISCED levels and fields) for databases where the reference
data files were not loaded, so the synthetic skills bank can be built anywhere."""

from __future__ import annotations

from apps.skills.models import EducationField, EducationLevel, Occupation, Sector, Skill

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
