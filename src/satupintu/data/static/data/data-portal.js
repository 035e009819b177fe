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
  if (!map || !holder || !window.L || map.kind !== "points" || !map.points.length) {
    if (holder && (!map || map.kind !== "points")) { holder.hidden = true; }
    return;
  }
  var leaflet = window.L.map(holder);
  window.L.tileLayer(holder.dataset.tileUrl, {
    maxZoom: 18, attribution: "&copy; OpenStreetMap"
  }).addTo(leaflet);
  var bounds = [];
  map.points.forEach(function (point) {
    window.L.circleMarker([point.lat, point.lon], { radius: 6 })
      // A text node, never an HTML string: labels come from OPD data.
      .bindPopup(document.createTextNode(point.label))
      .addTo(leaflet);
    bounds.push([point.lat, point.lon]);
  });
  leaflet.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
})();
