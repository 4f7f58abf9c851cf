-- Partitions: range, list, sub-partitioned, default; a partition added, dropped, re-bounded.
CREATE TABLE measurement (
    id bigint NOT NULL,
    logdate date NOT NULL,
    city text,
    PRIMARY KEY (id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX measurement_city ON measurement (city);
CREATE TABLE "Region" (
    code text NOT NULL,
    kind integer NOT NULL
) PARTITION BY LIST (code);
CREATE TABLE region_eu PARTITION OF "Region" FOR VALUES IN ('de', 'fr');
CREATE TABLE region_old PARTITION OF "Region" FOR VALUES IN ('xx');
