package dev.fundament.config;

/** @param maxBodySize the largest request body accepted on {@code /v1}; default 4MiB; larger gets 413 */
public record ServerSpec(DataSize maxBodySize) {

    public static final DataSize DEFAULT_MAX_BODY = new DataSize(4L * 1024 * 1024);

    public ServerSpec {
        maxBodySize = maxBodySize != null ? maxBodySize : DEFAULT_MAX_BODY;
    }
}
