-- Ordering (PostgreSQL 15, Chapter 7.5 Sorting Rows, 7.3.3 DISTINCT, 7.6 LIMIT and OFFSET)

-- Default NULL placement: NULLs sort as if larger than any value
SELECT x FROM (VALUES (3), (NULL), (1), (2), (NULL)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES (3), (NULL), (1), (2), (NULL)) AS t(x) ORDER BY x ASC;
SELECT x FROM (VALUES (3), (NULL), (1), (2), (NULL)) AS t(x) ORDER BY x DESC;
SELECT x FROM (VALUES (3), (NULL), (1), (2)) AS t(x) ORDER BY x NULLS FIRST;
SELECT x FROM (VALUES (3), (NULL), (1), (2)) AS t(x) ORDER BY x ASC NULLS LAST;
SELECT x FROM (VALUES (3), (NULL), (1), (2)) AS t(x) ORDER BY x DESC NULLS LAST;
SELECT x FROM (VALUES (3), (NULL), (1), (2)) AS t(x) ORDER BY x DESC NULLS FIRST;
SELECT s FROM (VALUES ('b'), (NULL), ('a'), ('')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES ('b'), (NULL), ('a'), ('')) AS t(s) ORDER BY s DESC;
SELECT a, b FROM (VALUES (1, NULL), (1, 'x'), (NULL, 'y'), (2, 'a'), (NULL, NULL)) AS t(a, b) ORDER BY a DESC NULLS LAST, b NULLS FIRST;
SELECT a, b FROM (VALUES (1, 'z'), (2, 'y'), (1, 'a'), (2, NULL)) AS t(a, b) ORDER BY a, b DESC;

-- Text ordering under collation "C" (byte order)
SELECT s FROM (VALUES ('banana'), ('Apple'), ('apple'), ('Banana'), ('_x'), ('zebra'), ('Zebra')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES ('a1'), ('a10'), ('a2'), ('10'), ('9'), ('A'), ('a')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES (''), (' '), ('  a'), (' a'), ('a'), ('a '), ('-a'), ('!')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES ('e'), ('é'), ('f'), ('E'), ('É'), ('z'), ('ö'), ('o')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES ('日本語'), ('héllo wörld'), ('hello world'), ('中文'), ('abc'), ('Ωmega')) AS t(s) ORDER BY s;
SELECT s FROM (VALUES ('abc'), ('ab'), ('abcd'), ('a'), ('b')) AS t(s) ORDER BY s DESC;
SELECT s FROM (VALUES ('b'), ('A'), ('a'), ('B')) AS t(s) ORDER BY s COLLATE "C";
SELECT s FROM (VALUES ('b'), ('A'), ('a'), ('B')) AS t(s) ORDER BY lower(s), s;
SELECT s FROM (VALUES ('b'), ('A'), ('a'), ('B')) AS t(s) ORDER BY upper(s) DESC, s DESC;

-- Text comparison operators
SELECT 'a' < 'b' AS a_lt_b, 'B' < 'a' AS upper_lt_lower, 'abc' < 'abd' AS abc_lt_abd, 'ab' < 'abc' AS prefix_lt;
SELECT '' < 'a' AS empty_lt, ' ' < '0' AS space_lt_digit, '9' < 'A' AS digit_lt_upper, 'z' < 'é' AS ascii_lt_accent;
SELECT 'Zoo' > 'apple' AS zoo_gt, 'a' > 'A' AS lower_gt_upper, 'abc' >= 'abc' AS ge, 'abc' <= 'ab' AS le;
SELECT 'm' BETWEEN 'a' AND 'z' AS btw, 'M' BETWEEN 'a' AND 'z' AS upper_btw, 'b' NOT BETWEEN 'a' AND 'c' AS not_btw;
SELECT 'b' BETWEEN SYMMETRIC 'c' AND 'a' AS sym;
SELECT 'abc' < NULL AS null_cmp;
SELECT n_name FROM nation WHERE n_name BETWEEN 'C' AND 'F' ORDER BY n_name;
SELECT count(*) FROM customer WHERE c_mktsegment > 'HOUSEHOLD';

-- min / max of text
SELECT min(s), max(s) FROM (VALUES ('banana'), ('Apple'), ('apple'), (NULL), ('日本語'), ('')) AS t(s);
SELECT min(n_name), max(n_name) FROM nation;
SELECT n_regionkey, min(n_name) AS first_name, max(n_name) AS last_name FROM nation GROUP BY n_regionkey ORDER BY n_regionkey;
SELECT min(lower(n_name)), max(initcap(n_name)) FROM nation;
SELECT min(s) FROM (VALUES (NULL::text), (NULL)) AS t(s);

-- ORDER BY position, alias, expression, non-selected column
SELECT n_name, n_regionkey FROM nation WHERE n_nationkey < 8 ORDER BY 2, 1;
SELECT n_name AS nm, n_nationkey AS k FROM nation WHERE n_regionkey = 2 ORDER BY nm DESC;
SELECT n_nationkey % 5 AS m, n_name FROM nation WHERE n_nationkey < 10 ORDER BY m, n_name;
SELECT n_name FROM nation WHERE n_regionkey = 1 ORDER BY length(n_name), n_name;
SELECT n_name FROM nation WHERE n_regionkey = 3 ORDER BY n_nationkey DESC;
SELECT n_name, n_nationkey FROM nation ORDER BY n_regionkey DESC, n_name LIMIT 7;
SELECT r_name FROM region ORDER BY substr(r_name, 2, 1), r_name;
SELECT n_name || '-' || n_regionkey AS label FROM nation WHERE n_nationkey < 5 ORDER BY label;
SELECT x, y FROM (VALUES (1, 'b'), (2, 'a'), (3, 'b'), (4, 'a')) AS t(x, y) ORDER BY y = 'a', x DESC;
SELECT x FROM (VALUES (1), (2), (3), (4), (5)) AS t(x) ORDER BY CASE WHEN x % 2 = 0 THEN 0 ELSE 1 END, x;

-- DISTINCT and DISTINCT ON
SELECT DISTINCT n_regionkey FROM nation ORDER BY n_regionkey;
SELECT DISTINCT o_orderstatus, o_orderpriority FROM orders ORDER BY o_orderstatus, o_orderpriority;
SELECT DISTINCT x FROM (VALUES (2), (NULL), (1), (2), (NULL)) AS t(x) ORDER BY x;
SELECT DISTINCT x FROM (VALUES (2), (NULL), (1), (2), (NULL)) AS t(x) ORDER BY x DESC;
SELECT DISTINCT s FROM (VALUES ('a'), ('A'), ('a'), ('a ')) AS t(s) ORDER BY s;
SELECT DISTINCT ON (n_regionkey) n_regionkey, n_name FROM nation ORDER BY n_regionkey, n_name;
SELECT DISTINCT ON (n_regionkey) n_regionkey, n_name FROM nation ORDER BY n_regionkey, n_name DESC;
SELECT DISTINCT ON (c_mktsegment) c_mktsegment, c_custkey, c_acctbal FROM customer ORDER BY c_mktsegment, c_acctbal DESC, c_custkey;
SELECT DISTINCT ON (a) a, b FROM (VALUES (1, NULL), (1, 'x'), (NULL, 'y'), (NULL, 'a')) AS t(a, b) ORDER BY a, b;
SELECT count(DISTINCT o_orderpriority) FROM orders;

-- LIMIT / OFFSET / FETCH FIRST
SELECT n_name FROM nation ORDER BY n_name LIMIT 3;
SELECT n_name FROM nation ORDER BY n_name LIMIT 3 OFFSET 5;
SELECT n_name FROM nation ORDER BY n_name OFFSET 22;
SELECT n_name FROM nation ORDER BY n_name LIMIT 0;
SELECT n_name FROM nation ORDER BY n_name LIMIT ALL OFFSET 23;
SELECT n_name FROM nation ORDER BY n_name LIMIT NULL OFFSET 23;
SELECT n_name FROM nation ORDER BY n_name OFFSET 100;
SELECT n_name FROM nation ORDER BY n_name DESC FETCH FIRST 4 ROWS ONLY;
SELECT n_name FROM nation ORDER BY n_name OFFSET 2 ROWS FETCH NEXT 2 ROWS ONLY;
SELECT n_name FROM nation ORDER BY n_name FETCH FIRST ROW ONLY;
SELECT n_regionkey FROM nation ORDER BY n_regionkey FETCH FIRST 6 ROWS WITH TIES;
SELECT x FROM (VALUES (1), (2), (2), (2), (3)) AS t(x) ORDER BY x FETCH FIRST 2 ROWS WITH TIES;
SELECT o_orderpriority, count(*) AS n FROM orders GROUP BY o_orderpriority ORDER BY n DESC, o_orderpriority LIMIT 2;

-- Numeric with equal values of different scale
SELECT x FROM (VALUES (1.00, 1), (1.0, 2), (1, 3), (0.5, 4), (1.000, 5)) AS t(x, o) ORDER BY x, o;
SELECT x FROM (VALUES (1.00, 1), (1.0, 2), (1, 3), (0.5, 4), (1.000, 5)) AS t(x, o) ORDER BY x DESC, o DESC;
SELECT 1.0 = 1.00 AS eq_scale, 1.0 < 1.01 AS lt, -0.0 = 0 AS neg_zero_num;
SELECT count(DISTINCT x) FROM (VALUES (1.0), (1.00), (1), (2.50), (2.5)) AS t(x);
SELECT min(x), max(x) FROM (VALUES (1.5), (2.50), (-3.000), (NULL)) AS t(x);
SELECT x FROM (VALUES (-1.5), (10), (2), (-10.25), (0)) AS t(x) ORDER BY x;

-- Floats with NaN, infinity and -0
SELECT x FROM (VALUES ('NaN'::float8), (1.5), ('-Infinity'), ('Infinity'), (-2), (NULL)) AS t(x) ORDER BY x;
SELECT x FROM (VALUES ('NaN'::float8), (1.5), ('-Infinity'), ('Infinity'), (-2), (NULL)) AS t(x) ORDER BY x DESC;
SELECT x, o FROM (VALUES ('-0'::float8, 1), (0::float8, 2), ('-0'::float8, 3)) AS t(x, o) ORDER BY x, o;
SELECT 'NaN'::float8 = 'NaN'::float8 AS nan_eq, 'NaN'::float8 > 'Infinity'::float8 AS nan_gt_inf, '-0'::float8 = 0::float8 AS negzero_eq;
SELECT max(x), min(x) FROM (VALUES ('NaN'::float8), (1), ('Infinity')) AS t(x);
SELECT x FROM (VALUES ('NaN'::numeric), (1.5), (-3), (0)) AS t(x) ORDER BY x;
SELECT count(DISTINCT x) FROM (VALUES ('NaN'::float8), ('NaN'), ('-0'), (0)) AS t(x);

-- Booleans
SELECT b FROM (VALUES (true), (NULL), (false), (true)) AS t(b) ORDER BY b;
SELECT b FROM (VALUES (true), (NULL), (false), (true)) AS t(b) ORDER BY b DESC;
SELECT false < true AS f_lt_t, min(b::int), max(b::int), bool_and(b), bool_or(b) FROM (VALUES (true), (false)) AS t(b);

-- Dates with infinity
SELECT d FROM (VALUES ('2024-02-29'::date), ('infinity'), ('-infinity'), ('1999-12-31'), (NULL)) AS t(d) ORDER BY d;
SELECT d FROM (VALUES ('2024-02-29'::date), ('infinity'), ('-infinity'), ('1999-12-31'), (NULL)) AS t(d) ORDER BY d DESC NULLS LAST;
SELECT d, n FROM (VALUES ('2024-02-29', 1), (DATE '1999-12-31', 2), (NULL, 3), ('2000-01-01', 4)) AS t(d, n) ORDER BY d NULLS FIRST;
SELECT ts FROM (VALUES ('2024-01-01 10:00'::timestamp), ('2023-12-31 23:59:59.5')) AS t(ts) ORDER BY ts DESC;
SELECT ts FROM (VALUES ('2024-01-01 00:00:00'::timestamp), ('infinity'), ('2023-12-31 23:59:59.999999'), ('-infinity')) AS t(ts) ORDER BY ts;
SELECT min(d), max(d) FROM (VALUES ('2024-02-29'::date), ('infinity'), ('1999-12-31')) AS t(d);
SELECT o_orderdate, count(*) FROM orders GROUP BY o_orderdate ORDER BY o_orderdate DESC LIMIT 3;

-- Mixed-case TPC-H names
SELECT initcap(n_name) AS nm FROM nation WHERE n_regionkey IN (1, 3) ORDER BY nm;
SELECT nm FROM (SELECT CASE WHEN n_nationkey % 2 = 0 THEN lower(n_name) ELSE n_name END AS nm FROM nation) t ORDER BY nm LIMIT 12;
SELECT nm FROM (SELECT CASE WHEN n_nationkey % 2 = 0 THEN lower(n_name) ELSE n_name END AS nm FROM nation) t ORDER BY nm DESC LIMIT 12;
SELECT nm FROM (SELECT CASE WHEN n_nationkey % 3 = 0 THEN lower(n_name) ELSE initcap(n_name) END AS nm FROM nation) t ORDER BY lower(nm), nm LIMIT 10;
SELECT min(nm), max(nm) FROM (SELECT CASE WHEN n_nationkey % 2 = 0 THEN lower(n_name) ELSE n_name END AS nm FROM nation) t;
SELECT lower(r_name) AS l, r_name FROM region ORDER BY l DESC;
SELECT p_name FROM part ORDER BY p_name LIMIT 5;
SELECT s_name, s_acctbal FROM supplier ORDER BY s_acctbal DESC, s_name LIMIT 5;
SELECT c_name FROM customer WHERE c_custkey <= 20 ORDER BY c_acctbal, c_name LIMIT 5;
