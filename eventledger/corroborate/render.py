"""Incidents and contested figures as text (for the command line) and as plain JSON data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from eventledger.corroborate.figures import ClaimGroup, source
from eventledger.corroborate.reports import Incident
from eventledger.models import Document, record_to_dict

EVIDENCE_CHARS = 100


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:EVIDENCE_CHARS]}{'…' if len(flat) > EVIDENCE_CHARS else ''}”"


def _dates(start: str | None, end: str | None, *, open_end: str = "") -> str:
    if not start:
        return "no period stated" if open_end else "undated"
    if not end:
        return f"{open_end}{start}"
    return start if end == start else f"{start}..{end}"


def incident_data(incident: Incident) -> dict[str, Any]:
    """An incident as JSON-ready data (its reports as ledger records)."""
    data = {f.name: getattr(incident, f.name) for f in dataclasses.fields(incident) if f.name != "reports"}
    return {**data, "corroboration": incident.corroboration, "reports": [record_to_dict(e) for e in incident.reports]}


def _report_line(event: Any, documents: Mapping[str, Document]) -> str:
    document = documents.get(event.doc)
    publisher = (document.publisher if document else None) or "publisher unknown"
    copy = ""
    if document and document.duplicate_of:
        rule = f" by rule {document.duplicate_rule}" if document.duplicate_rule else ""
        copy = f", near-copy of {document.duplicate_of}{rule}"
    cited = f", citing {event.reported_by}" if event.reported_by else ""
    return f"    {event.doc} ({publisher}{cited}{copy}) {_quote(event.evidence)}"


def format_incidents(found: Sequence[Incident], documents: Mapping[str, Document]) -> str:
    """One heading line per incident, then one line per report."""
    lines = []
    for incident in found:
        who = ", ".join(incident.affiliations) or "no registered source"
        lines.append(f"{incident.incident}  {incident.event_type} in {incident.place}, "
                     f"{_dates(incident.date_start, incident.date_end)}: {len(incident.reports)} report(s) in "
                     f"{len(incident.documents)} document(s); corroboration {incident.corroboration} ({who})")
        lines.extend(_report_line(e, documents) for e in incident.reports)
    lines.append(f"{len(found)} incidents")
    return "\n".join(lines)


def figure_data(group: ClaimGroup) -> dict[str, Any]:
    data = {f.name: getattr(group, f.name) for f in dataclasses.fields(group) if f.name != "claims"}
    return {**data, "values": list(group.values), "contested": group.contested,
            "claims": [record_to_dict(c) for c in group.claims]}


def format_figures(groups: Sequence[ClaimGroup], documents: Mapping[str, Document]) -> str:
    """Each group: category, place and period, then each source's figure side by side."""
    publishers = {doc: d.publisher for doc, d in documents.items()}
    lines = []
    for group in groups:
        flag = "contested" if group.contested else "agreed"
        period = _dates(group.period_start, group.period_end, open_end="since ")
        lines.append(f"{group.category} in {group.place or 'unstated place'}, {period}: {flag} "
                     f"({len(group.sources)} sources)")
        for claim in group.claims:
            qualifier = {"at_least": "at least ", "about": "about "}.get(claim.qualifier, "")
            lines.append(f"    {qualifier}{claim.value:,}  {source(claim, publishers)}  [{claim.doc}] "
                         f"{_quote(claim.evidence)}")
    lines.append(f"{len(groups)} groups of figures")
    return "\n".join(lines)
