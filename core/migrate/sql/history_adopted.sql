-- The adoptions a dbops history records (REPAIR rows "adopted from <schema.table> ...").
-- <table>: the dbops history, schema-qualified and quoted.
SELECT description FROM ${table} WHERE type = 'REPAIR' AND description LIKE 'adopted from %'
