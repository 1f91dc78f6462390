/**
 * The database under every durable capability: the embedded H2 file in the data directory by default,
 * PostgreSQL when {@code storage.type: postgresql}. Both are Quarkus datasources ({@code embedded} and
 * {@code server}) of which exactly one is active; Flyway applies {@code db/migration} to it at start.
 * Entry point: {@link dev.fundament.storage.Storage}.
 */
package dev.fundament.storage;
