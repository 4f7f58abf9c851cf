CREATE TABLE "Order" ("Id" bigint CONSTRAINT "Order PK" PRIMARY KEY, "select" varchar(200) NOT NULL DEFAULT 'x', "Group" integer, "WHERE" boolean);
CREATE SEQUENCE "User Seq" INCREMENT BY 7 OWNED BY "Order"."Group";
CREATE INDEX "Order Select" ON "Order" ("select", "Group");
CREATE TABLE "table" ("column" integer CONSTRAINT "check" CHECK ("column" > 1), "Order_Id" bigint
    CONSTRAINT "References" REFERENCES "Order" ("Id") ON DELETE SET NULL);
CREATE TABLE "Empty" ();
