-- Pattern matching (PostgreSQL 15 docs, section 9.7)

-- LIKE / NOT LIKE
SELECT 'abc' LIKE 'abc';
SELECT 'abc' LIKE 'a%';
SELECT 'abc' LIKE '_b_';
SELECT 'abc' LIKE 'c';
SELECT 'abc' NOT LIKE 'a%' AS not_like;
SELECT 'abc' LIKE '%' AS any_match, '' LIKE '%' AS empty_any, '' LIKE '_' AS empty_one;
SELECT 'ABC' LIKE 'abc' AS case_sensitive;
SELECT NULL::text LIKE 'a%' AS null_like;
SELECT 'abc' LIKE NULL AS null_pattern;
SELECT 'héllo wörld' LIKE 'h_llo w_rld';
SELECT '日本語' LIKE '日_語';
SELECT '日本語' LIKE '__' AS two_chars;
SELECT 'a%b' LIKE 'a\%b' AS escaped_pct, 'axb' LIKE 'a\%b' AS escaped_pct_no;
SELECT 'a_b' LIKE 'a\_b' AS escaped_us, 'axb' LIKE 'a\_b' AS escaped_us_no;
SELECT '100%' LIKE '100#%' ESCAPE '#';
SELECT '100x' LIKE '100#%' ESCAPE '#';
SELECT 'a\b' LIKE 'a\b' ESCAPE '';
SELECT 'a_b' LIKE 'a\_b' ESCAPE '' AS backslash_is_literal, 'A\B' NOT ILIKE 'a\%' ESCAPE '' AS negated_ilike, 'a%' LIKE 'a%' ESCAPE '' AS percent_still_wild;
SELECT 'x_y' LIKE 'x!_y' ESCAPE '!', 'xzy' LIKE 'x!_y' ESCAPE '!';

-- ILIKE / NOT ILIKE and operator forms
SELECT 'ABC' ILIKE 'abc';
SELECT 'AbC' ILIKE 'a_c';
SELECT 'abc' NOT ILIKE 'A%' AS not_ilike;
SELECT 'abc' ~~ 'a%';
SELECT 'abc' ~~* 'A%';
SELECT 'abc' !~~ 'a%';
SELECT 'abc' !~~* 'X%';

-- LIKE over TPC-H
SELECT count(*) FROM part WHERE p_name LIKE '%green%';
SELECT count(*) FROM part WHERE p_type LIKE 'PROMO%';
SELECT count(*) FROM part WHERE p_type NOT LIKE '%BRASS';
SELECT count(*) FROM part WHERE p_container LIKE 'SM%' AND p_brand LIKE 'Brand#1_';
SELECT count(*) FROM customer WHERE c_phone LIKE '1_-%';
SELECT count(*) FROM orders WHERE o_comment LIKE '%special%requests%';
SELECT count(*) FROM orders WHERE o_comment NOT LIKE '%special%requests%';
SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Complaints%';
SELECT count(*) FROM nation WHERE n_name ILIKE '%an%';
SELECT n_name FROM nation WHERE n_name ~~* 'u%' ORDER BY n_name;
SELECT r_name FROM region WHERE r_name !~~ '%A' ORDER BY r_name;
SELECT p_brand, count(*) FROM part WHERE p_brand LIKE 'Brand#_5' GROUP BY p_brand ORDER BY p_brand;
SELECT count(*) FILTER (WHERE l_shipinstruct LIKE 'DELIVER%') AS deliver, count(*) FILTER (WHERE l_shipinstruct ILIKE '%return') AS ret FROM lineitem;

-- SIMILAR TO
SELECT 'abc' SIMILAR TO 'abc';
SELECT 'abc' SIMILAR TO 'a';
SELECT 'abc' SIMILAR TO '%(b|d)%';
SELECT 'abc' SIMILAR TO '(b|c)%';
SELECT '-abc-' SIMILAR TO '%\mabc\M%';
SELECT 'xyz' NOT SIMILAR TO '%(y|z)%' AS not_similar;
SELECT 'aaa' SIMILAR TO 'a*' AS star, '' SIMILAR TO 'a*' AS star_empty;
SELECT 'aaa' SIMILAR TO 'a+' AS plus, '' SIMILAR TO 'a+' AS plus_empty;
SELECT 'abab' SIMILAR TO '(ab)+';
SELECT 'b7' SIMILAR TO '[a-c][0-9]';
SELECT 'd7' SIMILAR TO '[a-c][0-9]';
SELECT 'ab' SIMILAR TO 'a_';
SELECT 'ab' SIMILAR TO 'a?b?' AS question;
SELECT 'aaa' SIMILAR TO 'a{2,3}' AS braces;
SELECT 'a.c' SIMILAR TO 'a.c' AS dot_literal, 'abc' SIMILAR TO 'a.c' AS dot_literal_no;
SELECT '50%' SIMILAR TO '50#%' ESCAPE '#';
SELECT 'héllo' SIMILAR TO 'h(é|e)llo';
SELECT NULL::text SIMILAR TO 'a%' AS null_similar;
SELECT count(*) FROM part WHERE p_container SIMILAR TO '(SM|LG) (BOX|PACK)';
SELECT count(*) FROM part WHERE p_type SIMILAR TO '%(TIN|COPPER)';
SELECT l_shipmode, count(*) FROM lineitem WHERE l_shipmode SIMILAR TO '[A-F]%' GROUP BY l_shipmode ORDER BY l_shipmode;

-- POSIX regular expression operators
SELECT 'thomas' ~ 't.*ma';
SELECT 'thomas' ~* 'T.*ma';
SELECT 'thomas' !~ 't.*max';
SELECT 'thomas' !~* 'T.*ma';
SELECT 'abc' ~ '^a' AS anchored, 'abc' ~ '^b' AS anchored_no;
SELECT 'abc' ~ 'c$';
SELECT 'abc123' ~ '[0-9]+$';
SELECT 'abc' ~ '' AS empty_re;
SELECT 'foo bar' ~ '\mbar\M' AS word_bounds;
SELECT 'ABC' ~ '(?i)abc' AS embedded_flag;
SELECT '日本語' ~ '^.{3}$' AS three_chars;
SELECT 'héllo' ~* 'HÉLLO' AS mb_icase;
SELECT NULL::text ~ 'a' AS null_re;
SELECT count(*) FROM customer WHERE c_phone ~ '^(10|20)-';
SELECT count(*) FROM orders WHERE o_comment ~* '^(the|a) ';
SELECT count(*) FROM supplier WHERE s_phone !~ '^[12]';
SELECT n_name FROM nation WHERE n_name ~ '^[A-C]' ORDER BY n_name;
SELECT n_name FROM nation WHERE n_name ~ ' ' ORDER BY n_name;
SELECT count(*) FROM part WHERE p_name ~ '(^| )(red|blue)( |$)';

-- substring with patterns
SELECT substring('foobar' from 'o.b');
SELECT substring('foobar' from 'o(.)b');
SELECT substring('foobar' from 'x+') AS no_match;
SELECT substring('Thomas' from '...$');
SELECT substring('2024-03-15' from '^(\d{4})') AS yr;
SELECT substring('foobar' similar '%#"o_b#"%' escape '#');
SELECT substring('foobar' similar '#"o_b#"%' escape '#') AS similar_no_match;
SELECT substring('Thomas' from '%#"o_a#"_' for '#');
SELECT substring('héllo wörld' from 'w(.)r');
SELECT substring(c_phone from '^(\d+)-') AS cc, count(*) FROM customer GROUP BY 1 ORDER BY 1 LIMIT 5;

-- regexp_match, regexp_matches
SELECT regexp_match('foobarbequebaz', 'bar.*que');
SELECT regexp_match('foobarbequebaz', '(bar)(beque)');
SELECT regexp_match('foobarbequebaz', 'xyz') IS NULL AS no_match;
SELECT (regexp_match('abc01234xyz', '(?:(.*?)(\d+)(.*)){1,1}'))[2] AS digits;
SELECT regexp_match('ABC', 'b', 'i');
SELECT regexp_match('日本語テキスト', '本(.)');
SELECT regexp_matches('foobarbequebaz', 'ba.', 'g') ORDER BY 1;
SELECT regexp_matches('foobarbequebaz', '(b)(a)(.)', 'g') ORDER BY 1;
SELECT regexp_matches('aAbB', '[a-z]', 'gi') ORDER BY 1;
SELECT regexp_matches('foobarbequebaz', 'xyz', 'g');
SELECT regexp_matches('abc', 'b');
SELECT m[1] AS word FROM regexp_matches('the quick brown fox', '(\w+)', 'g') AS m ORDER BY 1;
SELECT count(*) FROM regexp_matches('a1b22c333', '\d+', 'g');
SELECT o_orderkey, regexp_matches(o_comment, '(\w+)ly', 'g') AS adv FROM orders WHERE o_orderkey IN (1, 2, 3) ORDER BY o_orderkey, adv;

-- regexp_replace
SELECT regexp_replace('Thomas', '.[mN]a.', 'M');
SELECT regexp_replace('ABCDEF', 'b..', 'X', 'i');
SELECT regexp_replace('foobarbaz', 'b..', 'X');
SELECT regexp_replace('foobarbaz', 'b..', 'X', 'g');
SELECT regexp_replace('foobarbaz', 'b(..)', 'X\1Y', 'g');
SELECT regexp_replace('Hello World', '(\w+) (\w+)', '\2 \1');
SELECT regexp_replace('abc', '(b)', '[\&]');
SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 0, 'i');
SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 3, 'i');
SELECT regexp_replace('aaaa', 'a', 'b', 2);
SELECT regexp_replace('aaaa', 'a', 'b', 2, 2);
SELECT regexp_replace('héllo wörld', '[éö]', '_', 'g');
SELECT regexp_replace('  multiple   spaces  ', '\s+', ' ', 'g');
SELECT regexp_replace(NULL, 'a', 'b') IS NULL AS null_src;
SELECT regexp_replace(c_phone, '\d', '#', 'g') AS masked FROM customer WHERE c_custkey <= 3 ORDER BY c_custkey;
SELECT regexp_replace(s_name, '^Supplier#0*', 'S') AS short FROM supplier ORDER BY s_suppkey LIMIT 5;

-- regexp_split_to_array, regexp_split_to_table
SELECT regexp_split_to_array('hello world', '\s+');
SELECT regexp_split_to_array('a1b22c333d', '\d+');
SELECT regexp_split_to_array('abc', '');
SELECT regexp_split_to_array('a,B,c', 'b', 'i');
SELECT regexp_split_to_array('', ',') AS empty_input;
SELECT regexp_split_to_table('the quick brown fox', '\s+') AS w ORDER BY w;
SELECT t, ord FROM regexp_split_to_table('x-y--z', '-') WITH ORDINALITY AS s(t, ord) ORDER BY ord;
SELECT count(*) FROM regexp_split_to_table('日本 語 テキスト', ' ');
SELECT word, count(*) AS n FROM (SELECT regexp_split_to_table(r_comment, '\s+') AS word FROM region) s GROUP BY word ORDER BY n DESC, word LIMIT 5;

-- regexp_count, regexp_instr, regexp_like, regexp_substr (PostgreSQL 15)
SELECT regexp_count('ABCABCAXYaxy', 'A.');
SELECT regexp_count('ABCABCAXYaxy', 'A.', 1, 'i');
SELECT regexp_count('ABCABCAXYaxy', 'A.', 4);
SELECT regexp_count('abc', 'x') AS zero;
SELECT regexp_count('日本日本日', '日');
SELECT regexp_instr('number of your street, town zip, FR', '[^,]+', 1, 2);
SELECT regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i', 2);
SELECT regexp_instr('ABCDEF', 'CD', 1, 1, 1) AS after_end;
SELECT regexp_instr('ABCDEF', 'xyz') AS not_found;
SELECT regexp_like('Hello World', 'world$', 'i');
SELECT regexp_like('Hello World', 'world$');
SELECT regexp_substr('number of your street, town zip, FR', '[^,]+', 1, 2);
SELECT n_name, regexp_instr(n_name, '[AEIOU]', 2, 2), regexp_substr(n_name, '[AEIOU]+', 1, 2), regexp_replace(n_name, '[AEIOU]', '<\&>', 2, 0) FROM nation WHERE n_nationkey < 6 ORDER BY n_nationkey;
SELECT regexp_replace('abcabc', 'b', 'X', 3, 0, 'g'), regexp_substr('abc', 'z') IS NULL AS none, regexp_instr('abc', 'z'), regexp_instr(NULL, 'a') IS NULL AS null_in, regexp_substr('hello world', '\yw\w+');
SELECT regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2);
SELECT regexp_substr('ABCDEF', 'xyz') IS NULL AS not_found;
SELECT sum(regexp_count(o_comment, 'the')) FROM orders WHERE o_orderkey < 1000;
SELECT count(*) FROM customer WHERE regexp_like(c_comment, '^(ironic|regular)');
SELECT c_custkey, regexp_substr(c_address, '[A-Za-z]+') AS first_word, regexp_instr(c_address, '\d') AS first_digit FROM customer WHERE c_custkey <= 5 ORDER BY c_custkey;
