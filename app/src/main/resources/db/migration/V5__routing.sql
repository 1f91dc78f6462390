-- Route weights set through the admin API (promotions, canary shares, A/B splits). The rows of one
-- model are its whole set of weights by version label and replace fundament.yaml's; a rollback
-- deletes them. Every instance reads this table every few seconds, so a change reaches them all.
CREATE TABLE route_weights (
    model      VARCHAR(200) NOT NULL,
    version    VARCHAR(200) NOT NULL,
    weight     INTEGER      NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(200) NOT NULL,
    CONSTRAINT route_weights_pk PRIMARY KEY (model, version)
);

-- Shadow traffic: for each request copied to a model's shadow candidate, what the caller's own call
-- and the candidate answered, side by side. Answers are cut to 4,000 characters.
CREATE TABLE shadow_results (
    request_id        VARCHAR(64)  NOT NULL,
    model             VARCHAR(200) NOT NULL,
    at                TIMESTAMP WITH TIME ZONE NOT NULL,
    primary_target    VARCHAR(400),
    primary_version   VARCHAR(200),
    primary_status    VARCHAR(64)  NOT NULL,
    primary_latency_ms BIGINT     NOT NULL,
    primary_tokens    BIGINT       NOT NULL,
    primary_answer    VARCHAR(4000),
    shadow_target     VARCHAR(400) NOT NULL,
    shadow_version    VARCHAR(200),
    shadow_status     VARCHAR(64)  NOT NULL,
    shadow_latency_ms BIGINT       NOT NULL,
    shadow_tokens     BIGINT       NOT NULL,
    shadow_answer     VARCHAR(4000),
    similarity        DOUBLE PRECISION,
    CONSTRAINT shadow_results_pk PRIMARY KEY (request_id)
);
CREATE INDEX shadow_results_model_at ON shadow_results (model, at);
