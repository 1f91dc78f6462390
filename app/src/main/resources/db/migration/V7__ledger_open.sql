-- Requests that have started and not yet settled: a ledger entry journaled at a request's start
-- (status 0) lands here and is removed when the request's entry (the same id) is stored. A start after
-- a crash settles what its instance left here as interrupted. The entry is kept as the journal's JSON.
CREATE TABLE ledger_open (
    id          VARCHAR(36)     NOT NULL PRIMARY KEY,
    instance    VARCHAR(64)     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    entry       VARCHAR(100000) NOT NULL
);
CREATE INDEX ledger_open_instance ON ledger_open (instance);
