// Draws the charts of a page from their data-option JSON and sends the CSRF token with every
// htmx request. The only script of the dashboard: pages carry no inline script, so the
// Content-Security-Policy can forbid them.
(function () {
  'use strict';
  var charts = [];

  function drawCharts(root) {
    if (typeof echarts === 'undefined') {
      return;
    }
    root.querySelectorAll('.chart[data-option]').forEach(function (element) {
      if (element.dataset.drawn) {
        return;
      }
      var chart = echarts.init(element, null, {renderer: 'canvas'});
      element.dataset.drawn = 'drawing';
      chart.on('finished', function () {
        element.dataset.drawn = 'done';
      });
      chart.setOption(JSON.parse(element.dataset.option));
      charts.push(chart);
    });
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : null;
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof htmx !== 'undefined') {
      htmx.config.allowEval = false;
      htmx.config.includeIndicatorStyles = false;
    }
    drawCharts(document);
  });
  document.addEventListener('htmx:configRequest', function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers['X-CSRF-Token'] = token;
    }
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    drawCharts(event.target);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
