"""Writes name_pairs.csv, the labelled corpus of the name matcher, from name_spellings.txt and latin_spellings.txt.

Positive pairs: two spellings of one name (Latin→Arabic, Arabic→Latin, two Latin spellings, two Arabic
spellings, and Arabic spellings with the orthographic variants of the script: hamza forms, ة/ه, ى/ي, tatweel,
harakat, a compound written joined or apart). Negative pairs: names that share letters and are not the same name
(HARD_NEGATIVES, e.g. Mahmoud/محمد), then other names drawn with a fixed seed. Run it again after editing the
spelling lists: `python tests/data/build_name_pairs.py`.
"""

import csv
import itertools
import random
from pathlib import Path

HERE = Path(__file__).parent

HARD_NEGATIVES = [
    ("mohamed", "mahmoud"), ("mohamed", "hamed"), ("ahmed", "hamed"), ("mohamed", "ahmed"), ("khaled", "khalil"),
    ("younes", "youssef"), ("hassan", "hussein"), ("jamal", "kamal"), ("jamil", "jamal"), ("jamila", "jamil"),
    ("said", "saad"), ("karim", "karima"), ("rachid", "rachida"), ("nabil", "nabila"), ("issa", "moussa"),
    ("hamza", "hamed"), ("samir", "sami"), ("rida", "redouane"), ("husseini", "hussein"), ("benali", "ali"),
    ("abdallah", "abdelaziz"), ("abdelkader", "abdelhak"), ("mahmoud", "ahmed"), ("khadija", "khaled"),
    ("fatima", "hafsa"), ("naima", "amina"), ("salma", "soukaina"), ("mansouri", "mounir"), ("zineb", "zidane"),
    ("yassine", "younes"), ("idriss", "idrissi"), ("omar", "amrani"), ("latifa", "fatima"), ("walid", "khaled"),
    ("bachir", "belkacem"), ("habib", "haddad"), ("nasser", "nabil"), ("hicham", "hassan"), ("tarek", "tazi"),
    # Sahel renderings beside the names they resemble
    ("mamadou", "mahmoud"), ("amadou", "hamed"), ("amadou", "mamadou"), ("oumou", "omar"), ("seydou", "said"),
    ("cheikh", "chaoui"), ("aboubacar", "bachir"), ("hamidou", "hamed"), ("hamidou", "mohamed"), ("oumou", "amina"),
    ("ouldmohamed", "mohamed"), ("agghaly", "ali"), ("oumkalthoum", "khalil"), ("seydou", "yassine"),
    # Sahel family names and names with an ع inside, beside the names they resemble
    ("salima", "salma"), ("souad", "saad"), ("messaoud", "mansouri"), ("yacoub", "younes"), ("toure", "tarek"),
    ("traore", "tarek"), ("kone", "kamal"), ("chouaib", "chaoui"), ("diallo", "ali"), ("cisse", "issa"),
    ("keita", "khadija"), ("jaafar", "jamal"),
]  # fmt: skip


def read(name):
    groups = {}
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, latin, *arabic = (part.strip() for part in line.split("|"))
        groups[key] = (
            [s.strip() for s in latin.split(",") if s.strip()],
            [s.strip() for s in (arabic[0] if arabic else "").split(",") if s.strip()],
        )
    return groups


def arabic_variants(name):
    """The same Arabic name as other hands write it."""
    out = set()
    out.add(name.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا"))
    out.add(name.replace("ا", "أ", 1) if name.startswith("ا") else name)
    out.add(name.replace("ة", "ه"))
    out.add(name.replace("ي", "ى") if name.endswith("ي") else name.replace("ى", "ي"))
    if len(name) > 3:
        out.add(name[:2] + "ـ" + name[2:])  # tatweel
    out.add("".join(ch + "َ" if ch not in " ا" else ch for ch in name))  # fatha on every letter
    if "عبد " in name:
        out.add(name.replace("عبد ", "عبد"))
    elif name.startswith("عبد"):
        out.add(name.replace("عبد", "عبد ", 1))
    out.discard(name)
    return sorted(out)


def main():
    groups = read("name_spellings.txt")
    latin_only = read("latin_spellings.txt")
    rows = []
    for key, (latin, arabic) in groups.items():
        rows += [(a, b, 1, "latin→arabic", key) for a in latin for b in arabic]
        rows += [(a, b, 1, "arabic→latin", key) for a in arabic for b in latin]
        rows += [(a, b, 1, "arabic variants", key) for a, b in itertools.permutations(arabic, 2)]
        rows += [(a, v, 1, "arabic variants", key) for a in arabic for v in arabic_variants(a)]
    for key, (latin, _arabic) in {**groups, **latin_only}.items():
        rows += [(a, b, 1, "latin variants", key) for a, b in itertools.combinations(latin, 2)]
    rng = random.Random(14)
    keys = sorted(groups)
    pairs = [*HARD_NEGATIVES, *((b, a) for a, b in HARD_NEGATIVES)]
    while len(pairs) < 300:
        a, b = rng.sample(keys, 2)
        if (a, b) not in pairs and not set(groups[a][1]) & set(groups[b][1]):  # Mamadou and Mohamed: one محمد
            pairs.append((a, b))
    for a, b in pairs:
        (la, aa), (lb, ab) = groups[a], groups[b]
        label = f"{a}/{b}"
        rows.append((rng.choice(la), rng.choice(ab), 0, "latin→arabic", label))
        rows.append((rng.choice(aa), rng.choice(lb), 0, "arabic→latin", label))
        rows.append((rng.choice(la), rng.choice(lb), 0, "latin variants", label))
        rows.append((rng.choice(aa), rng.choice(ab), 0, "arabic variants", label))
    with (HERE / "name_pairs.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["query", "name", "same", "direction", "names"])
        writer.writerows(rows)
    print(len(rows), "pairs")


if __name__ == "__main__":
    main()
