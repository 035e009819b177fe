/* Usage report: draws the charts (Chart.js) from the JSON the server embedded with
   json_script. Without JavaScript the same numbers are in the tables below the charts. */
(function () {
  "use strict";

  var node = document.getElementById("usage-chart-data");
  if (!node || !window.Chart) { return; }
  var data = JSON.parse(node.textContent);
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { position: "bottom" } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
  };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new window.Chart(canvas, config); }
  }

  draw("chart-launches", {
    type: "bar",
    data: { labels: data.labels, datasets: data.launches },
    options: Object.assign({}, common, {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
    })
  });
  function line(id, datasets) {
    draw(id, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: datasets.map(function (set) {
          return { label: set.label, data: set.data, tension: 0.2 };
        })
      },
      options: common
    });
  }

  line("chart-users", [data.users]);
  line("chart-views", [data.views]);
  line("chart-searches", data.searches);
})();
