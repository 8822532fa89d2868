package io.natalia.cloud.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds ECharts options as JSON. The page carries the JSON in a {@code data-option}
 * attribute and {@code dashboard.js} draws it: no inline script, so the Content Security
 * Policy can forbid them all.
 */
final class Charts {
  static final String GOOD = "#2f9e6b";
  static final String BAD = "#d64545";
  static final String ACCENT = "#3867d6";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PALETTE =
      List.of(ACCENT, "#f39c12", GOOD, "#8e44ad", BAD, "#16a085");

  private Charts() {}

  /** Returns a weekday × hour heatmap of {@code counts[weekday][hour]}, Monday first. */
  static String heatmap(long[][] counts) {
    List<String> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      hours.add(String.format("%02d", h));
    }
    List<List<Long>> cells = new ArrayList<>();
    long max = 1;
    for (int day = 0; day < 7; day++) {
      for (int hour = 0; hour < 24; hour++) {
        cells.add(List.of((long) hour, (long) (6 - day), counts[day][hour]));
        max = Math.max(max, counts[day][hour]);
      }
    }
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("tooltip", Map.of("position", "top"));
    option.put("grid", Map.of("left", 40, "right", 10, "top", 10, "bottom", 60));
    option.put("xAxis", Map.of("type", "category", "data", hours,
        "splitArea", Map.of("show", true)));
    option.put("yAxis", Map.of("type", "category",
        "data", List.of("Sun", "Sat", "Fri", "Thu", "Wed", "Tue", "Mon"),
        "splitArea", Map.of("show", true)));
    option.put("visualMap", Map.of("min", 0, "max", max, "calculable", true,
        "orient", "horizontal", "left", "center", "bottom", 0,
        "inRange", Map.of("color", List.of("#eef3fd", "#9db8f0", ACCENT, "#1b2f6b"))));
    option.put("series", List.of(Map.of("name", "Incoming calls", "type", "heatmap",
        "data", cells, "emphasis", Map.of("itemStyle", Map.of("borderColor", "#333")))));
    return json(option);
  }

  /** Returns stacked bars of answered (green) and missed (red) calls per bucket. */
  static String answeredMissed(List<String> labels, List<Long> answered, List<Long> missed) {
    Map<String, Object> option = base(labels);
    option.put("legend", Map.of("top", 0));
    option.put("series", List.of(
        bar("Answered", answered, GOOD, "calls"),
        bar("Missed", missed, BAD, "calls")));
    return json(option);
  }

  /** Returns one series of bars. */
  static String bars(List<String> labels, String name, List<? extends Number> values,
      String color) {
    Map<String, Object> option = base(labels);
    option.put("series", List.of(bar(name, values, color, null)));
    return json(option);
  }

  /** Returns one stepped line per named series over the same labels. */
  static String lines(List<String> labels, Map<String, List<Integer>> series) {
    Map<String, Object> option = base(labels);
    option.put("legend", Map.of("top", 0));
    List<Object> lines = new ArrayList<>();
    int i = 0;
    for (var entry : series.entrySet()) {
      lines.add(Map.of("name", entry.getKey(), "type", "line", "step", "middle",
          "data", entry.getValue(), "itemStyle",
          Map.of("color", PALETTE.get(i++ % PALETTE.size()))));
    }
    option.put("series", lines);
    return json(option);
  }

  /** Returns a doughnut chart of named values. */
  static String doughnut(Map<String, ? extends Number> values) {
    List<Object> data = new ArrayList<>();
    values.forEach((name, value) -> data.add(Map.of("name", name, "value", value)));
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("tooltip", Map.of("trigger", "item"));
    option.put("color", PALETTE);
    option.put("series", List.of(Map.of("type", "pie", "radius", List.of("45%", "72%"),
        "data", data, "label", Map.of("formatter", "{b}: {d}%"))));
    return json(option);
  }

  private static Map<String, Object> base(List<String> labels) {
    Map<String, Object> option = new LinkedHashMap<>();
    option.put("tooltip", Map.of("trigger", "axis"));
    option.put("grid", Map.of("left", 45, "right", 10, "top", 30, "bottom", 30));
    option.put("xAxis", Map.of("type", "category", "data", labels));
    option.put("yAxis", Map.of("type", "value", "minInterval", 1));
    return option;
  }

  private static Map<String, Object> bar(String name, List<? extends Number> values,
      String color, String stack) {
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("name", name);
    series.put("type", "bar");
    if (stack != null) {
      series.put("stack", stack);
    }
    series.put("data", values);
    series.put("itemStyle", Map.of("color", color));
    return series;
  }

  private static String json(Object option) {
    try {
      return JSON.writeValueAsString(option);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart option is not serialisable", e);
    }
  }
}
