-- Date/time operators and functions (PostgreSQL 15, chapter 9.9)

-- date + integer, date - integer, date - date
SELECT date '2024-02-28' + 1;
SELECT date '2024-02-28' + 2 AS leap_next;
SELECT date '2023-02-28' + 1 AS non_leap_next;
SELECT 7 + date '2001-09-28';
SELECT date '2001-10-01' - 7;
SELECT date '2024-03-01' - 1 AS before_march;
SELECT date '2001-10-01' - date '2001-09-28';
SELECT date '2000-01-01' - date '2024-12-31' AS negative_days;
SELECT date '2024-01-01' - date '2023-01-01' AS days_2023, date '2025-01-01' - date '2024-01-01' AS days_2024;
SELECT date '2024-01-01' + NULL::integer;
SELECT date '2024-01-31' + -31;

-- date + interval, date + time, date - interval
SELECT date '2001-09-28' + interval '1 hour';
SELECT date '2024-01-31' + interval '1 month';
SELECT date '2024-03-31' - interval '1 month' AS feb_end;
SELECT date '2001-09-28' + time '03:00';
SELECT time '03:00' + date '2001-09-28';
SELECT date '2001-09-28' - interval '1 hour';
SELECT date '2024-02-29' + interval '1 year';
SELECT pg_typeof(date '2024-01-01' + interval '1 day'), pg_typeof(date '2024-01-01' + 1), pg_typeof(date '2024-01-02' - date '2024-01-01');

-- timestamp +/- interval, timestamp - timestamp
SELECT timestamp '2001-09-28 01:00' + interval '23 hours';
SELECT timestamp '2001-09-28 23:00' - interval '23 hours';
SELECT timestamp '2024-01-31 12:00' + interval '1 month' AS month_end;
SELECT timestamp '2024-02-29 00:00' - interval '1 year' AS minus_year;
SELECT timestamp '2024-01-01 00:00:00' + interval '1 day 2 hours 3 minutes 4.5 seconds';
SELECT timestamp '2001-09-29 03:00' - timestamp '2001-07-27 12:00';
SELECT timestamp '2024-01-01 00:00' - timestamp '2024-01-01 00:00:00.25';
SELECT timestamp '2024-03-01' - timestamp '2023-03-01' AS one_year_span;
SELECT time '05:00' - time '03:00';
SELECT time '05:00' - interval '2 hours';
SELECT time '01:00' + interval '3 hours';
SELECT time '23:00' + interval '3 hours' AS wraps;

-- timestamptz arithmetic across a DST change
SET TIME ZONE 'America/New_York';
SELECT timestamptz '2024-03-10 00:00' + interval '1 day' AS add_day;
SELECT timestamptz '2024-03-10 00:00' + interval '24 hours' AS add_24h;
SELECT timestamptz '2024-11-03 00:00' + interval '1 day' AS fall_day;
SELECT timestamptz '2024-11-03 00:00' + interval '24 hours' AS fall_24h;
SELECT timestamptz '2024-03-11 00:00' - timestamptz '2024-03-10 00:00' AS spring_diff;
SELECT timestamptz '2024-03-10 01:30' + interval '1 hour';
SELECT timestamptz '2024-07-01 12:00';
SELECT timestamptz '2024-01-01 12:00';
SELECT timestamptz '2024-07-01 12:00+00';
SELECT timestamptz '2024-03-10 00:00' + interval '1 month';
RESET timezone;

-- interval arithmetic
SELECT interval '1 hour' * 3.5;
SELECT 900 * interval '1 second';
SELECT 21 * interval '1 day';
SELECT interval '1 day' * 1.5 AS day_and_half;
SELECT interval '1 month' * 1.5 AS month_and_half;
SELECT interval '1 hour' / 1.5;
SELECT interval '1 day' / 3 AS third_of_day;
SELECT interval '1 month' / 4 AS quarter_month;
SELECT interval '1 day' + interval '1 hour';
SELECT interval '1 year 2 months' + interval '3 days 04:05:06';
SELECT interval '2 hours' - interval '30 minutes';
SELECT - interval '23 hours';
SELECT -interval '1 year 2 mons 3 days 04:05:06';
SELECT interval '1 day' - interval '1 hour' AS mixed_sign;
SELECT interval '0' AS zero_interval, interval '1 day' * 0 AS times_zero;
SELECT interval '-1 day +02:00';
SELECT interval '1 day' * -2;

-- comparisons and BETWEEN
SELECT date '2024-01-01' < date '2024-01-02', date '2024-01-01' = date '2024-01-01', date '2024-01-01' >= date '2024-12-31';
SELECT timestamp '2024-01-01 00:00' = date '2024-01-01' AS ts_eq_date;
SELECT timestamptz '2024-01-01 00:00+00' = timestamp '2024-01-01 00:00' AS tstz_eq_ts;
SELECT date '2024-06-15' BETWEEN date '2024-01-01' AND date '2024-12-31';
SELECT date '2024-06-15' NOT BETWEEN date '2024-01-01' AND date '2024-03-31';
SELECT timestamp '2024-06-15 12:00' BETWEEN SYMMETRIC timestamp '2024-12-31' AND timestamp '2024-01-01';
SELECT interval '1 day' = interval '24 hours' AS day_eq_24h, interval '1 month' = interval '30 days' AS month_eq_30d;
SELECT interval '1 day' > interval '23 hours 59 minutes';
SELECT greatest(date '2024-01-01', date '2023-12-31', date '2024-06-01'), least(timestamp '2024-01-01 10:00', timestamp '2024-01-01 09:00');
SELECT count(*) FROM orders WHERE o_orderdate BETWEEN date '1995-01-01' AND date '1995-12-31';
SELECT count(*) AS late FROM lineitem WHERE l_receiptdate > l_commitdate;
SELECT min(o_orderdate), max(o_orderdate) FROM orders;

-- age
SELECT age(timestamp '2001-04-10', timestamp '1957-06-13');
SELECT age(timestamp '1957-06-13', timestamp '2001-04-10') AS negative_age;
SELECT age(timestamp '2024-03-31 10:00', timestamp '2024-02-29 12:30');
SELECT age(date '2024-03-01', date '2023-02-28');
SELECT age(date '2000-01-01'::timestamp, date '1999-12-31'::timestamp);
SELECT age(timestamp '2024-01-31', timestamp '2024-01-31');

-- date_bin
SELECT date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01');
SELECT date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01 00:02:30');
SELECT date_bin('1 day', timestamp '2024-05-05 23:59:59', timestamp '2000-01-01') AS day_bin;
SELECT date_bin('7 days', timestamp '2024-05-05 12:00', timestamp '2024-01-01') AS week_bin;
SELECT date_bin('1 hour', timestamptz '2024-05-05 12:34:56+00', timestamptz '2000-01-01 00:00+00');
SELECT date_bin('10 minutes', timestamp '1999-12-31 23:55', timestamp '2000-01-01') AS before_origin;

-- EXTRACT on timestamp (numeric result)
SELECT EXTRACT(CENTURY FROM timestamp '2000-12-16 12:21:13');
SELECT EXTRACT(CENTURY FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(DAY FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(DECADE FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(DOW FROM timestamp '2001-02-18 20:38:40') AS dow_sunday;
SELECT EXTRACT(DOY FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(EPOCH FROM timestamp '2001-02-16 20:38:40.12');
SELECT EXTRACT(HOUR FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(ISODOW FROM timestamp '2001-02-18 20:38:40') AS isodow_sunday;
SELECT EXTRACT(ISOYEAR FROM timestamp '2006-01-01 00:00:00'), EXTRACT(ISOYEAR FROM timestamp '2006-01-02 00:00:00');
SELECT EXTRACT(JULIAN FROM timestamp '2006-01-01 12:00');
SELECT EXTRACT(MICROSECONDS FROM timestamp '2001-02-16 20:38:28.5');
SELECT EXTRACT(MILLENNIUM FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(MILLISECONDS FROM timestamp '2001-02-16 20:38:28.5');
SELECT EXTRACT(MINUTE FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(MONTH FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(QUARTER FROM timestamp '2001-02-16 20:38:40');
SELECT EXTRACT(SECOND FROM timestamp '2001-02-16 20:38:40.5');
SELECT EXTRACT(WEEK FROM timestamp '2001-02-16 20:38:40'), EXTRACT(WEEK FROM timestamp '2005-01-01');
SELECT EXTRACT(YEAR FROM timestamp '2001-02-16 20:38:40');
SELECT pg_typeof(EXTRACT(YEAR FROM timestamp '2001-02-16')), pg_typeof(date_part('year', timestamp '2001-02-16'));

-- EXTRACT on date
SELECT EXTRACT(YEAR FROM date '2024-02-29'), EXTRACT(MONTH FROM date '2024-02-29'), EXTRACT(DAY FROM date '2024-02-29');
SELECT EXTRACT(DOW FROM date '2024-02-29') AS dow, EXTRACT(ISODOW FROM date '2024-03-03') AS isodow, EXTRACT(DOY FROM date '2024-12-31') AS doy;
SELECT EXTRACT(EPOCH FROM date '2024-01-01');
SELECT EXTRACT(WEEK FROM date '2024-12-30'), EXTRACT(ISOYEAR FROM date '2024-12-30');
SELECT EXTRACT(QUARTER FROM date '2024-10-01'), EXTRACT(DECADE FROM date '2024-10-01'), EXTRACT(CENTURY FROM date '2024-10-01'), EXTRACT(MILLENNIUM FROM date '2024-10-01');
SELECT EXTRACT(JULIAN FROM date '2024-01-01');
SELECT EXTRACT(CENTURY FROM date '0001-01-01 BC') AS bc_century, EXTRACT(YEAR FROM date '0001-01-01 BC') AS bc_year;
SELECT EXTRACT(YEAR FROM make_date(-44, 3, 15)) AS ides, EXTRACT(DECADE FROM date '0011-01-01 BC') AS bc_decade, EXTRACT(MILLENNIUM FROM date '1000-12-31 BC') AS bc_millennium, date_part('year', date '0002-06-01 BC') AS float_bc_year;

-- EXTRACT on timestamptz
SELECT EXTRACT(EPOCH FROM timestamptz '2001-02-16 20:38:40.12-08');
SELECT EXTRACT(TIMEZONE FROM timestamptz '2024-01-01 12:00+00');
SELECT EXTRACT(HOUR FROM timestamptz '2024-01-01 12:00-05') AS hour_utc;
SET TIME ZONE 'America/New_York';
SELECT EXTRACT(TIMEZONE FROM timestamptz '2024-01-01 12:00'), EXTRACT(TIMEZONE FROM timestamptz '2024-07-01 12:00');
SELECT EXTRACT(TIMEZONE_HOUR FROM timestamptz '2024-07-01 12:00'), EXTRACT(TIMEZONE_MINUTE FROM timestamptz '2024-07-01 12:00');
SELECT EXTRACT(HOUR FROM timestamptz '2024-01-01 12:00+00') AS hour_ny, EXTRACT(DAY FROM timestamptz '2024-01-01 03:00+00') AS day_ny;
RESET timezone;

-- EXTRACT on interval
SELECT EXTRACT(EPOCH FROM interval '5 days 3 hours');
SELECT EXTRACT(EPOCH FROM interval '1 year') AS year_seconds, EXTRACT(EPOCH FROM interval '1 month') AS month_seconds;
SELECT EXTRACT(YEAR FROM interval '1 year 14 months'), EXTRACT(MONTH FROM interval '2 years 3 months');
SELECT EXTRACT(DAY FROM interval '40 days 5 hours'), EXTRACT(HOUR FROM interval '40 days 5 hours');
SELECT EXTRACT(MINUTE FROM interval '2 hours 35 minutes'), EXTRACT(SECOND FROM interval '1 minute 12.345 seconds');
SELECT EXTRACT(MILLISECONDS FROM interval '12.345 seconds'), EXTRACT(MICROSECONDS FROM interval '12.345 seconds');
SELECT EXTRACT(QUARTER FROM interval '7 months'), EXTRACT(DECADE FROM interval '25 years'), EXTRACT(CENTURY FROM interval '250 years'), EXTRACT(MILLENNIUM FROM interval '2500 years');
SELECT EXTRACT(HOUR FROM interval '-3 hours -20 minutes'), EXTRACT(EPOCH FROM interval '-1 day');

-- date_part (double precision result)
SELECT date_part('hour', timestamp '2001-02-16 20:38:40');
SELECT date_part('month', interval '2 years 3 months');
SELECT date_part('epoch', timestamp '2001-02-16 20:38:40.12');
SELECT date_part('second', timestamp '2001-02-16 20:38:40.5');
SELECT date_part('dow', date '2024-02-29'), date_part('doy', date '2024-02-29'), date_part('week', date '2024-02-29');
SELECT date_part('hour', date '2024-02-29') AS date_hour;
SELECT date_part('julian', date '2024-01-01');
SELECT date_part('julian', timestamp '2006-01-01 12:00:00.5') AS float_julian, EXTRACT(JULIAN FROM timestamp '1969-12-31 23:00') AS before_epoch, EXTRACT(JULIAN FROM timestamptz '2006-01-01 12:00:00.123456+00') AS zoned;
SELECT EXTRACT(QUARTER FROM interval '-7 months') AS neg_quarter, EXTRACT(DECADE FROM interval '-25 years') AS neg_decade, EXTRACT(CENTURY FROM date '2000-12-31') AS last_of_20th, EXTRACT(MILLENNIUM FROM date '2001-01-01') AS third, date_part('century', interval '250 years') AS float_century;
SELECT date_part('timezone', timestamptz '2024-01-01 12:00+00');
SELECT date_part('quarter', timestamptz '2024-05-01 00:00+00'), date_part('isoyear', timestamptz '2021-01-01 00:00+00');
SELECT date_part('milliseconds', interval '1 minute 2.5 seconds'), date_part('microseconds', timestamp '2001-02-16 20:38:28.000123');
SELECT date_part('century', date '2000-12-31'), date_part('millennium', date '2001-01-01'), date_part('decade', date '1999-06-01');
SELECT date_part('year', NULL::date);

-- date_trunc
SELECT date_trunc('microseconds', timestamp '2001-02-16 20:38:40.123456');
SELECT date_trunc('milliseconds', timestamp '2001-02-16 20:38:40.123456');
SELECT date_trunc('second', timestamp '2001-02-16 20:38:40.5');
SELECT date_trunc('minute', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('hour', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('day', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('week', timestamp '2001-02-16 20:38:40') AS monday;
SELECT date_trunc('month', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('quarter', timestamp '2001-05-16 20:38:40');
SELECT date_trunc('year', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('decade', timestamp '2009-02-16 20:38:40');
SELECT date_trunc('century', timestamp '2001-02-16 20:38:40'), date_trunc('century', timestamp '2000-02-16 20:38:40');
SELECT date_trunc('millennium', timestamp '2001-02-16 20:38:40');
SELECT date_trunc('month', date '2024-02-29') AS trunc_date;
SELECT date_trunc('hour', interval '2 days 3 hours 40 minutes');
SELECT date_trunc('year', interval '3 years 5 months');
SELECT date_trunc('quarter', interval '-1 year -5 mons -3 days 4 hours') AS neg_quarter, date_trunc('day', interval '-3 days -25 hours') AS neg_day;
SELECT date_trunc('milliseconds', interval '1.23456 seconds'), date_trunc('minute', interval '49 hours 12 minutes 3 seconds');
SELECT date_trunc('decade', interval '-33 years'), date_trunc('century', interval '250 years'), date_trunc('millennium', interval '2999 years 11 mons');
SELECT date_trunc('month', x) FROM (VALUES (interval '1 year 2 mons 3 days'), (NULL)) AS t(x);
SELECT date_trunc('hr', timestamp '2024-01-01 10:30'), date_trunc('mons', timestamp '2024-05-17'), date_trunc('c', date '2024-01-02'), date_trunc('y', interval '5 years 2 mons');
SELECT extract(hrs FROM timestamp '2024-01-01 10:30'), extract(mins FROM interval '3 minutes'), date_part('yr', date '2024-05-01'), date_part('c', interval '250 years');
SELECT date_trunc('day', timestamptz '2001-02-16 20:38:40+00');
SELECT date_trunc('day', timestamptz '2001-02-16 20:38:40+00', 'Australia/Sydney');
SELECT date_trunc('month', timestamptz '2024-03-01 02:00+00', 'America/New_York');
SET TIME ZONE 'America/New_York';
SELECT date_trunc('day', timestamptz '2001-02-16 20:38:40+00');
SELECT date_trunc('day', timestamptz '2024-03-10 12:00') AS dst_day_start;
SELECT date_trunc('hour', timestamptz '2024-11-03 01:30-05');
RESET timezone;

-- isfinite, infinity
SELECT isfinite(date '2001-02-16'), isfinite(date 'infinity');
SELECT isfinite(timestamp '2001-02-16 21:28:30'), isfinite(timestamp '-infinity');
SELECT isfinite(interval '4 hours');
SELECT date 'infinity', date '-infinity', timestamp 'infinity', timestamptz '-infinity';
SELECT date 'infinity' > date '9999-12-31' AS inf_gt, date '-infinity' < date '4713-01-01 BC' AS neg_inf_lt;
SELECT timestamp 'infinity' + interval '1 day' AS inf_plus;
SELECT date 'infinity' + 1 AS inf_date_plus;
SELECT EXTRACT(YEAR FROM timestamp 'infinity'), date_part('year', timestamp '-infinity');
SELECT date_trunc('day', timestamp 'infinity');

-- justify_days, justify_hours, justify_interval
SELECT justify_days(interval '35 days');
SELECT justify_days(interval '1 year 65 days') AS justified;
SELECT justify_hours(interval '27 hours');
SELECT justify_hours(interval '50 hours 30 minutes');
SELECT justify_interval(interval '1 mon -1 hour');
SELECT justify_interval(interval '-1 mon 50 hours');
SELECT justify_days(interval '-35 days'), justify_hours(interval '-27 hours');

-- make_date, make_interval, make_time, make_timestamp, make_timestamptz
SELECT make_date(2013, 7, 15);
SELECT make_date(2024, 2, 29) AS leap_day;
SELECT make_date(-44, 3, 15) AS bc_date;
SELECT make_interval(days => 10);
SELECT make_interval(1, 2, 3, 4, 5, 6, 7.5);
SELECT make_interval(years => 1, months => 6);
SELECT make_interval(hours => 36, mins => 90, secs => 30.25);
SELECT make_interval();
SELECT make_time(8, 15, 23.5);
SELECT make_time(0, 0, 0) AS midnight;
SELECT make_time(23, 59, 59.999999) AS last, make_time(8, 15, 59.9999999) AS carried;
SELECT make_time(25, 0, 0);
SELECT make_timestamp(2013, 7, 15, 8, 15, 23.5);
SELECT make_timestamp(2024, 12, 31, 23, 59, 59.999999);
SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5);
SELECT make_timestamptz(2013, 7, 15, 8, 15, 23.5, 'America/New_York');
SELECT make_timestamptz(2024, 1, 1, 0, 0, 0, '+05:30');

-- to_timestamp(double precision)
SELECT to_timestamp(1284352323);
SELECT to_timestamp(0) AS epoch;
SELECT to_timestamp(1284352323.5) AS fractional;
SELECT to_timestamp(-86400) AS day_before_epoch;
SELECT to_timestamp('Infinity'::float8);
SELECT to_timestamp('NaN'::float8);
SELECT to_timestamp(1e20);
SET TIME ZONE 'America/New_York';
SELECT to_timestamp(1284352323);
RESET timezone;

-- AT TIME ZONE
SELECT timestamp '2001-02-16 20:38:40' AT TIME ZONE 'America/Denver';
SELECT timestamptz '2001-02-16 20:38:40-05' AT TIME ZONE 'America/Denver';
SELECT timestamp '2001-02-16 20:38:40' AT TIME ZONE 'Asia/Tokyo' AT TIME ZONE 'America/Chicago';
SELECT timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC' AS as_tstz;
SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'Europe/Berlin' AS berlin_local;
SELECT timestamptz '2024-01-01 12:00+00' AT TIME ZONE 'Europe/Berlin' AS berlin_winter;
SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE '+02';
SELECT timestamptz '2024-07-01 12:00+00' AT TIME ZONE INTERVAL '-08:00';
SELECT timestamp '2024-07-01 12:00' AT TIME ZONE INTERVAL '+05:30';
SELECT timezone('Asia/Kolkata', timestamptz '2024-07-01 12:00+00');
SELECT pg_typeof(timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC'), pg_typeof(timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'UTC');
SET TIME ZONE 'America/New_York';
SELECT timestamp '2024-07-01 12:00' AT TIME ZONE 'Europe/London';
SELECT timestamptz '2024-07-01 12:00' AT TIME ZONE 'Europe/London';
RESET timezone;

-- OVERLAPS
SELECT (DATE '2001-02-16', DATE '2001-12-21') OVERLAPS (DATE '2001-10-30', DATE '2002-10-30');
SELECT (DATE '2001-02-16', INTERVAL '100 days') OVERLAPS (DATE '2001-10-30', DATE '2002-10-30');
SELECT (DATE '2001-10-29', DATE '2001-10-30') OVERLAPS (DATE '2001-10-30', DATE '2001-10-31') AS touching;
SELECT (DATE '2001-10-30', DATE '2001-10-30') OVERLAPS (DATE '2001-10-30', DATE '2001-10-31') AS instant;
SELECT (timestamp '2024-01-01 10:00', timestamp '2024-01-01 08:00') OVERLAPS (timestamp '2024-01-01 09:00', interval '1 hour') AS reversed_ends;

-- interval input and output forms
SELECT interval '1 year 2 months';
SELECT interval '1-2' AS sql_year_month;
SELECT interval '3 4:05:06' AS sql_day_time;
SELECT interval 'P1Y2M';
SELECT interval 'P1Y2M3DT4H5M6S';
SELECT interval 'PT36H';
SELECT interval 'P0001-02-03T04:05:06' AS iso_alt;
SELECT interval '@ 1 year 2 mons ago';
SELECT interval '1.5 years', interval '1.5 months', interval '1.5 days';
SELECT interval '90 minutes', interval '3600 seconds', interval '0.000001 seconds';
SELECT interval '1 week', interval '2 decades', interval '1 century', interval '1 millennium';
SELECT interval '-1 year -2 mons +3 days -04:05:06';
SELECT '2 hours'::interval, '1 day 12:00'::interval AS cast_form;
SELECT interval '1' day, interval '1:30' hour to minute, interval '2 years 3 months' year;
SET intervalstyle = 'iso_8601';
SELECT interval '1 year 2 months 3 days 04:05:06.5', interval '-1 day +02:00', interval '0';
RESET intervalstyle;
SET intervalstyle = 'sql_standard';
SELECT interval '1 year 2 months', interval '3 days 04:05:06', interval '-1 day +02:00';
RESET intervalstyle;
SET intervalstyle = 'postgres_verbose';
SELECT interval '1 year 2 months 3 days 04:05:06', interval '-1 day +02:00';
RESET intervalstyle;

-- fractional seconds and output trimming
SELECT timestamp '2024-01-01 12:00:00.500';
SELECT timestamp '2024-01-01 12:00:00.123456';
SELECT timestamp '2024-01-01 12:00:00.1234567' AS rounded_to_micro;
SELECT timestamp '2024-01-01 12:00:00.000' AS no_fraction;
SELECT timestamp(2) '2024-01-01 12:00:00.125' AS precision_2;
SELECT time '12:34:56.780', time '12:34:56.000001';
SELECT interval '1.250 seconds', interval '00:00:00.5';
SELECT timestamptz '2024-01-01 12:00:00.050+00';
SELECT cast(timestamp '2024-01-01 12:00:00.999999' AS timestamp(0)) AS round_up;

-- timestamptz output under different session time zones
SELECT timestamptz '2024-06-15 12:00:00+00' AS utc_out;
SET TIME ZONE 'Asia/Kolkata';
SELECT timestamptz '2024-06-15 12:00:00+00' AS kolkata_out;
SELECT timestamptz '2024-06-15 12:00:00' AS kolkata_in;
RESET timezone;
SET TIME ZONE 'Australia/Sydney';
SELECT timestamptz '2024-06-15 12:00:00+00' AS sydney_winter, timestamptz '2024-12-15 12:00:00+00' AS sydney_summer;
RESET timezone;
SET timezone = 'Europe/Berlin';
SELECT timestamptz '2024-03-31 00:30:00+00', timestamptz '2024-03-31 01:30:00+00';
SELECT timestamptz '2024-06-15 12:00:00.25+00'::timestamp AS local_ts, timestamp '2024-06-15 12:00'::timestamptz AS from_local;
SELECT date '2024-06-15'::timestamptz;
RESET timezone;
SET TIME ZONE '-03:00';
SELECT timestamptz '2024-06-15 12:00:00+00' AS fixed_offset;
RESET timezone;
SET TIME ZONE 'America/St_Johns';
SELECT timestamptz '2024-01-15 12:00:00+00' AS st_johns;
RESET timezone;

-- datestyle output
SET datestyle = 'ISO, DMY';
SELECT date '2024-03-04', timestamp '2024-03-04 05:06:07';
RESET datestyle;
SET datestyle = 'SQL, MDY';
SELECT date '2024-03-04', timestamp '2024-03-04 05:06:07';
RESET datestyle;
SET datestyle = 'German';
SELECT date '2024-03-04', timestamp '2024-03-04 05:06:07';
RESET datestyle;

-- over TPC-H date columns
SELECT l_orderkey, l_linenumber, l_shipdate, l_receiptdate, l_receiptdate - l_shipdate AS transit_days
FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT 10;
SELECT l_receiptdate - l_shipdate AS transit_days, count(*)
FROM lineitem GROUP BY 1 ORDER BY 1;
SELECT min(l_receiptdate - l_shipdate), max(l_receiptdate - l_shipdate), avg(l_receiptdate - l_shipdate) FROM lineitem;
SELECT date_trunc('month', o_orderdate) AS month, count(*) AS orders
FROM orders WHERE o_orderdate < date '1993-01-01' GROUP BY 1 ORDER BY 1;
SELECT extract(year FROM o_orderdate) AS year, count(*), sum(o_totalprice)
FROM orders GROUP BY 1 ORDER BY 1;
SELECT date_part('quarter', o_orderdate) AS q, count(*)
FROM orders WHERE o_orderdate >= date '1996-01-01' AND o_orderdate < date '1997-01-01' GROUP BY 1 ORDER BY 1;
SELECT extract(dow FROM o_orderdate) AS dow, count(*) FROM orders GROUP BY 1 ORDER BY 1;
SELECT o_orderkey, o_orderdate, o_orderdate + 30 AS due, o_orderdate + interval '1 month' AS due_month
FROM orders ORDER BY o_orderkey LIMIT 5;
SELECT count(*) FROM lineitem WHERE l_shipdate <= date '1998-12-01' - interval '90 days';
SELECT count(*) FROM orders WHERE o_orderdate >= date '1994-01-01' AND o_orderdate < date '1994-01-01' + interval '1 year';
SELECT date_trunc('year', l_shipdate)::date AS ship_year, count(*) FILTER (WHERE l_receiptdate > l_commitdate) AS late, count(*)
FROM lineitem GROUP BY 1 ORDER BY 1;
SELECT extract(isoyear FROM o_orderdate) AS iy, extract(week FROM o_orderdate) AS wk, count(*)
FROM orders WHERE o_orderdate BETWEEN date '1995-12-25' AND date '1996-01-10' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT age(max(o_orderdate), min(o_orderdate)) AS order_span FROM orders;
SELECT max(o_orderdate) - min(o_orderdate) AS span_days FROM orders;
SELECT date_bin('7 days', o_orderdate::timestamp, timestamp '1992-01-06') AS week_start, count(*)
FROM orders WHERE o_orderdate < date '1992-03-01' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS overlapping FROM lineitem
WHERE (l_shipdate, l_receiptdate) OVERLAPS (date '1995-06-01', date '1995-06-02');
