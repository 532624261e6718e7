"""Stage `statements.v1`: someone on the record saying something the report tells as news.

A statement is found in one sentence (vocabulary in `data/statements.toml`):

* Speakers are names written in the text: capitalised runs of 1-4 name words (titles such
  as "former U.S. Vice President" or "Mrs." stripped off and kept to class the speaker), or a
  body from the actor dictionary or a capitalised run with an organisation word ("Erja News",
  "Amnesty International"). No NER model: patterns only.
* Patterns: "X (, appositive,) said/told/acknowledged ... : '...'", "'...,' said X",
  "'...,' X said", "The agency quoted X ... as saying", "X ..., stating that",
  "X's response / remarks of X", "according to X" (a person).
* A bare surname resolves to the full name seen earlier in the report ("Khamenei" ->
  "Ali Khamenei"). Bodies that only act (crowds, activist networks) and the publisher itself
  are not speakers; neither are pronouns, generic subjects ("officials") or anyone whose
  words are themselves inside a quotation.
* `date`: the day-precise date of the sentence nearest the verb, outside quotations; never
  the publication date. `outlet`: the agency that quoted, the outlet told or written in,
  the speaker itself when it is an outlet, or a venue ("video conference").
* A speaker already on record for the same date, or speaking again with no date (a
  continuation, "X added: ..."), adds no statement; a dated statement replaces an undated one.

Modules, in the order a sentence is read: `lexicon` (the vocabulary), `document` (a report's
quotations, dates and places), `names` (who the sentence names), `candidates` (who speaks),
`speakers` (who a name is), `record` (what is recorded). Fast paths: `stages/scan_statements.py`;
names in capitalised runs and `strip_titles`: `stages/shared.py`.
"""

from __future__ import annotations

from dataclasses import replace

from eventledger.models import Analysis
from eventledger.stages.shared import sentence_actors, strip_titles
from eventledger.stages.statements.candidates import find_said, may_speak, speech_verbs
from eventledger.stages.statements.document import document_of
from eventledger.stages.statements.lexicon import lexicon
from eventledger.stages.statements.names import sentence_names
from eventledger.stages.statements.record import add_statement, build_statement, resolve_later

__all__ = ["find_statements", "lexicon", "sentence_actors", "strip_titles"]


def find_statements(analysis: Analysis) -> Analysis:
    """Stage `statements.v1`: fill `Analysis.statements` (needs sentences; uses dates and places if present)."""
    doc = document_of(analysis)
    for s in analysis.sentences:
        trigger = doc.lex.trigger.first_start(doc.text, s.start, s.end)
        if trigger is None:
            continue
        verbs = speech_verbs(doc, s, trigger)
        if not verbs and not may_speak(doc, s):
            continue
        names = sentence_names(doc.text, s, doc.lex, doc.quotes)
        for said in find_said(doc, s, names, verbs):
            statement = build_statement(doc, s, said, names)
            if statement is not None:
                add_statement(doc, statement)
    return replace(analysis, statements=tuple(resolve_later(doc, st) for st in doc.out))
