-- Of the roles owning an archive's objects ($1, text[]), those the connected role may not give
-- objects to: pg_restore's ALTER ... OWNER TO needs membership in each (a superuser has it in
-- all), and a role missing on this server can own nothing. Empty: the restore may proceed.
SELECT o AS owner, current_user AS role
FROM unnest($1::text[]) AS o
WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = o AND pg_has_role(current_user, r.oid, 'MEMBER'))
ORDER BY 1
