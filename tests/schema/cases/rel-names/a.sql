-- Quoted mixed-case and reserved-word names on every relation kind.
CREATE TABLE "Order" ("Id" integer CONSTRAINT "Order PK" PRIMARY KEY, "select" text, "Group" integer);
CREATE SEQUENCE "User Seq";
CREATE INDEX "Order Select" ON "Order" ("select");
CREATE TABLE "table" ("column" integer CONSTRAINT "check" CHECK ("column" > 0), "Order_Id" integer);
