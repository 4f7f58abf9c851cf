-- The connected database (part of the migration lock key).
SELECT current_database()
