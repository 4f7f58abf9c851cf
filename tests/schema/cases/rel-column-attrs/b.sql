CREATE TABLE "select" (
    id integer,
    "Name" text COLLATE "C" NOT NULL DEFAULT '',
    "from" text,
    payload text,
    score integer,
    stamp timestamp with time zone DEFAULT now(),
    "New Col" integer DEFAULT 7 NOT NULL,
    added text COLLATE "POSIX"
);
ALTER TABLE "select" ALTER COLUMN score SET STATISTICS 100;
ALTER TABLE "select" ALTER COLUMN "from" SET STORAGE MAIN;
