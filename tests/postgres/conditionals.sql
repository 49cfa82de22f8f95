-- Conditional expressions, comparison predicates and three-valued logic
-- (PostgreSQL 15 docs, sections 9.1 logical operators, 9.2 comparison, 9.18 conditional expressions, 9.24 row comparisons)

-- ---------------------------------------------------------------
-- CASE: searched and simple
-- ---------------------------------------------------------------
SELECT CASE WHEN 1 > 0 THEN 'yes' ELSE 'no' END;
SELECT CASE WHEN 1 < 0 THEN 'yes' END AS no_else;
SELECT x, CASE WHEN x < 0 THEN 'negative' WHEN x = 0 THEN 'zero' ELSE 'positive' END AS sign
FROM (VALUES (-5), (0), (7), (NULL)) AS t(x) ORDER BY x NULLS LAST;
SELECT x, CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'other' END FROM (VALUES (1), (2), (3), (NULL)) AS t(x) ORDER BY x NULLS LAST;
SELECT CASE NULL::int WHEN NULL THEN 'matched null' ELSE 'no match' END AS simple_null;
SELECT CASE WHEN NULL THEN 'true branch' ELSE 'else branch' END AS null_condition;
SELECT CASE WHEN NULL::boolean IS NULL THEN 'is null' END;
SELECT CASE WHEN true THEN 1 ELSE 2.5 END AS mixed, pg_typeof(CASE WHEN true THEN 1 ELSE 2.5 END);
SELECT CASE WHEN false THEN 1 ELSE 2::bigint END, pg_typeof(CASE WHEN false THEN 1 ELSE 2::bigint END);
SELECT CASE WHEN n_nationkey > 20 THEN n_nationkey::float8 / 3 ELSE 0.0 END AS ratio, pg_typeof(CASE WHEN true THEN 1.5::float8 ELSE 0.0 END) FROM nation ORDER BY n_nationkey DESC LIMIT 6;
SELECT coalesce(NULL::float8, 2.50) AS f8, pg_typeof(coalesce(NULL::float8, 2.50)), coalesce(NULL::real, 2.50) AS f4, pg_typeof(coalesce(NULL::real, 2.50)), greatest(1.25, 2::float8) AS g, nullif(2.0, 2::float8) AS n;
SELECT 1.5::float8 AS x UNION ALL SELECT 2.25 UNION ALL SELECT 3 ORDER BY 1;
SELECT 0.1::float8 + 0.2::float8 = 0.3 AS eq, 0.3 IN (0.1::float8 + 0.2::float8) AS in_list, 0.3 BETWEEN 0.1::float8 + 0.2::float8 AND 1 AS between, CASE 0.1::float8 + 0.2::float8 WHEN 0.3 THEN 'same' ELSE 'different' END AS simple_case;
SELECT CASE WHEN false THEN 1.5::float8 ELSE 2 END, pg_typeof(CASE WHEN false THEN 1.5::float8 ELSE 2 END);
SELECT CASE WHEN true THEN 'abc' ELSE NULL END, pg_typeof(CASE WHEN true THEN 'abc' ELSE NULL END);
SELECT CASE 'héllo' WHEN 'hello' THEN 'ascii' WHEN 'héllo' THEN 'accented' END;
SELECT CASE WHEN 1 = 1 THEN 'first' WHEN 1 = 1 THEN 'second' END AS first_match_wins;
SELECT CASE WHEN x > 0 THEN 10 / x ELSE 0 END AS safe_div FROM (VALUES (0), (5)) AS t(x) ORDER BY 1;
SELECT o_orderpriority,
       sum(CASE WHEN o_orderstatus = 'F' THEN 1 ELSE 0 END) AS finished,
       sum(CASE WHEN o_orderstatus <> 'F' THEN 1 ELSE 0 END) AS not_finished
FROM orders GROUP BY o_orderpriority ORDER BY o_orderpriority;
SELECT CASE WHEN p_size < 10 THEN 'small' WHEN p_size < 30 THEN 'medium' ELSE 'large' END AS size_class, count(*)
FROM part GROUP BY 1 ORDER BY 1;
SELECT round(100.00 * sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END)
       / sum(l_extendedprice * (1 - l_discount)), 2) AS promo_revenue
FROM lineitem JOIN part ON l_partkey = p_partkey
WHERE l_shipdate >= DATE '1995-09-01' AND l_shipdate < DATE '1995-10-01';
SELECT n_name, CASE n_regionkey WHEN 0 THEN 'AF' WHEN 1 THEN 'AM' WHEN 2 THEN 'AS' WHEN 3 THEN 'EU' END AS code
FROM nation WHERE n_nationkey < 8 ORDER BY n_name;

-- ---------------------------------------------------------------
-- COALESCE, NULLIF
-- ---------------------------------------------------------------
SELECT coalesce(NULL, NULL, 3, 4);
SELECT coalesce(NULL::text, 'fallback') AS c, coalesce('', 'fallback') AS empty_is_not_null;
SELECT coalesce(NULL, 1, 2.5) AS c, pg_typeof(coalesce(NULL, 1, 2.5));
SELECT coalesce(NULL::int, NULL::int) IS NULL AS all_null;
SELECT x, coalesce(x, -1) FROM (VALUES (1), (NULL), (3)) AS t(x) ORDER BY x NULLS FIRST;
SELECT r_name, coalesce(n_name, '(none)') AS first_c_nation FROM region LEFT JOIN nation ON n_regionkey = r_regionkey AND n_name LIKE 'C%' ORDER BY r_name;
SELECT nullif(1, 1), nullif(1, 2), nullif('a', 'b');
SELECT nullif(NULL::int, 1) AS n1, nullif(1, NULL::int) AS n2;
SELECT nullif('', '') IS NULL AS empty_to_null, nullif(0.0, 0) AS zero_numeric;
SELECT 10 / nullif(0, 0) AS div_guard;
SELECT pg_typeof(nullif(1, 2.5)), nullif(1, 1.0);
SELECT s_suppkey, round(s_acctbal / nullif(s_nationkey, 0), 2) AS per_nation FROM supplier WHERE s_suppkey IN (24, 28, 1) ORDER BY s_suppkey;

-- ---------------------------------------------------------------
-- GREATEST, LEAST
-- ---------------------------------------------------------------
SELECT greatest(1, 5, 3), least(1, 5, 3);
SELECT greatest(1, NULL, 3) AS g, least(NULL, 2, 1) AS l;
SELECT greatest(NULL::int, NULL) AS all_null_g, least(NULL::int, NULL) AS all_null_l;
SELECT greatest(1, 2.5, 2), pg_typeof(greatest(1, 2.5, 2));
SELECT least(1::bigint, 2::smallint, 0.5::float8), pg_typeof(least(1::bigint, 2::smallint, 0.5::float8));
SELECT greatest('apple', 'banana', 'Cherry') AS g, least('apple', 'banana', 'Cherry') AS l;
SELECT greatest('héllo', 'hello', '日本語') AS g, least('héllo', 'hello', '') AS l;
SELECT greatest(DATE '2024-02-29', DATE '2023-12-31'), least(DATE '2024-02-29', DATE '2023-12-31');
SELECT greatest(-0.5, -1, -0.25), least(-0.5, -1, -0.25);
SELECT l_orderkey, l_linenumber, greatest(l_shipdate, l_commitdate, l_receiptdate) AS latest, least(l_shipdate, l_commitdate, l_receiptdate) AS earliest
FROM lineitem WHERE l_orderkey = 1 ORDER BY l_linenumber;
SELECT s_suppkey, greatest(s_acctbal, 0) AS non_negative FROM supplier WHERE s_suppkey IN (5, 6, 7) ORDER BY s_suppkey;

-- ---------------------------------------------------------------
-- IS [NOT] DISTINCT FROM, IS [NOT] NULL
-- ---------------------------------------------------------------
SELECT 1 IS DISTINCT FROM 1 AS a, 1 IS DISTINCT FROM 2 AS b, 1 IS DISTINCT FROM NULL AS c, NULL IS DISTINCT FROM NULL AS d;
SELECT 1 IS NOT DISTINCT FROM 1 AS a, NULL::int IS NOT DISTINCT FROM NULL AS b, 1 IS NOT DISTINCT FROM NULL AS c;
SELECT 1 = NULL AS eq_null, NULL = NULL AS null_eq_null, 1 <> NULL AS ne_null;
SELECT x, y, x = y AS eq, x IS DISTINCT FROM y AS distinct_from
FROM (VALUES (1, 1), (1, 2), (1, NULL), (NULL, NULL)) AS t(x, y) ORDER BY x NULLS LAST, y NULLS LAST;
SELECT NULL IS NULL AS a, 1 IS NULL AS b, 1 IS NOT NULL AS c, NULL IS NOT NULL AS d;
SELECT x ISNULL AS isnull_op, x NOTNULL AS notnull_op FROM (VALUES (1), (NULL)) AS t(x) ORDER BY x NULLS LAST;
SELECT ROW(1, NULL) IS NULL AS row_is_null, ROW(1, NULL) IS NOT NULL AS row_is_not_null, ROW(NULL, NULL) IS NULL AS all_null_row;
SELECT count(*) FROM nation LEFT JOIN supplier ON s_nationkey = n_nationkey AND s_acctbal > 9000 WHERE s_suppkey IS NULL;
SELECT 'a' IS DISTINCT FROM 'A' AS case_sensitive, 1.0 IS DISTINCT FROM 1 AS numeric_scale;
SELECT num_nulls(1, NULL, 'a', NULL) AS nulls, num_nonnulls(1, NULL, 'a', NULL) AS nonnulls;
SELECT num_nulls(VARIADIC ARRAY[1, NULL, 3]) AS nulls, num_nonnulls(VARIADIC ARRAY[NULL::int]) AS nonnulls;

-- ---------------------------------------------------------------
-- IS TRUE / FALSE / UNKNOWN and three-valued logic
-- ---------------------------------------------------------------
SELECT b, b IS TRUE AS is_true, b IS NOT TRUE AS is_not_true, b IS FALSE AS is_false, b IS NOT FALSE AS is_not_false,
       b IS UNKNOWN AS is_unknown, b IS NOT UNKNOWN AS is_not_unknown
FROM (VALUES (true), (false), (NULL::boolean)) AS t(b) ORDER BY b NULLS LAST;
SELECT a, b, a AND b AS a_and_b, a OR b AS a_or_b
FROM (VALUES (true), (false), (NULL::boolean)) AS x(a), (VALUES (true), (false), (NULL::boolean)) AS y(b)
ORDER BY a NULLS LAST, b NULLS LAST;
SELECT a, NOT a AS not_a FROM (VALUES (true), (false), (NULL::boolean)) AS t(a) ORDER BY a NULLS LAST;
SELECT NULL AND false AS n_and_f, NULL OR true AS n_or_t, NULL AND true AS n_and_t, NULL OR false AS n_or_f;
SELECT (1 = NULL) IS UNKNOWN AS cmp_unknown, NOT (NULL::boolean) IS NULL AS not_null_is_null;
SELECT count(*) FILTER (WHERE x > 1) AS gt, count(*) FILTER (WHERE NOT (x > 1)) AS not_gt, count(*) FILTER (WHERE (x > 1) IS UNKNOWN) AS unk
FROM (VALUES (1), (2), (NULL), (3)) AS t(x);
SELECT true AND true OR false AS prec1, true OR false AND false AS prec2, NOT true OR true AS prec3;
SELECT true > false AS t_gt_f, true::int AS t_int, false::int AS f_int;

-- ---------------------------------------------------------------
-- BETWEEN and BETWEEN SYMMETRIC
-- ---------------------------------------------------------------
SELECT 5 BETWEEN 1 AND 10 AS a, 5 BETWEEN 10 AND 1 AS b, 5 BETWEEN SYMMETRIC 10 AND 1 AS c;
SELECT 1 BETWEEN 1 AND 1 AS inclusive, 5 NOT BETWEEN 1 AND 4 AS not_between, 5 NOT BETWEEN SYMMETRIC 6 AND 4 AS not_sym;
SELECT NULL::int BETWEEN 1 AND 2 AS null_x, 1 BETWEEN NULL AND 2 AS null_low, 3 BETWEEN NULL AND 2 AS null_low_false;
SELECT 2.5 BETWEEN 2 AND 3 AS numeric_between, 'm' BETWEEN 'a' AND 'z' AS text_between, 'M' BETWEEN 'a' AND 'z' AS upper_c;
SELECT DATE '2024-02-29' BETWEEN DATE '2024-02-01' AND DATE '2024-03-01' AS in_range;
SELECT count(*) FROM orders WHERE o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1995-01-31';
SELECT count(*) FROM lineitem WHERE l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24;
SELECT count(*) FROM part WHERE p_size BETWEEN SYMMETRIC 20 AND 10;

-- ---------------------------------------------------------------
-- IN lists with NULL
-- ---------------------------------------------------------------
SELECT 1 IN (1, 2, 3) AS a, 4 IN (1, 2, 3) AS b, 4 NOT IN (1, 2, 3) AS c;
SELECT 1 IN (1, NULL) AS hit, 2 IN (1, NULL) AS unknown_in, 2 NOT IN (1, NULL) AS unknown_not_in, NULL::int IN (1, 2) AS null_lhs;
SELECT 'ASIA' IN ('asia', 'ASIA') AS text_in, 1.0 IN (1, 2) AS numeric_in;
SELECT n_name FROM nation WHERE n_nationkey IN (1, 3, 5, NULL) ORDER BY n_name;
SELECT count(*) FROM nation WHERE n_nationkey NOT IN (1, 3, 5, NULL);
SELECT count(*) FROM lineitem WHERE l_shipmode IN ('MAIL', 'SHIP') AND l_receiptdate >= DATE '1994-01-01' AND l_receiptdate < DATE '1995-01-01';

-- ---------------------------------------------------------------
-- row comparisons
-- ---------------------------------------------------------------
SELECT (1, 2) < (1, 3) AS a, (1, 2) < (2, 1) AS b, (2, 1) <= (2, 1) AS c, (1, 2) = (1, 2) AS d, (1, 2) <> (1, 3) AS e;
SELECT (1, NULL) = (1, NULL) AS eq_null, (1, NULL) < (2, NULL) AS lt_decided, (1, NULL) < (1, 2) AS lt_unknown;
SELECT (1, 2) IS DISTINCT FROM (1, NULL) AS row_distinct, ROW(1, NULL) IS NOT DISTINCT FROM ROW(1, NULL) AS row_not_distinct;
SELECT ('a', 2) > ('a', 1) AS text_row, (1, 'b') >= (1, 'b') AS mixed_row;
SELECT o_orderkey, o_orderdate FROM orders WHERE (o_orderdate, o_orderkey) > (DATE '1998-08-01', 0) ORDER BY o_orderdate, o_orderkey;
SELECT l_orderkey, l_linenumber FROM lineitem WHERE (l_orderkey, l_linenumber) BETWEEN (3, 5) AND (5, 2) ORDER BY 1, 2;
SELECT count(*) FROM nation WHERE (n_regionkey, n_nationkey) IN ((0, 0), (1, 1), (2, 99));
