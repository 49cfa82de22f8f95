-- numeric.sql: arithmetic, numeric scales, mathematical functions, float specials
-- (PostgreSQL 15 docs, 9.3 Mathematical Functions and Operators)

-- Integer arithmetic and operand types
SELECT 2 + 3;
SELECT 2 - 3 AS diff;
SELECT 2 * 3, pg_typeof(2 * 3);
SELECT 7 / 2;
SELECT -7 / 2;
SELECT 7 / -2 AS q;
SELECT 7 % 3, -7 % 3, 7 % -3, -7 % -3;
SELECT 5::smallint + 3::smallint AS s, pg_typeof(5::smallint + 3::smallint);
SELECT 5::smallint * 3 AS m, pg_typeof(5::smallint * 3);
SELECT 5::integer + 3::bigint AS b, pg_typeof(5::integer + 3::bigint);
SELECT 9000000000 / 7, pg_typeof(9000000000 / 7);
SELECT 9000000000 % 7;
SELECT 2147483647::bigint + 1;
SELECT -(5) AS neg, - -5 AS negneg, -(5::smallint) AS negsmall;
SELECT +3 AS plus;

-- Numeric arithmetic and result scales
SELECT 0.1 + 0.2;
SELECT 0.1 + 0.2 = 0.3 AS exact;
SELECT 1.0 / 3;
SELECT 1 / 3.0 AS third;
SELECT 10.0 / 4;
SELECT 2.50 * 3;
SELECT 2.50 * 3.000;
SELECT 1.5 - 0.25;
SELECT 100.00 / 3;
SELECT 1::numeric / 3;
SELECT 2::numeric / 3::numeric AS two_thirds;
SELECT 123456789.123 / 7;
SELECT 1 / 7.000000000000000000000000;
SELECT 10::numeric / 2;
SELECT 5.5 % 2;
SELECT -5.5 % 2 AS m;
SELECT 10.25 % 0.5;
SELECT 7 + 0.5, pg_typeof(7 + 0.5);
SELECT 3 * 1.10 AS product;
SELECT 1e3, pg_typeof(1e3);
SELECT 1.5e-3;
SELECT 2.5E+2 * 2;
SELECT 1e-10 + 1;
SELECT 12345678901234567890 + 1;
SELECT -0.0 AS numeric_negzero;

-- Float arithmetic
SELECT 0.1::float8 + 0.2::float8;
SELECT 1::float8 / 3;
SELECT 1::real / 3, pg_typeof(1::real / 3);
SELECT 2.5::real * 2::real;
SELECT 1::float8 / 3 * 3 AS roundtrip;
SELECT 7::float8 / 2::float8;
SELECT 1::real + 1::float8, pg_typeof(1::real + 1::float8);
SELECT 1.5 + 1::float8, pg_typeof(1.5 + 1::float8);
SELECT 3 + 0.5::real AS mixed, pg_typeof(3 + 0.5::real);
SELECT 1e300::float8 * 10;
SELECT 100::float8 / 7;

-- Exponent, roots, absolute value
SELECT 2 ^ 10;
SELECT 2 ^ 3 ^ 3 AS assoc;
SELECT 2.0 ^ 0.5;
SELECT 2::float8 ^ -1;
SELECT 10::numeric ^ 2;
SELECT 1.5 ^ 2;
SELECT |/ 25.0;
SELECT |/ 2;
SELECT ||/ 27;
SELECT ||/ -64::float8;
SELECT @ -5.0, @ -17, @ 3::smallint;

-- Bitwise operators on integers
SELECT 91 & 15, 32 | 3, 17 # 5;
SELECT ~1 AS notone, ~0::bigint AS notzero;
SELECT 1 << 4, 8 >> 2;
SELECT 5::smallint & 3::smallint, pg_typeof(5::smallint & 3::smallint);
SELECT -16 >> 2 AS arith_shift;
SELECT 1::bigint << 40;

-- Mathematical functions
SELECT abs(-17.4), abs(-17), abs(-2.5::float8);
SELECT abs(0.0), abs(NULL::numeric);
SELECT cbrt(64.0), cbrt(-27);
SELECT ceil(42.2), ceil(-42.8), ceiling(95.3);
SELECT ceil(42.2::float8), ceiling(-0.5::float8);
SELECT degrees(0.5), degrees(pi());
SELECT div(9, 4), div(-9, 4), div(9.5, 2);
SELECT exp(1.0);
SELECT exp(1), exp(0);
SELECT exp(2.0::numeric) AS e2;
SELECT factorial(5), factorial(0), factorial(20);
SELECT factorial(25);
SELECT factorial(33) AS largest, pg_typeof(factorial(3)) AS numeric_type;
SELECT factorial(-1);
SELECT floor(42.8), floor(-42.8), floor(-0.5::float8);
SELECT gcd(1071, 462), gcd(-12, 18), gcd(0, 5), gcd(1.5, 2.25);
SELECT lcm(1071, 462), lcm(4, 6), lcm(-4, 6), lcm(0, 5);
SELECT ln(2.0), ln(2), ln(1);
SELECT log(100), log(100.0), log10(1000), log10(1000.0);
SELECT log(2.0, 64.0), log(2, 8), log(10, 0.001);
SELECT log(2.5);
SELECT min_scale(8.4100), min_scale(0.00), min_scale(123);
SELECT mod(9, 4), mod(-9, 4), mod(9, -4), mod(9.5, 2.5), mod(-10.25, 3);
SELECT pi();
SELECT power(9, 3), power(9.0, 3), power(2, -2), power(2.0, -2);
SELECT power(4, 0.5), power(8.0, 1.0 / 3);
SELECT radians(45.0), radians(180);
SELECT round(42.4), round(42.5), round(-42.5), round(-42.4);
SELECT round(0.5), round(1.5), round(2.5), round(-0.5), round(-1.5), round(-2.5);
SELECT round(0.5::float8), round(1.5::float8), round(2.5::float8), round(-0.5::float8), round(-1.5::float8), round(-2.5::float8);
SELECT round(2.5::real) AS r, pg_typeof(round(2.5::real));
SELECT round(42.4382, 2), round(1.005, 2), round(-1.005, 2), round(0.125, 2);
SELECT round(1234.5678, -2), round(1250, -2), round(-1250, -2), round(1234.5678, 0);
SELECT round(15.0, -1), round(25, -1), round(-25, -1), round(5, -1);
SELECT round(2.5, 3), pg_typeof(round(2.5, 3));
SELECT scale(8.4100), scale(0), scale(1.0e-5), scale(1e3);
SELECT sign(-8.4), sign(0), sign(3), sign(-2::float8), sign(0.0);
SELECT sqrt(2), sqrt(2.0), sqrt(16), sqrt(0.25);
SELECT sqrt(1e-2::numeric) AS small_root;
SELECT trim_scale(8.4100), trim_scale(1.000), trim_scale(0.000), trim_scale(120.00);
SELECT trunc(42.8), trunc(-42.8), trunc(42.8::float8), trunc(-0.5::float8);
SELECT trunc(42.4382, 2), trunc(-42.4382, 2), trunc(1234.5678, -2), trunc(5, 2);
SELECT width_bucket(5.35, 0.024, 10.06, 5);
SELECT width_bucket(0, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(-1, 0, 10, 5), width_bucket(11, 0, 10, 5);
SELECT width_bucket(5.35::float8, 10.06::float8, 0.024::float8, 5) AS reversed;
SELECT width_bucket(now_val, ARRAY[1, 5, 10, 20]) FROM (VALUES (0), (1), (7), (25)) AS t(now_val) ORDER BY now_val;
SELECT width_bucket(2.5, ARRAY[1, 2, 3]), width_bucket(3, ARRAY[1.5, 2.5]), width_bucket(NULL::int, ARRAY[1]), width_bucket(0.5, ARRAY[1, 2]);
SELECT width_bucket(date '2024-01-01', ARRAY[date '2023-01-01', date '2024-01-01', date '2025-01-01']) AS on_edge;
SELECT o_orderpriority, width_bucket(o_totalprice, ARRAY[1000, 10000, 100000, 300000]) AS bucket FROM orders ORDER BY o_orderkey LIMIT 8;
SELECT abs(NULL::integer) IS NULL AS null_abs, round(NULL::numeric, 2) IS NULL AS null_round;

-- Trigonometric functions
SELECT sin(0), cos(0), tan(0);
SELECT asin(1), acos(1), atan(1), atan2(1, 1);
SELECT sind(30), cosd(60), tand(45), sind(90), cosd(90), tand(0);
SELECT asind(0.5), acosd(0.5), atand(1), atan2d(1, 0);
SELECT cot(1) AS c, cotd(45);
SELECT round(sin(pi() / 6)::numeric, 10) AS s30, round(cos(pi() / 3)::numeric, 10) AS c60;
SELECT sinh(0), cosh(0), tanh(0), asinh(0), acosh(1), atanh(0);
SELECT round(sinh(1)::numeric, 12), round(cosh(1)::numeric, 12), round(tanh(1)::numeric, 12);

-- Float specials
SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8;
SELECT 'nan'::real, 'inf'::float8, '-inf'::float8;
SELECT 'NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric;
SELECT 'NaN'::float8 = 'NaN'::float8 AS nan_eq, 'NaN'::float8 > 'Infinity'::float8 AS nan_gt;
SELECT 'Infinity'::float8 + 1, 'Infinity'::float8 - 'Infinity'::float8, 'Infinity'::float8 * 0;
SELECT 1 / 'Infinity'::float8, -1 / 'Infinity'::float8;
SELECT 'Infinity'::numeric + 1, 'NaN'::numeric + 1;
SELECT -0.0::float8, 0.0::float8 = -0.0::float8 AS eq, -0.0::float8 * 1;
SELECT '-0'::float8, '-0'::real, '-0'::numeric;
SELECT sign('-Infinity'::float8), abs('-Infinity'::float8), floor('Infinity'::float8);
SELECT sqrt('Infinity'::float8), exp('-Infinity'::float8);
SELECT greatest(1::float8, 'NaN'::float8), least(1::float8, 'NaN'::float8);
SELECT x FROM (VALUES ('NaN'::float8), ('Infinity'), ('-Infinity'), (0), (-0.5), (1e10)) AS t(x) ORDER BY x;
SELECT 1e308::float8 * 1e0 AS big, 1e-307::float8 AS tiny;

-- TPC-H: sums, averages and scales over numeric columns
SELECT sum(l_extendedprice) FROM lineitem;
SELECT avg(l_extendedprice) FROM lineitem;
SELECT avg(l_discount), avg(l_tax) FROM lineitem;
SELECT sum(l_quantity) AS qty, avg(l_quantity) AS avg_qty, pg_typeof(avg(l_quantity)) FROM lineitem;
SELECT sum(l_extendedprice * (1 - l_discount)) AS revenue FROM lineitem;
SELECT sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS charge FROM lineitem WHERE l_returnflag = 'R';
SELECT round(sum(l_extendedprice * (1 - l_discount)), 2) AS revenue FROM lineitem WHERE l_shipmode = 'AIR';
SELECT l_orderkey, l_linenumber, l_extendedprice * (1 - l_discount) AS disc_price, l_extendedprice * l_discount FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 8;
SELECT l_orderkey, l_linenumber, round(l_extendedprice * (1 - l_discount) * (1 + l_tax), 1) AS charge FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 8;
SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base, avg(l_discount) AS avg_disc, count(*) FROM lineitem GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus;
SELECT l_shipmode, round(avg(l_extendedprice), 2), round(avg(l_quantity), 0), trunc(avg(l_discount), 3) FROM lineitem GROUP BY l_shipmode ORDER BY l_shipmode;
SELECT sum(o_totalprice) / count(*) AS mean, avg(o_totalprice) FROM orders;
SELECT o_orderpriority, sum(o_totalprice) / 1000 AS k FROM orders GROUP BY o_orderpriority ORDER BY o_orderpriority;
SELECT sum(ps_supplycost * ps_availqty) AS stock_value FROM partsupp;
SELECT avg(ps_availqty), sum(ps_availqty), pg_typeof(sum(ps_availqty)) FROM partsupp;
SELECT avg(p_size), sum(p_size), pg_typeof(sum(p_size)), pg_typeof(avg(p_size)) FROM part;
SELECT sum(l_orderkey), avg(l_orderkey), pg_typeof(sum(l_orderkey)) FROM lineitem;
SELECT p_size, p_size / 7 AS idiv, p_size % 7 AS imod, p_size::numeric / 7 AS ndiv FROM part WHERE p_partkey <= 6 ORDER BY p_partkey;
SELECT s_suppkey, s_acctbal, abs(s_acctbal), sign(s_acctbal), ceil(s_acctbal), floor(s_acctbal) FROM supplier ORDER BY s_acctbal LIMIT 5;
SELECT c_custkey, c_acctbal, round(c_acctbal, -2) AS hundreds, trunc(c_acctbal, 1) AS t1, c_acctbal * 1.5 AS scaled FROM customer ORDER BY c_custkey LIMIT 6;
SELECT width_bucket(c_acctbal, -1000, 10000, 11) AS bucket, count(*) FROM customer GROUP BY 1 ORDER BY 1;
SELECT min(c_acctbal), max(c_acctbal), max(c_acctbal) - min(c_acctbal) AS spread FROM customer;
SELECT round(stddev_samp(l_quantity), 6), round(var_pop(l_quantity), 6) FROM lineitem;
SELECT sum(l_extendedprice::float8) > 0 AS positive, round(sum(l_extendedprice::float8)::numeric, 2) AS fsum FROM lineitem;
SELECT p_retailprice, p_retailprice / 3 AS third, mod(p_retailprice, 7) AS m7, p_retailprice ^ 2 AS sq FROM part ORDER BY p_partkey LIMIT 5;
SELECT n_nationkey, n_nationkey * n_nationkey AS sq, n_nationkey / 4 AS q, n_nationkey % 4 AS r, n_nationkey & 3 AS band FROM nation ORDER BY n_nationkey LIMIT 10;
SELECT sum(l_discount * 100) / count(*) AS pct FROM lineitem WHERE l_quantity < 10;
SELECT scale(sum(l_extendedprice * l_discount)), scale(avg(l_extendedprice)) FROM lineitem;
