// pgjdbc logging in with SCRAM-SHA-256 over TLS, the server's certificate verified against a CA.
// Run by tests/python/test_security.py:
//   java -cp /usr/share/java/postgresql.jar PgJdbcLogin.java PORT CA_FILE PASSWORD
import java.sql.*;
import java.util.Properties;

public class PgJdbcLogin {
    static Connection connect(String port, String ca, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "analyst");
        props.setProperty("password", password);
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslrootcert", ca);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/hangar", props);
    }

    public static void main(String[] args) throws Exception {
        try (Connection conn = connect(args[0], args[1], args[2]);
             ResultSet rs = conn.createStatement().executeQuery("SELECT current_user")) {
            if (!rs.next() || !rs.getString(1).equals("analyst")) throw new AssertionError("current_user");
        }
        try {
            connect(args[0], args[1], "wrong").close();
            throw new AssertionError("a wrong password was accepted");
        } catch (SQLException e) {
            if (!"28P01".equals(e.getSQLState())) throw new AssertionError("SQLSTATE " + e.getSQLState(), e);
        }
        System.out.println("login checks passed");
    }
}
