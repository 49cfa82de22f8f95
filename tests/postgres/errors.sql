-- Errors: every statement in this file must fail on PostgreSQL 15
-- (compare SQLSTATE and message: the everyday mistakes of analysts and BI tools)

-- Syntax errors
selec 1;
SELECT * FORM nation;
SELECT n_name, FROM nation;
SELECT n_name, n_regionkey, FROM nation ORDER BY n_name;
SELECT count(*)) FROM nation;
SELECT 1 + 2) AS x;
SELECT n_name FROM nation WHERE (n_regionkey = 1)) AND n_nationkey > 2;
SELECT * FROM;
SELECT n_name FROM nation WHERE;
SELECT n_name FROM nation ORDER n_name;
SELECT n_regionkey, count(*) FROM nation GROUP n_regionkey;
SELECT SELECT 1;
SELECT n_name FROM nation WHERE n_regionkey = 1 AND;
SELECT n_name FROM nation LIMIT 1 2;
SELECT n_name FROM nation WHERE n_name = 'PERU' 'CHINA';
SELECT * FROM nation NATURAL JOIN region ON true;
SELECT n_name FROM nation n JOIN region r WHERE n.n_regionkey = r.r_regionkey;
SELECT 'a' || FROM nation;

-- Undefined table / schema
SELECT * FROM nations;
SELECT count(*) FROM public.nation_x;
SELECT * FROM nosuchschema.nation;
SELECT nosuchschema.lower('a');
SELECT n_name FROM nation WHERE nosuchschema.upper(n_name) = 'x';
SELECT * FROM "Nation";
SELECT * FROM (SELECT 1);

-- Undefined column
SELECT n_nam FROM nation;
SELECT foo FROM nation;
SELECT nation.n_nam FROM nation;
SELECT n.foo FROM nation n;
SELECT nation.n_name FROM nation n;
SELECT x.n_name FROM nation n;
SELECT "N_NAME" FROM nation;
SELECT n_name FROM nation WHERE r_name = 'ASIA';
SELECT 1 AS a ORDER BY b;
SELECT a FROM (SELECT 1 AS x) t;
SELECT n_name, total FROM (SELECT n_name FROM nation) s ORDER BY n_name;

-- Ambiguous column, duplicate table names
SELECT n_name FROM nation a JOIN nation b ON a.n_nationkey = b.n_nationkey;
SELECT n_nationkey FROM nation a JOIN nation b ON a.n_regionkey = b.n_regionkey;
SELECT * FROM nation n, region n;
WITH t AS (SELECT 1 AS x) SELECT * FROM t, t;

-- Undefined function / wrong argument types / wrong number of arguments
SELECT lenght('abc');
SELECT round('abc'::text);
SELECT sum(n_name) FROM nation;
SELECT avg(o_orderdate) FROM orders;
SELECT substr(1, 2, 3, 4);
SELECT upper();
SELECT left('abc');
SELECT to_char(1.5);
SELECT array_length(ARRAY[1, 2]);
SELECT date_part('year');
SELECT row_number() FROM nation;

-- Operator does not exist
SELECT 'abc'::text + 1;
SELECT n_name + 1 FROM nation;
SELECT DATE '2024-01-01' * 2;
SELECT DATE '2024-01-01' + DATE '2024-01-02';
SELECT true + 1;
SELECT interval '1 day' + 1;
SELECT 2.5 - interval '1 hour';
SELECT ('{"a": 1}'::jsonb -> 'a') + 1;
SELECT ARRAY[1, 2] || ARRAY['x'::text];

-- Division by zero
SELECT 1 / 0;
SELECT 1.5 / 0;
SELECT 1.0::float8 / 0;
SELECT 5 % 0;
SELECT mod(5.5, 0);
SELECT sum(o_totalprice) / count(*) FILTER (WHERE false) FROM orders;

-- Invalid input syntax
SELECT 'abc'::integer;
SELECT '12.5'::int;
SELECT CAST('' AS integer);
SELECT 'x'::bigint;
SELECT '1,5'::numeric;
SELECT 'abc'::real;
SELECT 'maybe'::boolean;
SELECT 'not a date'::date;
SELECT 'yesterday-ish'::timestamp;
SELECT '1 fortnight'::interval;
SELECT '{"a": 1'::json;
SELECT '{a:1}'::jsonb;
SELECT * FROM nation WHERE n_nationkey = 'abc';
SELECT ('{"a": "x"}'::jsonb ->> 'a')::int;
SELECT ARRAY[1, 'a'];
SELECT 1 UNION SELECT 'a';
SELECT DATE '2024-01-01' - '1 day';

-- Value out of range
SELECT 2147483647 + 1;
SELECT 2147483647::int * 2;
SELECT 9223372036854775807 + 1;
SELECT '3000000000'::integer;
SELECT 40000::smallint;
SELECT (-2147483648)::int / -1;
SELECT 1000.00::numeric(5,2);
SELECT 12345.678::numeric(5,2);
SELECT sum(c_acctbal)::numeric(5,2) FROM customer;
SELECT '1e400'::float8;
SELECT sum(ps_availqty::int * 1000000) FROM partsupp;

-- Date/time field out of range
SELECT '2024-02-30'::date;
SELECT '2023-02-29'::date;
SELECT '2024-01-01 25:00:00'::timestamp;
SELECT make_date(2024, 2, 30);
SELECT to_date('2024-13-01', 'YYYY-MM-DD');

-- Grouping and aggregate placement
SELECT n_regionkey, n_name FROM nation GROUP BY n_regionkey;
SELECT n_name, count(*) FROM nation;
SELECT r_name FROM region HAVING count(*) > 1;
SELECT n_name FROM nation WHERE count(*) > 1;
SELECT n_name FROM nation WHERE row_number() OVER (ORDER BY n_name) = 1;
SELECT sum(count(*)) FROM nation;
SELECT n_regionkey FROM nation GROUP BY sum(n_nationkey);
SELECT n_name FROM nation GROUP BY 5;

-- Subqueries
SELECT (SELECT n_name FROM nation);
SELECT n_name FROM nation WHERE n_regionkey = (SELECT r_regionkey FROM region);
SELECT (SELECT n_name, n_nationkey FROM nation LIMIT 1);
SELECT n_name FROM nation WHERE n_nationkey IN (SELECT n_nationkey, n_name FROM nation);

-- Set operations and CASE type mismatches
SELECT 1 UNION SELECT 'a'::text;
SELECT n_nationkey FROM nation UNION SELECT r_name FROM region;
SELECT 1, 2 UNION SELECT 1;
SELECT DATE '2024-01-01' UNION ALL SELECT 1;
SELECT CASE WHEN true THEN 1 ELSE 'x'::text END;
SELECT CASE WHEN n_nationkey > 1 THEN n_name ELSE n_nationkey END FROM nation;
SELECT COALESCE(1, 'a'::text);
VALUES (1, 2), (3);

-- ORDER BY / LIMIT mistakes
SELECT n_name FROM nation UNION SELECT r_name FROM region ORDER BY n_regionkey;
SELECT n_name FROM nation UNION SELECT r_name FROM region ORDER BY lower(n_name);
SELECT n_name FROM nation ORDER BY 3;
SELECT DISTINCT n_name FROM nation ORDER BY n_regionkey;
SELECT DISTINCT ON (n_regionkey) n_name FROM nation ORDER BY n_name;
SELECT * FROM nation LIMIT -1;
SELECT * FROM nation ORDER BY n_nationkey OFFSET -1;
SELECT * FROM nation LIMIT 'abc';
SELECT n_name FROM nation WHERE n_name;
SELECT count(*) FROM nation WHERE 1;

-- Invalid regular expressions
SELECT 'abc' ~ '(';
SELECT regexp_replace('abc', '[', 'x');
SELECT 'abc' ~ '*';
SELECT 'abc' LIKE 'a' ESCAPE 'xy';

-- Invalid time zone
SELECT '2024-01-01 00:00'::timestamptz AT TIME ZONE 'Mars/Phobos';
SET TIME ZONE 'Nowhere/Land';
SELECT '2024-01-01 00:00 Nowhere/Land'::timestamptz;

-- Arrays: subscripts and dimensions
SELECT ARRAY[[1, 2], [3]];
SELECT '{1,2'::int[];
SELECT '{{1,2},{3}}'::int[];
SELECT array_cat(ARRAY[[1, 2]], ARRAY[[1, 2, 3]]);
SELECT (ARRAY[1, 2])['a'];
SELECT n_name[1] FROM nation;
SELECT array_fill(1, ARRAY[2], ARRAY[1, 2]);

-- Function argument values out of domain
SELECT sqrt(-1);
SELECT ln(0);
SELECT power(0, -1);
SELECT generate_series(1, 10, 0);
SELECT substr('abc', 1, -1);
SELECT split_part('a,b', ',', 0);
SELECT chr(-1);
SELECT date_trunc('fortnight', DATE '2024-01-01');
SELECT extract(fortnight FROM DATE '2024-01-01');
SELECT date_trunc('fortnight', timestamp '2024-01-01 10:00');
SELECT date_trunc('isoyear', timestamptz '2024-01-01 10:00+00');
SELECT date_trunc('fortnight', interval '1 day');
SELECT date_trunc('week', interval '1 day');
SELECT extract(fortnight FROM interval '1 day');
SELECT date_part('fortnight', timestamp '2024-01-01');
SELECT width_bucket(1, ARRAY[1, NULL]);
SELECT width_bucket(1, ARRAY[[1, 2], [3, 4]]);
SELECT (1, 2, 3) IN (SELECT 1, 2);
SELECT DATE '2024-01-03' - '2024-01-01' AS days, DATE '2024-01-03' - 'nope' AS bad;
SELECT ntile(0) OVER (ORDER BY n_nationkey) FROM nation ORDER BY n_nationkey;
SELECT max(n_name) OVER (ORDER BY n_nationkey ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM nation ORDER BY n_nationkey;

-- JSON processing errors
SELECT json_build_object('a');
SELECT jsonb_array_length('{"a": 1}');
SELECT key FROM json_each('[1, 2]') ORDER BY key;
SELECT jsonb_path_query_first('{}', '$$');
SELECT regexp_instr('abc', 'b', 0);
SELECT regexp_replace('abc', 'b', 'x', 1, -1);

-- Unterminated string literal (kept last: it runs to the end of the input)
SELECT 'abc;
