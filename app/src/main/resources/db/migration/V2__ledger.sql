-- The usage ledger: one row per request, written before the response is released. Costs are kept in
-- millionths of the currency unit so sums stay exact. One schema for H2 and PostgreSQL.
CREATE TABLE ledger (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    request_id     VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    usage_day      DATE         NOT NULL,
    subject        VARCHAR(200),
    team           VARCHAR(64),
    key_id         VARCHAR(36),
    key_prefix     VARCHAR(16),
    use_case       VARCHAR(100),
    operation      VARCHAR(16)  NOT NULL,
    model          VARCHAR(200),
    provider       VARCHAR(100),
    upstream_model VARCHAR(200),
    input_tokens   INTEGER      NOT NULL,
    output_tokens  INTEGER      NOT NULL,
    cached_tokens  INTEGER      NOT NULL,
    estimated      BOOLEAN      NOT NULL,
    cost_micros    BIGINT       NOT NULL,
    currency       VARCHAR(3)   NOT NULL,
    latency_ms     INTEGER      NOT NULL,
    status         INTEGER      NOT NULL,
    error_code     VARCHAR(64),
    stream         BOOLEAN      NOT NULL,
    cancelled      BOOLEAN      NOT NULL,
    cache_hit      BOOLEAN      NOT NULL,
    config_hash    VARCHAR(64)  NOT NULL
);
CREATE INDEX ledger_day ON ledger (usage_day);
CREATE INDEX ledger_team_day ON ledger (team, usage_day);
