-- casts.sql: type conversions between numeric, integer, float, text, character,
-- date/time, interval and boolean types (PostgreSQL 15 docs, CREATE CAST / 8.x / 9.x)

-- numeric -> integer types: round half away from zero
SELECT CAST(2.5 AS integer), CAST(3.5 AS integer), CAST(-2.5 AS integer), CAST(-3.5 AS integer);
SELECT 0.5::integer, 1.5::integer, (-0.5)::integer, (-1.5)::integer, 2.4999::integer;
SELECT CAST(2.5 AS smallint) AS s, 2.5::bigint AS b, pg_typeof(2.5::smallint);
SELECT 32767.4::smallint, (-32768.4)::smallint;
SELECT CAST(9223372036854775807.0 AS bigint);
SELECT 123.456::numeric::integer AS n2i;

-- float -> integer types: round half to even
SELECT CAST(2.5::float8 AS integer), CAST(3.5::float8 AS integer), CAST(-2.5::float8 AS integer), CAST(-3.5::float8 AS integer);
SELECT 0.5::float8::integer, 1.5::float8::integer, (-0.5)::float8::integer, 4.5::float8::integer;
SELECT 2.5::real::smallint, 3.5::real::bigint, (-1.5)::real::bigint;
SELECT 2.6::float8::integer, (-2.6)::float8::integer, 1e9::float8::integer;

-- integer types among themselves
SELECT CAST(100 AS smallint), pg_typeof(CAST(100 AS smallint));
SELECT 100::smallint::bigint, pg_typeof(100::smallint::bigint);
SELECT 4000000000::bigint AS big, pg_typeof(4000000000);
SELECT CAST((-32768)::integer AS smallint), CAST(2147483647::bigint AS integer);

-- integer types -> numeric and float
SELECT CAST(42 AS numeric), 42::numeric(6,2), pg_typeof(42::numeric);
SELECT 7::smallint::numeric, 9223372036854775807::bigint::numeric;
SELECT CAST(42 AS real), 42::double precision, pg_typeof(42::real);
SELECT 16777217::integer::real AS lossy_real, 16777217::integer::float8 AS exact;
SELECT 9007199254740993::bigint::float8 AS lossy_double;
SELECT 1234567::real, 123456789::real;

SELECT CAST(12::smallint AS real), 12::smallint::double precision, CAST(5000000000 AS real), 5000000000::bigint::float8;
SELECT CAST(70000::bigint AS integer), 300::bigint::smallint, CAST(300::integer AS smallint);
SELECT CAST(2.5::float8 AS bigint), 1e15::float8::bigint, CAST(1234.5::real AS numeric), 1234.5::numeric::real;

-- numeric <-> float
SELECT CAST(0.1 AS double precision), CAST(0.1 AS real), 0.1::float4::float8 AS widened;
SELECT 1.23456789012345678901::float8, 1.23456789012345678901::real;
SELECT CAST(0.1::float8 AS numeric), 0.1::real::numeric, (1::float8 / 3)::numeric;
SELECT 1e20::float8::numeric, 1e-5::float8::numeric, 123.456::float8::numeric;
SELECT 'NaN'::float8::numeric, 'Infinity'::float8::numeric, '-Infinity'::numeric::float8;
SELECT 3.14159::real::float8 AS r2d, 3.14159::float8::real AS d2r;

-- numeric(p,s) typmod rounding
SELECT CAST(123.456 AS numeric(5,2)), 123.455::numeric(5,2), 123.454::numeric(5,2);
SELECT (-123.455)::numeric(5,2), 0.005::numeric(3,2), (-0.005)::numeric(3,2);
SELECT 2.5::numeric(2,0), 3.5::numeric(2,0), (-2.5)::numeric(2,0);
SELECT 42::numeric(5,2), 1.5::numeric(10,4), pg_typeof(1.5::numeric(10,4));
SELECT 1234.5678::numeric(8), 99.9::numeric(3,1);
SELECT 2.5::float8::numeric(3,0) AS f2n, 0.125::float8::numeric(4,2);
SELECT l_extendedprice::numeric(10,0), l_extendedprice::integer, l_discount::real FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 5;

-- text -> numeric parsing
SELECT CAST('42' AS numeric), '  42  '::numeric, '+42'::numeric, '-42'::numeric;
SELECT '1.50'::numeric, '.5'::numeric, '5.'::numeric, '-.5'::numeric;
SELECT '1e3'::numeric, '1.5E-3'::numeric, '-2.5e+2'::numeric, '  1e2 '::numeric;
SELECT '0012.3400'::numeric AS padded, pg_typeof('1'::numeric);
SELECT 'NaN'::numeric, 'nan'::numeric, 'infinity'::numeric, '-inf'::numeric;
SELECT ' 17 '::integer, '-17'::smallint, '+9000000000'::bigint;
SELECT CAST('  3.25 ' AS double precision), '1e-3'::float8, '-1.5E2'::real, '  inf'::float8;
SELECT '0.1'::real, '3.4028235e38'::real, '1.7976931348623157e308'::float8;

-- numeric and float -> text (scale kept, shortest float form)
SELECT CAST(1.50 AS text), 1.500::text, 0.0::text, (-0.00)::text;
SELECT 2.50 * 3 AS v, (2.50 * 3)::text AS t;
SELECT 100::numeric(6,2)::text, 1e3::text, 1.0e3::text;
SELECT CAST(0.1::float8 AS text), (0.1::float8 + 0.2::float8)::text, (1::float8 / 3)::text;
SELECT 0.1::real::text, 1e20::float8::text, 1e-20::float8::text, 123456789012345680::float8::text;
SELECT 100::float8::text, 1.5::real::text, '-0'::float8::text, 'NaN'::float8::text;
SELECT 42::text, (-7)::smallint::text, 9223372036854775807::text, pg_typeof(42::text);
SELECT 1e15::float8::text, 1e16::float8::text, 123456.789::real::text;
SELECT p_retailprice::text, p_size::text, length(p_retailprice::text) FROM part ORDER BY p_partkey LIMIT 4;

-- varchar and char(n)
SELECT CAST(12.5 AS varchar), 12.5::varchar(3), 'abcdef'::varchar(3);
SELECT CAST('ab' AS char(5)), 'ab'::char(5)::text AS trimmed, length('ab'::char(5)), octet_length('ab'::char(5));
SELECT 'abcdef'::char(3), 'x'::character, pg_typeof('x'::character);
SELECT 'ab  '::varchar::char(4) = 'ab'::char(4) AS eq, 'ab '::char(3)::varchar AS v, length('ab '::char(3)::varchar);
SELECT 42::char(5), 42::varchar, true::varchar, true::char(5);
SELECT 'héllo wörld'::varchar(5), '日本語テキスト'::char(3), '日本'::char(4) || '|' AS padded;
SELECT '  12 '::varchar::integer, '3.5'::char(3)::numeric, '2024-01-31'::varchar::date;
SELECT 'yes'::char(3)::boolean, '1 day'::varchar::interval;
SELECT n_name::char(10) || '|' AS fixed, n_name::varchar(4) AS short FROM nation ORDER BY n_nationkey LIMIT 5;

SELECT CAST('abc' AS char(5)) || '|' AS c, CAST('abc' AS varchar(2)), 'abc'::text::char(2), pg_typeof('abc'::varchar(2));
SELECT CAST(DATE '2024-01-31' AS varchar), CAST(TIMESTAMP '2024-01-31 01:02:03' AS char(10)), CAST(INTERVAL '1 day' AS varchar(3));

-- boolean casts
SELECT CAST('yes' AS boolean), 'on'::boolean, 't'::boolean, '1'::boolean, 'true'::boolean, 'y'::boolean;
SELECT 'no'::boolean, 'off'::boolean, 'f'::boolean, '0'::boolean, 'FALSE'::boolean, '  n '::boolean;
SELECT 'TRUE'::boolean, 'Yes'::boolean, 'ON'::boolean, 'of'::boolean;
SELECT CAST(1 AS boolean), 0::boolean, 5::boolean, (-1)::boolean;
SELECT CAST(true AS integer), false::integer, pg_typeof(true::integer);
SELECT CAST(true AS text), false::text, true::varchar(2), pg_typeof(true::text);
SELECT true::text || '!' AS t, (1 < 2)::text AS cmp;
SELECT (p_size > 25)::integer AS big, count(*) FROM part GROUP BY 1 ORDER BY 1;

-- typed literals
SELECT DATE '2024-01-31', pg_typeof(DATE '2024-01-31');
SELECT TIMESTAMP '2024-01-31 13:45:30', TIMESTAMP '2024-01-31 13:45:30.123456';
SELECT TIMESTAMPTZ '2024-01-31 13:45:30+02', TIMESTAMP WITH TIME ZONE '2024-07-01 00:00:00-05';
SELECT INTERVAL '1 day 2 hours', INTERVAL '90 minutes', INTERVAL '1 year 2 months 3 days';
SELECT NUMERIC '12.340', REAL '1.5', DOUBLE PRECISION '2.5', INTEGER '7', BIGINT '8', SMALLINT '9';
SELECT BOOLEAN 'yes', VARCHAR 'abc', CHAR 'a', TEXT 'plain';
SELECT pg_typeof(TIMESTAMP '2024-01-31 00:00'), pg_typeof(INTERVAL '1 day'), pg_typeof(NUMERIC '1');

-- text <-> date, timestamp, timestamptz
SELECT CAST('2024-02-29' AS date), '2024-02-29'::date + 1;
SELECT 'January 8, 1999'::date, '1999-01-08'::date, '19990108'::date, '1/8/1999'::date;
SELECT '8 Jan 1999'::date AS day_first, '1999-Jan-08'::date AS year_first, '1/8/99'::date AS short_year, '2024-01-31 23:59:59'::date AS with_time, '44-03-15 BC'::date AS bc;
SELECT '13/01/2024'::date;
SELECT 'Smarch 3, 2024'::date;
SELECT ' 2024-03-01 '::date, '2024-3-1'::date, 'epoch'::date;
SELECT CAST(DATE '2024-01-31' AS text), DATE '0099-12-31'::text, pg_typeof(DATE '2024-01-31'::text);
SELECT '2024-01-31 13:45:30'::timestamp, '2024-01-31T13:45:30'::timestamp, '2024-01-31'::timestamp;
SELECT '2024-01-31 13:45:30.5'::timestamp(0), '2024-01-31 13:45:30.125'::timestamp(2);
SELECT CAST(TIMESTAMP '2024-01-31 13:45:30' AS text), TIMESTAMP '2024-01-31 13:45:30.250'::varchar;
SELECT '2024-01-31 13:45:30+02'::timestamptz, '2024-01-31 13:45:30 UTC'::timestamptz, '2024-01-31 13:45:30-08:30'::timestamptz;
SELECT CAST(TIMESTAMPTZ '2024-01-31 13:45:30+02' AS text);
SELECT 'epoch'::timestamp, 'infinity'::timestamp, '-infinity'::date, 'infinity'::timestamptz;
SELECT o_orderdate::text, o_orderdate::timestamp, o_orderdate::varchar(7) FROM orders ORDER BY o_orderkey LIMIT 4;

-- date <-> timestamp <-> timestamptz
SELECT CAST(DATE '2024-01-31' AS timestamp), DATE '2024-01-31'::timestamptz;
SELECT CAST(TIMESTAMP '2024-01-31 23:59:59' AS date), TIMESTAMP '2024-01-31 00:00:00'::date;
SELECT TIMESTAMP '2024-01-31 13:45:30'::timestamptz, TIMESTAMPTZ '2024-01-31 13:45:30+02'::timestamp;
SELECT TIMESTAMPTZ '2024-01-31 23:30:00-05'::date AS utc_date;
SELECT pg_typeof(DATE '2024-01-31'::timestamp), pg_typeof(DATE '2024-01-31'::timestamptz), pg_typeof(TIMESTAMP '2024-01-31'::date);
SELECT 'infinity'::date::timestamp, '-infinity'::timestamp::date;
SET TIME ZONE 'America/New_York';
SELECT DATE '2024-01-31'::timestamptz, TIMESTAMP '2024-07-01 12:00'::timestamptz;
SELECT TIMESTAMPTZ '2024-01-31 02:00:00+00'::date, TIMESTAMPTZ '2024-01-31 02:00:00+00'::timestamp;
SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00'::text;
RESET TIME ZONE;
SELECT min(l_shipdate)::timestamp, max(l_shipdate)::timestamptz FROM lineitem;
SELECT o_orderdate, (o_orderdate::timestamp + INTERVAL '36 hours')::date AS plus FROM orders ORDER BY o_orderkey LIMIT 3;

-- text <-> interval, several input forms
SELECT CAST('1 day' AS interval), '2 hours 30 minutes'::interval, '1 day 02:03:04'::interval;
SELECT '1-2'::interval AS year_month, '3 4:05:06'::interval AS day_time, '04:05'::interval;
SELECT '1.5 days'::interval, '1.5 hours'::interval, '0.5 months'::interval, '1.5 years'::interval;
SELECT '-1 day +2 hours'::interval, '1 day ago'::interval, '-02:00'::interval;
SELECT 'P1Y2M3DT4H5M6S'::interval, 'PT36H'::interval, 'P0.5D'::interval;
SELECT '@ 1 year 2 mons'::interval, '1 week'::interval, '10 weeks 3 days'::interval;
SELECT '1 millisecond'::interval, '1.25 seconds'::interval, '3 microseconds'::interval;
SELECT '2 centuries'::interval, '1 decade'::interval, '1 millennium'::interval;
SELECT '100 hours'::interval, '36 hours'::interval = '1 day 12 hours'::interval AS eq;
SELECT CAST(INTERVAL '1 day 2 hours' AS text), INTERVAL '1 year 13 months'::text, INTERVAL '-3 days'::varchar;
SELECT pg_typeof('1 day'::interval::text), INTERVAL '0'::text, INTERVAL '1.5 seconds'::text;
SELECT INTERVAL '2 days' + INTERVAL '3 hours' AS sum_iv, (DATE '2024-01-31' + INTERVAL '1 month')::date;
SET intervalstyle = 'iso_8601';
SELECT INTERVAL '1 day 2 hours', INTERVAL '1 year 2 months 3 days 04:05:06.5', INTERVAL '-1 day';
RESET intervalstyle;
SET intervalstyle = 'sql_standard';
SELECT INTERVAL '1 day 2 hours', INTERVAL '1 year 2 months', INTERVAL '3 days 04:05:06';
RESET intervalstyle;
SET intervalstyle = 'postgres_verbose';
SELECT INTERVAL '1 day 2 hours', INTERVAL '-1 year 2 months', INTERVAL '00:00:30';
RESET intervalstyle;
SELECT max(l_receiptdate - l_shipdate) AS max_days, (max(l_receiptdate - l_shipdate) || ' days')::interval AS as_interval FROM lineitem;

-- date/time output under other DateStyles
SET datestyle = 'SQL, DMY';
SELECT DATE '2024-01-31'::text, TIMESTAMP '2024-01-31 13:45:30'::text, '31/01/2024'::date;
RESET datestyle;
SET datestyle = 'German';
SELECT DATE '2024-01-31', TIMESTAMP '2024-01-31 13:45:30';
RESET datestyle;
SET datestyle = 'ISO, DMY';
SELECT '01/02/2024'::date AS dmy;
RESET datestyle;
SELECT '01/02/2024'::date AS mdy;

-- extra_float_digits and float text output
SET extra_float_digits = 0;
SELECT 0.1::float8 + 0.2::float8, (1::float8 / 3)::text, 0.1::real::text;
RESET extra_float_digits;
SET extra_float_digits = 3;
SELECT (1::float8 / 3)::text, 0.1::real::text;
RESET extra_float_digits;

-- cast chains and casts inside expressions
SELECT '42'::text::integer + 1 AS n, ('4' || '2')::integer * 2 AS m;
SELECT CAST(CAST('3.7' AS numeric) AS integer), '3.7'::float8::integer, '3.5'::numeric::integer;
SELECT ('2024-01-' || '15')::date - DATE '2024-01-01' AS days;
SELECT CAST(l_quantity AS integer) AS q, CAST(l_quantity AS text) AS qt, l_quantity::float8 / 7 AS f FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 4;
SELECT c_acctbal::integer, c_acctbal::float8, c_acctbal::bigint::text FROM customer ORDER BY c_custkey LIMIT 5;
SELECT sum(c_acctbal)::integer AS total_i, avg(c_acctbal)::numeric(10,2) AS avg2, avg(c_acctbal)::real AS avg_r FROM customer;
SELECT extract(year FROM o_orderdate)::integer AS yr, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT o_orderkey::text || '-' || o_orderstatus AS tag, o_totalprice::integer FROM orders ORDER BY o_orderkey LIMIT 3;
SELECT r_regionkey::integer::boolean AS nonzero, r_name::char(6) FROM region ORDER BY r_regionkey;
SELECT NULL::integer, NULL::text::date, CAST(NULL AS interval) IS NULL AS isnull;
SELECT pg_typeof(1::smallint + 1::smallint), pg_typeof(1.5::real * 2), pg_typeof('1'::varchar || 'a');
