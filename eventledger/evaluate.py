"""The codebook's scoring rules (../shared/codebook.md, "Evaluation").

The same rules as the reference scorer ``../shared/eval/score.py``, number for number:

* only documents present in the gold set are scored; ``doc`` compares by base name;
* records match one-to-one, greedily, best quality first (ties: gold order, then prediction
  order); gold records marked ``"optional": true`` never count as misses, and predictions
  matched to them never count as false alarms;
* events: same ``doc``, a type the gold accepts (a gold ``event_type`` may be a list) and the
  same place: country with country, province with the same province, city with the same
  GeoNames id, the same name after spelling variants, or within 30 km. Quality is the number
  of date scores met; over matched pairs: date strict (both ends within a day), date lenient
  (spans overlap, the predicted span no longer than max(31 days, the gold span)), actor_class,
  and city recall (matched gold city events over all gold city events);
* claims: ``doc``, ``value`` and ``category``; statements: ``doc`` and speaker's surname, the
  same date first;
* documents: ``published`` within 3 days of the gold date, or inside ``published_range``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventledger.models import Claim, Document, Event, Statement, record_to_dict

Row = dict[str, Any]
Pair = tuple[int, int]
Source = str | Path | Iterable[Mapping[str, Any] | Document | Event | Claim | Statement]

# The scorer's own table: spelling variants of place names that must compare equal.
VARIANTS: dict[str, str] = {
    "ahwaz": "ahvaz", "hamedan": "hamadan", "khavaf": "khaf", "khvaf": "khaf",
    "neyshabur": "nishapur", "nishabur": "nishapur", "orumiyeh": "urmia", "urumieh": "urmia",
    "orumieh": "urmia", "esfahan": "isfahan", "noshahr": "nowshahr", "bandareanzali": "bandaranzali",
    "anzali": "bandaranzali", "bandaremahshahr": "mahshahr", "bandarmahshahr": "mahshahr",
    "yasouj": "yasuj", "shahriyar": "shahriar", "meshed": "mashhad", "teheran": "tehran",
    "susa": "shush", "ghom": "qom", "kerman shah": "kermanshah", "bakhtaran": "kermanshah",
    "babol sar": "babolsar", "gazvin": "qazvin", "ghazvin": "qazvin",
}
CITY_KM = 30.0
LEVELS = ("city", "province", "country")


# --------------------------------------------------------------------------- input


def load_rows(source: Source) -> list[Row]:
    """Rows of a JSON Lines file, or of an iterable of dicts or ledger records."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    return [dict(r) if isinstance(r, Mapping) else record_to_dict(r) for r in source]


def doc_id(row: Mapping[str, Any]) -> str:
    return os.path.basename(str(row.get("doc", "")))


def select(rows: Iterable[Row], kind: str, docs: set[str]) -> list[Row]:
    """Rows of one kind whose document is scored, with `doc` reduced to its base name."""
    return [dict(r, doc=doc_id(r)) for r in rows if r.get("kind") == kind and doc_id(r) in docs]


# --------------------------------------------------------------------------- comparisons


def norm_name(name: Any) -> str | None:
    """A place name folded for comparison: ASCII letters only, spelling variants merged."""
    if not name:
        return None
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z ]", "", s).strip()
    s = VARIANTS.get(s, s).replace(" ", "")
    return VARIANTS.get(s, s)


def surname(name: Any) -> str:
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKD", name or "").lower())
    return words[-1] if words else ""


def parse_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    (la1, lo1), (la2, lo2) = a, b
    p1, p2 = math.radians(la1), math.radians(la2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


def coords(row: Mapping[str, Any]) -> tuple[float, float] | None:
    try:
        return float(row["latitude"]), float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


def level(row: Mapping[str, Any]) -> str:
    """city, province or country: as stated, else from the most precise place given."""
    if row.get("geo_precision") in LEVELS:
        return row["geo_precision"]
    if row.get("location"):
        return "city"
    return "province" if row.get("admin1") else "country"


def same_city(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    if g.get("geonameid") and p.get("geonameid") and str(g["geonameid"]) == str(p["geonameid"]):
        return True
    if norm_name(g.get("location")) == norm_name(p.get("location")):
        return True
    cg, cp = coords(g), coords(p)
    return bool(cg and cp and distance_km(cg, cp) <= CITY_KM)


def same_place(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    lg, lp = level(g), level(p)
    if lg == "country":
        return lp == "country"
    if lg == "province":
        return lp == "province" and norm_name(g.get("admin1")) == norm_name(p.get("admin1"))
    return lp == "city" and same_city(g, p)


def span(row: Mapping[str, Any]) -> tuple[dt.date, dt.date] | None:
    start = parse_date(row.get("date_start"))
    end = parse_date(row.get("date_end") or row.get("date_start"))
    return (start, end) if start and end else None


def date_scores(g: Mapping[str, Any], p: Mapping[str, Any]) -> tuple[bool, bool]:
    """(strict, lenient) agreement of a predicted event's dates with the gold's."""
    sg, sp = span(g), span(p)
    if not sg or not sp:
        return False, False
    strict = abs((sg[0] - sp[0]).days) <= 1 and abs((sg[1] - sp[1]).days) <= 1
    longest = max(31, (sg[1] - sg[0]).days)
    lenient = sp[0] <= sg[1] and sg[0] <= sp[1] and (sp[1] - sp[0]).days <= longest
    return strict, lenient


def gold_types(g: Mapping[str, Any]) -> list[Any]:
    """A gold event may accept several types where the text allows either reading."""
    t = g["event_type"]
    return t if isinstance(t, list) else [t]


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Matching:
    """A one-to-one matching of gold rows to predicted rows (pairs of indexes)."""

    golds: list[Row]
    preds: list[Row]
    pairs: list[Pair]

    def scored(self) -> list[tuple[Row, Row]]:
        """Matched pairs whose gold record is not optional."""
        return [(self.golds[i], self.preds[j]) for i, j in self.pairs if not self.golds[i].get("optional")]

    def missed(self) -> list[Row]:
        matched = {i for i, _ in self.pairs}
        return [g for i, g in enumerate(self.golds) if i not in matched and not g.get("optional")]

    def spurious(self) -> list[Row]:
        matched = {j for _, j in self.pairs}
        return [p for j, p in enumerate(self.preds) if j not in matched]

    def tally(self) -> dict[str, Any]:
        """precision, recall, f1, tp, fp, fn."""
        tp, fp, fn = len(self.scored()), len(self.spurious()), len(self.missed())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


Compatible = Callable[[Row, Row], bool]
Quality = Callable[[Row, Row], float]


def match(golds: list[Row], preds: list[Row], compatible: Compatible, quality: Quality) -> Matching:
    """Greedy one-to-one matching: compatible pairs, best quality first, stable on ties."""
    candidates = [(quality(g, p), i, j) for i, g in enumerate(golds)
                  for j, p in enumerate(preds) if compatible(g, p)]
    candidates.sort(key=lambda c: -c[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return Matching(golds, preds, pairs)


def _same_event(g: Row, p: Row) -> bool:
    return g["doc"] == p["doc"] and p.get("event_type") in gold_types(g) and same_place(g, p)


def _same_claim(g: Row, p: Row) -> bool:
    same_value = str(g["value"]) == str(p.get("value"))
    return g["doc"] == p["doc"] and same_value and g["category"] == p.get("category")


def _same_speaker(g: Row, p: Row) -> bool:
    return g["doc"] == p["doc"] and surname(g["speaker"]) == surname(p.get("speaker"))


def _same_date(g: Row, p: Row) -> int:
    return 1 if g.get("date") and g.get("date") == p.get("date") else 0


def match_events(golds: list[Row], preds: list[Row]) -> Matching:
    return match(golds, preds, _same_event, lambda g, p: sum(date_scores(g, p)))


def match_claims(golds: list[Row], preds: list[Row]) -> Matching:
    return match(golds, preds, _same_claim, lambda g, p: 1)


def match_statements(golds: list[Row], preds: list[Row]) -> Matching:
    return match(golds, preds, _same_speaker, _same_date)


# --------------------------------------------------------------------------- scores


def event_scores(m: Matching) -> dict[str, Any]:
    """P/R/F1 of events, then date, actor_class and city recall over the matched pairs."""
    scored = m.scored()
    dated = [(g, p) for g, p in scored if span(g)]
    dates = [date_scores(g, p) for g, p in dated]
    n, nd = max(1, len(scored)), max(1, len(dated))
    cities = [g for g in m.golds if level(g) == "city" and not g.get("optional")]
    found = sum(1 for g, _ in scored if level(g) == "city")
    return {**m.tally(),
            "date_strict": sum(s for s, _ in dates) / nd,
            "date_lenient": sum(le for _, le in dates) / nd,
            "actor_class": sum(g.get("actor_class") == p.get("actor_class") for g, p in scored) / n,
            "city_recall": found / len(cities) if cities else 0.0}


def _published_ok(gold: Row, predicted: Row | None) -> bool:
    got = parse_date((predicted or {}).get("published"))
    lo, hi = (parse_date(x) for x in gold.get("published_range") or (None, None))
    if lo and hi:  # an inferred date: anything the text allows is right
        return bool(got and lo <= got <= hi)
    want = parse_date(gold.get("published"))
    return bool(want and got and abs((want - got).days) <= 3)


def document_scores(golds: list[Row], preds: list[Row]) -> dict[str, Any]:
    """The share of gold documents (with a date) whose predicted `published` is right."""
    dated = {r["doc"]: r for r in golds if r.get("published")}
    predicted = {r["doc"]: r for r in preds}
    ok = sum(_published_ok(g, predicted.get(doc)) for doc, g in dated.items())
    return {"published_date_accuracy": ok / max(1, len(dated)), "n": len(dated)}


def split(gold: Source, pred: Source) -> dict[str, tuple[list[Row], list[Row]]]:
    """(gold rows, predicted rows) per kind, restricted to the documents of the gold set."""
    gold_rows, pred_rows = load_rows(gold), load_rows(pred)
    docs = {doc_id(r) for r in gold_rows}
    return {kind: (select(gold_rows, kind, docs), select(pred_rows, kind, docs))
            for kind in ("document", "event", "claim", "statement")}


def evaluate(gold: Source, pred: Source) -> dict[str, dict[str, Any]]:
    """Score predictions against gold: {"events", "claims", "statements", "documents"}."""
    rows = split(gold, pred)
    return {"events": event_scores(match_events(*rows["event"])),
            "claims": match_claims(*rows["claim"]).tally(),
            "statements": match_statements(*rows["statement"]).tally(),
            "documents": document_scores(*rows["document"])}


def errors(gold: Source, pred: Source) -> list[str]:
    """MISSED gold events and SPURIOUS predicted events, one line each, as score.py prints them."""
    m = match_events(*split(gold, pred)["event"])
    missed = [("MISSED  ", g["doc"], g["event_type"], _place_label(g), g.get("date_start"), g.get("date_end"))
              for g in m.missed()]
    spurious = [("SPURIOUS", p["doc"], p.get("event_type"), _place_label(p), p.get("date_start"),
                 p.get("date_end")) for p in m.spurious()]
    return [" ".join(map(str, line)) for line in (*missed, *spurious)]


def _place_label(row: Mapping[str, Any]) -> str:
    return row.get("location") or row.get("admin1") or "IR"


def _kind_line(kind: str, s: Mapping[str, Any]) -> str:
    return (f"{kind:11s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
            f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")


def format_summary(summary: Mapping[str, Mapping[str, Any]]) -> str:
    """The scorer's report: one line per kind, event dates, documents, and the score line."""
    lines = [_kind_line(kind, summary[kind]) for kind in ("events", "claims", "statements")]
    e, d = summary["events"], summary["documents"]
    lines.append(f"event dates strict {e['date_strict']:.3f}  lenient {e['date_lenient']:.3f}  "
                 f"actor_class {e['actor_class']:.3f}  city recall {e['city_recall']:.3f}")
    lines.append(f"documents   published date accuracy {d['published_date_accuracy']:.3f} of {d['n']}")
    lines.append(f"score: events F1 {e['f1']:.3f} | dates {e['date_lenient']:.3f} | "
                 f"claims F1 {summary['claims']['f1']:.3f} | statements F1 {summary['statements']['f1']:.3f} "
                 f"| published {d['published_date_accuracy']:.3f}")
    return "\n".join(lines)
