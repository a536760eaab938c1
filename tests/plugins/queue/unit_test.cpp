// unit_test.cpp - the queue plugin's pieces that need no broker: URL
// handling, the driver registry, JSON <-> AMQP field conversion.
#include "amqp_fields.hpp"
#include "budget.hpp"
#include "driver.hpp"

#include <gtest/gtest.h>

namespace {

using namespace seam::queue;
using seam::json;

TEST(QueueUrl, MasksThePassword) {
  auto [masked, password] = mask_url("amqp://guest:s3cr%40t@127.0.0.1:5672/%2f");
  EXPECT_EQ(masked, "amqp://guest:***@127.0.0.1:5672/%2f");
  EXPECT_EQ(password, "s3cr%40t");
}

TEST(QueueUrl, LeavesUrlsWithoutPasswordAlone) {
  EXPECT_EQ(mask_url("amqp://127.0.0.1:5672/%2f").first, "amqp://127.0.0.1:5672/%2f");
  EXPECT_EQ(mask_url("amqp://guest@host/vh").first, "amqp://guest@host/vh");
  EXPECT_EQ(mask_url("amqp://guest@host/vh").second, "");
  // An @ in the path is no user info.
  EXPECT_EQ(mask_url("amqp://host/a:b@c").first, "amqp://host/a:b@c");
}

TEST(QueueUrl, SchemeSelectsTheDriver) {
  EXPECT_EQ(url_scheme("AMQP://h"), "amqp");
  EXPECT_EQ(url_scheme("no-scheme"), "");
  ASSERT_NE(find_driver("amqp"), nullptr);
  EXPECT_EQ(find_driver("kafka"), nullptr);
  EXPECT_NE(known_schemes().find("amqp://"), std::string::npos);
}

TEST(QueueFields, TablesRoundTrip) {
  json headers = {{"s", "text"},
                  {"i", -7},
                  {"u", 18446744073709551615ULL},
                  {"f", 0.25},
                  {"b", true},
                  {"n", nullptr},
                  {"list", {1, "two", false}},
                  {"nested", {{"k", {{"deep", 1}}}}}};
  amqp::field_arena arena;
  amqp_table_t t = arena.table(headers);
  EXPECT_EQ(t.num_entries, 8);
  EXPECT_EQ(amqp::to_json(t), headers);
}

TEST(QueueFields, RefusesANonObjectTable) {
  amqp::field_arena arena;
  EXPECT_THROW(arena.table(json::array()), std::invalid_argument);
}

TEST(QueueFields, PropertiesRoundTrip) {
  json props = {{"content_type", "application/json"},
                {"content_encoding", "gzip"},
                {"correlation_id", "c"},
                {"message_id", "m"},
                {"reply_to", "r"},
                {"type", "t"},
                {"user_id", "guest"},
                {"app_id", "a"},
                {"expiration", "1500ms"},
                {"timestamp", 1700000000},
                {"priority", 9},
                {"persistent", true}};
  amqp::field_arena arena;
  properties read = read_properties(seam::json_view(props));
  amqp_basic_properties_t p = amqp::to_amqp(read, json{{"h", 1}}, arena);
  seam::json_builder out;
  write_properties(out, amqp::properties_of(p));
  json want = props;
  want["expiration"] = "1500";              // AMQP carries milliseconds as text
  EXPECT_EQ(out.take().str(), want.dump()); // the keys in sorted order, as a tree's
  EXPECT_EQ(amqp::headers_of(p), (json{{"h", 1}}));
}

// A received message without delivery_mode says it is not persistent; one
// without other properties has no others.
TEST(QueueFields, ReceivedPropertiesAlwaysSayWhetherPersistent) {
  amqp_basic_properties_t none{};
  seam::json_builder out;
  write_properties(out, amqp::properties_of(none));
  EXPECT_EQ(out.take().str(), R"({"persistent":false})");
  EXPECT_TRUE(amqp::headers_of(none).is_null()); // written as {} (write_message)
  write_properties(out, properties{});
  EXPECT_EQ(out.take().str(), "{}");
}

TEST(QueueFields, ExpirationAcceptsMillisecondsAndDurations) {
  amqp::field_arena arena;
  for (auto [in, want] : std::vector<std::pair<json, std::string>>{
           {json(250), "250"}, {json("250"), "250"}, {json("2s"), "2000"}}) {
    json props = {{"expiration", in}};
    auto p = amqp::to_amqp(read_properties(seam::json_view(props)), json::object(), arena);
    EXPECT_EQ(amqp::to_string(p.expiration), want) << in.dump();
  }
}

TEST(QueueFields, WrongPropertyTypesAreExplained) {
  auto message = [&](const json &props) -> std::string {
    try {
      read_properties(seam::json_view(props));
    } catch (const std::invalid_argument &e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message({{"priority", 300}}), "properties.priority must be an integer 0..255, got 300");
  EXPECT_EQ(message({{"persistent", "yes"}}),
            "properties.persistent must be true or false, got \"yes\"");
  EXPECT_EQ(message({{"message_id", 5}}), "properties.message_id must be a string, got number");
  EXPECT_NE(message({{"expiration", "soon"}}).find("properties.expiration"), std::string::npos);
}

TEST(QueueMessage, DocumentParsesJsonBodies) {
  message m;
  m.body = R"({"id":"ord_1"})";
  m.routing_key = "order.created";
  json doc = to_json(m);
  EXPECT_EQ(doc["json"]["id"], "ord_1");
  EXPECT_EQ(doc["routing_key"], "order.created");
  EXPECT_EQ(doc["redelivered"], false);
  m.body = "not json";
  EXPECT_TRUE(to_json(m)["json"].is_null());
}

TEST(QueueMessage, NumbersADoubleCannotHoldStayExact) {
  message m;
  m.body = R"({"id": 123456789012345678901234567890, "amount": 12345678901234567890.1234567890,
              "max": 18446744073709551615, "price": 19.99})";
  json doc = to_json(m);
  EXPECT_EQ(doc["json"]["id"], "123456789012345678901234567890");
  EXPECT_EQ(doc["json"]["amount"], "12345678901234567890.1234567890");
  EXPECT_TRUE(doc["json"]["max"].is_number_unsigned());
  EXPECT_EQ(doc["json"]["max"].get<uint64_t>(), UINT64_MAX);
  EXPECT_EQ(doc["json"]["price"], 19.99);
}

TEST(QueueMessage, BodiesThatAreNoTextComeWithTheirBytes) {
  message m;
  m.body = std::string("\xff\x00\xfe\x01", 4);
  json doc = to_json(m);
  EXPECT_EQ(doc["body_base64"], "/wD+AQ==");
  EXPECT_TRUE(doc["json"].is_null());
  m.body = "caf\xc3\xa9"; // UTF-8 text: no copy in base64
  EXPECT_FALSE(to_json(m).contains("body_base64"));
}

// What consume writes per message, as text: keys in sorted order, tables
// for absent headers and properties, the body's bytes replaced where they
// are no UTF-8 (body_base64 has them exactly).
TEST(QueueMessage, ConsumeWritesEachMessageAsText) {
  message m;
  m.body = R"({"n": 1, "big": 123456789012345678901234567890, "id": "ord_1"})";
  m.exchange = "orders";
  m.routing_key = "order.created";
  m.redelivered = true;
  m.headers = {{"x-try", 2}};
  m.properties.content_type = "application/json";
  m.properties.message_id = "m-1";
  seam::json_builder out;
  write_message(out, m);
  EXPECT_EQ(out.take().str(),
            R"({"body":"{\"n\": 1, \"big\": 123456789012345678901234567890, \"id\": \"ord_1\"}",)"
            R"("exchange":"orders","headers":{"x-try":2},)"
            R"("json":{"big":"123456789012345678901234567890","id":"ord_1","n":1},)"
            R"("properties":{"content_type":"application/json","message_id":"m-1"},)"
            R"("redelivered":true,"routing_key":"order.created"})");
  message bytes;
  bytes.body = std::string("a\xff", 2);
  write_message(out, bytes);
  EXPECT_EQ(out.take().str(), "{\"body\":\"a\xef\xbf\xbd\",\"body_base64\":\"Yf8=\","
                              "\"exchange\":\"\",\"headers\":{},\"json\":null,"
                              "\"properties\":{},\"redelivered\":false,\"routing_key\":\"\"}");
}

TEST(QueueMessage, Base64RoundTrips) {
  for (std::string bytes : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                            std::string("foob"), std::string("\0\xff", 2)}) {
    auto text = base64_encode(bytes);
    EXPECT_EQ(base64_decode(text), bytes) << text;
  }
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_decode("not base64!"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm9"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm=v"), std::nullopt);
}

TEST(QueueMessage, Utf8IsCheckedStrictly) {
  EXPECT_TRUE(valid_utf8("plain"));
  EXPECT_TRUE(valid_utf8("\xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));     // overlong
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80")); // a UTF-16 surrogate
  EXPECT_FALSE(valid_utf8("\xe2\x82"));     // cut short
}

TEST(QueueBudget, MessagesQuoteTheLimitThatCounts) {
  using std::chrono::milliseconds;
  // The step's own timeout counts: messages quote it as suites write it.
  budget own(milliseconds(5000), seam::deadline());
  EXPECT_FALSE(own.host_bound());
  EXPECT_EQ(own.within(), " within 5s");
  EXPECT_EQ(own.capped(milliseconds(300)).within(), " within 300ms");
  EXPECT_EQ(own.capped(milliseconds(1500)).describe(), "1.5s");
  // The host's deadline comes first: the host reports the time-out itself.
  budget host(milliseconds(5000), seam::deadline::after(milliseconds(100)));
  EXPECT_TRUE(host.host_bound());
  EXPECT_EQ(host.within(), "");
  EXPECT_LE(host.left(), milliseconds(101));
  EXPECT_FALSE(host.passed());
  EXPECT_TRUE(budget(milliseconds(0), seam::deadline()).passed());
}

} // namespace
