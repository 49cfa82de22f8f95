-- GROUPING SETS, ROLLUP, CUBE (PostgreSQL 15 docs, section 7.2.4, and GROUPING() in 9.21)

-- ---------------------------------------------------------------
-- GROUPING SETS
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem
GROUP BY GROUPING SETS ((l_returnflag), (l_linestatus))
ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT l_returnflag, l_linestatus, sum(l_quantity) AS qty FROM lineitem
GROUP BY GROUPING SETS ((l_returnflag, l_linestatus), ())
ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT o_orderstatus, count(*) FROM orders GROUP BY GROUPING SETS ((o_orderstatus), ()) ORDER BY 1 NULLS FIRST;
SELECT count(*) FROM orders GROUP BY GROUPING SETS (());
SELECT count(*) FROM orders GROUP BY GROUPING SETS ((), ());
SELECT o_orderstatus, o_orderpriority, count(*) FROM orders
GROUP BY GROUPING SETS (o_orderstatus, o_orderpriority, ())
ORDER BY o_orderstatus NULLS LAST, o_orderpriority NULLS LAST;
SELECT a, b, sum(v) FROM (VALUES ('x', 1, 10), ('x', 2, 20), ('y', 1, 30)) AS t(a, b, v)
GROUP BY GROUPING SETS ((a, b), (a), (b))
ORDER BY a NULLS LAST, b NULLS LAST;
SELECT n_regionkey, count(*) FROM nation GROUP BY GROUPING SETS (n_regionkey, n_regionkey) ORDER BY n_regionkey;

-- ---------------------------------------------------------------
-- ROLLUP
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem
GROUP BY ROLLUP (l_returnflag, l_linestatus)
ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT r_name, n_name, count(*) AS suppliers FROM supplier
JOIN nation ON s_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey
WHERE r_regionkey IN (0, 1)
GROUP BY ROLLUP (r_name, n_name)
ORDER BY r_name NULLS LAST, n_name NULLS LAST;
SELECT extract(year FROM o_orderdate) AS yr, o_orderstatus, count(*) FROM orders
WHERE o_orderdate < DATE '1995-01-01'
GROUP BY ROLLUP (yr, o_orderstatus)
ORDER BY yr NULLS LAST, o_orderstatus NULLS LAST;
SELECT c_mktsegment, sum(c_acctbal) AS total FROM customer GROUP BY ROLLUP (c_mktsegment) ORDER BY c_mktsegment NULLS FIRST;
SELECT l_shipmode, round(avg(l_discount), 4) AS avg_disc FROM lineitem GROUP BY ROLLUP (1) ORDER BY 1 NULLS LAST;
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem GROUP BY CUBE (1, 2) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
SELECT n_regionkey AS r, count(*) FROM nation GROUP BY GROUPING SETS ((1), ()) ORDER BY 1 NULLS FIRST;
SELECT a, b, c, count(*) FROM (VALUES (1, 1, 1), (1, 2, 1), (2, 1, 2)) AS t(a, b, c)
GROUP BY ROLLUP (a, (b, c))
ORDER BY a NULLS LAST, b NULLS LAST, c NULLS LAST;

-- ---------------------------------------------------------------
-- CUBE
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem
GROUP BY CUBE (l_returnflag, l_linestatus)
ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT o_orderstatus, o_shippriority, count(*) FROM orders
GROUP BY CUBE (o_orderstatus, o_shippriority)
ORDER BY o_orderstatus NULLS FIRST, o_shippriority NULLS FIRST;
SELECT a, b, sum(v) FROM (VALUES ('p', 'q', 1), ('p', 'r', 2), ('s', 'q', 4)) AS t(a, b, v)
GROUP BY CUBE (a, b)
ORDER BY a NULLS LAST, b NULLS LAST;
SELECT a, b, c, sum(v) FROM (VALUES (1, 1, 1, 1), (1, 2, 2, 10), (2, 1, 2, 100)) AS t(a, b, c, v)
GROUP BY CUBE (a, b, c)
ORDER BY a NULLS LAST, b NULLS LAST, c NULLS LAST;

-- ---------------------------------------------------------------
-- combinations
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, l_shipmode, count(*) FROM lineitem
WHERE l_shipmode IN ('AIR', 'RAIL')
GROUP BY l_returnflag, ROLLUP (l_linestatus, l_shipmode)
ORDER BY l_returnflag, l_linestatus NULLS LAST, l_shipmode NULLS LAST;
SELECT a, b, c, count(*) FROM (VALUES (1, 1, 1), (1, 2, 2), (2, 1, 1)) AS t(a, b, c)
GROUP BY GROUPING SETS (ROLLUP (a, b), CUBE (c))
ORDER BY a NULLS LAST, b NULLS LAST, c NULLS LAST, 4;
SELECT a, b, count(*) FROM (VALUES (1, 1), (1, 2), (2, 2)) AS t(a, b)
GROUP BY ROLLUP (a), ROLLUP (b)
ORDER BY a NULLS LAST, b NULLS LAST;
SELECT a, b, count(*) FROM (VALUES (1, 1), (1, 2), (2, 2)) AS t(a, b)
GROUP BY DISTINCT ROLLUP (a, b), ROLLUP (a)
ORDER BY a NULLS LAST, b NULLS LAST;
SELECT a, b, count(*) FROM (VALUES (1, 1), (1, 2), (2, 2)) AS t(a, b)
GROUP BY ALL ROLLUP (a, b), ROLLUP (a)
ORDER BY a NULLS LAST, b NULLS LAST, 3;
SELECT a, count(*) FROM (VALUES (1, 1), (1, 2), (2, 2)) AS t(a, b) GROUP BY DISTINCT 1, ROLLUP (1) ORDER BY 1, 2;
SELECT n_regionkey, count(*) FROM nation GROUP BY DISTINCT CUBE (n_regionkey), ROLLUP (n_regionkey) ORDER BY 1 NULLS FIRST;
SELECT a, b, count(*) FROM (VALUES (1, 1), (1, 2), (2, 2)) AS t(a, b) GROUP BY ALL a, b ORDER BY 1, 2;

-- ---------------------------------------------------------------
-- GROUPING()
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, GROUPING(l_returnflag) AS g_rf, GROUPING(l_linestatus) AS g_ls, count(*)
FROM lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus)
ORDER BY g_rf, l_returnflag, g_ls, l_linestatus;
SELECT l_returnflag, l_linestatus, GROUPING(l_returnflag, l_linestatus), count(*)
FROM lineitem GROUP BY CUBE (l_returnflag, l_linestatus)
ORDER BY 3, l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT CASE WHEN GROUPING(o_orderstatus) = 1 THEN 'ALL' ELSE o_orderstatus END AS status, count(*)
FROM orders GROUP BY ROLLUP (o_orderstatus) ORDER BY status;
SELECT a, b, c, GROUPING(a, b, c) AS g FROM (VALUES (1, 2, 3)) AS t(a, b, c)
GROUP BY CUBE (a, b, c) ORDER BY g;

-- ---------------------------------------------------------------
-- NULLs from grouping vs NULLs in the data
-- ---------------------------------------------------------------
SELECT g, GROUPING(g) AS is_total, sum(v) FROM (VALUES ('a', 1), (NULL, 2), ('a', 3), (NULL, 4)) AS t(g, v)
GROUP BY ROLLUP (g) ORDER BY is_total, g NULLS FIRST;
SELECT coalesce(g, '(null)') AS label, GROUPING(g), count(*) FROM (VALUES ('x'), (NULL), ('y'), (NULL)) AS t(g)
GROUP BY ROLLUP (g) ORDER BY 2, 1;
SELECT a, b, GROUPING(a) AS ga, GROUPING(b) AS gb, count(*) FROM (VALUES (1, NULL), (1, 2), (NULL, 2)) AS t(a, b)
GROUP BY CUBE (a, b) ORDER BY ga, gb, a NULLS FIRST, b NULLS FIRST;
SELECT r_name, n_name, GROUPING(n_name) AS gn, count(s_suppkey) AS suppliers FROM region
LEFT JOIN nation ON n_regionkey = r_regionkey AND n_name LIKE 'A%'
LEFT JOIN supplier ON s_nationkey = n_nationkey
GROUP BY ROLLUP (r_name, n_name)
ORDER BY r_name NULLS LAST, GROUPING(n_name), n_name NULLS FIRST;

-- ---------------------------------------------------------------
-- ORDER BY with NULLS placement on rollup output
-- ---------------------------------------------------------------
SELECT o_orderpriority, count(*) FROM orders GROUP BY ROLLUP (o_orderpriority) ORDER BY o_orderpriority NULLS FIRST;
SELECT o_orderpriority, count(*) FROM orders GROUP BY ROLLUP (o_orderpriority) ORDER BY o_orderpriority DESC;
SELECT o_orderpriority, count(*) FROM orders GROUP BY ROLLUP (o_orderpriority) ORDER BY o_orderpriority DESC NULLS LAST;
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus) ORDER BY 1, 2;

-- ---------------------------------------------------------------
-- HAVING on grouped sets
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, count(*) FROM lineitem
GROUP BY ROLLUP (l_returnflag, l_linestatus) HAVING count(*) > 15000
ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST;
SELECT o_orderstatus, o_orderpriority, count(*) FROM orders
GROUP BY CUBE (o_orderstatus, o_orderpriority) HAVING GROUPING(o_orderstatus, o_orderpriority) = 2
ORDER BY o_orderpriority;
SELECT c_mktsegment, count(*) FROM customer GROUP BY GROUPING SETS ((c_mktsegment), ())
HAVING GROUPING(c_mktsegment) = 0 AND count(*) > 300 ORDER BY c_mktsegment;
SELECT extract(year FROM o_orderdate) AS yr, sum(o_totalprice) AS total FROM orders
GROUP BY ROLLUP (yr) HAVING sum(o_totalprice) > 320000000
ORDER BY yr NULLS LAST;
