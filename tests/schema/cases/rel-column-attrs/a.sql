-- Nullability, defaults, collation, storage, statistics; columns added and dropped; quoted names.
CREATE TABLE "select" (
    id integer NOT NULL,
    "Name" text,
    "from" text NOT NULL DEFAULT 'a',
    payload text,
    score integer DEFAULT 5,
    gone integer,
    stamp timestamp with time zone DEFAULT now()
);
ALTER TABLE "select" ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE "select" ALTER COLUMN score SET STATISTICS 500;
