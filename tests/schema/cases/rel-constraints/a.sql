-- Checks, unique (NULLS NOT DISTINCT, deferrable, INCLUDE), exclusion on an int range, PK change.
CREATE TABLE booking (
    id integer,
    room integer,
    during int4range,
    email text,
    code text,
    price numeric CONSTRAINT price_positive CHECK (price > 0),
    CONSTRAINT booking_pk PRIMARY KEY (id),
    CONSTRAINT booking_email UNIQUE (email)
);
CREATE TABLE "check" ("Value" integer);
ALTER TABLE "check" ADD CONSTRAINT "Value check" CHECK ("Value" > 0) NOT VALID;
