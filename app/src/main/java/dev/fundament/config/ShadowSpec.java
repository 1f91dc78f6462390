package dev.fundament.config;

/**
 * A candidate that sees a share of a model's traffic without answering it: the request is copied to
 * it after the caller's own call, and both results are recorded for comparison.
 *
 * @param model   the upstream model; defaults to the public name
 * @param version a label for the candidate's model version
 * @param percent share of requests copied, 0..100; default 10
 */
public record ShadowSpec(@Required String provider, String model, String version, Integer percent) {

    public ShadowSpec {
        percent = percent != null ? percent : 10;
    }
}
