package io.natalia.cloud.analytics;

import java.util.List;

/**
 * One page of the call log, newest first.
 *
 * @param calls the calls of the page
 * @param page page number from 0
 * @param size most calls per page
 * @param total calls matching the filter in the whole range
 */
public record CallPage(List<CallRow> calls, int page, int size, long total) {}
