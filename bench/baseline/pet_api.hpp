// The petstore API written by hand, as a C++ engineer would without a generator: nlohmann_json
// DOM, checks spelled out, the same store semantics as examples/petstore. The benchmark's
// reference point (bench/server_bench.sh); no Beast in here, so the checks read on their own.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace baseline {

struct Reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::optional<std::int64_t> total_count;  // X-Total-Count
  std::string allow;                        // Allow, on 405
};

struct Category {
  std::optional<std::int64_t> id;
  std::string name;
};

struct Pet {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  Category category;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> birth_date;
  std::optional<double> weight_kg;
  std::optional<std::optional<std::string>> nickname;  // absent, null or text
};

/// The pets, with an index by name and one by tag, so that no operation scans them all.
class PetStore {
 public:
  /// Routes and answers one request. `request_id` is the X-Request-Id header, if any.
  Reply handle(std::string_view method, std::string_view target,
               std::optional<std::string_view> request_id, std::string_view body);

 private:
  Reply list_pets(std::string_view query, std::optional<std::string_view> request_id);
  Reply create_pet(std::string_view body);
  Reply get_pet(std::int64_t id);
  Reply update_pet(std::int64_t id, std::string_view body);
  Reply delete_pet(std::int64_t id);
  void index(const Pet& pet);
  void unindex(const Pet& pet);

  std::shared_mutex mutex_;  // readers (get, list) share it
  std::map<std::int64_t, Pet> pets_;
  // How many pets carry each name: create refuses a taken one, update (as the spec says) does not.
  // A tree rather than a hash table: growing a hash table rehashes every name under the lock (tens
  // of milliseconds once it holds a few hundred thousand), which every waiting request pays.
  std::map<std::string, std::size_t, std::less<>> names_;
  std::unordered_map<std::string, std::set<std::int64_t>> by_tag_;
  std::int64_t next_id_ = 1;
};

}  // namespace baseline
