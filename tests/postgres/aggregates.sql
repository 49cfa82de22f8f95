-- Aggregate functions (PostgreSQL 15 docs, section 9.21, and 7.2.3/7.2.4 GROUP BY, HAVING)

-- ---------------------------------------------------------------
-- count
-- ---------------------------------------------------------------
SELECT count(*) FROM lineitem;
SELECT count(*) AS n_orders, count(o_comment) AS n_comments FROM orders;
SELECT count(DISTINCT l_shipmode) FROM lineitem;
SELECT count(DISTINCT (l_returnflag, l_linestatus)) AS flag_status_pairs FROM lineitem;
SELECT count(x) AS non_null, count(*) AS all_rows FROM (VALUES (1), (NULL), (3), (NULL)) AS t(x);
SELECT count(DISTINCT x) FROM (VALUES (1), (1), (NULL), (2), (2), (NULL)) AS t(x);
SELECT count(1), count(NULL::int) FROM nation;
SELECT pg_typeof(count(*)) FROM region;

-- ---------------------------------------------------------------
-- sum and avg over integer, bigint, numeric and float (result types and scales)
-- ---------------------------------------------------------------
SELECT sum(p_size) AS sum_int, pg_typeof(sum(p_size)) AS t FROM part;
SELECT sum(n_nationkey) AS sum_bigint, pg_typeof(sum(n_nationkey)) AS t FROM nation;
SELECT sum(l_quantity), pg_typeof(sum(l_quantity)) FROM lineitem;
SELECT sum(s_acctbal) FROM supplier;
SELECT avg(p_size) AS avg_int, pg_typeof(avg(p_size)) AS t FROM part;
SELECT avg(n_nationkey) AS avg_bigint FROM nation;
SELECT avg(s_acctbal) AS avg_numeric, pg_typeof(avg(s_acctbal)) AS t FROM supplier;
SELECT avg(l_discount) FROM lineitem;
SELECT avg(l_extendedprice) FROM lineitem WHERE l_orderkey < 100;
SELECT sum(s_acctbal::float8) AS sum_float, pg_typeof(sum(s_acctbal::float8)) AS t FROM supplier WHERE s_suppkey <= 10;
SELECT avg(x) AS avg_float, pg_typeof(avg(x)) FROM (VALUES (1.5::float8), (2.25), (3.0)) AS t(x);
SELECT sum(x), avg(x) FROM (VALUES (1::smallint), (2::smallint), (4::smallint)) AS t(x);
SELECT pg_typeof(sum(x)), pg_typeof(avg(x)) FROM (VALUES (1::smallint)) AS t(x);
SELECT sum(x), avg(x) FROM (VALUES (1.5::real), (2.5::real)) AS t(x);
SELECT sum(x) AS s, avg(x) AS a FROM (VALUES (1), (2), (2)) AS t(x);
SELECT avg(x) FROM (VALUES (1.10), (2.205), (3.0)) AS t(x);
SELECT sum(x) FROM (VALUES (2147483647), (2147483647), (1)) AS t(x);
SELECT sum(x) FROM (VALUES (9223372036854775807::bigint), (1::bigint)) AS t(x);
SELECT sum(x), avg(x) FROM (VALUES (-1.5), (0.5), (NULL)) AS t(x);
SELECT sum(x), avg(x) FROM (VALUES ('1 day'::interval), ('12 hours'::interval)) AS t(x);
SELECT avg(x), avg(x) FILTER (WHERE x > interval '1 day') AS long_ones, avg(DISTINCT x) FROM (VALUES (interval '1 mon'), (interval '1 day 1 sec'), (interval '1 mon'), (NULL)) AS t(x);
SELECT k, avg(x) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1, interval '1 mon'), (2, interval '0'), (3, interval '3 days 1 hour')) AS t(k, x) ORDER BY k;
SELECT o_orderpriority, avg(l_receiptdate - o_orderdate) AS days, avg((l_receiptdate - o_orderdate) * interval '1 day') AS span FROM orders JOIN lineitem ON l_orderkey = o_orderkey WHERE o_orderkey < 200 GROUP BY 1 ORDER BY 1;
SELECT avg(x) FROM (VALUES (interval '1 mon')) AS t(x) WHERE false;
SELECT sum(l_extendedprice * (1 - l_discount)) AS revenue FROM lineitem WHERE l_orderkey < 1000;
SELECT sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS charge FROM lineitem WHERE l_orderkey < 200;

-- ---------------------------------------------------------------
-- min, max
-- ---------------------------------------------------------------
SELECT min(o_orderdate), max(o_orderdate) FROM orders;
SELECT min(s_acctbal), max(s_acctbal) FROM supplier;
SELECT min(n_name), max(n_name) FROM nation;
SELECT min(x), max(x) FROM (VALUES ('héllo'), ('日本語'), ('Zebra'), ('apple')) AS t(x);
SELECT min(x), max(x) FROM (VALUES (NULL::int), (NULL::int)) AS t(x);
SELECT min(x), max(x) FROM (VALUES ('1.5'::float8), ('-Infinity'), ('2')) AS t(x);
SELECT min(x), max(x) FROM (VALUES (ARRAY[1, 2]), (ARRAY[1, 10]), (ARRAY[0, 99])) AS t(x);
SELECT max(l_shipdate - l_commitdate) AS max_late_days, min(l_shipdate - l_commitdate) AS min_late_days FROM lineitem;

-- ---------------------------------------------------------------
-- boolean and bitwise aggregates
-- ---------------------------------------------------------------
SELECT bool_and(s_acctbal > 0) AS all_positive, bool_or(s_acctbal < 0) AS any_negative FROM supplier;
SELECT every(p_size > 0), every(p_size > 10) FROM part;
SELECT bool_and(x), bool_or(x), every(x) FROM (VALUES (true), (NULL::boolean), (true)) AS t(x);
SELECT bool_and(x), bool_or(x) FROM (VALUES (false), (NULL::boolean)) AS t(x);
SELECT bit_and(x), bit_or(x) FROM (VALUES (12), (10), (14)) AS t(x);
SELECT bit_and(p_size), bit_or(p_size) FROM part WHERE p_partkey <= 20;
SELECT bit_xor(x) FROM (VALUES (5), (3), (1)) AS t(x);
SELECT bit_or(x), bit_and(x) FROM (VALUES (B'1010'), (B'0110')) AS t(x);
SELECT r_name, bool_and(n_name < 'R') AS all_before_r, bool_or(n_name LIKE 'I%') AS any_i FROM region JOIN nation ON n_regionkey = r_regionkey GROUP BY r_name ORDER BY r_name;

-- ---------------------------------------------------------------
-- string_agg, array_agg, json aggregates
-- ---------------------------------------------------------------
SELECT string_agg(r_name, ', ' ORDER BY r_name) FROM region;
SELECT string_agg(r_name, '|' ORDER BY r_name DESC) AS names FROM region;
SELECT r_name, string_agg(n_name, ',' ORDER BY n_name) AS nations FROM region JOIN nation ON n_regionkey = r_regionkey GROUP BY r_name ORDER BY r_name;
SELECT string_agg(x, '-' ORDER BY x) FROM (VALUES ('b'), (NULL), ('a'), ('')) AS t(x);
SELECT string_agg(DISTINCT l_shipmode, ' ' ORDER BY l_shipmode) FROM lineitem;
SELECT string_agg(x, NULL ORDER BY x) FROM (VALUES ('日本'), ('語'), ('héllo')) AS t(x);
SELECT array_agg(r_regionkey ORDER BY r_regionkey) FROM region;
SELECT array_agg(n_name ORDER BY n_name DESC) FROM nation WHERE n_regionkey = 2;
SELECT array_agg(DISTINCT o_orderpriority ORDER BY o_orderpriority) AS priorities FROM orders;
SELECT array_agg(DISTINCT n_regionkey) FROM nation;
SELECT array_agg(x ORDER BY x NULLS FIRST) FROM (VALUES (3), (NULL), (1)) AS t(x);
SELECT array_agg(ARRAY[x, x * 2] ORDER BY x) FROM (VALUES (1), (2), (3)) AS t(x);
SELECT array_agg(s_acctbal ORDER BY s_suppkey) FROM supplier WHERE s_suppkey <= 5;
SELECT json_agg(r_name ORDER BY r_regionkey) FROM region;
SELECT json_agg(t ORDER BY r_regionkey) FROM (SELECT r_regionkey, r_name FROM region) AS t;
SELECT jsonb_agg(n_name ORDER BY n_nationkey) FROM nation WHERE n_regionkey = 1;
SELECT jsonb_agg(x ORDER BY x) FROM (VALUES (1.50), (NULL), (-2)) AS t(x);
SELECT json_object_agg(r_name, r_regionkey ORDER BY r_regionkey) FROM region;
SELECT jsonb_object_agg(r_name, r_regionkey) FROM region;
SELECT json_object_agg(k, v ORDER BY k) FROM (VALUES ('a', 1), ('b', NULL), ('c', 3)) AS t(k, v);

-- ---------------------------------------------------------------
-- statistical aggregates
-- ---------------------------------------------------------------
SELECT stddev(s_acctbal), stddev_pop(s_acctbal), stddev_samp(s_acctbal) FROM supplier;
SELECT variance(s_acctbal), var_pop(s_acctbal), var_samp(s_acctbal) FROM supplier;
SELECT pg_typeof(stddev(s_acctbal)), pg_typeof(stddev(p_size)), pg_typeof(stddev(p_size::float8)) FROM supplier, part WHERE s_suppkey = 1 AND p_partkey = 1;
SELECT stddev(p_size), variance(p_size) FROM part;
SELECT stddev(x), variance(x), stddev_pop(x), var_pop(x) FROM (VALUES (2), (4), (4), (4), (5), (5), (7), (9)) AS t(x);
SELECT stddev(x::float8), var_samp(x::float8) FROM (VALUES (1), (2), (3), (4)) AS t(x);
SELECT stddev_samp(x), var_samp(x), stddev_pop(x), var_pop(x) FROM (VALUES (42)) AS t(x);
SELECT round(stddev(l_quantity), 6) AS sd_qty, round(variance(l_discount), 8) AS var_disc FROM lineitem;
SELECT corr(x, y), covar_pop(x, y), covar_samp(x, y) FROM (VALUES (1, 2), (2, 4), (3, 5), (4, 4), (5, 5)) AS t(x, y);
SELECT regr_slope(y, x), regr_intercept(y, x), regr_r2(y, x), regr_count(y, x) FROM (VALUES (1, 2), (2, 4), (3, 5), (4, 4), (5, 5)) AS t(x, y);
SELECT regr_avgx(y, x), regr_avgy(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x) FROM (VALUES (1, 2), (2, 4), (3, 5), (4, 4), (5, 5)) AS t(x, y);
SELECT regr_count(y, x), regr_avgx(y, x) FROM (VALUES (1, NULL), (2, 4), (NULL, 5), (4, 8)) AS t(x, y);
SELECT corr(x, y) FROM (VALUES (1, 3), (2, 3), (3, 3)) AS t(x, y);
SELECT round(corr(p_size, p_retailprice)::numeric, 8) AS corr_size_price,
       round(covar_samp(p_size, p_retailprice)::numeric, 4) AS covar
FROM part;
SELECT round(regr_slope(l_extendedprice, l_quantity)::numeric, 6) AS slope,
       round(regr_intercept(l_extendedprice, l_quantity)::numeric, 6) AS intercept
FROM lineitem WHERE l_orderkey < 500;

-- ---------------------------------------------------------------
-- ordered-set aggregates
-- ---------------------------------------------------------------
SELECT mode() WITHIN GROUP (ORDER BY l_shipmode) FROM lineitem;
SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (2), (3), (3)) AS t(x);
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p_size) FROM part;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (4)) AS t(x);
SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY s_acctbal) FROM supplier;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (4)) AS t(x);
SELECT percentile_disc(ARRAY[0, 0.1, 0.9, 1]) WITHIN GROUP (ORDER BY o_totalprice) FROM orders;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY o_orderdate) AS median_date FROM orders;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES ('1 hour'::interval), ('3 hours'::interval)) AS t(x);
SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x), percentile_cont(0.3) WITHIN GROUP (ORDER BY x DESC) FROM (VALUES (1.5), (2.0), (7.25), (10)) AS t(x);
SELECT percentile_cont(ARRAY[0.1, 0.5, 1]) WITHIN GROUP (ORDER BY x) FROM (VALUES (interval '1 mon'), (interval '1 day 1 hour'), (interval '3 days')) AS t(x);
SELECT o_orderstatus, percentile_cont(ARRAY[0.1, 0.9]) WITHIN GROUP (ORDER BY o_totalprice) AS deciles FROM orders GROUP BY o_orderstatus ORDER BY 1;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES ('a'), ('b')) AS t(x);
SELECT r_name, percentile_cont(0.5) WITHIN GROUP (ORDER BY s_acctbal) AS median_bal
FROM region JOIN nation ON n_regionkey = r_regionkey JOIN supplier ON s_nationkey = n_nationkey
GROUP BY r_name ORDER BY r_name;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (NULL::float8), (NULL)) AS t(x);

-- ---------------------------------------------------------------
-- hypothetical-set aggregates
-- ---------------------------------------------------------------
SELECT rank(5000) WITHIN GROUP (ORDER BY s_acctbal) FROM supplier;
SELECT dense_rank(5000) WITHIN GROUP (ORDER BY s_acctbal DESC) FROM supplier;
SELECT rank(3) WITHIN GROUP (ORDER BY x), dense_rank(3) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (3), (3), (5)) AS t(x);
SELECT percent_rank(3) WITHIN GROUP (ORDER BY x), cume_dist(3) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (3), (3), (5)) AS t(x);
SELECT percent_rank(25) WITHIN GROUP (ORDER BY p_size), cume_dist(25) WITHIN GROUP (ORDER BY p_size) FROM part;
SELECT rank('M') WITHIN GROUP (ORDER BY n_name) FROM nation;
SELECT rank(3) WITHIN GROUP (ORDER BY x DESC), rank(NULL::int) WITHIN GROUP (ORDER BY x), dense_rank(3) WITHIN GROUP (ORDER BY x DESC NULLS LAST), dense_rank(4) WITHIN GROUP (ORDER BY x DESC), cume_dist(NULL::int) WITHIN GROUP (ORDER BY x NULLS FIRST) FROM (VALUES (1), (3), (NULL), (3), (5), (NULL)) AS t(x);
SELECT n_regionkey, rank(10) WITHIN GROUP (ORDER BY n_nationkey), percent_rank(10) WITHIN GROUP (ORDER BY n_nationkey DESC) FROM nation GROUP BY n_regionkey ORDER BY 1;
SELECT rank(1, 'BRAZIL') WITHIN GROUP (ORDER BY n_regionkey, n_name), cume_dist(1, 'BRAZIL') WITHIN GROUP (ORDER BY n_regionkey DESC, n_name) FROM nation;
SELECT rank(1) WITHIN GROUP (ORDER BY x), percent_rank(1) WITHIN GROUP (ORDER BY x), cume_dist(1) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) AS t(x) WHERE false;

-- ---------------------------------------------------------------
-- FILTER (WHERE ...)
-- ---------------------------------------------------------------
SELECT count(*) FILTER (WHERE l_returnflag = 'R') AS returned, count(*) AS total FROM lineitem;
SELECT sum(l_quantity) FILTER (WHERE l_shipmode = 'AIR') AS air_qty,
       sum(l_quantity) FILTER (WHERE l_shipmode = 'SHIP') AS ship_qty
FROM lineitem;
SELECT avg(o_totalprice) FILTER (WHERE o_orderstatus = 'F') FROM orders;
SELECT o_orderpriority,
       count(*) FILTER (WHERE o_orderstatus = 'F') AS f,
       count(*) FILTER (WHERE o_orderstatus = 'O') AS o,
       count(*) FILTER (WHERE o_orderstatus = 'P') AS p
FROM orders GROUP BY o_orderpriority ORDER BY o_orderpriority;
SELECT string_agg(n_name, ',' ORDER BY n_name) FILTER (WHERE n_name LIKE 'I%') FROM nation;
SELECT array_agg(x ORDER BY x) FILTER (WHERE x > 10), count(*) FILTER (WHERE x > 10) FROM (VALUES (1), (2)) AS t(x);
SELECT max(s_acctbal) FILTER (WHERE s_nationkey = 0), min(s_acctbal) FILTER (WHERE s_acctbal > 0) FROM supplier;

-- ---------------------------------------------------------------
-- aggregates over empty input
-- ---------------------------------------------------------------
SELECT sum(l_quantity), count(*), count(l_quantity), avg(l_quantity), min(l_quantity), max(l_quantity) FROM lineitem WHERE false;
SELECT string_agg(n_name, ','), array_agg(n_name), bool_and(true), json_agg(n_name) FROM nation WHERE n_nationkey < 0;
SELECT stddev(x), variance(x), corr(x, x) FROM (SELECT 1::float8 AS x WHERE false) AS t;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY p_size), mode() WITHIN GROUP (ORDER BY p_size) FROM part WHERE p_size < 0;
SELECT n_regionkey, count(*) FROM nation WHERE n_nationkey < 0 GROUP BY n_regionkey ORDER BY n_regionkey;
SELECT coalesce(sum(o_totalprice), 0) AS total FROM orders WHERE o_custkey = -1;

-- ---------------------------------------------------------------
-- GROUP BY, HAVING, GROUP BY position and alias
-- ---------------------------------------------------------------
SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, count(*) AS count_order
FROM lineitem GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus;
SELECT o_orderstatus, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT extract(year FROM o_orderdate) AS yr, count(*) AS n FROM orders GROUP BY yr ORDER BY yr;
SELECT n_regionkey AS rk, count(*) FROM nation GROUP BY rk HAVING count(*) = 5 ORDER BY rk;
SELECT c_mktsegment, round(avg(c_acctbal), 2) AS avg_bal FROM customer GROUP BY c_mktsegment HAVING avg(c_acctbal) > 4500 ORDER BY c_mktsegment;
SELECT s_nationkey, count(*) AS n FROM supplier GROUP BY s_nationkey HAVING count(*) >= 6 ORDER BY n DESC, s_nationkey;
SELECT l_shipmode, max(l_discount) FROM lineitem GROUP BY l_shipmode HAVING min(l_quantity) = 1 ORDER BY 1;
SELECT count(*) FROM nation HAVING count(*) > 20;
SELECT count(*) FROM nation HAVING count(*) > 100;
SELECT o_orderpriority, count(DISTINCT o_custkey) AS customers FROM orders WHERE o_orderdate < DATE '1993-01-01' GROUP BY o_orderpriority ORDER BY customers DESC, o_orderpriority;
SELECT p_size % 10 AS bucket, count(*), min(p_retailprice), max(p_retailprice) FROM part GROUP BY p_size % 10 ORDER BY bucket;
SELECT date_trunc('year', o_orderdate)::date AS yr, sum(o_totalprice) FROM orders GROUP BY 1 ORDER BY 1;

-- ---------------------------------------------------------------
-- aggregates on literals and VALUES lists
-- ---------------------------------------------------------------
SELECT sum(1), count(*), max('x'), avg(2.5);
SELECT sum(x) FROM (VALUES (1), (2), (3)) AS t(x);
SELECT g, sum(v), count(v) FROM (VALUES ('a', 1), ('a', NULL), ('b', 5), ('b', 7), (NULL, 9)) AS t(g, v) GROUP BY g ORDER BY g NULLS LAST;
SELECT avg(x), sum(x) FROM (VALUES (1e20), (1e-20)) AS t(x);
SELECT max(length(x)), min(octet_length(x)) FROM (VALUES ('héllo wörld'), ('日本語')) AS t(x);
SELECT count(*) FROM generate_series(1, 100) AS g WHERE g % 7 = 0;
SELECT sum(g), avg(g), min(g), max(g) FROM generate_series(1, 10) AS g;
