CREATE TABLE vehicle (id integer NOT NULL, wheels integer DEFAULT 4, color text);
CREATE TABLE car (seats integer, doors integer) INHERITS (vehicle);
CREATE TABLE boat (id integer NOT NULL, wheels integer DEFAULT 4, hull text);
CREATE TABLE truck (axles integer) INHERITS (vehicle);
