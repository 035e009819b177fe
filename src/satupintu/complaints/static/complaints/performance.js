/* The performance page (/pengaduan/kinerja/): two Chart.js charts drawn from the numbers the
   server embedded with json_script. The table on the page holds the same numbers, so the page
   is complete without JavaScript and for screen readers. */
(function () {
  "use strict";

  var node = document.getElementById("complaints-performance-data");
  if (!node || !window.Chart) { return; }
  var data = JSON.parse(node.textContent);
  // One bar group per OPD: the chart grows with the number of OPDs instead of stretching two
  // bars over the whole height (CSSOM, allowed by the CSP; no style attribute in the HTML).
  function fitHeight(canvas, perRow) {
    canvas.parentNode.style.height = Math.max(10, 4 + data.labels.length * perRow) + "rem";
  }

  var options = {
    responsive: true, maintainAspectRatio: false, animation: false, indexAxis: "y",
    plugins: { legend: { position: "bottom" } }
  };

  var onTime = document.getElementById("complaints-chart-on-time");
  if (onTime) {
    onTime.closest("figure").hidden = false;
    fitHeight(onTime, 2.5);
    new window.Chart(onTime, {
      type: "bar",
      data: { labels: data.labels, datasets: [
        { label: data.on_time_label, data: data.on_time_percent, backgroundColor: "#0f766e" }
      ] },
      options: Object.assign({}, options, {
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }
      })
    });
  }

  var durations = document.getElementById("complaints-chart-durations");
  if (durations) {
    durations.closest("figure").hidden = false;
    fitHeight(durations, 3.5);
    new window.Chart(durations, {
      type: "bar",
      data: { labels: data.labels, datasets: [
        { label: data.response_label, data: data.median_response_days, backgroundColor: "#1d4ed8" },
        { label: data.completion_label, data: data.median_completion_days,
          backgroundColor: "#b45309" }
      ] },
      options: options
    });
  }
})();
