-- bench/prisma-gate: fills every table of the public schema with :rows rows of made-up values, so that the data
-- check's queries read real rows. Values by type (text 'v<n>', numbers n, the first enum value, now(), '{}', …);
-- foreign keys are not checked while seeding (session_replication_role = replica), a table that still refuses
-- is left empty and named in the log.
SET session_replication_role = replica;
SELECT set_config('seed.rows', :'rows', false);
DO $$
DECLARE
  t record;
  c record;
  cols text[];
  vals text[];
  v text;
BEGIN
  FOR t IN SELECT k.oid, k.relname FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
           WHERE n.nspname = 'public' AND k.relkind = 'r' AND k.relname <> '_prisma_migrations' ORDER BY k.relname LOOP
    cols := '{}'; vals := '{}';
    FOR c IN SELECT a.attname, a.atttypid, ty.typtype, ty.typcategory, ty.typname,
                    a.attidentity, a.attgenerated, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def,
                    format_type(a.atttypid, a.atttypmod) AS ft
             FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum LOOP
      CONTINUE WHEN c.attidentity <> '' OR c.attgenerated <> '' OR coalesce(c.def, '') LIKE 'nextval(%';
      v := CASE
        WHEN c.typtype = 'e' THEN format('(SELECT enumlabel FROM pg_enum WHERE enumtypid = %s ORDER BY enumsortorder'
                                        || ' LIMIT 1)::%s', c.atttypid, c.ft)
        WHEN c.typcategory = 'A' THEN format('''{}''::%s', c.ft)
        WHEN c.typcategory = 'S' THEN format('(''v'' || g)::%s', c.ft)
        WHEN c.typcategory = 'N' THEN format('g::%s', c.ft)
        WHEN c.typcategory = 'B' THEN 'false'
        WHEN c.typcategory = 'D' THEN format('now()::%s', c.ft)
        WHEN c.typname IN ('json', 'jsonb') THEN format('''{}''::%s', c.ft)
        WHEN c.typname = 'uuid' THEN 'md5(g::text)::uuid'
        WHEN c.typname = 'bytea' THEN '''\x00''::bytea'
        WHEN c.def IS NOT NULL THEN NULL
        ELSE 'NULL' END;
      CONTINUE WHEN v IS NULL;
      cols := cols || quote_ident(c.attname);
      vals := vals || v;
    END LOOP;
    BEGIN
      EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM generate_series(1, %s) g ON CONFLICT DO NOTHING',
                     t.relname, array_to_string(cols, ', '), array_to_string(vals, ', '), current_setting('seed.rows'));
    EXCEPTION WHEN others THEN
      RAISE NOTICE 'not seeded: % (%)', t.relname, SQLERRM;
    END;
  END LOOP;
END $$;
ANALYZE;
