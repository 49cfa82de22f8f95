// pgjdbc (Debian's libpostgresql-jdbc-java) against a running Hangar: DatabaseMetaData, prepared
// statements past prepareThreshold (where pgjdbc switches to named statements and binary results),
// and fetch sizes (portals read in blocks). Run by tests/python/test_other_clients.py:
//   java -cp /usr/share/java/postgresql.jar PgJdbcCheck.java PORT
import java.sql.*;
import java.util.*;

public class PgJdbcCheck {
    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> values = new ArrayList<>();
        while (rs.next()) values.add(rs.getString(name));
        return values;
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/hangar?user=hangar";
        try (Connection conn = DriverManager.getConnection(url)) {
            DatabaseMetaData meta = conn.getMetaData();
            check(meta.getDatabaseProductName().equals("PostgreSQL"), "product " + meta.getDatabaseProductName());
            List<String> schemas = column(meta.getSchemas(), "TABLE_SCHEM");
            check(schemas.contains("public"), "schemas " + schemas);
            List<String> tables = column(meta.getTables(null, "public", "%", new String[] {"TABLE"}), "TABLE_NAME");
            check(tables.contains("lineitem") && tables.contains("nation"), "tables " + tables);
            Map<String, Integer> types = new LinkedHashMap<>();
            try (ResultSet cols = meta.getColumns(null, "public", "nation", "%")) {
                while (cols.next()) types.put(cols.getString("COLUMN_NAME"), cols.getInt("DATA_TYPE"));
            }
            check(types.keySet().equals(new LinkedHashSet<>(List.of("n_nationkey", "n_name", "n_regionkey", "n_comment"))),
                  "columns " + types);
            check(types.get("n_nationkey") == Types.BIGINT, "n_nationkey type " + types);
            // A decimal column's precision and scale, which pgjdbc computes from atttypmod.
            try (ResultSet cols = meta.getColumns(null, "public", "orders", "o_totalprice")) {
                check(cols.next(), "o_totalprice missing");
                check(cols.getInt("DATA_TYPE") == Types.NUMERIC && cols.getInt("COLUMN_SIZE") == 15
                        && cols.getInt("DECIMAL_DIGITS") == 2,
                      "o_totalprice " + cols.getInt("DATA_TYPE") + " " + cols.getInt("COLUMN_SIZE") + " " + cols.getInt("DECIMAL_DIGITS"));
            }

            // pgjdbc prepares on the server from the 5th run; from then on results come in binary.
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT n_name, n_nationkey, DATE '2024-02-29' AS d FROM nation WHERE n_nationkey = ?")) {
                for (int i = 0; i < 8; i++) {
                    ps.setLong(1, i % 3);
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), "row for " + i);
                        check(rs.getLong(2) == i % 3, "key " + rs.getLong(2));
                        check(rs.getDate(3).toString().equals("2024-02-29"), "date " + rs.getDate(3));
                        String expected = List.of("ALGERIA", "ARGENTINA", "BRAZIL").get(i % 3);
                        check(rs.getString(1).equals(expected), "name " + rs.getString(1));
                    }
                }
            }

            // A fetch size outside autocommit reads the result through a portal, 7 rows at a time.
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                st.setFetchSize(7);
                int rows = 0;
                try (ResultSet rs = st.executeQuery("SELECT n_nationkey FROM nation ORDER BY 1")) {
                    while (rs.next()) check(rs.getLong(1) == rows++, "row " + rows);
                }
                check(rows == 25, "rows " + rows);
            }
            conn.commit();

            try (Statement st = conn.createStatement()) {
                st.executeQuery("SELECT * FROM no_such_table");
                check(false, "no error");
            } catch (SQLException e) {
                check("42P01".equals(e.getSQLState()), "sqlstate " + e.getSQLState());
            }
        }
        System.out.println("pgjdbc: all checks passed");
    }
}
