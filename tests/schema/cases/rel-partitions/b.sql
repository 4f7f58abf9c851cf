CREATE TABLE measurement (
    id bigint NOT NULL,
    logdate date NOT NULL,
    city text,
    PRIMARY KEY (id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2027-01-01');
CREATE TABLE measurement_rest PARTITION OF measurement DEFAULT;
CREATE INDEX measurement_city ON measurement (city);
CREATE INDEX measurement_logdate ON measurement (logdate);
CREATE TABLE "Region" (
    code text NOT NULL,
    kind integer NOT NULL
) PARTITION BY LIST (code);
CREATE TABLE region_eu PARTITION OF "Region" FOR VALUES IN ('de', 'fr', 'it') PARTITION BY RANGE (kind);
CREATE TABLE region_eu_low PARTITION OF region_eu FOR VALUES FROM (0) TO (10);
CREATE TABLE region_eu_high PARTITION OF region_eu FOR VALUES FROM (10) TO (MAXVALUE);
CREATE TABLE "Region Us" PARTITION OF "Region" FOR VALUES IN ('us');
