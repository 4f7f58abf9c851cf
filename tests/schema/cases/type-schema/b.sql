CREATE SCHEMA "App";
CREATE SCHEMA "Reporting Area";
CREATE SCHEMA reporting;
CREATE TABLE reporting.t (id int);
