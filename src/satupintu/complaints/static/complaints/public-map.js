/* The public map of /pengaduan/: markers for the public reports that match the list's filters,
   from the small JSON endpoint named in data-src (reference, title, status, category and the
   point: never personal data). The list below the map is the same content without JavaScript. */
(function () {
  "use strict";

  var holder = document.getElementById("complaints-map");
  if (!holder || !window.L) { return; }
  holder.hidden = false;

  var bounds = window.L.latLngBounds(
    [parseFloat(holder.dataset.south), parseFloat(holder.dataset.west)],
    [parseFloat(holder.dataset.north), parseFloat(holder.dataset.east)]
  );
  var map = window.L.map(holder);
  var offline = document.getElementById("complaints-map-offline");
  var failures = 0;
  window.L.tileLayer(holder.dataset.tileUrl, { maxZoom: 18, attribution: "&copy; OpenStreetMap" })
    .on("tileerror", function () {
      failures += 1;
      if (failures === 1 && offline) { offline.textContent = holder.dataset.offlineText; }
    })
    .addTo(map);
  window.L.rectangle(bounds, { weight: 1, fill: false, interactive: false }).addTo(map);
  map.fitBounds(bounds);

  // One colour per state of the report, as in the list's badges.
  var colours = { open: "#b45309", done: "#15803d", rejected: "#6b7280" };

  function popup(report) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = report.url;
    link.textContent = report.title; // text nodes only: titles are typed by citizens
    box.appendChild(link);
    var meta = document.createElement("div");
    meta.className = "small";
    meta.textContent = report.reference + " · " + report.category + " · " + report.status_label;
    box.appendChild(meta);
    return box;
  }

  fetch(holder.dataset.src, { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var points = [];
      (data.results || []).forEach(function (report) {
        var colour = colours[report.state] || colours.open;
        window.L.circleMarker([report.latitude, report.longitude], {
          radius: 8, color: colour, fillColor: colour, fillOpacity: 0.6, weight: 2
        }).bindPopup(popup(report)).addTo(map);
        points.push([report.latitude, report.longitude]);
      });
      holder.dataset.markers = String(points.length);
      if (points.length) { map.fitBounds(points, { maxZoom: 14, padding: [24, 24] }); }
      var count = document.getElementById("complaints-map-count");
      if (count) { count.textContent = holder.dataset.countText.replace("%s", points.length); }
    })
    .catch(function () {
      if (offline) { offline.textContent = holder.dataset.errorText; }
    });
})();
