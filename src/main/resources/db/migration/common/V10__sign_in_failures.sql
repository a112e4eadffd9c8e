-- Failed console sign-ins in a row, per address and per SecretId ("address 10.0.0.9", "key AKID..."),
-- shared by every node, so that an attacker behind a load balancer gets one budget, not one per node.
CREATE TABLE console_sign_in_failures (
  who            TEXT PRIMARY KEY,
  failures       INTEGER NOT NULL,
  last_failed_at BIGINT NOT NULL
);
CREATE INDEX console_sign_in_failures_by_time ON console_sign_in_failures (last_failed_at);
