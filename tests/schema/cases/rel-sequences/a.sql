-- Sequences: every option, OWNED BY set, changed and removed, sequences added and dropped.
CREATE TABLE holder (id integer, other integer, "Third" integer);
CREATE SEQUENCE plain_seq;
CREATE SEQUENCE "Mixed Seq" AS smallint START WITH 5 INCREMENT BY 2 MINVALUE 1 MAXVALUE 1000 CACHE 4 CYCLE;
CREATE SEQUENCE owned_seq OWNED BY holder.id;
CREATE SEQUENCE moved_seq OWNED BY holder.other;
CREATE SEQUENCE gone_seq;
ALTER TABLE holder ALTER COLUMN other SET DEFAULT nextval('moved_seq');
