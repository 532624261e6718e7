"""The Persian language module: extraction from Persian (Farsi) sentences into the same codebook.

Chosen by the language of each sentence (`language.py` dispatches): the English stages read the
sentences in Latin script, these read those in Persian script. Modules:

* `normalise`   letters, digits, joiners and diacritics folded for look-up; offsets kept
* `vocabulary`  data/fa.toml: triggers by lemma, verb conjugations, actors, date and number words
* `places`      gazetteer look-up of Persian place names (prefixes شهر / استان / زندان, ezafe)
* `dates`       Solar Hijri and relative dates (روز شنبه, بامداد امروز, ۱۰ تا ۱۲ دی)
* `events`      typed events with actor, place, date and figures
* `claims`      figures with qualifiers (دست‌کم, بیش از, حدود)
* `statements`  outlets and speakers (به گزارش ..., ... گفت)
"""

from eventledger.stages.fa.normalise import is_persian_sentence

__all__ = ["is_persian_sentence"]
