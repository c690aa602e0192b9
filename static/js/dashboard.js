// The dashboard's charts: each reads its segments from a json_script block
// (CSP allows no inline script) and opens a segment's records on click.
// Canvas and rich-text tooltips, because the SVG renderer and HTML tooltips
// write style attributes that the strict CSP blocks; no animation, so a
// segment is where it is drawn from the first moment.
(function () {
  "use strict";

  function option(kind, unit, data) {
    var tooltip = { trigger: "item", renderMode: "richText", valueFormatter: function (v) { return v + unit; } };
    if (kind === "pie") {
      return {
        animation: false,
        tooltip: tooltip,
        series: [{ type: "pie", radius: ["35%", "65%"], data: data, label: { formatter: "{b}\n{c}" } }],
      };
    }
    return {
      animation: false,
      tooltip: tooltip,
      grid: { left: 40, right: 10, top: 20, bottom: 50, containLabel: true },
      xAxis: { type: "category", data: data.map(function (d) { return d.name; }), axisLabel: { interval: 0, rotate: data.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: kind === "line" ? "line" : "bar", data: data.map(function (d) { return d.value; }) }],
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.some(function (d) { return d.value > 0; })) {
      el.classList.add("chart-empty");
      el.textContent = el.dataset.empty || "";
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(el.dataset.kind, el.dataset.unit || "", data));
    chart.on("click", function (params) {
      var d = data[params.dataIndex];
      if (d && d.url) { window.location.assign(d.url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.classList.add("chart-ready");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-source]").forEach(draw);
  });
})();
