package io.natalia.agent.web;

/**
 * What the page layout needs: public because the precompiled templates live in their own
 * package.
 *
 * @param title the page title
 * @param nav the navigation entry to highlight ({@code status}, {@code config}, {@code errors}),
 *     or empty
 * @param csrfToken the token every form of the page sends back
 * @param signedIn whether to show the navigation and the sign-out button
 */
public record PageFrame(String title, String nav, String csrfToken, boolean signedIn) {}
