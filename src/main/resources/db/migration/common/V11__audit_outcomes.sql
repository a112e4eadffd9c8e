-- An audit entry is written before its change and settled after: Unknown until then, and for good
-- when the node stopped in between. Entries written before this column existed were all made after
-- a change that succeeded.
ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'Succeeded';
