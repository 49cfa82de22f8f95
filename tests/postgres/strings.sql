-- String functions and operators (PostgreSQL 15 docs, section 9.4)

-- Concatenation operator ||
SELECT 'Post' || 'greSQL';
SELECT 'Value: ' || 42 AS v;
SELECT 42 || ' is the answer';
SELECT 'pi is ' || 3.14::numeric;
SELECT 'flag: ' || true;
SELECT 'date: ' || DATE '2024-02-29' AS d;
SELECT 'abc' || NULL IS NULL AS is_null;
SELECT '' || '' AS empty_concat;
SELECT 'héllo' || ' ' || 'wörld';
SELECT n_name || '-' || n_nationkey AS label FROM nation WHERE n_regionkey = 1 ORDER BY n_nationkey;

-- bit_length, char_length, character_length, length, octet_length
SELECT bit_length('jose');
SELECT bit_length('héllo');
SELECT char_length('jose');
SELECT character_length('日本語');
SELECT char_length('');
SELECT char_length(NULL::text);
SELECT length('héllo wörld');
SELECT length('abc  ');
SELECT octet_length('jose');
SELECT octet_length('日本語') AS bytes, length('日本語') AS chars;
SELECT max(length(c_comment)) AS maxlen, min(length(c_comment)) AS minlen FROM customer;
SELECT sum(octet_length(r_comment)) FROM region;
SELECT length('abc'::char(10)) AS len_char, octet_length('abc'::char(10)) AS oct_char;

-- lower, upper, initcap
SELECT lower('TOM');
SELECT upper('tom');
SELECT lower('MiXeD CaSe 123');
SELECT upper('héllo wörld');
SELECT lower('ÀÉÎ');
SELECT initcap('hi THOMAS');
SELECT initcap('hello-world foo_bar 3rd');
SELECT initcap('');
SELECT upper(NULL::text);
SELECT r_name, lower(r_name) AS lo, initcap(r_name) AS ini FROM region ORDER BY r_regionkey;

-- lpad, rpad
SELECT lpad('hi', 5, 'xy');
SELECT rpad('hi', 5, 'xy');
SELECT lpad('hi', 5);
SELECT rpad('hi', 5) || '|' AS padded;
SELECT lpad('hello', 3);
SELECT rpad('hello', 3);
SELECT lpad('hi', 0, 'x') AS zero_len;
SELECT lpad('hi', -2, 'x') AS neg_len;
SELECT lpad('hi', 5, '') AS empty_fill;
SELECT lpad('日本', 5, '語');
SELECT lpad(n_nationkey::text, 3, '0') AS k, rpad(n_name, 12, '.') AS name FROM nation WHERE n_nationkey < 5 ORDER BY n_nationkey;

-- ltrim, rtrim, btrim, trim
SELECT ltrim('  test  ') || '|';
SELECT rtrim('  test  ') || '|';
SELECT btrim('  test  ') || '|';
SELECT ltrim('zzzytest', 'xyz');
SELECT rtrim('testxxzx', 'xyz');
SELECT btrim('xyxtrimyyx', 'xyz');
SELECT trim(both 'xyz' from 'yxTomxx');
SELECT trim(leading 'xyz' from 'yxTomxx');
SELECT trim(trailing 'xyz' from 'yxTomxx');
SELECT trim('  both sides  ') || '|' AS t;
SELECT trim(leading from '  lead') AS t;
SELECT trim(trailing from 'xx  ') || '|', trim(both from '  y  ') || '|';
SELECT trim(both from 'xTomx', 'x');
SELECT btrim('ééabcéé', 'é');
SELECT btrim('', 'x') AS empty_trim;
SELECT ltrim(NULL, 'x') IS NULL AS is_null;

-- substring, substr
SELECT substring('Thomas' from 2 for 3);
SELECT substring('Thomas' from 3);
SELECT substring('Thomas' for 2);
SELECT substring('Thomas' from 0 for 3);
SELECT substring('Thomas' from -1 for 3);
SELECT substring('Thomas' from 10);
SELECT substring('héllo wörld' from 2 for 4);
SELECT substr('alphabet', 3);
SELECT substr('alphabet', 3, 2);
SELECT substr('日本語テキスト', 2, 3);
SELECT substr('abc', 1, 0) AS empty_sub;
SELECT substring(p_name from 1 for 10) AS short_name FROM part WHERE p_partkey <= 5 ORDER BY p_partkey;

-- position, strpos
SELECT position('om' in 'Thomas');
SELECT position('x' in 'Thomas');
SELECT position('' in 'Thomas');
SELECT position('wö' in 'héllo wörld');
SELECT strpos('high', 'ig');
SELECT strpos('日本語', '語');
SELECT strpos(NULL, 'a') IS NULL AS is_null;
SELECT count(*) FROM part WHERE strpos(p_name, 'green') > 0;

-- overlay
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4);
SELECT overlay('Txxxxas' placing 'hom' from 2);
SELECT overlay('abcdef' placing 'XY' from 1 for 0);
SELECT overlay('héllo' placing 'E' from 2 for 1);

-- replace, repeat, reverse
SELECT replace('abcdefabcdef', 'cd', 'XX');
SELECT replace('abc', '', 'X');
SELECT replace('aaa', 'a', '');
SELECT replace('héllo wörld', 'ö', 'o');
SELECT repeat('Pg', 4);
SELECT repeat('ab', 0) AS zero;
SELECT repeat('ab', -1) AS neg;
SELECT repeat('日', 3);
SELECT reverse('abcde');
SELECT reverse('héllo');
SELECT reverse('');
SELECT n_name, reverse(n_name) FROM nation WHERE n_nationkey < 4 ORDER BY n_nationkey;

-- left, right
SELECT left('abcde', 2);
SELECT left('abcde', -2);
SELECT left('abcde', 0) AS zero;
SELECT left('abcde', 10);
SELECT right('abcde', 2);
SELECT right('abcde', -2);
SELECT right('日本語', 1);
SELECT left('héllo', -1);
SELECT left(c_phone, 2) AS cc, count(*) FROM customer GROUP BY left(c_phone, 2) ORDER BY cc LIMIT 10;

-- split_part
SELECT split_part('abc~@~def~@~ghi', '~@~', 2);
SELECT split_part('abc,def,ghi,jkl', ',', -1);
SELECT split_part('abc,def,ghi,jkl', ',', -2);
SELECT split_part('abc,def', ',', 5) AS beyond;
SELECT split_part('abc,def', '', 1) AS empty_delim;
SELECT split_part('', ',', 1) AS empty_input;
SELECT split_part('日本,語', ',', 2);
SELECT split_part(c_phone, '-', 1) AS cc, split_part(c_phone, '-', -1) AS last4 FROM customer WHERE c_custkey <= 5 ORDER BY c_custkey;

-- starts_with
SELECT starts_with('alphabet', 'alph');
SELECT starts_with('alphabet', 'bet');
SELECT starts_with('alphabet', '');
SELECT count(*) FROM customer WHERE starts_with(c_mktsegment, 'AUTO');

-- concat, concat_ws
SELECT concat('abcde', 2, NULL, 22);
SELECT concat(NULL, NULL) AS all_null;
SELECT concat('a', true, 1.50, DATE '2024-01-01');
SELECT concat('at ', TIMESTAMP '2024-01-31 13:45:30', ' ', 1e20::float8, ' ', false) AS written;
SELECT concat_ws(',', 'abcde', 2, NULL, 22);
SELECT concat_ws(NULL, 'a', 'b') IS NULL AS null_sep;
SELECT concat_ws('', 'a', NULL, 'b');
SELECT concat_ws(' / ', 'héllo', '日本語', NULL);
SELECT concat_ws('|', n_name, r_name) AS nr FROM nation JOIN region ON n_regionkey = r_regionkey WHERE n_nationkey IN (0, 7, 12) ORDER BY n_nationkey;

-- format
SELECT format('Hello %s', 'World');
SELECT format('Testing %s, %s, %s, %%', 'one', 'two', 'three');
SELECT format('INSERT INTO %I VALUES(%L)', 'Foo bar', E'O\'Reilly');
SELECT format('INSERT INTO %I VALUES(%L)', 'locations', 'C:\Program Files');
SELECT format('%I', 'lowercase');
SELECT format('%I.%I', 'public', 'MyTable');
SELECT format('|%10s|', 'foo');
SELECT format('|%-10s|', 'foo');
SELECT format('|%*s|', 10, 'foo');
SELECT format('|%*s|', -10, 'foo');
SELECT format('|%-*s|', 10, 'foo');
SELECT format('%1$s %1$s', 'repeat');
SELECT format('Testing %3$s, %2$s, %1$s', 'one', 'two', 'three');
SELECT format('Testing %3$s, %2$s, %s', 'one', 'two', 'three');
SELECT format('%s and %L', NULL, NULL);
SELECT format('[%s]', NULL) AS null_s;
SELECT format('%L', 'it''s') AS quoted;
SELECT format('%L', 42) AS num_literal;
SELECT format('%s', 'héllo wörld');
SELECT format(NULL) IS NULL AS null_fmt;
SELECT format('%s has key %s', n_name, n_nationkey) FROM nation WHERE n_nationkey < 3 ORDER BY n_nationkey;

-- md5, ascii, chr
SELECT md5('abc');
SELECT md5('');
SELECT md5('héllo');
SELECT ascii('x');
SELECT ascii('');
SELECT ascii('é');
SELECT ascii('日本');
SELECT chr(65);
SELECT chr(233);
SELECT chr(26085);
SELECT md5(string_agg(r_name, ',' ORDER BY r_regionkey)) FROM region;

-- translate
SELECT translate('12345', '143', 'ax');
SELECT translate('hello', 'lo', 'LO');
SELECT translate('héllo', 'é', 'e');
SELECT translate('abc', '', 'x');
SELECT translate(c_phone, '-', '') AS digits FROM customer WHERE c_custkey = 1;

-- quote_ident, quote_literal, quote_nullable
SELECT quote_ident('Foo bar');
SELECT quote_ident('foo');
SELECT quote_ident('select');
SELECT quote_ident('a"b');
SELECT quote_literal(E'O\'Reilly');
SELECT quote_literal(42.5);
SELECT quote_literal(E'back\\slash');
SELECT quote_literal(NULL) IS NULL AS ql_null;
SELECT quote_nullable(NULL);
SELECT quote_nullable('abc');
SELECT quote_nullable(42);

-- to_hex
SELECT to_hex(2147483647);
SELECT to_hex(255);
SELECT to_hex(0);
SELECT to_hex(-1);
SELECT to_hex(-1::bigint);
SELECT to_hex(9223372036854775807);
SELECT to_hex(n_nationkey * 1000) AS h FROM nation WHERE n_nationkey BETWEEN 10 AND 14 ORDER BY n_nationkey;

-- string_to_array, array_to_string
SELECT string_to_array('xx~~yy~~zz', '~~');
SELECT string_to_array('xx~~yy~~zz', '~~', 'yy');
SELECT string_to_array('abc', NULL);
SELECT string_to_array('abc', '');
SELECT string_to_array('', ',') AS empty_input;
SELECT string_to_array('a,,b', ',');
SELECT string_to_array('日,本,語', ',');
SELECT array_to_string(ARRAY[1, 2, 3, NULL, 5], ',', '*');
SELECT array_to_string(ARRAY[1, 2, 3, NULL, 5], ',');
SELECT array_to_string(ARRAY['a', 'b'], '');
SELECT array_to_string(string_to_array('1-2-3', '-'), '+');
SELECT (string_to_array(p_name, ' '))[1] AS first_word, count(*) AS n FROM part GROUP BY 1 ORDER BY n DESC, first_word LIMIT 5;

-- unistr
SELECT unistr('d\0061t\+000061');
SELECT unistr('\u65e5\u672c');

-- Combined over TPC-H text columns
SELECT upper(left(n_name, 3)) AS code, length(n_name) AS len FROM nation ORDER BY code, len LIMIT 10;
SELECT r_name, length(r_comment) AS clen, position('furiously' in r_comment) AS pos FROM region ORDER BY r_regionkey;
SELECT p_brand, count(*) FROM part WHERE substring(p_type from 1 for 5) = 'SMALL' GROUP BY p_brand ORDER BY p_brand LIMIT 10;
SELECT split_part(p_type, ' ', 3) AS material, count(*) FROM part GROUP BY 1 ORDER BY 1;
SELECT s_name, replace(s_name, 'Supplier#', 'S-') AS short FROM supplier ORDER BY s_suppkey LIMIT 5;
SELECT trim(trailing '0123456789' from s_name) AS prefix, count(*) FROM supplier GROUP BY 1 ORDER BY 1;
SELECT o_orderpriority, ltrim(split_part(o_orderpriority, '-', 2)) AS label, count(*) FROM orders GROUP BY o_orderpriority ORDER BY o_orderpriority;
SELECT string_agg(DISTINCT l_shipmode, ', ' ORDER BY l_shipmode) FROM lineitem;
SELECT c_mktsegment, avg(length(c_address))::numeric(10,4) AS avg_addr FROM customer GROUP BY c_mktsegment ORDER BY c_mktsegment;
