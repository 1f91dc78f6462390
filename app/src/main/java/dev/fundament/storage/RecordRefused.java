package dev.fundament.storage;

/**
 * Told when the database refuses a journal record for good and the record is set aside (see
 * {@code Quarantine}): the hook for alerts, and how the audit trail learns of a usage record that did
 * not reach the ledger. Carries no content: the record's id and the reason only.
 *
 * @param journal the journal's name ({@code ledger})
 * @param id      the refused record's id
 * @param reason  why the database refused it, in words that hold no content
 */
public record RecordRefused(String journal, String id, String reason) {
}
