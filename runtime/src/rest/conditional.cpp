#include "oasgen/rest/conditional.hpp"

#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

#include "../base64.hpp"
#include "oasgen/problem.hpp"
#include "oasgen/router.hpp"

namespace oasgen {
namespace {

constexpr std::size_t kTagBytes = 16;

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  ///< with its quotes
};

bool is_etagc(unsigned char c) { return c == 0x21 || (c >= 0x23 && c != 0x7F); }

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; weak = %s"W/"; opaque-tag = DQUOTE *etagc
// DQUOTE. The fields are `"*" / #entity-tag` (§13.1.1, §13.1.2). nullopt when malformed; an empty
// list for `*`, flagged through `any`.
std::optional<std::vector<EntityTag>> parse_tags(std::string_view field, bool& any) {
  any = false;
  std::vector<EntityTag> tags;
  std::size_t i = 0;
  auto skip_ows = [&] {
    while (i < field.size() && is_ows(field[i])) ++i;
  };
  skip_ows();
  if (i < field.size() && field[i] == '*') {
    ++i;
    skip_ows();
    if (i != field.size()) return std::nullopt;
    any = true;
    return tags;
  }
  while (true) {
    skip_ows();
    // #rule: empty list elements are allowed and ignored (RFC 9110 §5.6.1.2).
    if (i < field.size() && field[i] == ',') {
      ++i;
      continue;
    }
    if (i == field.size()) break;
    EntityTag tag;
    if (field.compare(i, 2, "W/") == 0) {
      tag.weak = true;
      i += 2;
    }
    if (i >= field.size() || field[i] != '"') return std::nullopt;
    const std::size_t start = i++;
    while (i < field.size() && field[i] != '"') {
      if (!is_etagc(static_cast<unsigned char>(field[i]))) return std::nullopt;
      ++i;
    }
    if (i == field.size()) return std::nullopt;
    ++i;
    tag.opaque = field.substr(start, i - start);
    tags.push_back(tag);
    skip_ows();
    if (i < field.size() && field[i] != ',') return std::nullopt;
  }
  if (tags.empty()) return std::nullopt;
  return tags;
}

// The header fields may be sent as several lines; a list is their concatenation (§5.3).
std::optional<std::string> joined(const Request& request, std::string_view name) {
  const auto values = request.headers.get_all(name);
  if (values.empty()) return std::nullopt;
  std::string out;
  for (std::string_view value : values) {
    if (!out.empty()) out += ',';
    out += value;
  }
  return out;
}

// Whether `field` matches `current`. Strong comparison: both strong and the same opaque-tag;
// weak comparison: the same opaque-tag (§8.8.3.2).
std::optional<bool> matches(std::string_view field, std::optional<std::string_view> current,
                            bool strong) {
  bool any = false;
  const auto tags = parse_tags(field, any);
  if (!tags) return std::nullopt;
  if (any) return current.has_value();
  if (!current) return false;
  bool current_any = false;
  const auto mine = parse_tags(*current, current_any);
  if (!mine || mine->size() != 1) throw std::invalid_argument("not an entity tag: the current one");
  const EntityTag& ours = mine->front();
  for (const EntityTag& tag : *tags) {
    if (tag.opaque != ours.opaque) continue;
    if (!strong || (!tag.weak && !ours.weak)) return true;
  }
  return false;
}

bool safe_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

std::string content_tag(std::string_view representation) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(representation.data(), representation.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return '"' +
         detail::base64_encode(
             std::string_view(reinterpret_cast<const char*>(digest), kTagBytes),
             detail::Base64::Url) +
         '"';
}

std::string version_tag(std::string_view revision) {
  for (unsigned char c : revision) {
    if (!is_etagc(c) || c >= 0x80) {
      throw std::invalid_argument("an entity tag holds visible ASCII characters other than '\"'");
    }
  }
  return "\"" + std::string(revision) + "\"";
}

std::string version_tag(std::uint64_t version) { return version_tag("v" + std::to_string(version)); }

Precondition evaluate_preconditions(const Request& request,
                                    std::optional<std::string_view> current) {
  // §13.2.2 step 1: "When recipient is the origin server and If-Match is present, evaluate the
  // If-Match precondition: if true, continue to step 3; if false, respond 412".
  if (const auto field = joined(request, "If-Match")) {
    if (matches(*field, current, /*strong=*/true) != true) return Precondition::kFailed;
  }
  // Step 3: "When If-None-Match is present, evaluate the If-None-Match precondition: if true,
  // continue to step 5; if false for GET/HEAD, respond 304 (Not Modified); if false for other
  // methods, respond 412 (Precondition Failed)". The precondition is true when nothing matches.
  if (const auto field = joined(request, "If-None-Match")) {
    if (matches(*field, current, /*strong=*/false) == true) {
      return safe_method(request.method) ? Precondition::kNotModified : Precondition::kFailed;
    }
  }
  return Precondition::kProceed;
}

void check_preconditions(const Request& request, std::optional<std::string_view> current,
                         bool require_if_match) {
  if (require_if_match && !request.headers.contains("If-Match")) {
    throw HttpError(428, "this request must be conditional: send If-Match with the resource's ETag");
  }
  switch (evaluate_preconditions(request, current)) {
    case Precondition::kProceed:
    case Precondition::kNotModified:  // GET/HEAD: `ConditionalGet` answers 304 from the response
      return;
    case Precondition::kFailed:
      throw HttpError(412, "the resource has changed since the version the request names");
  }
}

void ConditionalGet::on_response(const Request& request, Response& response) {
  if (!safe_method(request.method) || response.status != 200) return;
  if (!response.headers.contains("ETag")) {
    response.headers.set("ETag", content_tag(response.body));
  }
  const std::string etag(*response.headers.get("ETag"));
  bool any = false;
  const auto mine = parse_tags(etag, any);
  if (!mine || mine->size() != 1) return;  // a handler's malformed ETag: leave the response be
  const Precondition precondition = evaluate_preconditions(request, etag);
  if (precondition == Precondition::kFailed) {
    response = problem_response(412, "the representation does not match If-Match");
    return;
  }
  if (precondition != Precondition::kNotModified) return;
  Response not_modified;
  not_modified.status = 304;
  for (const auto& [name, value] : response.headers) {
    for (std::string_view kept :
         {"ETag", "Vary", "Cache-Control", "Expires", "Content-Location", "Date"}) {
      if (iequals(name, kept)) not_modified.headers.add(name, value);
    }
  }
  response = std::move(not_modified);
}

}  // namespace oasgen
