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
  [["chart-users", data.users], ["chart-views", data.views], ["chart-searches", data.searches]]
    .forEach(function (pair) {
      if (!pair[1]) { return; }
      draw(pair[0], {
        type: "line",
        data: { labels: data.labels, datasets: [{ label: pair[1].label, data: pair[1].data, tension: 0.2 }] },
        options: common
      });
    });
})();
