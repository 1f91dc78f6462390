-- Virtual API keys. Only a SHA-256 hash of each key is stored; the prefix identifies a key in lists,
-- logs and the ledger without revealing it. One schema for H2 (embedded) and PostgreSQL (server).
CREATE TABLE api_keys (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    prefix         VARCHAR(16)   NOT NULL,
    key_hash       VARCHAR(64)   NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    kind           VARCHAR(16)   NOT NULL,
    subject        VARCHAR(200)  NOT NULL,
    team           VARCHAR(64),
    roles          VARCHAR(200)  NOT NULL,
    allowed_models VARCHAR(4000),
    metadata       VARCHAR(4000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    replaced_by    VARCHAR(36),
    CONSTRAINT api_keys_prefix_unique UNIQUE (prefix),
    CONSTRAINT api_keys_hash_unique UNIQUE (key_hash)
);
CREATE INDEX api_keys_team ON api_keys (team);
