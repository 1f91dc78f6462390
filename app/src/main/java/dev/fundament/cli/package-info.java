/**
 * The {@code ./fundament keys|limits|usage} commands: a small client of the admin API, so an IT lead can
 * manage keys and read reports from a shell without writing curl lines.
 */
package dev.fundament.cli;
