// The map: province boundaries (Natural Earth) shaded by events, and event points clustered,
// coloured by type and sized by count. Everything comes from this server; text from the ledger
// is only ever set as textContent.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }

  var map = L.map(el, {zoomSnap: 0.25, minZoom: 4, maxZoom: 13, worldCopyJump: false});
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)");
  map.setView([32.5, 54], 5);

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

  function provinceLayer(geojson, counts) {
    var max = Math.max.apply(null, [1].concat(Object.keys(counts).map(function (k) { return counts[k]; })));
    return L.geoJSON(geojson, {
      style: function (feature) {
        var n = counts[feature.properties.name] || 0;
        return {color: "#8a8a80", weight: 1, fillColor: shade(n, max), fillOpacity: 0.9};
      },
      onEachFeature: function (feature, layer) {
        var name = feature.properties.name;
        var n = counts[name] || 0;
        layer.bindTooltip(text("span", name + ": " + n + " event" + (n === 1 ? "" : "s")), {sticky: true});
        layer.on("click", function () { window.location.assign(withFilter("/", {province: name})); });
      }
    });
  }

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

  function legend(colors, data) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      var seen = {};
      data.points.forEach(function (p) { seen[p.event_type] = true; });
      Object.keys(colors).filter(function (t) { return seen[t]; }).forEach(function (type) {
        var row = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = colors[type];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(type));
        box.appendChild(row);
      });
      return box;
    };
    return control;
  }

  function json(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  Promise.all([json(el.dataset.provinces), json(el.dataset.api)]).then(function (loaded) {
    var provinces = provinceLayer(loaded[0], loaded[1].provinces).addTo(map);
    map.fitBounds(provinces.getBounds(), {padding: [10, 10]});
    points(loaded[1]).addTo(map);
    legend(loaded[1].colors, loaded[1]).addTo(map);
    el.setAttribute("data-ready", "true");
  }).catch(function (err) {
    el.setAttribute("data-error", String(err));
    el.appendChild(text("p", "The map could not be loaded: " + err, "error"));
  });
})();
