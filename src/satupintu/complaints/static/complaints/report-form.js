/* The complaint form (/pengaduan/baru/): a map to drop the pin, "use my location", a warning
   when a photo is over the size limit, and "Laporan serupa di dekat Anda" while typing.
   The form works without this file: latitude and longitude are plain number fields, and the
   server checks photos and coordinates again. No inline script (CSP): everything the script
   needs comes from data-* attributes rendered by the server. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) { return; }
  var latInput = document.getElementById("id_latitude");
  var lonInput = document.getElementById("id_longitude");
  var holder = document.getElementById("report-map");
  var status = document.getElementById("report-map-status");

  function say(node, text) {
    if (node) { node.textContent = text; }
  }

  function fixed(value) {
    return (Math.round(value * 1e6) / 1e6).toFixed(6);
  }

  /* ---- the map pin ---------------------------------------------------------------------- */
  var map = null;
  var marker = null;
  var bounds = null;

  function inside(lat, lon) {
    return bounds && bounds.contains([lat, lon]);
  }

  function placePin(lat, lon, moveView) {
    if (!map) { return; }
    if (!marker) {
      marker = window.L.marker([lat, lon], { draggable: true, keyboard: true,
                                              title: holder.dataset.pinLabel });
      marker.on("dragend", function () {
        var point = marker.getLatLng();
        setCoordinates(point.lat, point.lng, false);
      });
      marker.addTo(map);
    } else {
      marker.setLatLng([lat, lon]);
    }
    if (moveView) { map.setView([lat, lon], Math.max(map.getZoom(), 15)); }
  }

  function setCoordinates(lat, lon, moveView) {
    latInput.value = fixed(lat);
    lonInput.value = fixed(lon);
    placePin(lat, lon, moveView);
    if (!inside(lat, lon)) {
      say(status, holder.dataset.outsideText);
    } else {
      say(status, holder.dataset.pinnedText + " " + fixed(lat) + ", " + fixed(lon));
    }
    lookForSimilar();
  }

  if (holder && window.L && latInput && lonInput) {
    holder.hidden = false;
    var south = parseFloat(holder.dataset.south), west = parseFloat(holder.dataset.west);
    var north = parseFloat(holder.dataset.north), east = parseFloat(holder.dataset.east);
    bounds = window.L.latLngBounds([south, west], [north, east]);
    map = window.L.map(holder, { maxBounds: bounds.pad(0.5) });
    var tiles = window.L.tileLayer(holder.dataset.tileUrl, {
      maxZoom: 18, attribution: "&copy; OpenStreetMap"
    });
    // Without tiles (offline, or a blocked tile server) the regency's box stays on screen, so a
    // tap still places the pin; the note says why the map is blank.
    var tileFailures = 0;
    tiles.on("tileerror", function () {
      tileFailures += 1;
      if (tileFailures === 1) { say(document.getElementById("report-map-offline"),
                                    holder.dataset.offlineText); }
    });
    tiles.addTo(map);
    window.L.rectangle(bounds, { weight: 1, fill: false, interactive: false }).addTo(map);
    map.fitBounds(bounds);
    map.on("click", function (event) {
      setCoordinates(event.latlng.lat, event.latlng.lng, false);
    });
    var lat0 = parseFloat(latInput.value), lon0 = parseFloat(lonInput.value);
    if (!isNaN(lat0) && !isNaN(lon0)) { placePin(lat0, lon0, true); }
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = parseFloat(latInput.value.replace(",", "."));
        var lon = parseFloat(lonInput.value.replace(",", "."));
        if (!isNaN(lat) && !isNaN(lon)) { setCoordinates(lat, lon, true); }
      });
    });
  }

  var locate = document.getElementById("report-locate");
  if (locate && navigator.geolocation && latInput) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      say(status, locate.dataset.waitText);
      navigator.geolocation.getCurrentPosition(function (position) {
        setCoordinates(position.coords.latitude, position.coords.longitude, true);
      }, function () {
        say(status, locate.dataset.failText);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  /* ---- photos: the size limit before a long upload on a slow link ------------------------ */
  var photos = document.getElementById("id_photos");
  var photoNote = document.getElementById("report-photos-note");
  if (photos && photoNote) {
    photos.addEventListener("change", function () {
      var maxBytes = parseInt(photos.dataset.maxBytes, 10);
      var maxCount = parseInt(photos.dataset.maxCount, 10);
      var problems = [];
      if (photos.files.length > maxCount) { problems.push(photos.dataset.tooManyText); }
      Array.prototype.forEach.call(photos.files, function (file) {
        if (file.size > maxBytes) { problems.push(file.name + ": " + photos.dataset.tooBigText); }
      });
      photoNote.textContent = problems.join(" ");
      photoNote.hidden = problems.length === 0;
    });
  }

  /* ---- "Laporan serupa di dekat Anda" ------------------------------------------------------ */
  var similar = document.getElementById("report-similar");
  var category = document.getElementById("id_category");
  var pending = null;

  function showSimilar(reports) {
    var list = similar.querySelector("ul");
    list.textContent = "";
    reports.forEach(function (report) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = report.url;
      link.textContent = report.title; // text, never HTML: titles are typed by citizens
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "muted small";
      meta.textContent = " · " + report.reference + " · " + report.status + " · " +
        report.distance_m + " m";
      item.appendChild(meta);
      list.appendChild(item);
    });
    similar.hidden = reports.length === 0;
  }

  function lookForSimilar() {
    if (!similar || !category || !category.value || !latInput.value || !lonInput.value) {
      if (similar) { similar.hidden = true; }
      return;
    }
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () {
      var url = similar.dataset.src + "?kategori=" + encodeURIComponent(category.value) +
        "&lat=" + encodeURIComponent(latInput.value) + "&lon=" + encodeURIComponent(lonInput.value);
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { showSimilar(data.results || []); })
        .catch(function () { similar.hidden = true; });
    }, 400);
  }

  /* ---- the chosen category's extra questions only ----------------------------------------- */
  var attributeGroups = document.querySelectorAll(".report-attributes[data-category]");
  function showAttributes() {
    Array.prototype.forEach.call(attributeGroups, function (group) {
      group.hidden = !category || group.dataset.category !== category.value;
    });
  }

  if (category) {
    category.addEventListener("change", function () { showAttributes(); lookForSimilar(); });
    showAttributes();
  }
})();
