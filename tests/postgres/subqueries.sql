-- Subqueries, CTEs, set operations and joins
-- (PostgreSQL 15 docs, sections 9.23 subquery expressions, 7.2.1 FROM/joins, 7.2.1.5 LATERAL, 7.4 combining queries, 7.8 WITH)

-- ---------------------------------------------------------------
-- EXISTS / NOT EXISTS
-- ---------------------------------------------------------------
SELECT r_name FROM region r WHERE EXISTS (SELECT 1 FROM nation n WHERE n.n_regionkey = r.r_regionkey AND n.n_name LIKE 'I%') ORDER BY r_name;
SELECT r_name FROM region r WHERE NOT EXISTS (SELECT 1 FROM nation n WHERE n.n_regionkey = r.r_regionkey AND n.n_name LIKE 'I%') ORDER BY r_name;
SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.o_custkey = c.c_custkey);
SELECT count(*) FROM customer c WHERE EXISTS (SELECT * FROM orders o WHERE o.o_custkey = c.c_custkey AND o.o_totalprice > 400000);
SELECT EXISTS (SELECT 1 FROM region WHERE r_name = 'ASIA') AS has_asia, EXISTS (SELECT 1 FROM region WHERE r_name = 'ATLANTIS') AS has_atlantis;
SELECT EXISTS (SELECT NULL) AS e1, NOT EXISTS (SELECT 1 WHERE false) AS e2;
SELECT n_name FROM nation n WHERE EXISTS (SELECT 1 FROM supplier s WHERE s.s_nationkey = n.n_nationkey HAVING count(*) >= 7) ORDER BY n_name;
SELECT o_orderpriority, count(*) AS order_count FROM orders
WHERE o_orderdate >= DATE '1993-07-01' AND o_orderdate < DATE '1993-10-01'
  AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
GROUP BY o_orderpriority ORDER BY o_orderpriority;

-- ---------------------------------------------------------------
-- IN / NOT IN with subqueries, including NULLs
-- ---------------------------------------------------------------
SELECT n_name FROM nation WHERE n_regionkey IN (SELECT r_regionkey FROM region WHERE r_name LIKE 'A%') ORDER BY n_name;
SELECT n_name FROM nation WHERE n_regionkey NOT IN (SELECT r_regionkey FROM region WHERE r_name <> 'EUROPE') ORDER BY n_name;
SELECT count(*) FROM customer WHERE c_custkey NOT IN (SELECT o_custkey FROM orders);
SELECT 1 IN (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS found, 2 IN (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS not_found;
SELECT 2 NOT IN (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS not_in_with_null, 2 NOT IN (SELECT x FROM (VALUES (1), (3)) AS t(x)) AS not_in_plain;
SELECT NULL::int IN (SELECT x FROM (VALUES (1), (2)) AS t(x)) AS null_in, NULL::int IN (SELECT 1 WHERE false) AS null_in_empty;
SELECT 1 NOT IN (SELECT 1 WHERE false) AS not_in_empty;
SELECT count(*) FROM nation WHERE n_nationkey NOT IN (SELECT CASE WHEN r_regionkey = 0 THEN NULL ELSE r_regionkey END FROM region);
SELECT count(*) FROM nation WHERE n_nationkey IN (SELECT CASE WHEN r_regionkey = 0 THEN NULL ELSE r_regionkey END FROM region);
SELECT (n_regionkey, n_name) IN (SELECT 1, 'BRAZIL') AS pair_in, n_name FROM nation WHERE n_nationkey < 4 ORDER BY n_name;
SELECT n_name FROM nation WHERE (n_regionkey, substr(n_name, 1, 1)) IN (SELECT r_regionkey, substr(r_name, 1, 1) FROM region) ORDER BY n_name;
SELECT n_name, (n_regionkey, n_name) NOT IN (SELECT r_regionkey, CASE WHEN r_regionkey = 1 THEN NULL ELSE 'BRAZIL' END FROM region) AS not_in FROM nation WHERE n_nationkey < 5 ORDER BY n_name;
SELECT n_name FROM nation n WHERE (n_regionkey, n_nationkey % 2) IN (SELECT r_regionkey, 0 FROM region r WHERE r.r_name LIKE 'A%' AND r.r_regionkey <= n.n_regionkey) ORDER BY n_name;
SELECT c_custkey FROM customer WHERE (c_nationkey, c_mktsegment) IN (SELECT n_nationkey, max(c_mktsegment) FROM nation JOIN customer ON c_nationkey = n_nationkey GROUP BY n_nationkey) ORDER BY c_custkey LIMIT 5;
SELECT n_name FROM nation WHERE (n_regionkey, n_name) <> ALL (SELECT r_regionkey, 'ALGERIA' FROM region) AND n_nationkey < 3 ORDER BY n_name;
SELECT x, x IN (SELECT y FROM (VALUES (1), (NULL)) AS s(y)) AS in_result, x NOT IN (SELECT y FROM (VALUES (1), (NULL)) AS s(y)) AS not_in_result
FROM (VALUES (1), (2), (NULL)) AS t(x) ORDER BY x NULLS LAST;

-- ---------------------------------------------------------------
-- ANY / SOME / ALL
-- ---------------------------------------------------------------
SELECT s_suppkey, s_acctbal FROM supplier WHERE s_acctbal > ALL (SELECT c_acctbal FROM customer WHERE c_nationkey = 0) ORDER BY s_suppkey;
SELECT count(*) FROM supplier WHERE s_acctbal < ANY (SELECT s_acctbal FROM supplier WHERE s_nationkey = 5);
SELECT count(*) FROM supplier WHERE s_acctbal = SOME (SELECT s_acctbal FROM supplier WHERE s_suppkey <= 3);
SELECT n_name FROM nation WHERE n_nationkey <> ALL (SELECT s_nationkey FROM supplier WHERE s_acctbal > 5000) ORDER BY n_name;
SELECT 5 > ALL (SELECT x FROM (VALUES (1), (2), (3)) AS t(x)) AS a1, 5 > ALL (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS a2, 0 > ALL (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS a3;
SELECT 5 > ALL (SELECT 1 WHERE false) AS all_empty, 5 > ANY (SELECT 1 WHERE false) AS any_empty;
SELECT 3 = ANY (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS any_null, 1 = ANY (SELECT x FROM (VALUES (1), (NULL)) AS t(x)) AS any_hit;
SELECT 'ASIA' >= ANY (SELECT r_name FROM region) AS ge_any, 'ASIA' <= ALL (SELECT r_name FROM region) AS le_all;
SELECT o_orderkey FROM orders WHERE o_totalprice >= ALL (SELECT o_totalprice FROM orders WHERE o_custkey = 1) AND o_custkey = 1;
SELECT (1, 'BRAZIL') = ANY (SELECT n_regionkey, n_name FROM nation) AS row_any, (9, 'BRAZIL') = ANY (SELECT n_regionkey, n_name FROM nation) AS row_any_miss;

-- ---------------------------------------------------------------
-- scalar subqueries in SELECT, WHERE, HAVING, ORDER BY
-- ---------------------------------------------------------------
SELECT (SELECT max(o_totalprice) FROM orders) AS max_price, (SELECT count(*) FROM region) AS regions;
SELECT (SELECT 1 WHERE false) AS empty_scalar;
SELECT (SELECT 'x' WHERE 1 > 2) AS empty_text, (SELECT 2 WHERE 1 < 2) AS one_row;
SELECT ARRAY(SELECT n_name FROM nation WHERE n_regionkey = 3 ORDER BY n_name) AS europe;
SELECT r_name, ARRAY(SELECT n_nationkey FROM nation WHERE n_regionkey = r_regionkey ORDER BY n_nationkey) AS keys FROM region ORDER BY r_name;
SELECT ARRAY(SELECT 1 WHERE false) AS empty_array;
SELECT r_name, (SELECT count(*) FROM nation n WHERE n.n_regionkey = r.r_regionkey AND n.n_name < 'F') AS early_nations FROM region r ORDER BY r_name;
SELECT n_name, (SELECT max(s_acctbal) FROM supplier s WHERE s.s_nationkey = n.n_nationkey) AS max_bal FROM nation n WHERE n_regionkey = 1 ORDER BY n_name;
SELECT s_suppkey, s_acctbal FROM supplier WHERE s_acctbal > (SELECT avg(s_acctbal) + 1.5 * stddev(s_acctbal) FROM supplier) ORDER BY s_suppkey;
SELECT o_orderkey, o_totalprice FROM orders WHERE o_totalprice = (SELECT max(o_totalprice) FROM orders);
SELECT s_nationkey, count(*) FROM supplier GROUP BY s_nationkey HAVING count(*) > (SELECT count(*) / 25.0 FROM supplier) + 2 ORDER BY s_nationkey;
SELECT r_name FROM region r ORDER BY (SELECT count(*) FROM supplier JOIN nation ON s_nationkey = n_nationkey WHERE n_regionkey = r.r_regionkey) DESC, r_name;
SELECT c_custkey, c_acctbal - (SELECT avg(c_acctbal) FROM customer) AS diff_from_avg FROM customer WHERE c_custkey <= 5 ORDER BY c_custkey;
SELECT o_custkey, o_orderkey, o_totalprice FROM orders o1
WHERE o_totalprice = (SELECT max(o_totalprice) FROM orders o2 WHERE o2.o_custkey = o1.o_custkey) AND o_custkey <= 10 ORDER BY o_custkey;
SELECT p_partkey, p_retailprice FROM part p
WHERE p_retailprice > (SELECT 1.4 * avg(p2.p_retailprice) FROM part p2 WHERE p2.p_size = p.p_size) ORDER BY p_partkey LIMIT 10;
SELECT (SELECT r_name FROM region WHERE r_regionkey = n_regionkey) AS region, count(*) FROM nation GROUP BY n_regionkey ORDER BY region;

-- ---------------------------------------------------------------
-- derived tables in FROM
-- ---------------------------------------------------------------
SELECT avg(cnt) AS avg_orders_per_customer FROM (SELECT o_custkey, count(*) AS cnt FROM orders GROUP BY o_custkey) AS per_cust;
SELECT c_count, count(*) AS custdist FROM (
  SELECT c_custkey, count(o_orderkey) AS c_count FROM customer LEFT JOIN orders ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%requests%'
  GROUP BY c_custkey
) AS c_orders GROUP BY c_count ORDER BY custdist DESC, c_count DESC LIMIT 10;
SELECT t.a, t.b FROM (VALUES (1, 'one'), (2, 'two')) AS t(a, b) ORDER BY t.a;
SELECT * FROM (SELECT n_name, n_regionkey FROM nation WHERE n_regionkey = 4) AS me ORDER BY n_name;
SELECT x.total, y.total FROM (SELECT count(*) AS total FROM region) AS x, (SELECT count(*) AS total FROM nation) AS y;
SELECT * FROM (SELECT * FROM (SELECT r_regionkey * 10 AS k FROM region) AS inner1 WHERE k > 10) AS inner2 ORDER BY k;

-- ---------------------------------------------------------------
-- LATERAL
-- ---------------------------------------------------------------
SELECT r_name, top.n_name FROM region r, LATERAL (SELECT n_name FROM nation n WHERE n.n_regionkey = r.r_regionkey ORDER BY n_name LIMIT 2) AS top ORDER BY r_name, top.n_name;
SELECT c_custkey, lo.o_orderkey, lo.o_totalprice FROM customer c
CROSS JOIN LATERAL (SELECT o_orderkey, o_totalprice FROM orders o WHERE o.o_custkey = c.c_custkey ORDER BY o_totalprice DESC, o_orderkey LIMIT 1) AS lo
WHERE c_custkey <= 5 ORDER BY c_custkey;
SELECT c_custkey, lo.n FROM customer c LEFT JOIN LATERAL (SELECT count(*) AS n FROM orders o WHERE o.o_custkey = c.c_custkey) AS lo ON true WHERE c_custkey <= 6 ORDER BY c_custkey;
SELECT c_custkey, lo.o_orderkey FROM customer c LEFT JOIN LATERAL (SELECT o_orderkey FROM orders o WHERE o.o_custkey = c.c_custkey ORDER BY o_orderkey LIMIT 1) AS lo ON true
WHERE c_custkey BETWEEN 1 AND 6 ORDER BY c_custkey;
SELECT x, g FROM (VALUES (1), (3)) AS t(x), LATERAL generate_series(1, x) AS g ORDER BY x, g;
SELECT r_regionkey, sq.doubled FROM region, LATERAL (SELECT r_regionkey * 2 AS doubled) AS sq ORDER BY r_regionkey;

-- ---------------------------------------------------------------
-- CTEs
-- ---------------------------------------------------------------
WITH big AS (SELECT o_custkey, sum(o_totalprice) AS total FROM orders GROUP BY o_custkey)
SELECT count(*) FROM big WHERE total > 2000000;
WITH r AS (SELECT r_regionkey, r_name FROM region), n AS (SELECT n_regionkey, count(*) AS cnt FROM nation GROUP BY n_regionkey)
SELECT r_name, cnt FROM r JOIN n ON r.r_regionkey = n.n_regionkey ORDER BY r_name;
WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT x, y FROM a, b;
WITH revenue AS (
  SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue FROM lineitem
  WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1996-04-01' GROUP BY l_suppkey
)
SELECT s_suppkey, s_name, total_revenue FROM supplier, revenue
WHERE s_suppkey = supplier_no AND total_revenue = (SELECT max(total_revenue) FROM revenue) ORDER BY s_suppkey;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n), max(n) FROM t;
WITH RECURSIVE fib(i, a, b) AS (SELECT 1, 0::bigint, 1::bigint UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < 15) SELECT i, a FROM fib ORDER BY i;
WITH RECURSIVE dates(d) AS (SELECT DATE '2024-02-26' UNION ALL SELECT d + 1 FROM dates WHERE d < DATE '2024-03-02') SELECT d FROM dates ORDER BY d;
WITH RECURSIVE t(n) AS (VALUES (1) UNION SELECT n * 2 FROM t WHERE n < 100) SELECT n FROM t ORDER BY n;
WITH RECURSIVE chain(k, path) AS (
  SELECT n_nationkey, n_name::text FROM nation WHERE n_nationkey = 0
  UNION ALL
  SELECT n.n_nationkey, c.path || '>' || n.n_name FROM chain c JOIN nation n ON n.n_nationkey = c.k + 5
)
SELECT k, path FROM chain ORDER BY k;
WITH m AS MATERIALIZED (SELECT n_regionkey, n_name FROM nation) SELECT count(*) FROM m WHERE n_regionkey = 2;
WITH m AS NOT MATERIALIZED (SELECT n_regionkey, n_name FROM nation) SELECT n_name FROM m WHERE n_regionkey = 2 ORDER BY n_name;
WITH x AS (SELECT r_name FROM region) SELECT * FROM x AS x1 JOIN x AS x2 ON x1.r_name < x2.r_name WHERE x1.r_name LIKE 'A%' ORDER BY 1, 2;
WITH t(a, b) AS (VALUES (1, 'x'), (2, 'y')) SELECT b, a FROM t ORDER BY a;
WITH RECURSIVE walk(k, depth) AS (
  SELECT 0::bigint, 0 UNION ALL SELECT k * 2 + j, depth + 1 FROM walk, (VALUES (1), (2)) AS c(j) WHERE depth < 2
) SEARCH DEPTH FIRST BY k SET ord
SELECT k, depth FROM walk ORDER BY ord;
WITH RECURSIVE walk(k, depth) AS (
  SELECT 0::bigint, 0 UNION ALL SELECT k * 2 + j, depth + 1 FROM walk, (VALUES (1), (2)) AS c(j) WHERE depth < 2
) SEARCH BREADTH FIRST BY k SET ord
SELECT k, depth FROM walk ORDER BY ord;
WITH RECURSIVE ring(n) AS (SELECT 1 UNION ALL SELECT n % 4 + 1 FROM ring) CYCLE n SET is_cycle USING path
SELECT n, is_cycle, path FROM ring ORDER BY array_length(path::text[], 1);

-- ---------------------------------------------------------------
-- set operations
-- ---------------------------------------------------------------
SELECT r_name FROM region WHERE r_regionkey < 2 UNION SELECT n_name FROM nation WHERE n_nationkey < 2 ORDER BY 1;
SELECT x FROM (VALUES (1), (2), (2)) AS t(x) UNION SELECT x FROM (VALUES (2), (3)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (1), (2), (2)) AS t(x) UNION ALL SELECT x FROM (VALUES (2), (3)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (1), (2), (2), (3)) AS t(x) INTERSECT SELECT x FROM (VALUES (2), (2), (3), (4)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (1), (2), (2), (3)) AS t(x) INTERSECT ALL SELECT x FROM (VALUES (2), (2), (2), (4)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (1), (2), (2), (3)) AS t(x) EXCEPT SELECT x FROM (VALUES (2)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (1), (2), (2), (3)) AS t(x) EXCEPT ALL SELECT x FROM (VALUES (2)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (NULL::int), (1)) AS t(x) UNION SELECT x FROM (VALUES (NULL::int)) AS t(x) ORDER BY x NULLS FIRST;
SELECT x FROM (VALUES (NULL::int), (1)) AS t(x) INTERSECT SELECT x FROM (VALUES (NULL::int)) AS t(x);
SELECT s_nationkey FROM supplier EXCEPT SELECT c_nationkey FROM customer WHERE c_acctbal > 9500 ORDER BY 1;
SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' UNION ALL SELECT 1, 'x' ORDER BY a, b;
SELECT 1 AS v UNION SELECT 2 INTERSECT SELECT 2 ORDER BY v;
(SELECT 1 AS v UNION SELECT 2) INTERSECT SELECT 2 ORDER BY v;
SELECT 1.5 AS v UNION SELECT 2 ORDER BY v;
SELECT pg_typeof(v) FROM (SELECT 1 AS v UNION ALL SELECT 2.5) AS t ORDER BY v LIMIT 1;
(SELECT n_name FROM nation ORDER BY n_name LIMIT 2) UNION ALL (SELECT r_name FROM region ORDER BY r_name DESC LIMIT 2) ORDER BY 1;
SELECT count(*) FROM (SELECT o_custkey FROM orders WHERE o_orderstatus = 'F' INTERSECT SELECT o_custkey FROM orders WHERE o_orderstatus = 'P') AS both_statuses;
TABLE region ORDER BY r_regionkey LIMIT 2;
SELECT count(*) FROM (TABLE nation) AS t;
SELECT r_name FROM region EXCEPT TABLE region;
SELECT * FROM region EXCEPT TABLE region;
VALUES (1, 'a'), (2, 'b') EXCEPT VALUES (2, 'b') ORDER BY 1;

-- ---------------------------------------------------------------
-- joins
-- ---------------------------------------------------------------
SELECT n_name, r_name FROM nation INNER JOIN region ON n_regionkey = r_regionkey WHERE n_nationkey < 5 ORDER BY n_name;
SELECT a.k, a.v, b.w FROM (VALUES (1, 'a1'), (2, 'a2'), (3, 'a3')) AS a(k, v) LEFT JOIN (VALUES (2, 'b2'), (3, 'b3'), (4, 'b4')) AS b(k, w) ON a.k = b.k ORDER BY a.k;
SELECT b.k, a.v, b.w FROM (VALUES (1, 'a1'), (2, 'a2'), (3, 'a3')) AS a(k, v) RIGHT JOIN (VALUES (2, 'b2'), (3, 'b3'), (4, 'b4')) AS b(k, w) ON a.k = b.k ORDER BY b.k;
SELECT a.k AS ak, b.k AS bk, a.v, b.w FROM (VALUES (1, 'a1'), (2, 'a2'), (3, 'a3')) AS a(k, v) FULL JOIN (VALUES (2, 'b2'), (3, 'b3'), (4, 'b4')) AS b(k, w) ON a.k = b.k ORDER BY coalesce(a.k, b.k);
SELECT count(*) FROM region CROSS JOIN nation;
SELECT r1.r_name, r2.r_name FROM region r1 CROSS JOIN region r2 WHERE r1.r_regionkey + r2.r_regionkey = 4 ORDER BY r1.r_name;
SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS a(k, v) NATURAL JOIN (VALUES (2, 'z'), (1, 'w')) AS b(k, w) ORDER BY k;
SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS a(k, v) NATURAL JOIN (VALUES (2, 'y'), (1, 'w')) AS b(k, v) ORDER BY k;
SELECT k, a.v, b.w FROM (VALUES (1, 'x'), (2, 'y')) AS a(k, v) JOIN (VALUES (2, 'z'), (3, 'w')) AS b(k, w) USING (k) ORDER BY k;
SELECT k, a.v, b.w FROM (VALUES (1, 'x'), (2, 'y')) AS a(k, v) FULL JOIN (VALUES (2, 'z'), (3, 'w')) AS b(k, w) USING (k) ORDER BY k;
SELECT k, count(*) AS n FROM (VALUES (1), (2)) AS a(k) FULL JOIN (VALUES (2), (3)) AS b(k) USING (k) WHERE k > 1 GROUP BY k ORDER BY k;
SELECT * FROM (VALUES (1, 'x')) AS a(k, v) FULL JOIN (VALUES (3, 'w')) AS b(k, w) USING (k) ORDER BY 1;
SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS a(k, v) LEFT JOIN (VALUES (2, 'z')) AS b(k, w) USING (k) ORDER BY k;
SELECT n1.n_name AS nation, n2.n_name AS same_region FROM nation n1 JOIN nation n2 ON n1.n_regionkey = n2.n_regionkey AND n1.n_nationkey < n2.n_nationkey
WHERE n1.n_regionkey = 0 ORDER BY 1, 2;
SELECT r_name, count(n_nationkey) AS cnt FROM region LEFT JOIN nation ON n_regionkey = r_regionkey AND n_name LIKE 'C%' GROUP BY r_name ORDER BY r_name;
SELECT r_name, count(*) AS cnt FROM region LEFT JOIN nation ON n_regionkey = r_regionkey WHERE n_name LIKE 'C%' GROUP BY r_name ORDER BY r_name;
SELECT r_name, n_name FROM region LEFT JOIN nation ON n_regionkey = r_regionkey AND n_nationkey < 3 ORDER BY r_name, n_name NULLS FIRST;
SELECT n_name, s_name FROM nation LEFT JOIN supplier ON s_nationkey = n_nationkey AND s_acctbal > 9000 WHERE n_regionkey = 1 ORDER BY n_name, s_name;
SELECT count(*) AS full_rows, count(c_custkey) AS customers, count(o_orderkey) AS orders FROM customer FULL JOIN orders ON c_custkey = o_custkey;
SELECT a.x, b.y FROM (VALUES (1), (NULL)) AS a(x) JOIN (VALUES (1), (NULL)) AS b(y) ON a.x = b.y;
SELECT a.x, b.y FROM (VALUES (1), (NULL)) AS a(x) FULL JOIN (VALUES (1), (NULL)) AS b(y) ON a.x = b.y ORDER BY a.x NULLS LAST, b.y NULLS LAST;
SELECT a.x, b.y FROM (VALUES (1), (NULL)) AS a(x) JOIN (VALUES (1), (NULL)) AS b(y) ON a.x IS NOT DISTINCT FROM b.y ORDER BY a.x NULLS LAST;
SELECT n_name, r_name, s_name FROM supplier JOIN nation ON s_nationkey = n_nationkey JOIN region ON n_regionkey = r_regionkey WHERE s_suppkey <= 5 ORDER BY s_name;
SELECT s_name, count(*) AS numwait FROM supplier, lineitem l1, orders, nation
WHERE s_suppkey = l1.l_suppkey AND o_orderkey = l1.l_orderkey AND o_orderstatus = 'F' AND l1.l_receiptdate > l1.l_commitdate
  AND EXISTS (SELECT * FROM lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey)
  AND NOT EXISTS (SELECT * FROM lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey AND l3.l_receiptdate > l3.l_commitdate)
  AND s_nationkey = n_nationkey AND n_name = 'SAUDI ARABIA'
GROUP BY s_name ORDER BY numwait DESC, s_name LIMIT 10;
