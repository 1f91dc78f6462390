-- Rate limits set through the admin API. Each row replaces, for one key, user, team or model, the
-- limit fundament.yaml gives it; a NULL column means no limit of that kind. 'team' records the team a
-- key or team row belongs to, so team admins see and change their own team's rows only.
CREATE TABLE rate_limits (
    scope               VARCHAR(8)    NOT NULL,
    subject             VARCHAR(200)  NOT NULL,
    team                VARCHAR(64),
    requests_per_minute INTEGER,
    tokens_per_minute   INTEGER,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by          VARCHAR(200)  NOT NULL,
    CONSTRAINT rate_limits_pk PRIMARY KEY (scope, subject)
);
