// The command view's charts (换届作战图), drawn with ECharts from the board's data in the page's
// <script type="application/json" id="command-data"> block: no inline script, so the page runs under the
// Content-Security-Policy. A click on a bar opens the town or village behind it.
(function () {
  "use strict";

  function draw(element, chart) {
    var rows = chart.rows;
    // Top to bottom in code order, as in the table under the chart.
    var names = rows.map(function (r) { return r.name; }).reverse();
    var wall = window.innerWidth >= 1800;
    var font = wall ? 18 : 12;
    element.style.height = Math.max(220, rows.length * (wall ? 36 : 26) + 90) + "px";
    var instance = echarts.init(element, null, { renderer: "canvas" });
    instance.setOption({
      animation: false,
      textStyle: { fontSize: font },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      // One line of legend that scrolls, so a chart of many states keeps its bars clear of it on a phone.
      legend: { type: "scroll", top: 0, textStyle: { fontSize: font } },
      grid: { left: 8, right: 24, top: wall ? 48 : 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: font } },
      yAxis: { type: "category", data: names, axisLabel: { fontSize: font } },
      series: chart.series.map(function (s) {
        return {
          name: s.label,
          type: "bar",
          stack: s.stacked ? "total" : undefined,
          itemStyle: { color: s.color },
          emphasis: { focus: "series" },
          data: rows.map(function (r) { return r.values[s.key] || 0; }).reverse()
        };
      })
    });
    instance.on("click", function (params) {
      var row = rows[rows.length - 1 - params.dataIndex];
      if (row && row.url) {
        window.location.href = row.url;
      }
    });
    return instance;
  }

  function start() {
    var source = document.getElementById("command-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var byKey = {};
    data.charts.forEach(function (c) { byKey[c.key] = c; });
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = byKey[element.getAttribute("data-chart")];
      if (chart) {
        drawn.push(draw(element, chart));
      }
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (instance) { instance.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
