-- Inheritance: a child with its own columns, a child gaining and losing a parent.
CREATE TABLE vehicle (id integer NOT NULL, wheels integer DEFAULT 4);
CREATE TABLE car (seats integer) INHERITS (vehicle);
CREATE TABLE boat (id integer NOT NULL, wheels integer DEFAULT 4, hull text);
CREATE TABLE bike (gears integer) INHERITS (vehicle);
