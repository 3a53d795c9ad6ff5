#include "pet_api.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace baseline {
namespace {

using json = nlohmann::json;

struct Errors {
  json list = json::array();
  void add(const char* location, std::string pointer, const char* keyword, std::string message) {
    list.push_back({{"location", location},
                    {"pointer", std::move(pointer)},
                    {"keyword", keyword},
                    {"message", std::move(message)}});
  }
};

Reply problem(unsigned status, const char* title, std::string detail, json errors = nullptr) {
  json body = {{"type", status == 400 || status == 422 ? "urn:oasgen:problem:validation" : "about:blank"},
               {"title", title},
               {"status", status}};
  if (!detail.empty()) body["detail"] = std::move(detail);
  if (!errors.is_null()) body["errors"] = std::move(errors);
  Reply reply;
  reply.status = status;
  reply.content_type = "application/problem+json";
  reply.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return reply;
}

// 400 for parameters, 422 for a body, as oasgen answers.
Reply invalid(Errors& errors, unsigned status = 422) {
  const std::size_t count = errors.list.size();
  Reply reply = problem(status, status == 400 ? "Bad Request" : "Unprocessable Content",
                        std::to_string(count) + (count == 1 ? " validation error" : " validation errors"),
                        std::move(errors.list));
  return reply;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
           c == '-';
  });
}

bool digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool is_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, year) ||
      !digits(text, 5, 2, month) || !digits(text, 8, 2, day) || month < 1 || month > 12 || day < 1) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

const char* type_name(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

void check_string(const json& value, const std::string& pointer, std::size_t min, std::size_t max,
                  Errors& errors) {
  if (!value.is_string()) {
    return errors.add("body", pointer, "type", std::string("expected string, got ") + type_name(value));
  }
  const std::size_t length = code_points(value.get_ref<const std::string&>());
  if (length < min) {
    errors.add("body", pointer, "minLength",
               "must be at least " + std::to_string(min) + (min == 1 ? " character" : " characters") + " long");
  }
  if (length > max) {
    errors.add("body", pointer, "maxLength", "must be at most " + std::to_string(max) + " characters long");
  }
}

// Checks a NewPet body and, when it holds, converts it.
std::optional<Pet> check_new_pet(const json& body, Errors& errors) {
  if (!body.is_object()) {
    errors.add("body", "", "type", std::string("expected object, got ") + type_name(body));
    return std::nullopt;
  }
  for (const char* name : {"name", "status", "category"}) {
    if (!body.contains(name)) errors.add("body", "", "required", std::string("missing required property '") + name + "'");
  }
  if (auto it = body.find("name"); it != body.end()) {
    check_string(*it, "/name", 1, 64, errors);
    if (it->is_string() && !is_name(it->get_ref<const std::string&>())) {
      errors.add("body", "/name", "pattern", "must match the pattern ^[A-Za-z0-9 -]+$");
    }
  }
  if (auto it = body.find("status"); it != body.end()) {
    if (!it->is_string() || (*it != "available" && *it != "pending" && *it != "sold")) {
      errors.add("body", "/status", "enum", "must be one of \"available\", \"pending\", \"sold\"");
    }
  }
  if (auto it = body.find("category"); it != body.end()) {
    if (!it->is_object()) {
      errors.add("body", "/category", "type", std::string("expected object, got ") + type_name(*it));
    } else {
      if (!it->contains("name")) errors.add("body", "/category", "required", "missing required property 'name'");
      for (const auto& [key, value] : it->items()) {
        if (key == "id") {
          if (!value.is_number_integer()) {
            errors.add("body", "/category/id", "type", std::string("expected integer, got ") + type_name(value));
          }
        } else if (key == "name") {
          check_string(value, "/category/name", 1, 32, errors);
        } else {
          errors.add("body", "/category/" + pointer_token(key), "additionalProperties",
                     "unexpected property '" + key + "'");
        }
      }
    }
  }
  if (auto it = body.find("tags"); it != body.end()) {
    if (!it->is_array()) {
      errors.add("body", "/tags", "type", std::string("expected array, got ") + type_name(*it));
    } else {
      if (it->size() > 5) errors.add("body", "/tags", "maxItems", "must have at most 5 items");
      for (std::size_t i = 0; i < it->size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if ((*it)[i] == (*it)[j]) {
            errors.add("body", "/tags", "uniqueItems",
                       "items " + std::to_string(j) + " and " + std::to_string(i) + " are equal");
            break;
          }
        }
      }
      for (std::size_t i = 0; i < it->size(); ++i) check_string((*it)[i], "/tags/" + std::to_string(i), 1, 16, errors);
    }
  }
  if (auto it = body.find("birthDate"); it != body.end()) {
    if (!it->is_string()) {
      errors.add("body", "/birthDate", "type", std::string("expected string, got ") + type_name(*it));
    } else if (!is_date(it->get_ref<const std::string&>())) {
      errors.add("body", "/birthDate", "format", "must be a valid date");
    }
  }
  if (auto it = body.find("weightKg"); it != body.end()) {
    if (!it->is_number()) {
      errors.add("body", "/weightKg", "type", std::string("expected number, got ") + type_name(*it));
    } else {
      const double weight = it->get<double>();
      if (weight <= 0) errors.add("body", "/weightKg", "exclusiveMinimum", "must be > 0");
      if (weight > 500) errors.add("body", "/weightKg", "maximum", "must be <= 500");
    }
  }
  if (auto it = body.find("nickname"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) {
      errors.add("body", "/nickname", "type", std::string("expected string or null, got ") + type_name(*it));
    } else {
      check_string(*it, "/nickname", 0, 32, errors);
    }
  }
  if (!errors.list.empty()) return std::nullopt;

  Pet pet;
  pet.name = body["name"].get<std::string>();
  pet.status = body["status"].get<std::string>();
  const json& category = body["category"];
  if (auto it = category.find("id"); it != category.end()) pet.category.id = it->get<std::int64_t>();
  pet.category.name = category["name"].get<std::string>();
  if (auto it = body.find("tags"); it != body.end()) pet.tags = it->get<std::vector<std::string>>();
  if (auto it = body.find("birthDate"); it != body.end()) pet.birth_date = it->get<std::string>();
  if (auto it = body.find("weightKg"); it != body.end()) pet.weight_kg = it->get<double>();
  if (auto it = body.find("nickname"); it != body.end()) {
    pet.nickname = it->is_null() ? std::optional<std::string>() : it->get<std::string>();
  }
  return pet;
}

json to_json(const Pet& pet) {
  json out = {{"id", pet.id}, {"name", pet.name}, {"status", pet.status}};
  json category = json::object();
  if (pet.category.id) category["id"] = *pet.category.id;
  category["name"] = pet.category.name;
  out["category"] = std::move(category);
  if (pet.tags) out["tags"] = *pet.tags;
  if (pet.birth_date) out["birthDate"] = *pet.birth_date;
  if (pet.weight_kg) out["weightKg"] = *pet.weight_kg;
  if (pet.nickname) out["nickname"] = *pet.nickname ? json(**pet.nickname) : json(nullptr);
  return out;
}

Reply ok(unsigned status, const json& body) {
  Reply reply;
  reply.status = status;
  reply.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return reply;
}

Reply not_found(std::int64_t id) {
  return ok(404, {{"code", 404}, {"message", "no pet has id " + std::to_string(id)}});
}

// %XX and '+' decoding of a query value; nullopt on a bad escape.
std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      unsigned value = 0;
      if (i + 2 >= text.size()) return std::nullopt;
      const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec != std::errc() || end != text.data() + i + 3) return std::nullopt;
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

template <class Int>
bool parse_int(std::string_view text, Int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Reply PetStore::handle(std::string_view method, std::string_view target,
                       std::optional<std::string_view> request_id, std::string_view body) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path == "/pets") {
    if (method == "GET") return list_pets(query, request_id);
    if (method == "POST") return create_pet(body);
    Reply reply = problem(405, "Method Not Allowed", "method " + std::string(method) + " is not allowed here");
    reply.allow = "GET, HEAD, POST";
    return reply;
  }
  constexpr std::string_view kPrefix = "/pets/";
  if (path.substr(0, kPrefix.size()) == kPrefix && path.find('/', kPrefix.size()) == std::string_view::npos) {
    std::int64_t id = 0;
    const std::string_view text = path.substr(kPrefix.size());
    if (!parse_int(text, id)) {
      Errors errors;
      errors.add("path", "/petId", "type", "expected integer, got string");
      return invalid(errors, 400);
    }
    if (id < 1) {
      Errors errors;
      errors.add("path", "/petId", "minimum", "must be >= 1");
      return invalid(errors, 400);
    }
    if (method == "GET") return get_pet(id);
    if (method == "PUT") return update_pet(id, body);
    if (method == "DELETE") return delete_pet(id);
    Reply reply = problem(405, "Method Not Allowed", "method " + std::string(method) + " is not allowed here");
    reply.allow = "DELETE, GET, HEAD, PUT";
    return reply;
  }
  return problem(404, "Not Found", "no route matches the request path");
}

Reply PetStore::list_pets(std::string_view query, std::optional<std::string_view> request_id) {
  Errors errors;
  std::int64_t limit = 20;
  std::optional<std::vector<std::string>> tags;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) {
      errors.add("query", "/" + std::string(name), "type", "malformed percent-encoding");
    } else if (name == "limit") {
      std::int32_t parsed = 0;
      if (!parse_int(*value, parsed)) {
        errors.add("query", "/limit", "type", "expected integer, got string");
      } else if (parsed < 1) {
        errors.add("query", "/limit", "minimum", "must be >= 1");
      } else if (parsed > 100) {
        errors.add("query", "/limit", "maximum", "must be <= 100");
      } else {
        limit = parsed;
      }
    } else if (name == "tags") {
      if (!tags) tags.emplace();
      if (value->empty()) {
        errors.add("query", "/tags/" + std::to_string(tags->size()), "minLength", "must be at least 1 character long");
      }
      tags->push_back(std::move(*value));
    }
  }
  if (tags && tags->size() > 10) errors.add("query", "/tags", "maxItems", "must have at most 10 items");
  if (request_id && !is_uuid(*request_id)) errors.add("header", "/X-Request-Id", "format", "must be a valid uuid");
  if (!errors.list.empty()) return invalid(errors, 400);

  json pets = json::array();
  std::int64_t matched = 0;
  std::shared_lock lock(mutex_);
  const auto take = [&](const Pet& pet) {
    ++matched;
    if (static_cast<std::int64_t>(pets.size()) < limit) pets.push_back(to_json(pet));
  };
  if (!tags || tags->empty()) {
    for (auto it = pets_.begin(); it != pets_.end() && static_cast<std::int64_t>(pets.size()) < limit; ++it) {
      pets.push_back(to_json(it->second));
    }
    matched = static_cast<std::int64_t>(pets_.size());
  } else {
    // Walk the rarest tag's pets and check the others on each.
    std::vector<const std::set<std::int64_t>*> sets;
    for (const std::string& tag : *tags) {
      auto it = by_tag_.find(tag);
      if (it == by_tag_.end()) {
        sets.clear();
        break;
      }
      sets.push_back(&it->second);
    }
    if (!sets.empty()) {
      std::sort(sets.begin(), sets.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
      for (std::int64_t id : *sets.front()) {
        if (std::all_of(sets.begin() + 1, sets.end(), [&](auto* set) { return set->count(id) != 0; })) {
          take(pets_.at(id));
        }
      }
    }
  }
  Reply reply = ok(200, pets);
  reply.total_count = matched;
  return reply;
}

void PetStore::index(const Pet& pet) {
  ++names_[pet.name];
  if (pet.tags) {
    for (const std::string& tag : *pet.tags) by_tag_[tag].insert(pet.id);
  }
}

void PetStore::unindex(const Pet& pet) {
  if (auto it = names_.find(pet.name); it != names_.end() && --it->second == 0) names_.erase(it);
  if (!pet.tags) return;
  for (const std::string& tag : *pet.tags) {
    auto it = by_tag_.find(tag);
    if (it == by_tag_.end()) continue;
    it->second.erase(pet.id);
    if (it->second.empty()) by_tag_.erase(it);
  }
}

Reply PetStore::create_pet(std::string_view body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return problem(400, "Bad Request", "the request body is not valid JSON");
  Errors errors;
  auto pet = check_new_pet(parsed, errors);
  if (!pet) return invalid(errors);
  std::lock_guard lock(mutex_);
  if (names_.count(pet->name) != 0) {
    return ok(409, {{"code", 409}, {"message", "a pet named '" + pet->name + "' exists already"}});
  }
  pet->id = next_id_++;
  auto& stored = pets_[pet->id] = std::move(*pet);
  index(stored);
  return ok(201, to_json(stored));
}

Reply PetStore::get_pet(std::int64_t id) {
  std::shared_lock lock(mutex_);
  auto it = pets_.find(id);
  if (it == pets_.end()) return not_found(id);
  return ok(200, to_json(it->second));
}

Reply PetStore::update_pet(std::int64_t id, std::string_view body) {
  const json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return problem(400, "Bad Request", "the request body is not valid JSON");
  Errors errors;
  auto pet = check_new_pet(parsed, errors);
  if (!pet) return invalid(errors);
  std::lock_guard lock(mutex_);
  auto it = pets_.find(id);
  if (it == pets_.end()) return not_found(id);
  unindex(it->second);
  pet->id = id;
  it->second = std::move(*pet);
  index(it->second);
  return ok(200, to_json(it->second));
}

Reply PetStore::delete_pet(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = pets_.find(id);
  if (it == pets_.end()) return not_found(id);
  unindex(it->second);
  pets_.erase(it);
  Reply reply;
  reply.status = 204;
  reply.content_type.clear();
  return reply;
}

}  // namespace baseline
