-- The audit trail. Records form one hash chain per instance (seq 1, 2, 3, ...); nothing in Fundament
-- updates or deletes a record except the retention job, which removes whole prefixes of a chain up to
-- a signed checkpoint. Payloads (encrypted prompts and answers) live apart so they can be erased or
-- expire while the chain, which holds only their SHA-256, still verifies.
CREATE TABLE audit_records (
    instance        VARCHAR(64)     NOT NULL,
    seq             BIGINT          NOT NULL,
    id              VARCHAR(36)     NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    kind            VARCHAR(16)     NOT NULL,
    request_id      VARCHAR(128),
    subject         VARCHAR(200),
    team            VARCHAR(64),
    key_prefix      VARCHAR(16),
    route           VARCHAR(200),
    provider        VARCHAR(100),
    upstream_model  VARCHAR(200),
    config_hash     VARCHAR(64),
    decisions       VARCHAR(100000),
    input_tokens    INTEGER         NOT NULL,
    output_tokens   INTEGER         NOT NULL,
    cost_micros     BIGINT          NOT NULL,
    status          INTEGER         NOT NULL,
    latency_ms      INTEGER         NOT NULL,
    request_sha256  VARCHAR(64),
    response_sha256 VARCHAR(64),
    action          VARCHAR(64),
    target          VARCHAR(200),
    details         VARCHAR(100000),
    payload_sha256  VARCHAR(64),
    prev_hash       VARCHAR(64)     NOT NULL,
    hash            VARCHAR(64)     NOT NULL,
    CONSTRAINT audit_records_pk PRIMARY KEY (instance, seq)
);
CREATE INDEX audit_records_subject ON audit_records (subject);
CREATE INDEX audit_records_time ON audit_records (created_at);

CREATE TABLE audit_payloads (
    record_id   VARCHAR(36)      NOT NULL PRIMARY KEY,
    subject     VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ciphertext  VARCHAR(10000000) NOT NULL
);
CREATE INDEX audit_payloads_time ON audit_payloads (created_at);

CREATE TABLE audit_checkpoints (
    instance    VARCHAR(64)  NOT NULL,
    seq         BIGINT       NOT NULL,
    hash        VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    signature   VARCHAR(200) NOT NULL,
    public_key  VARCHAR(200) NOT NULL,
    CONSTRAINT audit_checkpoints_pk PRIMARY KEY (instance, seq)
);

CREATE TABLE audit_subject_keys (
    subject      VARCHAR(200) NOT NULL PRIMARY KEY,
    wrapped_key  VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
