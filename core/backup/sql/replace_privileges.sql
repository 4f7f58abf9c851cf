-- What the connected role may do to the database $1, asked before a replace touches anything:
-- renaming and dropping it needs its owner (or a member of the owner's role, or a superuser),
-- renaming needs CREATEDB too, and the safety backup connects to it.
SELECT current_user AS role, pg_get_userbyid(d.datdba) AS owner, r.rolsuper AS superuser,
       r.rolcreatedb AS createdb, pg_has_role(current_user, d.datdba, 'USAGE') AS owns,
       has_database_privilege(current_user, d.oid, 'CONNECT') AS can_connect
FROM pg_database d
JOIN pg_roles r ON r.rolname = current_user
WHERE d.datname = $1
