/**
 * The one error model: {@link dev.fundament.error.ErrorKind} maps every failure Fundament reports to
 * its HTTP status, OpenAI error {@code type} and {@code code}, whether the next target may be tried,
 * and how loudly to log it. {@link dev.fundament.error.GatewayException} carries a kind, a message that
 * says how to fix the problem, and the offending parameter.
 *
 * <p>{@link dev.fundament.error.ErrorResponses} renders them as OpenAI's error JSON for every HTTP
 * surface. This package depends on no other Fundament package.
 */
package dev.fundament.error;
