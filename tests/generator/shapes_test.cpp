// Inline schemas that say the same thing share one C++ type (specs/shapes.yaml): which share, which
// keep a type of their own, and that the shared types validate and code JSON where each stands.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <type_traits>

#include "naming/build_cpp_api.hpp"
#include "pipeline.hpp"
#include "shapes/models.hpp"

namespace fs = std::filesystem;

namespace {

// Type name -> what it is: "struct", "variant", or "= Name" for an alias of a shared type.
std::map<std::string, std::string> plan() {
  oasgen::Stages stages;
  oasgen::Diagnostics diagnostics;
  oasgen::cpp::Options options;
  options.ns = "shapes";
  REQUIRE(stages.run(fs::path(OASGEN_SOURCE_DIR) / "specs" / "shapes.yaml", options, true, diagnostics,
                     nullptr, 1));
  std::map<std::string, std::string> out;
  for (const auto& type : stages.cpp->types) {
    if (type.shares) {
      out[type.name] = "= " + type.aliased;
    } else {
      out[type.name] = type.kind == oasgen::cpp::TypeKind::Struct    ? "struct"
                       : type.kind == oasgen::cpp::TypeKind::Variant ? "variant"
                                                                     : "other";
    }
  }
  return out;
}

std::vector<std::string> errors(void (*validate)(const nlohmann::json&, oasgen::Validator&),
                                const nlohmann::json& json) {
  oasgen::Validator v;
  validate(json, v);
  std::vector<std::string> out;
  for (const auto& e : v.errors()) out.push_back(e.pointer);
  return out;
}

}  // namespace

TEST_CASE("shapes: the same inline schema to any depth shares the first one's type") {
  const auto types = plan();
  // Properties are read in name order: assignee comes before author.
  CHECK(types.at("CreateIssueBodyAssignee") == "struct");
  CHECK(types.at("CreateIssueBodyAuthor") == "= CreateIssueBodyAssignee");
  CHECK(types.at("CreateIssue201") == "= CreateIssueBodyAssignee");  // in a response too
  // The inline object inside the component User is the first org.
  CHECK(types.at("UserOrg") == "struct");
  CHECK(types.at("CreateIssueBodyAssigneeOrg") == "= UserOrg");
  CHECK(types.at("CreateIssueBodyWatcherOrg") == "= UserOrg");
  CHECK(types.at("CreateIssueBodySubject") == "variant");
  CHECK(types.at("CreateIssueBodyTarget") == "= CreateIssueBodySubject");
  // In a cycle: the alias stands before the variant it shares (declared ahead), and compiles.
  CHECK(types.at("DebitTransaction") == "= CreditTransaction");
}

TEST_CASE("shapes: what differs anywhere keeps a type of its own") {
  const auto types = plan();
  CHECK(types.at("CreateIssueBodyReviewer") == "struct");     // maxLength two levels down
  CHECK(types.at("CreateIssueBodyReviewerOrg") == "struct");  // the maxLength itself
  CHECK(types.at("CreateIssueBodyWatcher") == "struct");      // a description
  CHECK(types.at("User") == "struct");                        // components keep their names
  CHECK(types.at("AddAttachmentBody") == "struct");           // a multipart body (files)
  CHECK(types.at("AddAttachment200") == "struct");
}

TEST_CASE("shapes: the generated aliases are the shared types") {
  static_assert(std::is_same_v<shapes::CreateIssueBodyAuthor, shapes::CreateIssueBodyAssignee>);
  static_assert(std::is_same_v<shapes::CreateIssue201, shapes::CreateIssueBodyAssignee>);
  static_assert(std::is_same_v<shapes::CreateIssueBodyTarget, shapes::CreateIssueBodySubject>);
  static_assert(std::is_same_v<shapes::DebitTransaction, shapes::CreditTransaction>);
  static_assert(!std::is_same_v<shapes::CreateIssueBodyReviewer, shapes::CreateIssueBodyAssignee>);
  static_assert(!std::is_same_v<shapes::User, shapes::CreateIssueBodyAssignee>);
  static_assert(std::is_same_v<decltype(shapes::AddAttachmentBody::file), oasgen::Optional<oasgen::File>>);
  static_assert(std::is_same_v<decltype(shapes::AddAttachment200::file), oasgen::Optional<std::string>>);
}

TEST_CASE("shapes: a shared type validates and codes JSON wherever it stands") {
  const nlohmann::json good = {
      {"title", "t"},
      {"author", {{"login", "ann"}, {"org", {{"name", "a-long-org-name"}}}}},
      {"assignee", {{"login", "bob"}, {"site", "https://example.com/"}}},
      {"reviewer", {{"login", "cy"}, {"org", {{"name", "short"}}}}},
      {"watcher", {{"login", "di"}}},
      {"owner", {{"login", "ed"}}},
      {"subject", {{"slug", "team-a"}}},
      {"target", {{"login", "fay"}}}};
  CHECK(errors(shapes::validate_create_issue_body, good).empty());

  nlohmann::json bad = good;
  bad["author"]["login"] = "";
  bad["assignee"]["site"] = 7;
  bad["reviewer"]["org"]["name"] = "a-long-org-name";  // reviewer's own maxLength
  bad["watcher"].erase("login");
  CHECK(errors(shapes::validate_create_issue_body, bad) ==
        std::vector<std::string>{"/assignee/site", "/author/login", "/reviewer/org/name", "/watcher/login"});

  const auto body = good.get<shapes::CreateIssueBody>();
  CHECK(body.assignee->login == "bob");
  CHECK(body.author.org->name == "a-long-org-name");
  CHECK(std::get<shapes::Team>(body.subject->value).slug == "team-a");
  CHECK(std::get<shapes::User>(body.target->value).login == "fay");
  CHECK(nlohmann::json(body) == good);
  CHECK(oasgen::to_json_text(body) == good.dump());
}

TEST_CASE("shapes: a member of a struct type, without {}, is default-constructed to empty values") {
  // The member has no initializer of its own (compile time: docs/design.md); every member under
  // it has one, so a default-constructed or value-initialized body holds the same empty values.
  static_assert(std::is_aggregate_v<shapes::CreateIssueBody>);
  const shapes::CreateIssueBody defaulted;
  CHECK(defaulted.author.login.empty());
  CHECK_FALSE(defaulted.author.org.has_value());
  CHECK_FALSE(defaulted.author.site.has_value());
  CHECK(defaulted.title.empty());
  shapes::CreateIssueBody valued{};  // `Pet{.name = "rex"}` would warn: README
  valued.title = "t";
  CHECK(valued.author.login.empty());
  CHECK(nlohmann::json(valued) == nlohmann::json::parse(R"({"author":{"login":""},"title":"t"})"));
}
