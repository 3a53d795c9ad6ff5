#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "oasgen/validation.hpp"
#include "skip.hpp"

using oasgen::Format;
using oasgen::matches_format;

namespace {

const std::map<std::string, Format>& formats_by_name() {
  static const std::map<std::string, Format> kFormats = {
      {"date-time", Format::DateTime},
      {"date", Format::Date},
      {"time", Format::Time},
      {"duration", Format::Duration},
      {"email", Format::Email},
      {"hostname", Format::Hostname},
      {"ipv4", Format::Ipv4},
      {"ipv6", Format::Ipv6},
      {"uri", Format::Uri},
      {"uri-reference", Format::UriReference},
      {"uuid", Format::Uuid},
  };
  return kFormats;
}

struct Case {
  std::string_view text;
  bool valid;
};

void check_cases(Format format, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(matches_format(c.text, format) == c.valid);
  }
}

}  // namespace

TEST_CASE("formats: every case of the JSON-Schema-Test-Suite for the supported formats") {
  const std::filesystem::path dir =
      "/usr/share/json-schema-test-suite/tests/draft7/optional/format";
  if (!std::filesystem::is_directory(dir)) {
    return oasgen::test::skip(dir.string() + " is not installed (json-schema-test-suite)");
  }
  int checked = 0;
  for (const auto& [name, format] : formats_by_name()) {
    std::ifstream file(dir / (name + ".json"));
    if (!file) continue;  // the suite's draft7 has no duration or uuid files
    for (const auto& group : nlohmann::json::parse(file)) {
      for (const auto& test : group["tests"]) {
        // Formats apply to strings only; other values pass whatever the format.
        if (!test["data"].is_string()) continue;
        std::string data = test["data"];
        const std::string captured_name = name;  // C++17: CAPTURE cannot capture a binding
        CAPTURE(captured_name);
        CAPTURE(data);
        CAPTURE(test["description"].get<std::string>());
        CHECK(matches_format(data, format) == test["valid"].get<bool>());
        ++checked;
      }
    }
  }
  CHECK(checked > 50);
}

TEST_CASE("formats: date and date-time") {
  check_cases(Format::Date, {{"2020-02-29", true},
                             {"2019-02-29", false},
                             {"1900-02-29", false},
                             {"2000-02-29", true},
                             {"2021-04-31", false},
                             {"2021-00-10", false},
                             {"2021-13-10", false},
                             {"2021-1-10", false},
                             {"2021-01-10T", false},
                             {"\xD9\xA1\xD9\xA9\xD9\xA6\xD9\xA3-06-19", false}});
  check_cases(Format::DateTime, {{"1998-12-31T23:59:60Z", true},
                                 {"1998-12-31T15:59:60.123-08:00", true},
                                 {"1998-12-31T23:58:60Z", false},
                                 {"1998-12-31T23:59:60+01:00", false},
                                 {"2020-01-01T00:00:00+23:59", true},
                                 {"2020-01-01T00:00:00+00:60", false},
                                 {"2020-01-01T24:00:00Z", false},
                                 {"2020-01-01T00:00:00", false},
                                 {"2020-01-01T00:00:00.Z", false},
                                 {"2020-01-01 00:00:00Z", false}});
}

TEST_CASE("formats: time") {
  check_cases(Format::Time, {{"23:59:60Z", true},
                             {"22:59:60Z", false},
                             {"01:29:60+01:30", true},
                             {"23:29:60+23:30", true},
                             {"23:59:60+01:00", false},
                             {"15:59:60-08:00", true},
                             {"00:29:60-23:30", true},
                             {"23:59:60-01:00", false},
                             {"12:00:00", false},
                             {"08:30:06-8:000", false},
                             {"008:030:006Z", false},
                             {"8:3:6Z", false},
                             {"24:00:00Z", false},
                             {"00:60:00Z", false},
                             {"12:00:00.52z", true}});
}

TEST_CASE("formats: duration") {
  check_cases(Format::Duration, {{"P4DT12H30M5S", true}, {"P4Y", true},
                                 {"PT0S", true},         {"P0D", true},
                                 {"P1M", true},          {"PT1M", true},
                                 {"PT36H", true},        {"P1DT12H", true},
                                 {"P2W", true},          {"P1Y2M3DT4H5M6S", true},
                                 {"PT1D", false},        {"P", false},
                                 {"P1YT", false},        {"PT", false},
                                 {"P2D1Y", false},       {"P1D2H", false},
                                 {"P2S", false},         {"P1Y2W", false},
                                 {"P1", false},          {"1D", false},
                                 {"P1.5D", false}});
}

TEST_CASE("formats: email") {
  check_cases(Format::Email, {{"joe.bloggs@example.com", true},
                              {"te~st@example.com", true},
                              {"~test@example.com", true},
                              {"\"joe bloggs\"@example.com", true},
                              {"\"joe..bloggs\"@example.com", true},
                              {"\"joe@bloggs\"@example.com", true},
                              {"joe.bloggs@[127.0.0.1]", true},
                              {"joe.bloggs@[IPv6:::1]", true},
                              {"user@localhost", true},
                              {".test@example.com", false},
                              {"test.@example.com", false},
                              {"te..st@example.com", false},
                              {"joe.bloggs@invalid=domain.com", false},
                              {"joe.bloggs@[127.0.0.300]", false},
                              {"user@example..com", false},
                              {"user1@oceania.org, user2@oceania.org", false},
                              {"\"juliet@example.com\" <juliet@example.com>", false},
                              {"@example.com", false},
                              {"user@", false}});
}

TEST_CASE("formats: hostname, ipv4 and ipv6") {
  check_cases(Format::Hostname, {{"hostname", true},
                                 {"1host", true},
                                 {"a.b-c.d", true},
                                 {std::string(63, 'a'), true},
                                 {std::string(64, 'a'), false},
                                 {"", false},
                                 {".", false},
                                 {".example", false},
                                 {"example.", false},
                                 {"host-", false},
                                 {"h\xC3\xB6st", false}});
  static const std::string long_name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                                       std::string(63, 'c') + "." + std::string(61, 'd');
  static const std::string too_long = long_name + "d";
  check_cases(Format::Hostname, {{long_name, true}, {too_long, false}});
  check_cases(Format::Ipv4, {{"0.0.0.0", true},
                             {"255.255.255.255", true},
                             {"087.10.0.1", false},
                             {"1.2.3.4\n", false},
                             {"1.2.3", false},
                             {"1..2.3", false},
                             {"1.2.3.\xD9\xA3", false}});
  check_cases(Format::Ipv6, {{"::", true},
                             {"::1", true},
                             {"1::", true},
                             {"1:2:3:4:5:6:7:8", true},
                             {"1:2:3:4:5:6:7::", true},
                             {"::ffff:192.168.0.1", true},
                             {"1:2:3:4:5:6:1.2.3.4", true},
                             {"FE80::0202:B3FF:FE1E:8329", true},
                             {"1:2:3:4:5:6:7:8:9", false},
                             {"1:2:3:4:5:6:7", false},
                             {"1::2::3", false},
                             {":::", false},
                             {":1:2:3:4:5:6:7", false},
                             {"1:2:3:4:5:6:7:", false},
                             {"1:2:3:4:5:6:7:1.2.3.4", false},
                             {"1.2.3.4::", false},
                             {"::1.2.3", false},
                             {"fe80::a%eth1", false},
                             {"12345::", false},
                             {" ::1", false}});
}

TEST_CASE("formats: uri and uri-reference") {
  check_cases(Format::Uri, {{"http://[v1.fe80::a+en1]/", true},
                            {"https://user:pw@example.com:8080/a/b?c=d&e#f", true},
                            {"urn:isbn:0451450523", true},
                            {"http://example.com/%zz", false},
                            {"http://exa mple.com", false},
                            {"http://[::1/", false},
                            {"http://example.com:80a/", false},
                            {"1http://example.com", false},
                            {"http://\xC3\xA9.com", false},
                            {"http://example.com/a b", false}});
  check_cases(Format::UriReference, {{"", true},
                                     {"?q", true},
                                     {"../a/b", true},
                                     {"a/b:c", true},
                                     {"a b", false},
                                     {"1a:b", false}});
}

TEST_CASE("formats: uuid and byte") {
  check_cases(Format::Uuid, {{"2eb8aa08-aa98-11ea-b4aa-73b441d16380", true},
                             {"2EB8AA08-AA98-11EA-B4AA-73B441D16380", true},
                             {"00000000-0000-0000-0000-000000000000", true},
                             {"2eb8aa08-aa98-11ea-b4aa-73b441d1638", false},
                             {"2eb8aa08aa9811eab4aa73b441d16380", false},
                             {"2eb8aa08-aa98-11ea-b4aa-73b441d1638g", false},
                             {"2eb8-aa08-aa98-11ea-b4aa73b441d16380", false}});
  check_cases(Format::Byte, {{"", true},
                             {"TWFu", true},
                             {"TWE=", true},
                             {"TQ==", true},
                             {"a+/9", true},
                             {"TQ=", false},
                             {"TQ", false},
                             {"T===", false},
                             {"TQ==TQ==", false},
                             {"TW-u", false},
                             {"TWFu\n", false}});
}
