-- Set returning functions (PostgreSQL 15, chapter 9.25)

-- generate_series over integers
SELECT * FROM generate_series(1, 5) ORDER BY 1;
SELECT * FROM generate_series(2, 4) ORDER BY 1;
SELECT * FROM generate_series(0, 20, 5) ORDER BY 1;
SELECT * FROM generate_series(1, 10, 3) AS s(n) ORDER BY n;
SELECT * FROM generate_series(5, 1, -2) ORDER BY 1 DESC;
SELECT x FROM generate_series(10, -10, -4) WITH ORDINALITY AS g(x, i) ORDER BY i;
SELECT count(*) AS empty_count FROM generate_series(5, 1);
SELECT * FROM generate_series(4, 3) ORDER BY 1;
SELECT * FROM generate_series(1, 1) AS single;
SELECT * FROM generate_series(-3, 3) AS g ORDER BY g DESC;
SELECT generate_series(1, 3) ORDER BY 1;
SELECT generate_series(1, 3) AS n, 'x' AS label ORDER BY n;
SELECT generate_series(1, 3) AS a, generate_series(1, 2) AS b ORDER BY a;
SELECT pg_typeof(g) FROM generate_series(1, 1) g;
SELECT * FROM generate_series(1, NULL::integer) ORDER BY 1;
SELECT * FROM generate_series('2024-01-01'::date, '2024-01-03', '1 day') AS d ORDER BY 1;

-- bigint
SELECT * FROM generate_series(9223372036854775805::bigint, 9223372036854775807::bigint) ORDER BY 1;
SELECT * FROM generate_series(4000000000::bigint, 4000000010::bigint, 5::bigint) AS big ORDER BY 1;
SELECT pg_typeof(g) FROM generate_series(1::bigint, 1::bigint) AS g;

-- numeric, including fractional steps
SELECT * FROM generate_series(1.1, 4, 1.3) ORDER BY 1;
SELECT * FROM generate_series(0.0, 1.0, 0.25) AS q ORDER BY 1;
SELECT * FROM generate_series(1.5, 0, -0.5) ORDER BY 1 DESC;
SELECT * FROM generate_series(1::numeric, 3::numeric) ORDER BY 1;
SELECT pg_typeof(g) FROM generate_series(1.0, 1.0) AS g;
SELECT sum(x), avg(x) FROM generate_series(0.1, 1.0, 0.1) AS t(x);

-- timestamps and timestamptz with interval steps
SELECT * FROM generate_series('2008-03-01 00:00'::timestamp, '2008-03-04 12:00', '10 hours') ORDER BY 1;
SELECT * FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-05', interval '1 day') AS d ORDER BY d;
SELECT * FROM generate_series(timestamp '2024-01-01 00:00', timestamp '2024-01-01 03:00', interval '45 minutes') ORDER BY 1;
SELECT * FROM generate_series(timestamp '2024-01-31', timestamp '2024-07-31', interval '1 month') AS month_end ORDER BY 1;
SELECT * FROM generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '3 months') AS quarter_start ORDER BY 1;
SELECT * FROM generate_series(timestamp '2024-01-05', timestamp '2024-01-01', interval '-1 day') AS backwards ORDER BY 1 DESC;
SELECT * FROM generate_series(timestamp '2020-02-29', timestamp '2024-03-01', interval '1 year') AS leap_year ORDER BY 1;
SELECT * FROM generate_series(timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-01 06:00+00', interval '2 hours') ORDER BY 1;
SET TIME ZONE 'America/New_York';
SELECT * FROM generate_series(timestamptz '2024-03-09 00:00', timestamptz '2024-03-12 00:00', interval '1 day') AS ny_days ORDER BY 1;
SELECT * FROM generate_series(timestamptz '2024-03-10 00:00', timestamptz '2024-03-10 05:00', interval '1 hour') AS ny_hours ORDER BY 1;
RESET timezone;

-- date start cast
SELECT generate_series(date '2024-02-26', date '2024-03-02', interval '1 day')::date AS day ORDER BY 1;
SELECT d::date AS day FROM generate_series(date '2024-01-01', date '2024-06-01', interval '1 month') AS d ORDER BY d;
SELECT pg_typeof(d) FROM generate_series(date '2024-01-01', date '2024-01-01', interval '1 day') AS d;
SELECT (d + interval '1 month' - interval '1 day')::date AS last_day
FROM generate_series(date '2024-01-01', date '2024-12-01', interval '1 month') AS d ORDER BY 1;

-- WITH ORDINALITY, column aliases
SELECT * FROM generate_series(10, 30, 10) WITH ORDINALITY ORDER BY 2;
SELECT * FROM generate_series(10, 30, 10) WITH ORDINALITY AS t(val, idx) ORDER BY idx;
SELECT idx, val * 2 AS doubled FROM generate_series(5, 1, -1) WITH ORDINALITY AS t(val, idx) ORDER BY idx;
SELECT t.* FROM generate_series(timestamp '2024-01-01', timestamp '2024-01-03', interval '1 day') WITH ORDINALITY AS t(ts, n) ORDER BY n;
-- the ordinals follow the function's own order, however many rows
SELECT count(*), min(n), max(n) FROM generate_series(1, 200000) WITH ORDINALITY AS t(v, n) WHERE v = n;
SELECT count(*) AS out_of_place FROM unnest((SELECT array_agg(o_orderkey ORDER BY o_orderkey DESC) FROM orders)) WITH ORDINALITY AS t(k, n) JOIN (SELECT o_orderkey, row_number() OVER (ORDER BY o_orderkey DESC) AS r FROM orders) AS o ON o.o_orderkey = t.k WHERE o.r <> t.n;

-- joined with a table, aggregated
SELECT g.n, r.r_name FROM generate_series(0, 4) AS g(n) JOIN region r ON r.r_regionkey = g.n ORDER BY g.n;
SELECT g.n, count(n2.n_nationkey) AS nations FROM generate_series(0, 6) AS g(n)
LEFT JOIN nation n2 ON n2.n_regionkey = g.n GROUP BY g.n ORDER BY g.n;
SELECT m::date AS month, count(o.o_orderkey) AS orders
FROM generate_series(date '1998-05-01', date '1998-10-01', interval '1 month') AS m
LEFT JOIN orders o ON date_trunc('month', o.o_orderdate) = m
GROUP BY m ORDER BY m;
SELECT y, (SELECT count(*) FROM orders WHERE extract(year FROM o_orderdate) = y) AS orders
FROM generate_series(1991, 1999) AS y ORDER BY y;
SELECT sum(g), count(*), min(g), max(g), avg(g) FROM generate_series(1, 100) AS g;
SELECT sum(g) FILTER (WHERE g % 2 = 0) AS even_sum, sum(g) FILTER (WHERE g % 2 = 1) AS odd_sum FROM generate_series(1, 10) AS g;
SELECT g % 3 AS bucket, count(*), sum(g) FROM generate_series(1, 20) AS g GROUP BY g % 3 ORDER BY bucket;
SELECT string_agg(g::text, ',' ORDER BY g) FROM generate_series(1, 5) AS g;
SELECT a.x, b.y, a.x * b.y AS product FROM generate_series(1, 3) AS a(x) CROSS JOIN generate_series(1, 3) AS b(y) ORDER BY a.x, b.y;
SELECT c_custkey, g.k FROM customer, LATERAL generate_series(1, c_custkey::int % 3) AS g(k)
WHERE c_custkey <= 5 ORDER BY c_custkey, g.k;

-- generate_subscripts
SELECT generate_subscripts('{NULL,1,NULL,2}'::int[], 1) AS s ORDER BY s;
SELECT * FROM generate_subscripts(ARRAY['a', 'b', 'c'], 1) AS s ORDER BY s;
SELECT * FROM generate_subscripts(ARRAY['a', 'b', 'c'], 1, true) AS s ORDER BY s DESC;
SELECT generate_subscripts(ARRAY[10, 20], 1, false) AS forward, generate_subscripts(ARRAY[[1, 2, 3], [4, 5, 6]], 2, true) AS backward;
SELECT a[s] AS elem, s FROM (SELECT ARRAY[10, 20, 30] AS a) t, generate_subscripts(t.a, 1) AS s ORDER BY s;
SELECT * FROM generate_subscripts(ARRAY[[1, 2, 3], [4, 5, 6]], 2) AS col ORDER BY col;
SELECT count(*) FROM generate_subscripts('{}'::int[], 1);
SELECT * FROM generate_subscripts('[0:2]={7,8,9}'::int[], 1) AS s ORDER BY s;

-- unnest
SELECT * FROM unnest(ARRAY[1, 2, 3]) ORDER BY 1;
SELECT * FROM unnest(ARRAY['héllo', NULL, '日本語']) WITH ORDINALITY AS t(word, pos) ORDER BY pos;
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['foo', 'bar', 'baz']) WITH ORDINALITY AS x(a, b, i) ORDER BY i;
SELECT * FROM unnest(ARRAY[3, 1, 2]) WITH ORDINALITY ORDER BY ordinality;
SELECT unnest(ARRAY['a', 'b']) AS letter ORDER BY letter;
SELECT * FROM unnest(ARRAY[[1, 2], [3, 4]]) AS flat ORDER BY flat;
SELECT count(*) FROM unnest('{}'::text[]);
SELECT u.elem, n.n_name FROM unnest(ARRAY[0, 7, 24]) WITH ORDINALITY AS u(elem, ord)
JOIN nation n ON n.n_nationkey = u.elem ORDER BY u.ord;
SELECT sum(v) FROM unnest(ARRAY[1.5, 2.5, NULL, 4]) AS v;
