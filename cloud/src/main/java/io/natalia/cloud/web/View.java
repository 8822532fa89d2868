package io.natalia.cloud.web;

import io.natalia.cloud.auth.Permission;
import java.util.List;

/** What the templates show; built by the pages, read by {@code src/main/jte}. */
public final class View {
  private View() {}

  /**
   * What every page around its content needs.
   *
   * @param user who is signed in
   * @param path the page's path, to mark it in the menu
   * @param range the range shown, or null on pages without one
   * @param filterQuery the page's filters as query parameters (may be empty), kept when the
   *     range changes
   */
  public record Frame(SignedIn user, String path, DateRange range, String filterQuery) {
    public boolean may(String permission) {
      return user.may(Permission.valueOf(permission));
    }

    /** Returns {@code path?range...&filters}, to link to a page keeping range and filters. */
    public String link(String target) {
      String query = range == null ? "" : range.query();
      if (filterQuery != null && !filterQuery.isEmpty()) {
        query = query.isEmpty() ? filterQuery : query + "&" + filterQuery;
      }
      return query.isEmpty() ? target : target + "?" + query;
    }

    /** Returns {@code path?range...}: another page of the menu, same range, no filters. */
    public String rangeLink(String target) {
      return range == null ? target : target + "?" + range.query();
    }

    /** Returns the link of a page with this range preset, keeping the filters. */
    public String preset(String name) {
      String query = "range=" + name;
      if (filterQuery != null && !filterQuery.isEmpty()) {
        query += "&" + filterQuery;
      }
      return path + "?" + query;
    }
  }

  /**
   * A headline number.
   *
   * @param tone {@code good}, {@code bad}, {@code warn} or {@code plain}, drawn as a colour
   */
  public record Tile(String label, String value, String hint, String tone) {}

  /**
   * An ECharts chart; the option is JSON that {@code dashboard.js} hands to ECharts.
   *
   * @param wide whether the chart takes the full width
   */
  public record Chart(String id, String title, String optionJson, boolean wide) {}

  /**
   * One cell of a table.
   *
   * @param href link target, or null
   * @param tone {@code good}, {@code bad}, {@code warn}, {@code muted}, {@code num} or null
   */
  public record Cell(String text, String href, String tone) {
    public static Cell of(String text) {
      return new Cell(text, null, null);
    }

    public static Cell num(String text) {
      return new Cell(text, null, "num");
    }
  }

  /** A table with its header cells; {@code emptyText} is shown when it has no rows. */
  public record Table(String title, List<String> headers, List<List<Cell>> rows,
      String emptyText) {}

  /**
   * A page made of headline numbers, charts and tables.
   *
   * @param exportQuery filters of the exports offered, or null when the page offers none
   */
  public record Report(String title, String lead, List<Tile> tiles, List<Chart> charts,
      List<Table> tables, String exportQuery) {}

  /**
   * Where a page of the call log is.
   *
   * @param page number from 0
   * @param previous link to the page before, or null
   * @param next link to the page after, or null
   */
  public record Pager(int page, long pages, long total, String previous, String next) {
    public String label() {
      return "Page " + (page + 1) + " of " + Format.count(pages) + " · "
          + Format.count(total) + " calls";
    }
  }
}
