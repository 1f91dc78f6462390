/**
 * The admin API under {@code /admin/v1}: keys today (create, list, show, rotate, revoke), later
 * budgets, reports and route governance. Every request is authenticated like {@code /v1}; what a
 * caller may do is decided by the capability's facade ({@link dev.fundament.identity.KeyService}), not
 * here. Errors use the same OpenAI error shape. Entry point: {@link dev.fundament.admin.AdminRoutes}.
 *
 * <p>Nothing imports this package.
 */
package dev.fundament.admin;
