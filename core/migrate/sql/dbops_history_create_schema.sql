CREATE SCHEMA ${schema}
