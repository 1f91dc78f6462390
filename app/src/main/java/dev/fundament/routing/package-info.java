/**
 * Where a request goes: the {@link dev.fundament.routing.RouteTable} maps a public model name to a
 * {@link dev.fundament.routing.Route} of {@link dev.fundament.routing.Target}s, and
 * {@link dev.fundament.routing.TargetLoop} tries them in order, falling back only on errors whose
 * {@link dev.fundament.error.ErrorKind#fallback()} allows it, and throwing one aggregate error when all fail.
 *
 * <p>Not here yet: weights, health, circuit breakers and admission control (issue 6).
 */
package dev.fundament.routing;
