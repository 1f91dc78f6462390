/**
 * Guardrails: detectors for personal data, secrets, prompt injection and customer-data canaries, and
 * the policies that act on what they find in requests and answers (block, redact, pseudonymise and
 * restore, flag), streams included, plus data-residency routing. Every text field of a request and an
 * answer is visited by one walk ({@link dev.fundament.guardrails.TextFields}) and read in a normal
 * form with base64 runs decoded ({@link dev.fundament.guardrails.Scanner}). Decisions carry the
 * detector, the category, the action and span positions, never the detected value.
 */
package dev.fundament.guardrails;
