// Unit tests of the plugin's pure parts: URLs, the SQL scanner, value
// conversions, parameter binding and sql.transaction references.
#include "connection.hpp"
#include "pg_messages.hpp"
#include "sql_text.hpp"
#include "steps.hpp"
#include "url.hpp"
#include "values.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace seam::sql;
using seam::json;

TEST(SqlUrl, SqliteForms) {
  auto m = parse_url("sqlite3://:memory:");
  EXPECT_EQ(m.kind, dialect::sqlite);
  EXPECT_TRUE(m.in_memory());
  EXPECT_EQ(parse_url("sqlite3:///tmp/a.db").target, "/tmp/a.db");
  EXPECT_EQ(parse_url("sqlite://rel/a.db").target, "rel/a.db");
  EXPECT_FALSE(parse_url("sqlite3:///tmp/a.db").in_memory());
}

TEST(SqlUrl, PostgresPasswordIsFoundAndMasked) {
  auto u = parse_url("postgresql://seam:s%40cret@127.0.0.1:5432/app?sslmode=disable");
  EXPECT_EQ(u.kind, dialect::postgresql);
  EXPECT_EQ(u.password, "s@cret");
  EXPECT_EQ(u.password_raw, "s%40cret");
  EXPECT_EQ(u.masked, "postgresql://seam:***@127.0.0.1:5432/app?sslmode=disable");
  EXPECT_EQ(u.target, u.text); // libpq reads the URI itself

  auto q = parse_url("postgres://h/db?user=x&password=pw1&sslmode=disable");
  EXPECT_EQ(q.password, "pw1");
  EXPECT_EQ(q.masked, "postgres://h/db?user=x&password=***&sslmode=disable");

  auto none = parse_url("postgresql://seam@127.0.0.1/app");
  EXPECT_TRUE(none.password.empty());
  EXPECT_EQ(none.masked, none.text);
}

TEST(SqlUrl, BadSchemesAreRejectedWithTheAcceptedForms) {
  try {
    parse_url("mysql://root@localhost/db");
    FAIL();
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("\"mysql://\" is not supported"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("sqlite3://:memory:"), std::string::npos);
  }
  EXPECT_THROW(parse_url("just-a-path.db"), seam::error);
  EXPECT_THROW(parse_url("sqlite3://"), seam::error);
}

// The password of a URL is found however the URL is broken, so that the
// message about what is wrong with it can mask it.
TEST(SqlUrl, SecretsAreFoundInUrlsThatDoNotParse) {
  auto has = [](const std::vector<std::string> &v, const std::string &s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  EXPECT_TRUE(has(url_secrets("postgresq://seam:pw-1a@127.0.0.1:5432/seam"), "pw-1a"));
  EXPECT_TRUE(has(url_secrets("postgresql:/seam:pw-1b@127.0.0.1:5432/seam"), "pw-1b"));
  EXPECT_TRUE(has(url_secrets("seam:pw-1c@127.0.0.1:5432/seam"), "pw-1c"));
  EXPECT_TRUE(has(url_secrets("postgresql://seam:pw/1d@127.0.0.1:5432/seam"), "pw/1d"));
  EXPECT_TRUE(has(url_secrets("postgresql://seam:p%2Fw@h/db"), "p%2Fw"));
  EXPECT_TRUE(has(url_secrets("postgresql://seam:p%2Fw@h/db"), "p/w"));
  EXPECT_TRUE(has(url_secrets("host=h password=pw-1e dbname=x"), "pw-1e"));
  EXPECT_TRUE(url_secrets("postgresql://seam@h/db").empty());
  EXPECT_TRUE(url_secrets("sqlite3:///tmp/a.db").empty());

  for (const char *bad :
       {"postgresq://seam:pw-2a@127.0.0.1/seam", "postgresql:/seam:pw-2a@127.0.0.1/seam",
        "seam:pw-2a@127.0.0.1/seam", "postgresql://seam:pw-2a/x@127.0.0.1/seam",
        "postgresql://seam:pw-2a@x@127.0.0.1/seam", "postgresql:seam:pw-2a@h/db"}) {
    try {
      parse_url(bad);
      ADD_FAILURE() << bad << " parsed";
    } catch (const seam::error &e) {
      std::string m = e.what();
      EXPECT_EQ(m.find("pw-2a"), std::string::npos) << m;
      EXPECT_NE(m.find("***"), std::string::npos) << m;
    }
  }
  try {
    parse_url("postgresql://seam:pw/2b@127.0.0.1/seam");
    FAIL();
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("'/' as %2F"), std::string::npos) << e.what();
  }
  try {
    parse_url("postgresql:/seam:pw@127.0.0.1/seam");
    FAIL();
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("needs two slashes"), std::string::npos) << e.what();
  }
  auto ok = parse_url("postgresql://seam:p%2Fw@127.0.0.1/seam");
  EXPECT_EQ(ok.password, "p/w");
  EXPECT_EQ(ok.masked, "postgresql://seam:***@127.0.0.1/seam");
}

TEST(SqlUrl, MaskReplacesEveryOccurrence) {
  EXPECT_EQ(mask("a pw b pw", "pw"), "a *** b ***");
  EXPECT_EQ(mask("nothing", ""), "nothing");
}

TEST(SqlText, NamedParametersBecomePlaceholders) {
  auto r = rewrite_named("SELECT * FROM u WHERE a = :email AND b = :name OR c = :email",
                         dialect::postgresql);
  EXPECT_EQ(r.text, "SELECT * FROM u WHERE a = $1 AND b = $2 OR c = $1");
  EXPECT_EQ(r.names, (std::vector<std::string>{"email", "name"}));
  auto s = rewrite_named("INSERT INTO t VALUES (:a, :b)", dialect::sqlite);
  EXPECT_EQ(s.text, "INSERT INTO t VALUES (?1, ?2)");
}

TEST(SqlText, ColonsThatAreNoParametersStay) {
  const char *sql = "SELECT 'a:b', \"c:d\", x::text, :p::int -- :no\n/* :nor */ FROM t";
  auto r = rewrite_named(sql, dialect::postgresql);
  EXPECT_EQ(r.names, std::vector<std::string>{"p"});
  EXPECT_EQ(r.text, "SELECT 'a:b', \"c:d\", x::text, $1::int -- :no\n/* :nor */ FROM t");
  auto d =
      rewrite_named("DO $$ BEGIN RAISE NOTICE 'x:y %', :v; END $$; SELECT $tag$:z$tag$, E'\\':q'",
                    dialect::postgresql);
  EXPECT_TRUE(d.names.empty()) << d.names.size();
  auto e = rewrite_named("SELECT 'it''s :x', :y", dialect::sqlite);
  EXPECT_EQ(e.names, std::vector<std::string>{"y"});
}

TEST(SqlText, ErrorOffsetsMapBackToTheOriginal) {
  std::string sql = "SELECT :long_name, nosuch FROM t";
  auto r = rewrite_named(sql, dialect::postgresql);
  size_t in_rewritten = r.text.find("nosuch");
  EXPECT_EQ(r.original_offset(in_rewritten), sql.find("nosuch"));
  EXPECT_EQ(r.original_offset(3), 3u);
}

TEST(SqlText, BlankKeywordAndPositions) {
  EXPECT_TRUE(is_blank_sql("  ;\n -- c\n /* x */ ;"));
  EXPECT_FALSE(is_blank_sql(" -- c\n SELECT 1"));
  EXPECT_EQ(first_keyword("  -- lead\n /* c */ insert into t"), "INSERT");
  EXPECT_EQ(first_keyword("(select 1)"), "SELECT");
  auto p = locate("SELECT 1;\nSELEC 2", 12);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 3u);
  EXPECT_EQ(p.line_text, "SELEC 2");
  EXPECT_EQ(utf8_offset("é:x", 2), 2u); // 'é' is two bytes, one character
}

TEST(SqlText, TransactionControlStatements) {
  EXPECT_EQ(transaction_control("COMMIT"), "COMMIT");
  EXPECT_EQ(transaction_control("  -- done\n commit;"), "COMMIT");
  EXPECT_EQ(transaction_control("END TRANSACTION"), "END");
  EXPECT_EQ(transaction_control("rollback"), "ROLLBACK");
  EXPECT_EQ(transaction_control("ROLLBACK TO SAVEPOINT a"), "");
  EXPECT_EQ(transaction_control("ROLLBACK TRANSACTION TO a"), "");
  EXPECT_EQ(transaction_control("BEGIN IMMEDIATE"), "BEGIN");
  EXPECT_EQ(transaction_control("start transaction"), "START TRANSACTION");
  EXPECT_EQ(transaction_control("PREPARE TRANSACTION 'x'"), "PREPARE TRANSACTION");
  EXPECT_EQ(transaction_control("ABORT"), "ABORT");
  EXPECT_EQ(transaction_control("SAVEPOINT a"), "");
  EXPECT_EQ(transaction_control("RELEASE SAVEPOINT a"), "");
  EXPECT_EQ(transaction_control("PREPARE q AS SELECT 1"), "");
  EXPECT_EQ(transaction_control("SELECT 'COMMIT'"), "");
  EXPECT_EQ(transaction_control("INSERT INTO commits VALUES (1)"), "");
  EXPECT_EQ(transaction_control(""), "");
}

TEST(SqlText, SkipBlankFindsWhereTheNextStatementStarts) {
  std::string script = "SELECT 1;\n  -- next\n  /* c */ SELECT 2";
  EXPECT_EQ(skip_blank(script, script.find(';')), script.find("SELECT 2"));
  EXPECT_EQ(skip_blank("  ; ", 0), 4u);
}

TEST(SqlText, ScriptsSplitAtTopLevelSemicolons) {
  std::string script =
      "CREATE TABLE t (x TEXT); -- a; comment\n"
      "INSERT INTO t VALUES ('a;b');\n"
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;\n"
      ";  \n";
  auto pieces = split_statements(script, dialect::postgresql);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].text, "CREATE TABLE t (x TEXT)");
  EXPECT_EQ(pieces[1].offset, script.find(" -- a;"));
  EXPECT_NE(pieces[2].text.find("RETURN 1; END $$ LANGUAGE"), std::string_view::npos);
}

TEST(SqlPgMessages, LibpqNoiseIsLeftOut) {
  EXPECT_EQ(clean_libpq("server closed the connection unexpectedly\n"
                        "\tThis probably means the server terminated abnormally\n"
                        "\tbefore or while processing the request.\n"
                        "invalid socket\n"),
            "server closed the connection unexpectedly. This probably means the server "
            "terminated abnormally before or while processing the request.");
  EXPECT_EQ(clean_libpq("FATAL:  terminating connection due to administrator command\n"
                        "no connection to the server\n"),
            "FATAL:  terminating connection due to administrator command");
  EXPECT_EQ(clean_libpq("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                        "\tIs the server running on that host and accepting TCP/IP connections?\n"),
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused. Is the "
            "server running on that host and accepting TCP/IP connections?");
  EXPECT_EQ(clean_libpq("first\nsecond\nfirst\n"), "first\n  second");
  EXPECT_EQ(clean_libpq("no connection to the server\n"), "no connection to the server");
}

TEST(SqlValues, Base64) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode(std::string("\x00\xff\x10", 3)), "AP8Q");
}

TEST(SqlValues, Iso8601) {
  EXPECT_EQ(iso8601("2024-05-01 12:30:00"), "2024-05-01T12:30:00");
  EXPECT_EQ(iso8601("2024-05-01 12:30:00.25+02"), "2024-05-01T12:30:00.25+02:00");
  EXPECT_EQ(iso8601("2024-05-01 12:30:00-05:30"), "2024-05-01T12:30:00-05:30");
  EXPECT_EQ(iso8601("2024-05-01T12:30:00Z"), "2024-05-01T12:30:00Z");
  EXPECT_EQ(iso8601("2024-05-01"), "2024-05-01");
  EXPECT_EQ(iso8601("not a date"), "not a date");
  EXPECT_EQ(iso8601("infinity"), "infinity");
}

TEST(SqlValues, PostgresTextBecomesTypedJson) {
  auto v = [](unsigned oid, const std::string &s) {
    return pg_value(oid, s.c_str(), static_cast<int>(s.size()));
  };
  EXPECT_EQ(v(16, "t"), json(true));
  EXPECT_EQ(v(16, "f"), json(false));
  EXPECT_EQ(v(20, "9007199254740993"), json(int64_t(9007199254740993)));
  EXPECT_EQ(v(701, "1.5"), json(1.5));
  EXPECT_EQ(v(701, "NaN"), json("NaN"));
  EXPECT_EQ(v(1700, "42"), json(42));
  EXPECT_EQ(v(1700, "12.50"), json(12.5));
  EXPECT_EQ(v(17, "\\x00ff10"), json("AP8Q"));
  EXPECT_EQ(v(1184, "2024-05-01 10:30:00+00"), json("2024-05-01T10:30:00+00:00"));
  EXPECT_EQ(v(3802, "{\"a\": [1, 2]}"), json::parse("{\"a\":[1,2]}"));
  EXPECT_EQ(v(25, "text"), json("text"));
}

TEST(SqlValues, ParametersAsPostgresText) {
  EXPECT_EQ(pg_param(json(nullptr)), std::nullopt);
  EXPECT_EQ(pg_param(json(true)), "true");
  EXPECT_EQ(pg_param(json(-7)), "-7");
  EXPECT_EQ(pg_param(json(0.1)), "0.1");
  EXPECT_EQ(pg_param(json("x")), "x");
  EXPECT_EQ(pg_param(json::parse("{\"a\":1}")), "{\"a\":1}");
}

TEST(SqlTransaction, ReferencesWalkEarlierResults) {
  json done = json::array({{{"name", "user"}, {"affected", 1}, {"last_id", 7}},
                           {{"name", "2"}, {"rows", json::array({{{"id", 9}}})}}});
  EXPECT_EQ(resolve_reference("user.last_id", done), json(7));
  EXPECT_EQ(resolve_reference("2.rows[0].id", done), json(9));
  try {
    resolve_reference("usr.last_id", done);
    FAIL();
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("earlier: user, 2"), std::string::npos) << e.what();
  }
  try {
    resolve_reference("2.last_id", done);
    FAIL();
  } catch (const seam::error &e) {
    EXPECT_NE(std::string(e.what()).find("RETURNING"), std::string::npos) << e.what();
  }
  EXPECT_THROW(resolve_reference("2.rows[3].id", done), seam::error);
  EXPECT_THROW(resolve_reference("nodot", done), seam::error);
}

namespace {

// What bind_params binds for `names` from the input text `params` (read as
// a step reads its input, duplicate keys kept): name -> value's JSON text,
// or "error: ..." with the message it throws.
std::map<std::string, std::string> bound(const std::vector<std::string> &names,
                                         const std::string &params) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(params).value();
  std::map<std::string, std::string> out;
  try {
    bind_params(names, seam::json_view(doc), [&](size_t i, seam::json_view v) {
      out[names.at(i)] = seam::write_json(v.to_json());
    });
  } catch (const seam::error &e) {
    return {{"error", e.what()}};
  }
  return out;
}

} // namespace

TEST(SqlParams, EachNameIsBoundFromItsMemberWhateverTheOrder) {
  using m = std::map<std::string, std::string>;
  EXPECT_EQ(bound({"id", "name"}, R"({"name":"ada","id":7})"),
            (m{{"id", "7"}, {"name", "\"ada\""}}));
  EXPECT_EQ(bound({}, "{}"), m{});
  EXPECT_EQ(bound({}, "null"), m{});
  // A name given twice is bound with its last value, as a lookup finds it.
  EXPECT_EQ(bound({"a"}, R"({"a":1,"a":2})"), (m{{"a", "2"}}));
}

TEST(SqlParams, AMissingOrUnusedMemberIsRefusedByName) {
  auto missing = bound({"a", "b"}, R"({"a":1,"a":2})");
  ASSERT_TRUE(missing.count("error"));
  EXPECT_NE(missing["error"].find("the SQL uses :b but params has no \"b\" (params given: :a, :a)"),
            std::string::npos)
      << missing["error"];
  auto unused = bound({"a"}, R"({"a":1,"b":2})");
  ASSERT_TRUE(unused.count("error"));
  EXPECT_NE(unused["error"].find("params.b is not used by the SQL (it uses :a)"), std::string::npos)
      << unused["error"];
  auto none = bound({"a"}, "null");
  ASSERT_TRUE(none.count("error"));
  EXPECT_NE(none["error"].find("params has no \"a\""), std::string::npos) << none["error"];
  auto list = bound({"a"}, "[1]");
  ASSERT_TRUE(list.count("error"));
  EXPECT_NE(list["error"].find("params must be a table of named values"), std::string::npos)
      << list["error"];
}

TEST(SqlParams, MoreThanSixtyFourNamesAreBoundByLookup) {
  std::vector<std::string> names;
  std::string params = "{";
  for (int i = 0; i < 70; ++i) {
    names.push_back("p" + std::to_string(i));
    params += (i ? ",\"p" : "\"p") + std::to_string(i) + "\":" + std::to_string(i);
  }
  params += "}";
  auto b = bound(names, params);
  ASSERT_EQ(b.size(), 70u) << (b.count("error") ? b["error"] : "");
  EXPECT_EQ(b["p0"], "0");
  EXPECT_EQ(b["p69"], "69");
  names.push_back("p70");
  EXPECT_TRUE(bound(names, params).count("error"));
}
