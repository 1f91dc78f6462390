/**
 * Guardrails: detectors for personal data, secrets, prompt injection and customer-data canaries, and
 * the policies that act on what they find in requests and answers (block, redact, pseudonymise and
 * restore, flag), streams included, plus data-residency routing. Decisions carry the detector, the
 * category, the action and span positions, never the detected value.
 */
package dev.fundament.guardrails;
