/**
 * The audit trail: one tamper-evident record per AI request and per admin action, hash-chained per
 * instance and anchored by signed checkpoints; verification, data-subject access, erasure by
 * crypto-shredding, retention and export.
 */
package dev.fundament.audit;
