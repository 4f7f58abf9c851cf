CREATE TABLE booking (
    id integer,
    room integer,
    during int4range,
    email text,
    code text,
    price numeric CONSTRAINT price_positive CHECK (price >= 0),
    CONSTRAINT booking_pk PRIMARY KEY (id, room),
    CONSTRAINT booking_email UNIQUE NULLS NOT DISTINCT (email),
    CONSTRAINT booking_code UNIQUE (code) INCLUDE (room) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE booking ADD CONSTRAINT room_range CHECK (room BETWEEN 1 AND 999) NOT VALID;
CREATE TABLE "check" (
    "Value" integer CONSTRAINT "Value check" CHECK ("Value" > 0)
);
