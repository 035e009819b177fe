/* Dataset page: draws the chart (Chart.js) and the map (Leaflet) from JSON that the server
   embedded with json_script. Without JavaScript the same numbers are in tables. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var chart = readJson("data-chart-data");
  var canvas = document.getElementById("data-chart");
  if (chart && canvas && window.Chart) {
    new window.Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: { responsive: true, animation: false,
                 plugins: { legend: { position: "bottom" } } }
    });
  }

  var map = readJson("data-map-data");
  var holder = document.getElementById("data-map");
  if (!map || !holder || !window.L) { return; }
  var L = window.L;
  var leaflet = L.map(holder, { scrollWheelZoom: false });
  // Tiles when a tile server is configured and reachable; without them the circles and their
  // labels still read as a map of the regency (an empty DATA_MAP_TILE_URL turns tiles off).
  if (holder.dataset.tileUrl) {
    L.tileLayer(holder.dataset.tileUrl, {
      maxZoom: 18, attribution: "&copy; OpenStreetMap"
    }).addTo(leaflet);
  }
  L.control.scale({ imperial: false }).addTo(leaflet);
  var bounds = [];

  function label(marker, text, permanent) {
    // A text node, never an HTML string: labels come from OPD data.
    var node = document.createElement("span");
    node.textContent = text;
    marker.bindTooltip(node, { permanent: permanent, direction: "top", offset: [0, -4] });
  }

  if (map.kind === "points") {
    map.points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 6, color: "#0b4f8a", weight: 2, fillColor: "#2f7fc1", fillOpacity: 0.7
      }).addTo(leaflet);
      label(marker, point.label, false);
      var popup = document.createElement("span");
      popup.textContent = point.label;
      marker.bindPopup(popup);
      bounds.push([point.lat, point.lon]);
    });
  } else {
    var largest = map.regions.reduce(function (top, region) {
      return Math.max(top, region.value);
    }, 0) || 1;
    var formatter = new Intl.NumberFormat(document.documentElement.lang || "id");
    map.regions.forEach(function (region) {
      // Area proportional to the value: the radius grows with its square root.
      var radius = 6 + 24 * Math.sqrt(Math.max(region.value, 0) / largest);
      var marker = L.circleMarker([region.lat, region.lon], {
        radius: radius, color: "#0b4f8a", weight: 1.5, fillColor: "#2f7fc1", fillOpacity: 0.45
      }).addTo(leaflet);
      // Names stay on a wide map (a dozen kecamatan fit; on a phone they would overlap, so there
      // they show on touch); the value is in the popup and the table.
      label(marker, region.name, map.regions.length <= 15 && holder.clientWidth >= 600);
      var popup = document.createElement("span");
      popup.textContent = region.name + ": " + formatter.format(region.value);
      marker.bindPopup(popup);
      bounds.push([region.lat, region.lon]);
    });
  }
  if (bounds.length) {
    leaflet.fitBounds(bounds, { maxZoom: 13, padding: [48, 48] });
  } else {
    holder.hidden = true;
  }
})();
