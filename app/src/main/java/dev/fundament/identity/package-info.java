/**
 * Who is calling: virtual API keys and the principals they stand for.
 *
 * <p>Entry points: {@link dev.fundament.identity.Authenticator} turns a request's credentials into a
 * {@link dev.fundament.identity.Principal} (or a 401); {@link dev.fundament.identity.KeyService} creates,
 * lists, rotates and revokes keys under the role rules (an admin sees everything, a team admin only
 * its own team). Keys are stored by {@link dev.fundament.identity.ApiKeyStore}: only a SHA-256 hash and a
 * short prefix, never the key. One JDBC implementation serves the embedded H2 store and PostgreSQL;
 * both pass {@code ApiKeyStoreContract}.
 *
 * <p>Not here: rate limits, budgets and the ledger ({@code usage}), company SSO tokens (to come).
 */
package dev.fundament.identity;
