-- Columns added to an existing table with every attribute: identity, generated, collation,
-- defaults (volatile too), NOT NULL with a default, an array, a reserved-word name.
CREATE TABLE "User" (id integer);
CREATE TABLE keep (id integer, "user" text, "Group" integer[], later timestamptz DEFAULT clock_timestamp());
