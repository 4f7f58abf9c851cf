CREATE TABLE IF NOT EXISTS ${table} ("installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL,
    CONSTRAINT ${primary_key} PRIMARY KEY ("installed_rank"))
-- Flyway's PostgreSQL createMetaDataTable.sql. <table>: the history, schema-qualified and quoted;
-- <primary_key>: "<table>_pk", quoted.
