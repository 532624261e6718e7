// The map, offline: the neighbouring countries, seas and towns (basemap.geojson), Iran's provinces
// shaded by their events (provinces.geojson), and the events clustered, coloured by type and
// sized by count. A legend explains both; a date slider narrows the events and is kept in the URL
// (from, to) like the other filters; the view is kept in the URL's hash (#zoom/lat/lon).
// Everything comes from this server; text from the ledger is only ever set as textContent.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }

  var DAY = 86400000;
  var map = L.map(el, {zoomSnap: 0.25, minZoom: 5, maxZoom: 13, worldCopyJump: false, maxBoundsViscosity: 1});
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)");
  map.createPane("basemap").style.zIndex = 350;
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  var state = {points: null, legend: null, provinces: null, labels: [], asked: 0};

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function link(href, label) {
    var a = text("a", label);
    a.setAttribute("href", href);
    return a;
  }

  function withFilter(path, changes) {
    var params = new URLSearchParams(window.location.search);
    Object.keys(changes).forEach(function (key) { params.set(key, changes[key]); });
    var query = params.toString();
    return path + (query ? "?" + query : "");
  }

  function shade(count, max) {
    if (!count) { return "#f4f4f0"; }
    var t = Math.sqrt(count / max);
    var light = Math.round(92 - 40 * t);
    return "hsl(35, 70%, " + light + "%)";
  }

  function dot(color, size, label) {
    var div = document.createElement("div");
    div.className = "pt-dot";
    div.style.background = color;
    div.style.width = size + "px";
    div.style.height = size + "px";
    if (label) { div.appendChild(text("span", label)); }
    return div;
  }

  function pointSize(count) { return Math.min(44, Math.round(12 + 6 * Math.sqrt(count))); }

  // ------------------------------------------------------------------ background and labels

  function label(latlng, name, className, minzoom) {
    var icon = L.divIcon({html: text("span", name), className: "map-label " + className, iconSize: null});
    var marker = L.marker(latlng, {icon: icon, interactive: false, keyboard: false, pane: "labels"});
    state.labels.push({marker: marker, minzoom: minzoom});
    return marker;
  }

  function showLabels() {
    var zoom = map.getZoom();
    state.labels.forEach(function (l) {
      var wanted = zoom >= l.minzoom;
      if (wanted && !map.hasLayer(l.marker)) { l.marker.addTo(map); }
      if (!wanted && map.hasLayer(l.marker)) { map.removeLayer(l.marker); }
    });
  }

  function basemap(geojson) {
    var countries = L.geoJSON(geojson, {
      pane: "basemap", interactive: false,
      filter: function (f) { return f.properties.kind === "country"; },
      style: function () { return {color: "#a8a89a", weight: 1, fillColor: "#ece9df", fillOpacity: 1}; }
    });
    geojson.features.forEach(function (f) {
      var p = f.properties, at;
      if (p.kind === "country") {
        at = L.latLng(p.label[1], p.label[0]);
        label(at, p.name, "country", p.minzoom);
      } else if (p.kind === "sea") {
        label(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), p.name, "sea", p.minzoom);
      } else if (p.kind === "town") {
        label(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]), p.name,
              "town" + (p.population >= 1000000 ? " big" : ""), p.minzoom);
      }
    });
    return countries;
  }

  function provinceLayer(geojson) {
    var layer = L.geoJSON(geojson, {
      onEachFeature: function (feature, province) {
        var name = feature.properties.name;
        province.on("click", function () { window.location.assign(withFilter("/", {province: name})); });
      }
    });
    layer.eachLayer(function (province) {
      label(province.getBounds().getCenter(), province.feature.properties.name, "province", 6.5);
    });
    return layer;
  }

  function shadeProvinces(counts) {
    var max = maxOf(counts);
    state.provinces.eachLayer(function (province) {
      var name = province.feature.properties.name, n = counts[name] || 0;
      province.setStyle({color: "#8a8a80", weight: 1, fillColor: shade(n, max), fillOpacity: 0.9});
      province.unbindTooltip();
      province.bindTooltip(text("span", name + ": " + n + " event" + (n === 1 ? "" : "s")), {sticky: true});
    });
  }

  function maxOf(counts) {
    return Math.max.apply(null, [1].concat(Object.keys(counts).map(function (k) { return counts[k]; })));
  }

  // ------------------------------------------------------------------ events

  function popup(point) {
    var box = document.createElement("div");
    box.className = "pt-popup";
    box.appendChild(text("strong", point.location || point.admin1 || "unnamed place"));
    if (point.location && point.admin1) { box.appendChild(text("span", ", " + point.admin1)); }
    box.appendChild(text("div", point.count + " " + point.event_type + " event" + (point.count === 1 ? "" : "s")));
    var list = document.createElement("div");
    point.ids.forEach(function (id, i) {
      list.appendChild(link("/records/event/" + encodeURIComponent(id), "#" + (i + 1)));
      list.appendChild(document.createTextNode(" "));
    });
    box.appendChild(list);
    var filter = point.location ? {town: point.location, type: point.event_type} :
      {province: point.admin1 || "", type: point.event_type};
    box.appendChild(link(withFilter("/table", filter), "show in the table"));
    return box;
  }

  function clusterIcon(colors) {
    return function (cluster) {
      var counts = {}, total = 0;
      cluster.getAllChildMarkers().forEach(function (m) {
        counts[m.options.eventType] = (counts[m.options.eventType] || 0) + m.options.count;
        total += m.options.count;
      });
      var stops = [], done = 0;
      Object.keys(counts).sort().forEach(function (type) {
        var from = done / total * 360, to = (done + counts[type]) / total * 360;
        stops.push((colors[type] || "#999") + " " + from + "deg " + to + "deg");
        done += counts[type];
      });
      var size = Math.min(56, Math.round(22 + 7 * Math.sqrt(total)));
      var div = dot("conic-gradient(" + stops.join(", ") + ")", size, String(total));
      div.className = "pt-dot pt-cluster";
      return L.divIcon({html: div, className: "pt-icon", iconSize: [size, size]});
    };
  }

  function points(data) {
    var group = L.markerClusterGroup({
      iconCreateFunction: clusterIcon(data.colors), showCoverageOnHover: false, maxClusterRadius: 40,
      spiderfyOnMaxZoom: true
    });
    data.points.forEach(function (p) {
      var size = pointSize(p.count);
      var icon = L.divIcon({html: dot(data.colors[p.event_type] || "#999", size, p.count > 1 ? String(p.count) : ""),
                            className: "pt-icon pt-" + p.event_type, iconSize: [size, size]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, count: p.count, eventType: p.event_type,
                                             title: (p.location || p.admin1 || "") + ": " + p.count + " " + p.event_type});
      marker.bindPopup(function () { return popup(p); });
      group.addLayer(marker);
    });
    return group;
  }

  function row(swatch, label) {
    var div = document.createElement("div");
    div.appendChild(swatch);
    div.appendChild(document.createTextNode(label));
    return div;
  }

  function swatch(color, className) {
    var span = document.createElement("span");
    span.className = className;
    span.style.background = color;
    return span;
  }

  // The legend: the colours of the event types on the map, and the shading of the provinces.
  function legend(data) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.id = "map-legend";
      var seen = {};
      data.points.forEach(function (p) { seen[p.event_type] = true; });
      box.appendChild(text("strong", "events by type"));
      Object.keys(data.colors).filter(function (t) { return seen[t]; }).forEach(function (type) {
        box.appendChild(row(swatch(data.colors[type], "swatch"), type));
      });
      if (!data.points.length) { box.appendChild(text("div", "none located", "empty")); }
      var max = maxOf(data.provinces);
      var shading = text("div", "", "shading");
      shading.appendChild(text("strong", "events per province"));
      var steps = [0, 1, Math.round(max / 4), Math.round(max / 2), max].filter(function (n, i, all) {
        return all.indexOf(n) === i && (n <= max);
      });
      steps.forEach(function (n) {
        shading.appendChild(row(swatch(shade(n, max), "swatch square"), n === 0 ? "none" : String(n)));
      });
      box.appendChild(shading);
      return box;
    };
    return control;
  }

  function draw(data) {
    if (state.points) { map.removeLayer(state.points); }
    if (state.legend) { map.removeControl(state.legend); }
    shadeProvinces(data.provinces);
    state.points = points(data).addTo(map);
    state.legend = legend(data).addTo(map);
    document.getElementById("map-total").textContent = data.total.toLocaleString("en");
    document.getElementById("map-unplaced").textContent = data.unplaced ?
      "; " + data.unplaced.toLocaleString("en") + " without coordinates are not on the map" : "";
  }

  // ------------------------------------------------------------------ the date slider

  function day(iso) { return Date.parse(iso + "T00:00:00Z"); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function slider() {
    var box = document.getElementById("date-slider");
    if (!box) { return; }
    var first = day(box.dataset.first), days = Math.round((day(box.dataset.last) - first) / DAY);
    var from = document.getElementById("slider-from"), to = document.getElementById("slider-to");
    var shown = document.getElementById("slider-dates");
    var params = new URLSearchParams(window.location.search);
    function index(value, fallback) {
      var ms = value ? day(value) : NaN;
      if (isNaN(ms)) { return fallback; }
      return Math.max(0, Math.min(days, Math.round((ms - first) / DAY)));
    }
    [from, to].forEach(function (input) { input.max = String(days); });
    from.value = String(index(params.get("from"), 0));
    to.value = String(index(params.get("to"), days));

    function dates() {
      var a = Math.min(+from.value, +to.value), b = Math.max(+from.value, +to.value);
      return [iso(first + a * DAY), iso(first + b * DAY), a === 0 && b === days];
    }
    function label() { var d = dates(); shown.textContent = d[0] + " – " + d[1]; }
    function apply() {
      var d = dates();
      var params = new URLSearchParams(window.location.search);
      if (d[2]) { params.delete("from"); params.delete("to"); } else { params.set("from", d[0]); params.set("to", d[1]); }
      label();
      filterTo(params, d[2] ? "" : d[0], d[2] ? "" : d[1]);
    }
    from.addEventListener("input", label);
    to.addEventListener("input", label);
    from.addEventListener("change", apply);
    to.addEventListener("change", apply);
    document.getElementById("slider-all").addEventListener("click", function () {
      from.value = "0";
      to.value = String(days);
      apply();
    });
    label();
  }

  // The map's filters are now `params`: the URL, the filter form, the links to the other views,
  // and the events on the map follow.
  function filterTo(params, from, to) {
    var query = params.toString(), search = query ? "?" + query : "";
    window.history.replaceState(null, "", window.location.pathname + search + window.location.hash);
    ["from", "to"].forEach(function (name, i) {
      var input = document.querySelector("form.filters input[name=" + name + "]");
      if (input) { input.value = [from, to][i]; }
    });
    document.querySelectorAll("header a[href]").forEach(function (a) {
      var path = a.getAttribute("href").split("?")[0];
      if (["/", "/timeline", "/table", "/review"].indexOf(path) >= 0) { a.setAttribute("href", path + search); }
    });
    var twin = document.querySelector("header a.twin");
    if (twin) { twin.setAttribute("href", "/api/map" + search); }
    el.removeAttribute("data-ready");
    var asked = ++state.asked;  // only the latest answer is drawn: an earlier one may come after it
    return json(el.dataset.api + search).then(function (data) {
      if (asked !== state.asked) { return; }
      draw(data);
      el.setAttribute("data-ready", "true");
    }).catch(failed);
  }

  // ------------------------------------------------------------------ the view in the hash

  function viewFromHash() {
    var m = /^#(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
    return m ? {zoom: +m[1], center: L.latLng(+m[2], +m[3])} : null;
  }

  function keepView() {
    var c = map.getCenter();
    var hash = "#" + map.getZoom() + "/" + c.lat.toFixed(3) + "/" + c.lng.toFixed(3);
    window.history.replaceState(null, "", window.location.pathname + window.location.search + hash);
  }

  function json(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function failed(err) {
    el.setAttribute("data-error", String(err));
    el.appendChild(text("p", "The map could not be loaded: " + err, "error"));
  }

  var search = window.location.search;
  Promise.all([json(el.dataset.basemap), json(el.dataset.provinces), json(el.dataset.api + search)]).then(function (loaded) {
    basemap(loaded[0]).addTo(map);
    var frame = loaded[0].frame;  // [west, south, east, north]: the background ends there
    map.setMaxBounds([[frame[1], frame[0]], [frame[3], frame[2]]]);
    state.provinces = provinceLayer(loaded[1]).addTo(map);
    var view = viewFromHash();
    if (view) { map.setView(view.center, view.zoom); } else { map.fitBounds(state.provinces.getBounds(), {padding: [10, 10]}); }
    draw(loaded[2]);
    showLabels();
    map.on("zoomend", showLabels);
    map.on("moveend", keepView);
    slider();
    el.setAttribute("data-ready", "true");
  }).catch(failed);
})();
