CREATE TABLE "User" (
    id integer,
    n bigint GENERATED ALWAYS AS IDENTITY (START WITH 5 CACHE 2),
    doubled integer GENERATED ALWAYS AS (id * 2) STORED,
    "Name" character varying(40) COLLATE "C" NOT NULL DEFAULT 'anon',
    "order" integer[] DEFAULT '{}',
    token uuid DEFAULT gen_random_uuid(),
    at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE keep (id integer);
