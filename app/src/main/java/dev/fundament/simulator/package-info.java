/**
 * The upstream simulator: an OpenAI-compatible model server that answers with generated text,
 * tool calls, JSON and embeddings at a configurable pace, so a Fundament deployment can be load-tested
 * without paying for tokens, and Fundament's own tests and benchmarks have an upstream to call.
 *
 * <p>Entry points: {@link dev.fundament.simulator.Simulator#start} embeds it in any Vert.x instance
 * (tests, benchmarks); {@link dev.fundament.simulator.Simulator#main} is {@code ./fundament simulate}.
 * {@link dev.fundament.simulator.SimulatorOptions} holds the behaviour: time to first token, tokens
 * per second, answer length, injected 500s and 429s, streams cut mid-way, seed.
 *
 * <p>What it owns: {@code POST /v1/chat/completions} (plain and streamed), {@code POST /v1/embeddings},
 * {@code GET /v1/models[/{id}]}, and OpenAI's error shape for what it refuses. What it does not: it is
 * not a model and not a validator; it checks only what it needs to answer (model, messages, input,
 * token limits) and ignores the rest of a request.
 *
 * <p>It is plain Vert.x core and Jackson, no Quarkus and no CDI, and depends on no other Fundament
 * package, so it starts in a bare {@code main} without the gateway.
 */
package dev.fundament.simulator;
