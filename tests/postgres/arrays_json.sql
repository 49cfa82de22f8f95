-- Arrays and JSON (PostgreSQL 15, Chapter 9.19 Array Functions and Operators, 9.16 JSON Functions and Operators)

-- Array constructors and text output
SELECT ARRAY[1, 2, 3];
SELECT ARRAY[1, 2, 3] AS int_arr;
SELECT '{1,2,3}'::int[];
SELECT ARRAY['a', 'b c', 'd"e', NULL, '', 'NULL', 'x,y'] AS quoted;
SELECT ARRAY[1, NULL, 3] AS with_null;
SELECT ARRAY[[1, 2], [3, 4]] AS two_d;
SELECT ARRAY['héllo wörld', '日本語'] AS multibyte;
SELECT ARRAY[1.5, 2.25, -3]::numeric[] AS nums;
SELECT ARRAY[true, false, NULL] AS bools;
SELECT ARRAY['2024-02-29'::date, '2024-03-01'::date] AS dates;
SELECT '{}'::int[] AS empty_arr;
SELECT ARRAY[]::text[] AS empty_text_arr;
SELECT '{"a b", c, NULL, "NULL"}'::text[] AS parsed;
SELECT ARRAY(SELECT n_nationkey FROM nation WHERE n_regionkey = 1 ORDER BY n_nationkey) AS america;
SELECT ARRAY(SELECT r_name FROM region ORDER BY r_name) AS regions;
SELECT ARRAY(SELECT 1 WHERE false) AS empty_sub;
SELECT array_length(ARRAY(SELECT 1 WHERE false), 1);
SELECT pg_typeof(ARRAY[1, 2]), pg_typeof(ARRAY['a'::text]), pg_typeof(ARRAY[1.5]);

-- Subscripts and slices
SELECT (ARRAY[10, 20, 30, 40])[2];
SELECT (ARRAY[10, 20, 30, 40])[5] AS out_of_range;
SELECT (ARRAY[10, 20, 30, 40])[0] AS zero_index;
SELECT (ARRAY[10, 20, 30, 40])[2:3] AS slice;
SELECT (ARRAY[10, 20, 30, 40])[:2] AS head, (ARRAY[10, 20, 30, 40])[3:] AS tail;
SELECT (ARRAY[[1, 2, 3], [4, 5, 6]])[2][3] AS elem;
SELECT (ARRAY[[1, 2, 3], [4, 5, 6]])[1:2][2:3] AS sub;
SELECT ('{a,b,c}'::text[])[NULL::int] AS null_sub;
SELECT ('[0:2]={7,8,9}'::int[])[0] AS lower_zero;
SELECT (ARRAY[10, 20, 30, 40])[-1] AS negative, (ARRAY[10, 20, 30, 40])[2:1] AS reversed, (ARRAY[10, 20, 30, 40])[0:9] AS clamped;
SELECT (ARRAY[[1, 2, 3], [4, 5, 6]])[2] AS too_few, (ARRAY[1, 2, 3])[1][1] AS too_many;
SELECT (ARRAY[[1, 2, 3], [4, 5, 6]])[2:2] AS row_two, (ARRAY[[1, 2, 3], [4, 5, 6]])[1][2:3] AS lone_is_upper, (ARRAY[[1, 2, 3], [4, 5, 6]])[:][3:] AS open_bounds;
SELECT (ARRAY[[1, 2], [3, 4]])[1:2][3:4] AS empty_dim, (ARRAY[1, 2, 3])[1:NULL] AS null_bound;
SELECT array_dims((ARRAY[[1, 2, 3], [4, 5, 6]])[1:2][2:3]) AS sliced, array_ndims(ARRAY[[[1], [2]]]) AS three_d;
SELECT array_dims(ARRAY[1, 2, 3]) AS one_d, array_dims(ARRAY[[1, 2, 3], [4, 5, 6]]) AS two_d, array_dims(NULL::int[]) AS no_array;
SELECT ARRAY[[['a b', NULL], ['c', '{']]] AS nested_quoting, ARRAY[[1.5, 2.5], [3.5, 4.5]] AS nested_numeric;
SELECT a[s] AS elem, s FROM (SELECT ARRAY[[10, 20], [30, 40]] AS a) t, generate_series(1, 2) AS s ORDER BY s;
SELECT x, n FROM unnest(ARRAY[[1, 2], [3, 4]]) WITH ORDINALITY AS t(x, n) ORDER BY n;
SELECT unnest(ARRAY[['a', 'b'], ['c', 'd']]) AS letter ORDER BY 1;

-- Array comparison operators
SELECT ARRAY[1, 2, 3] = ARRAY[1, 2, 3] AS eq, ARRAY[1, 2, 3] <> ARRAY[1, 2, 4] AS ne;
SELECT ARRAY[1, 2, 3] < ARRAY[1, 2, 4] AS lt, ARRAY[1, 2] < ARRAY[1, 2, 0] AS shorter_lt, ARRAY[2] > ARRAY[1, 9] AS gt;
SELECT ARRAY[1, NULL] = ARRAY[1, NULL] AS null_elems_eq;
SELECT ARRAY[1, 4, 3] @> ARRAY[3, 1, 3] AS contains, ARRAY[2, 2, 7] <@ ARRAY[1, 7, 4, 2, 6] AS contained;
SELECT ARRAY[1, 4, 3] && ARRAY[2, 1] AS overlap, ARRAY[1, 4] && ARRAY[2, 3] AS no_overlap;
SELECT ARRAY[]::int[] <@ ARRAY[1] AS empty_contained;

-- Concatenation
SELECT ARRAY[1, 2, 3] || ARRAY[4, 5, 6, 7];
SELECT ARRAY[1, 2, 3] || ARRAY[[4, 5, 6], [7, 8, 9]];
SELECT 3 || ARRAY[4, 5, 6] AS prepended;
SELECT ARRAY[4, 5, 6] || 7 AS appended;
SELECT ARRAY['a'] || 'b'::text AS text_app;

-- Array functions
SELECT array_append(ARRAY[1, 2], 3), array_prepend(1, ARRAY[2, 3]);
SELECT array_append(NULL::int[], 1) AS from_null;
SELECT array_cat(ARRAY[1, 2, 3], ARRAY[4, 5]);
SELECT array_cat(ARRAY[1, 2], NULL) AS cat_null;
SELECT array_cat(NULL, ARRAY['x']) AS null_cat, array_cat(NULL::int[], NULL) IS NULL AS both_null;
SELECT array_dims(ARRAY[[1, 2, 3], [4, 5, 6]]), array_dims('[0:2]={1,2,3}'::int[]);
SELECT array_dims('{}'::int[]) AS empty_dims;
SELECT array_length(ARRAY[1, 2, 3], 1), array_length(ARRAY[[1, 2], [3, 4], [5, 6]], 2), array_length('{}'::int[], 1);
SELECT array_lower('[0:2]={1,2,3}'::int[], 1), array_upper(ARRAY[1, 8, 3, 7], 1);
SELECT array_upper(ARRAY[1, 2], 2) AS no_such_dim;
SELECT array_ndims(ARRAY[[1, 2, 3], [4, 5, 6]]), array_ndims(ARRAY[1]);
SELECT cardinality(ARRAY[[1, 2], [3, 4]]), cardinality('{}'::int[]);
SELECT array_position(ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 'mon');
SELECT array_position(ARRAY[1, 2, 3, 2], 2, 3) AS from_3, array_position(ARRAY[1, 2], 9) AS missing;
SELECT array_position(ARRAY[1, NULL, 3], NULL) AS null_pos;
SELECT array_positions(ARRAY['A', 'A', 'B', 'A'], 'A');
SELECT array_positions(ARRAY[1, 2], 9) AS none;
SELECT array_remove(ARRAY[1, 2, 3, 2], 2), array_remove(ARRAY[1, NULL, 3], NULL);
SELECT array_replace(ARRAY[1, 2, 5, 4], 5, 3);
SELECT array_to_string(ARRAY[1, 2, 3, NULL, 5], ',', '*') AS with_null_str;
SELECT array_to_string(ARRAY[1, 2, 3, NULL, 5], ',') AS skip_null;
SELECT array_to_string(ARRAY['héllo', '日本語'], ' | ');
SELECT string_to_array('xx~~yy~~zz', '~~', 'yy');
SELECT string_to_array('a,b,,c', ',') AS parts, string_to_array('abc', NULL) AS chars, string_to_array('', ',') AS empty;
SELECT trim_array(ARRAY[1, 2, 3, 4, 5, 6], 2);
SELECT trim_array(ARRAY[1, 2], 2) AS trimmed_all;
SELECT array_agg(n_name ORDER BY n_name) FROM nation WHERE n_regionkey = 3;
SELECT ARRAY[interval '1 day', NULL, interval '2 hours'] AS spans, ARRAY[time '10:00', time '11:30:00.25'] AS times;
SELECT ARRAY[timestamp '2024-01-01 10:00', timestamp '2024-01-01 10:00:00.5'] AS stamps, ARRAY[timestamptz '2024-01-01 10:00+00'] AS zoned;
SELECT array_agg(o_orderdate ORDER BY o_orderdate) FROM orders WHERE o_orderkey < 40;
SELECT ARRAY[[interval '1 day'], [interval '2 mons 3 days']] AS nested;
SELECT ARRAY[1459.0::float8, 1e20::float8, 0.1::float8, 'NaN'::float8, '-0'::float8] AS floats, ARRAY[1.5::real, 1e-7::real] AS reals;

-- unnest
SELECT x FROM unnest(ARRAY[3, 1, NULL, 2]) AS t(x) ORDER BY x;
SELECT x, ord FROM unnest(ARRAY['c', 'a', 'b']) WITH ORDINALITY AS t(x, ord) ORDER BY ord;
SELECT a, b FROM unnest(ARRAY[1, 2, 3], ARRAY['x', 'y']) AS t(a, b) ORDER BY a;
SELECT x FROM unnest(ARRAY[[1, 2], [3, 4]]) AS t(x) ORDER BY x;
SELECT unnest(ARRAY[5, 6]) AS u ORDER BY u;
SELECT count(*) FROM unnest('{}'::int[]);

-- ANY / ALL over arrays
SELECT 2 = ANY (ARRAY[1, 2, 3]) AS any_eq, 5 = ANY (ARRAY[1, 2, 3]) AS any_ne;
SELECT 5 > ALL (ARRAY[1, 2, 3]) AS all_gt, 2 > ALL (ARRAY[1, 2, 3]) AS not_all;
SELECT 5 = ANY (ARRAY[1, NULL]) AS any_null, 5 <> ALL (ARRAY[1, NULL]) AS all_null;
SELECT 1 = ANY ('{}'::int[]) AS any_empty, 1 = ALL ('{}'::int[]) AS all_empty;
SELECT n_name FROM nation WHERE n_nationkey = ANY (ARRAY[1, 3, 5]) ORDER BY n_name;
SELECT count(*) FROM nation WHERE n_name <> ALL (ARRAY['CHINA', 'JAPAN', 'INDIA']);
SELECT r_name FROM region WHERE r_name LIKE ANY (ARRAY['A%', '%OPE']) ORDER BY r_name;

-- JSON constructors
SELECT json_build_object('a', 1, 'b', 'two', 'c', NULL, 'd', true);
SELECT jsonb_build_object('b', 1, 'a', 'two', 'c', NULL, 'a', 3) AS dedup_sorted;
SELECT json_build_array(1, 'two', NULL, false, 2.50);
SELECT jsonb_build_array(1, 'two', NULL, false, 2.50);
SELECT json_build_object() AS empty_obj, json_build_array() AS empty_arr;
SELECT to_json(42), to_json(-1.50), to_json('héllo "wörld"'::text), to_json(NULL::text);
SELECT to_jsonb(3.14159), to_jsonb('日本語'::text), to_jsonb(true);
SELECT to_json('2024-02-29'::date), to_jsonb('2024-02-29 13:45:00'::timestamp);
SELECT to_json('2024-02-29 13:45:00+02'::timestamptz) AS tstz;
SELECT to_json(ARRAY[1, 2, NULL]), to_jsonb(ARRAY['a', 'b']);
SELECT to_json(r) FROM region r WHERE r_regionkey = 0;
SELECT to_jsonb(r) FROM region r WHERE r_regionkey = 1;
SELECT n.n_name, to_json(r) AS region_row FROM nation n JOIN region r ON n.n_regionkey = r.r_regionkey WHERE n.n_nationkey < 3 ORDER BY 1;
SELECT jsonb_agg(t ORDER BY k) FROM (VALUES (2, 'b', NULL), (1, 'a', 1.5)) AS t(k, v, x);
SELECT to_json(x) AS element FROM unnest(ARRAY[1, 2]) AS x ORDER BY x;
SELECT to_json(ROW(1, 'x', NULL)) AS anon_row;
SELECT json_object('{a, 1, b, "def", c, 3.5}');
SELECT json_object('{{a, 1}, {b, NULL}}') AS pairs;
SELECT json_object('{a, b}', '{1, 2}') AS keys_vals;
SELECT row_to_json(n) FROM nation n WHERE n_nationkey = 7;
SELECT row_to_json(ROW(1, 'foo')) AS f1_f2;
SELECT row_to_json(t) FROM (SELECT 1 AS id, 'héllo' AS name, NULL::int AS nothing) t;

-- -> and ->> with keys and indexes
SELECT '{"a": {"b": "foo"}}'::json -> 'a';
SELECT '{"a": {"b": "foo"}}'::json -> 'a' ->> 'b' AS b;
SELECT '[{"a":"foo"},{"b":"bar"},{"c":"baz"}]'::json -> 2;
SELECT '[{"a":"foo"},{"b":"bar"},{"c":"baz"}]'::json -> -3 AS neg;
SELECT '[1, 2, 3]'::jsonb -> -1 AS last_elem, '[1, 2, 3]'::jsonb -> 5 AS past_end;
SELECT '[1, 2, 3]'::json ->> 2, '{"a":1,"b":2}'::json ->> 'b';
SELECT '{"a": null}'::jsonb -> 'a' AS json_null, '{"a": null}'::jsonb ->> 'a' AS sql_null;
SELECT '{"a": "x"}'::jsonb -> 'missing' AS missing;
SELECT '{"a": [1, "two", {"k": true}]}'::jsonb -> 'a' -> 2 ->> 'k';
SELECT '{"a": 1}'::jsonb -> 0 AS idx_on_obj;
SELECT '{"a": {"b": ["foo", "bar"]}}'::json #> '{a,b,1}';
SELECT '{"a": {"b": ["foo", "bar"]}}'::json #>> '{a,b,1}';
SELECT '{"a": {"b": ["foo", "bar"]}}'::jsonb #> '{a,b}' AS arr, '{"a": {"b": ["foo", "bar"]}}'::jsonb #> '{}' AS whole;
SELECT '{"a": {"b": ["foo", "bar"]}}'::jsonb #>> '{a,x}' AS absent;

-- jsonb containment, existence, concatenation and deletion
SELECT '{"a":1, "b":2}'::jsonb @> '{"b":2}'::jsonb AS contains, '{"b":2}'::jsonb <@ '{"a":1, "b":2}'::jsonb AS contained;
SELECT '[1, 2, [3]]'::jsonb @> '[[3]]' AS nested, '[1, 2]'::jsonb @> '1' AS scalar_in_arr;
SELECT '{"a":1, "b":2}'::jsonb ? 'b' AS has_b, '["a", "b", "c"]'::jsonb ? 'b' AS arr_has_b, '{"a":{"b":1}}'::jsonb ? 'b' AS top_only;
SELECT '{"a":1, "b":2, "c":3}'::jsonb ?| ARRAY['b', 'd'] AS any_key, '["a", "b", "c"]'::jsonb ?& ARRAY['a', 'b'] AS all_keys;
SELECT '{"a":1}'::jsonb ?& ARRAY['a', 'z'] AS not_all;
SELECT '["a", "b"]'::jsonb || '["a", "d"]'::jsonb;
SELECT '{"a": "b"}'::jsonb || '{"c": "d", "a": 5}'::jsonb AS merged;
SELECT '[1, 2]'::jsonb || '3'::jsonb AS arr_scalar, '{"a":1}'::jsonb || '[2]'::jsonb AS obj_arr;
SELECT '{"a": "b", "c": "d"}'::jsonb - 'a';
SELECT '["a", "b", "c", "b"]'::jsonb - 'b' AS remove_strs;
SELECT '{"a": "b", "c": "d", "e": 1}'::jsonb - '{a,c}'::text[] AS remove_keys;
SELECT '["a", "b", "c"]'::jsonb - 1 AS del_idx, '["a", "b", "c"]'::jsonb - -1 AS del_neg;
SELECT '["a", {"b":1}]'::jsonb #- '{1,b}';
SELECT '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,c}' AS del_path;

-- Processing functions
SELECT json_array_length('[1,2,3,{"f1":1,"f2":[5,6]},4]'), jsonb_array_length('[]');
SELECT json_typeof('-123.4'), json_typeof('null'::json), json_typeof('"x"'), json_typeof('[1]'), json_typeof('{}'), json_typeof('true');
SELECT jsonb_typeof('{"a":1}'::jsonb -> 'a') AS num_t, jsonb_typeof('{"a":null}'::jsonb -> 'a') AS null_t, jsonb_typeof('{"a":1}'::jsonb -> 'z') AS missing_t;
SELECT jsonb_set('[{"f1":1,"f2":null},2,null,3]', '{0,f1}', '[2,3,4]', false);
SELECT jsonb_set('[{"f1":1,"f2":null},2]', '{0,f3}', '[2,3,4]') AS created;
SELECT jsonb_set('{"a": 1}', '{b}', '"new"', false) AS not_created;
SELECT jsonb_insert('{"a": [0,1,2]}', '{a, 1}', '"new_value"');
SELECT jsonb_insert('{"a": [0,1,2]}', '{a, 1}', '"new_value"', true) AS after;
SELECT jsonb_insert('{"a": [0,1,2]}', '{a, -1}', '9') AS before_last;
SELECT json_strip_nulls('[{"f1":1, "f2":null}, 2, null, 3]');
SELECT jsonb_strip_nulls('{"a": 1, "b": null, "c": {"d": null, "e": [null]}}');
SELECT jsonb_pretty('[{"f1":1,"f2":null}, 2]');
SELECT jsonb_pretty('{"a": {"b": [1, "x"]}, "c": {}}');
SELECT '{"b": 1,   "a": [1,  2]}'::json AS json_keeps_text, '{"b": 1,   "a": [1,  2]}'::jsonb AS jsonb_normalizes;
SELECT '{"a": 1, "a": 2}'::json AS dup_json, '{"a": 1, "a": 2}'::jsonb AS dup_jsonb;
SELECT '1.50'::jsonb AS num, '1e3'::jsonb AS exp, '"\u00e9"'::jsonb AS unicode_escape;

-- Set-returning JSON functions in FROM
SELECT key, value FROM json_each('{"a":"foo", "b":"bar", "c":[1,2]}') ORDER BY key;
SELECT key, value FROM jsonb_each('{"b":2, "a":{"x":null}, "c":null}') ORDER BY key;
SELECT key, value FROM json_each_text('{"a":"foo", "b":null, "c":3.50}') ORDER BY key;
SELECT key, value FROM jsonb_each_text('{"z":"héllo", "y":true}') ORDER BY key;
SELECT value, ord FROM json_array_elements('[1, true, [2, false], "x", null]') WITH ORDINALITY AS t(value, ord) ORDER BY ord;
SELECT value, ord FROM jsonb_array_elements('[{"a":1}, 2.0, "s"]') WITH ORDINALITY AS t(value, ord) ORDER BY ord;
SELECT value FROM json_array_elements_text('["foo", "bar", null]') WITH ORDINALITY AS t(value, ord) ORDER BY ord;
SELECT value FROM jsonb_array_elements_text('["b", "a", "日本語"]') AS t(value) ORDER BY value;
SELECT k FROM json_object_keys('{"f1":"abc","f2":{"f3":"a", "f4":"b"}}') AS t(k) ORDER BY k;
SELECT k FROM jsonb_object_keys('{"b":1, "a":2, "aa":3}') AS t(k) ORDER BY k;

-- SQL/JSON path (a few)
SELECT jsonb_path_query_first('{"a":[1,2,3,4,5]}', '$.a[*] ? (@ >= 2 && @ <= 4)');
SELECT jsonb_path_query_first('{"a":[]}', '$.a[*]') AS none_found;
SELECT jsonb_path_exists('{"a":[1,2,3,4,5]}', '$.a[*] ? (@ >= 4)') AS has_ge4, jsonb_path_exists('{"a":[1]}', '$.b') AS has_b;
SELECT jsonb_path_query_first('{"x": {"y": "héllo"}}', '$.x.y') AS path_text;
SELECT jsonb_path_exists('{"a":[1,2,3,4,5]}', '$.a[*] ? (@ >= $min)', '{"min": 5}') AS with_vars;

-- Casts and extraction into SQL types
SELECT ('{"a": "text"}'::json)::text, ('{"a":   1}'::jsonb)::text;
SELECT ('{"price": "12.50"}'::jsonb ->> 'price')::numeric + 1 AS price_plus_one;
SELECT ('{"qty": 3}'::json ->> 'qty')::int * 2 AS doubled;
SELECT ('{"n": 1.005}'::jsonb -> 'n')::numeric AS direct_cast;
SELECT '"x"'::jsonb::text AS quoted_text, '"x"'::jsonb #>> '{}' AS unquoted;
SELECT ('{"d": "2024-02-29"}'::jsonb ->> 'd')::date + 1 AS next_day;
SELECT ('{"b": true}'::jsonb -> 'b')::boolean AS b;

-- JSON from TPC-H rows
SELECT json_build_object('region', r_name, 'key', r_regionkey) FROM region ORDER BY r_regionkey;
SELECT jsonb_build_object('nation', n_name, 'region', n_regionkey) FROM nation WHERE n_nationkey < 4 ORDER BY n_nationkey;
SELECT json_agg(n_name ORDER BY n_name) FROM nation WHERE n_regionkey = 0;
SELECT jsonb_agg(jsonb_build_object('k', n_nationkey, 'n', n_name) ORDER BY n_nationkey) FROM nation WHERE n_regionkey = 4;
SELECT json_object_agg(r_name, r_regionkey ORDER BY r_regionkey) FROM region;
SELECT jsonb_object_agg(o_orderstatus, cnt) FROM (SELECT o_orderstatus, count(*) AS cnt FROM orders GROUP BY o_orderstatus) s;
SELECT row_to_json(t) FROM (SELECT o_orderkey, o_totalprice, o_orderdate FROM orders ORDER BY o_orderkey LIMIT 3) t ORDER BY t.o_orderkey;
SELECT to_jsonb(s) ->> 's_name' AS name, (to_jsonb(s) ->> 's_acctbal')::numeric AS bal FROM supplier s ORDER BY s_suppkey LIMIT 3;
SELECT count(*) FROM nation n WHERE to_jsonb(n) @> '{"n_regionkey": 2}';
SELECT r_name, ARRAY(SELECT n_name FROM nation WHERE n_regionkey = r_regionkey ORDER BY n_name) AS nations FROM region ORDER BY r_name;
