"""A synthetic skills bank for development, the demo and benchmarks (``manage.py seed_synthetic --profiles N``).

People: names of the partner states in Latin script, with the Arabic-script spelling for people from
Arabic-speaking states (several Latin spellings of one Arabic name: Mohamed, Mohammed, Muhammad → محمد); about 40 %
of people carry one of a few very common family names, the others a family name of a long tail that few share;
residence in the usual destination countries; occupations, sectors, skills, languages, education, engagement
interests, availability, consents (about 80 % listed) and freshness. Synthetic accounts have unusable passwords
and e-mail addresses under example.invalid; their profiles have ``source = 'synthetic'``.

- :mod:`.names` — the pools people are drawn from;
- :mod:`.taxonomy` — a small taxonomy, created when the reference data files were not loaded;
- :mod:`.generator` — one person at a time, as table rows;
- :mod:`.loader` — ``COPY`` into PostgreSQL and the search documents (:func:`.loader.seed_bank`).
"""
