-- Window functions (PostgreSQL 15 docs, section 9.22, 3.5 and 4.2.8 window function calls)

-- ---------------------------------------------------------------
-- row_number, rank, dense_rank, percent_rank, cume_dist, ntile
-- ---------------------------------------------------------------
SELECT n_name, row_number() OVER (ORDER BY n_name) FROM nation WHERE n_regionkey = 0 ORDER BY n_name;
SELECT n_regionkey, n_name, row_number() OVER (PARTITION BY n_regionkey ORDER BY n_name) AS rn FROM nation ORDER BY n_regionkey, rn;
SELECT x, rank() OVER (ORDER BY x), dense_rank() OVER (ORDER BY x) FROM (VALUES (10), (20), (20), (30), (30), (30), (40)) AS t(x) ORDER BY x;
SELECT x, percent_rank() OVER (ORDER BY x), cume_dist() OVER (ORDER BY x) FROM (VALUES (10), (20), (20), (30), (40)) AS t(x) ORDER BY x;
SELECT x, rank() OVER (ORDER BY x DESC) AS r FROM (VALUES (1), (NULL), (2), (NULL)) AS t(x) ORDER BY r, x;
SELECT x, rank() OVER (ORDER BY x NULLS FIRST) AS r FROM (VALUES (1), (NULL), (2)) AS t(x) ORDER BY r;
SELECT x, ntile(3) OVER (ORDER BY x) FROM generate_series(1, 10) AS x ORDER BY x;
SELECT x, ntile(4) OVER (ORDER BY x) AS quartile FROM generate_series(1, 6) AS x ORDER BY x;
SELECT x, ntile(10) OVER (ORDER BY x) FROM generate_series(1, 3) AS x ORDER BY x;
SELECT s_suppkey, s_acctbal, rank() OVER (ORDER BY s_acctbal DESC) AS bal_rank FROM supplier ORDER BY bal_rank, s_suppkey LIMIT 10;
SELECT s_nationkey, s_suppkey, dense_rank() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal DESC) AS dr
FROM supplier WHERE s_nationkey < 3 ORDER BY s_nationkey, dr, s_suppkey;
SELECT p_size, count(*) AS n, percent_rank() OVER (ORDER BY p_size) AS pr, cume_dist() OVER (ORDER BY p_size) AS cd
FROM part WHERE p_size <= 8 GROUP BY p_size ORDER BY p_size;
SELECT row_number() OVER () AS rn FROM region ORDER BY rn;
SELECT r_name, row_number() OVER (ORDER BY r_name DESC) FROM region ORDER BY r_name;

-- ---------------------------------------------------------------
-- lag / lead with offset and default
-- ---------------------------------------------------------------
SELECT x, lag(x) OVER (ORDER BY x), lead(x) OVER (ORDER BY x) FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, lag(x, 2) OVER (ORDER BY x) AS lag2, lead(x, 2) OVER (ORDER BY x) AS lead2 FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, lag(x, 1, 0) OVER (ORDER BY x) AS prev, lead(x, 1, -1) OVER (ORDER BY x) AS nxt FROM generate_series(1, 4) AS x ORDER BY x;
SELECT x, lag(x, 0) OVER (ORDER BY x) FROM generate_series(1, 3) AS x ORDER BY x;
SELECT x, lag(x, -1) OVER (ORDER BY x) AS neg_lag FROM generate_series(1, 3) AS x ORDER BY x;
SELECT n_regionkey, n_name, lag(n_name, 1, '-') OVER (PARTITION BY n_regionkey ORDER BY n_name) AS prev_name
FROM nation WHERE n_regionkey IN (0, 1) ORDER BY n_regionkey, n_name;
SELECT o_orderkey, o_orderdate, o_orderdate - lag(o_orderdate) OVER (ORDER BY o_orderdate, o_orderkey) AS days_since_prev
FROM orders WHERE o_custkey = 1 ORDER BY o_orderdate, o_orderkey;
SELECT o_orderkey, o_totalprice, o_totalprice - lag(o_totalprice) OVER w AS diff, lead(o_totalprice, 1, 0.00) OVER w AS next_price
FROM orders WHERE o_custkey = 2 WINDOW w AS (ORDER BY o_orderkey) ORDER BY o_orderkey;
SELECT x, lag(x, 1, 99) OVER (ORDER BY k) FROM (VALUES (1, 5), (2, NULL), (3, 7)) AS t(k, x) ORDER BY k;

-- ---------------------------------------------------------------
-- first_value, last_value, nth_value
-- ---------------------------------------------------------------
SELECT x, first_value(x) OVER (ORDER BY x), last_value(x) OVER (ORDER BY x) FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, last_value(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lv FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, nth_value(x, 2) OVER (ORDER BY x) AS second FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, nth_value(x, 3) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS third FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, last_value(x) OVER (ORDER BY x) FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x;
SELECT n_regionkey, n_name,
       first_value(n_name) OVER (PARTITION BY n_regionkey ORDER BY n_name) AS first_in_region,
       last_value(n_name) OVER (PARTITION BY n_regionkey ORDER BY n_name ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_in_region
FROM nation ORDER BY n_regionkey, n_name;
SELECT s_nationkey, s_suppkey, s_acctbal, first_value(s_suppkey) OVER (PARTITION BY s_nationkey ORDER BY s_acctbal DESC) AS richest
FROM supplier WHERE s_nationkey IN (5, 6) ORDER BY s_nationkey, s_acctbal DESC;

-- ---------------------------------------------------------------
-- aggregates as window functions
-- ---------------------------------------------------------------
SELECT x, sum(x) OVER (ORDER BY x) AS running_sum FROM generate_series(1, 6) AS x ORDER BY x;
SELECT x, count(*) OVER (ORDER BY x) AS running_count, avg(x) OVER (ORDER BY x) AS running_avg FROM generate_series(1, 5) AS x ORDER BY x;
SELECT x, sum(x) OVER () AS total, x * 100.0 / sum(x) OVER () AS pct FROM generate_series(1, 4) AS x ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x) FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x;
SELECT n_regionkey, count(*) OVER (PARTITION BY n_regionkey) AS per_region, n_name FROM nation WHERE n_nationkey < 10 ORDER BY n_name;
SELECT o_orderkey, o_totalprice, sum(o_totalprice) OVER (ORDER BY o_orderkey) AS running_total FROM orders WHERE o_custkey = 7 ORDER BY o_orderkey;
SELECT o_orderkey, avg(o_totalprice) OVER (PARTITION BY o_custkey) AS cust_avg, o_custkey FROM orders WHERE o_custkey IN (1, 2) ORDER BY o_orderkey;
SELECT x, min(x) OVER (ORDER BY x DESC) AS min_so_far, max(x) OVER (ORDER BY k) AS max_so_far
FROM (VALUES (1, 3), (2, 1), (3, 4), (4, 1), (5, 5)) AS t(k, x) ORDER BY k;
SELECT k, x, count(x) OVER (ORDER BY k) AS cnt_non_null, sum(x) OVER (ORDER BY k) AS s
FROM (VALUES (1, 10), (2, NULL), (3, 30)) AS t(k, x) ORDER BY k;
SELECT k, string_agg(v, ',') OVER (ORDER BY k) AS acc FROM (VALUES (1, 'a'), (2, 'é'), (3, '日')) AS t(k, v) ORDER BY k;
SELECT k, array_agg(k) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM generate_series(1, 5) AS k ORDER BY k;
SELECT k, sum(k) FILTER (WHERE k % 2 = 0) OVER (ORDER BY k) AS even_running FROM generate_series(1, 6) AS k ORDER BY k;
SELECT k, bool_and(k < 4) OVER (ORDER BY k) FROM generate_series(1, 5) AS k ORDER BY k;

-- ---------------------------------------------------------------
-- frames: ROWS
-- ---------------------------------------------------------------
SELECT k, sum(k) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM generate_series(1, 6) AS k ORDER BY k;
SELECT k, avg(k) OVER (ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS moving_avg FROM generate_series(1, 6) AS k ORDER BY k;
SELECT k, sum(k) OVER (ORDER BY k ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS remaining FROM generate_series(1, 5) AS k ORDER BY k;
SELECT k, sum(k) OVER (ORDER BY k ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM generate_series(1, 5) AS k ORDER BY k;
SELECT k, sum(k) OVER (ORDER BY k ROWS 2 PRECEDING) FROM generate_series(1, 5) AS k ORDER BY k;
SELECT k, count(*) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM generate_series(1, 3) AS k ORDER BY k;
SELECT k, sum(k) OVER (ORDER BY k ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) FROM generate_series(1, 5) AS k ORDER BY k;
SELECT o_orderkey, o_totalprice,
       round(avg(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS ma3
FROM orders WHERE o_custkey = 13 ORDER BY o_orderkey;

-- ---------------------------------------------------------------
-- frames: RANGE
-- ---------------------------------------------------------------
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM (VALUES (1), (2), (2), (4)) AS t(x) ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM (VALUES (1), (2), (4)) AS t(x) ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES (1), (2), (4), (5), (9)) AS t(x) ORDER BY x;
SELECT x, count(*) OVER (ORDER BY x RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM (VALUES (1), (2), (2), (3), (6)) AS t(x) ORDER BY x;
SELECT x, count(*) OVER (ORDER BY x DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS c FROM (VALUES (1), (2), (3), (6)) AS t(x) ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING) FROM (VALUES (1.0), (1.5), (2.0), (3.5)) AS t(x) ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x;
SELECT d, count(*) OVER (ORDER BY d RANGE BETWEEN '2 days'::interval PRECEDING AND CURRENT ROW) AS last3days
FROM (VALUES (DATE '2024-01-01'), (DATE '2024-01-02'), (DATE '2024-01-04'), (DATE '2024-01-05'), (DATE '2024-01-09')) AS t(d) ORDER BY d;
SELECT ts, sum(v) OVER (ORDER BY ts RANGE BETWEEN '1 hour'::interval PRECEDING AND CURRENT ROW) AS hourly
FROM (VALUES (TIMESTAMP '2024-03-01 10:00', 1), (TIMESTAMP '2024-03-01 10:30', 2), (TIMESTAMP '2024-03-01 11:15', 4), (TIMESTAMP '2024-03-01 13:00', 8)) AS t(ts, v) ORDER BY ts;
SELECT o_orderdate, o_totalprice,
       sum(o_totalprice) OVER (ORDER BY o_orderdate RANGE BETWEEN '1 year'::interval PRECEDING AND CURRENT ROW) AS trailing_year
FROM orders WHERE o_custkey = 1 ORDER BY o_orderdate;
SELECT o_orderdate, count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN '30 days'::interval PRECEDING AND '30 days'::interval FOLLOWING) AS nearby
FROM orders WHERE o_custkey = 2 ORDER BY o_orderdate;
SELECT x, first_value(x) OVER (ORDER BY x RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) FROM (VALUES (5), (12), (20), (40)) AS t(x) ORDER BY x;

-- ---------------------------------------------------------------
-- frames: GROUPS
-- ---------------------------------------------------------------
SELECT x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1), (2), (2), (3), (3), (4)) AS t(x) ORDER BY x;
SELECT x, count(*) OVER (ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM (VALUES (1), (1), (2), (3), (3)) AS t(x) ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM (VALUES (10), (20), (20), (30), (40)) AS t(x) ORDER BY x;
SELECT x, array_agg(x) OVER (ORDER BY x GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x;

-- ---------------------------------------------------------------
-- frame exclusion
-- ---------------------------------------------------------------
SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS others FROM generate_series(1, 4) AS x ORDER BY x;
SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP) FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x;
SELECT k, x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES) AS s
FROM (VALUES (1, 1), (2, 2), (3, 2), (4, 3)) AS t(k, x) ORDER BY k;
SELECT x, sum(x) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS) FROM generate_series(1, 3) AS x ORDER BY x;
SELECT x, count(*) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) AS c FROM (VALUES (1), (2), (2), (3)) AS t(x) ORDER BY x, c;
SELECT x, array_agg(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM (VALUES (1), (2), (3), (5)) AS t(x) ORDER BY x;

-- ---------------------------------------------------------------
-- named WINDOW clauses
-- ---------------------------------------------------------------
SELECT x, sum(x) OVER w, avg(x) OVER w, count(*) OVER w FROM generate_series(1, 4) AS x WINDOW w AS (ORDER BY x) ORDER BY x;
SELECT n_regionkey, n_name, rank() OVER w AS r, lag(n_name) OVER w AS prev
FROM nation WHERE n_regionkey IN (3, 4) WINDOW w AS (PARTITION BY n_regionkey ORDER BY n_name) ORDER BY n_regionkey, n_name;
SELECT x, sum(x) OVER (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s2, sum(x) OVER w AS s_all
FROM generate_series(1, 5) AS x WINDOW w AS (ORDER BY x) ORDER BY x;
SELECT x, first_value(x) OVER w2 FROM generate_series(1, 4) AS x WINDOW w1 AS (ORDER BY x DESC), w2 AS (w1) ORDER BY x;

-- ---------------------------------------------------------------
-- window functions over aggregates
-- ---------------------------------------------------------------
SELECT o_orderpriority, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r FROM orders GROUP BY o_orderpriority ORDER BY r, o_orderpriority;
SELECT extract(year FROM o_orderdate) AS yr, sum(o_totalprice) AS total,
       sum(sum(o_totalprice)) OVER (ORDER BY extract(year FROM o_orderdate)) AS cumulative
FROM orders GROUP BY 1 ORDER BY 1;
SELECT l_shipmode, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;
SELECT r_name, count(*) AS nations, sum(count(*)) OVER () AS all_nations FROM region JOIN nation ON n_regionkey = r_regionkey GROUP BY r_name ORDER BY r_name;
SELECT extract(year FROM o_orderdate) AS yr, count(*) AS n,
       count(*) - lag(count(*)) OVER (ORDER BY extract(year FROM o_orderdate)) AS change
FROM orders GROUP BY 1 ORDER BY 1;

-- ---------------------------------------------------------------
-- filtering window results in an outer query
-- ---------------------------------------------------------------
SELECT n_regionkey, n_name FROM (
  SELECT n_regionkey, n_name, row_number() OVER (PARTITION BY n_regionkey ORDER BY n_name) AS rn FROM nation
) AS t WHERE rn = 1 ORDER BY n_regionkey;
SELECT s_nationkey, s_suppkey, s_acctbal FROM (
  SELECT s_nationkey, s_suppkey, s_acctbal, rank() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal DESC) AS r FROM supplier
) AS t WHERE r <= 2 AND s_nationkey < 5 ORDER BY s_nationkey, r, s_suppkey;
WITH ranked AS (
  SELECT c_custkey, c_mktsegment, c_acctbal, dense_rank() OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal DESC) AS dr FROM customer
) SELECT c_mktsegment, c_custkey, c_acctbal FROM ranked WHERE dr = 1 ORDER BY c_mktsegment, c_custkey;
SELECT k FROM (SELECT k, sum(k) OVER (ORDER BY k) AS running FROM generate_series(1, 10) AS k) AS t WHERE running > 20 ORDER BY k;
SELECT count(*) FROM (SELECT o_orderkey, lag(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS prev, o_orderdate FROM orders) AS t
WHERE o_orderdate = prev;
SELECT o_custkey, max(gap) AS max_gap FROM (
  SELECT o_custkey, o_orderdate - lag(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS gap FROM orders WHERE o_custkey <= 10
) AS t GROUP BY o_custkey ORDER BY o_custkey;
SELECT x, covar_samp(y, x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS moving, regr_slope(y, x) OVER (ORDER BY x) AS running FROM (VALUES (1, 2), (2, 4), (3, 5), (4, 4), (5, NULL), (6, 7)) AS t(x, y) ORDER BY x;
