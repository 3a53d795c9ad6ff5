// JSON text into a tree: on one thread, or, for a large document, its top levels split into
// values that nlohmann_json parses on several threads and that are then put back together.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

#include "load/detail.hpp"
#include "support/task_pool.hpp"

namespace oasgen::load::detail {
namespace {

using nlohmann::json;

// Objects this shallow are split into their members (the root is level 0): specs keep their bulk
// at level 2 (`components/schemas/X`, `paths/P/get`) or 1 (`definitions/X`).
constexpr int kSplitLevels = 3;

// Below this size a document is parsed whole: splitting pays only where parsing takes a while.
constexpr std::size_t kSplitFrom = 1 << 20;

// A document's top levels: the objects split into members, and the values below them as text.
class Splitter {
 public:
  struct Member {
    std::string key;
    bool leaf;  // true: `index` is into leaves; false: into objects
    std::size_t index;
    std::size_t value_offset;
  };

  explicit Splitter(std::string_view text) : text_(text) {}

  // Splits the whole text; false when it is not an object followed by nothing but white space, or
  // when its skeleton is not well-formed (nlohmann_json then says where, parsing it whole).
  bool split() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    skip_space();
    if (!at('{') || !split_object(0)) return false;
    skip_space();
    return i_ == text_.size();
  }

  std::vector<std::vector<Member>> objects;  // objects[0] is the root
  std::vector<std::size_t> object_offsets;   // where each opens
  std::vector<std::string_view> leaves;      // in document order

 private:
  bool at(char c) const { return i_ < text_.size() && text_[i_] == c; }

  void skip_space() {
    while (i_ < text_.size() &&
           (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) {
      ++i_;
    }
  }

  // A member's name. Plain ones are taken as they are; one with escapes or bytes outside ASCII is
  // decoded (and checked) by nlohmann_json.
  bool read_key(std::string& key) {
    const std::size_t begin = i_;
    ++i_;
    bool plain = true;
    while (i_ < text_.size() && text_[i_] != '"') {
      const auto c = static_cast<unsigned char>(text_[i_]);
      if (c == '\\') {
        plain = false;
        ++i_;
      } else if (c < 0x20 || c >= 0x80) {
        plain = false;
      }
      ++i_;
    }
    if (i_ >= text_.size()) return false;
    ++i_;
    if (plain) {
      key.assign(text_.data() + begin + 1, i_ - begin - 2);
      return true;
    }
    try {
      key = json::parse(text_.substr(begin, i_ - begin)).get<std::string>();
      return true;
    } catch (const json::exception&) {
      return false;
    }
  }

  // The object at i_, whose members are split further while `level` allows.
  bool split_object(int level) {
    const std::size_t index = objects.size();
    objects.emplace_back();
    object_offsets.push_back(i_);
    ++i_;
    skip_space();
    if (at('}')) {
      ++i_;
      return true;
    }
    while (true) {
      std::string key;
      if (!at('"') || !read_key(key)) return false;
      skip_space();
      if (!at(':')) return false;
      ++i_;
      skip_space();
      Member member{std::move(key), true, 0, i_};
      if (at('{') && level + 1 < kSplitLevels) {
        member.leaf = false;
        member.index = objects.size();
        if (!split_object(level + 1)) return false;
      } else {
        const std::size_t begin = i_;
        i_ = skip_json_value(text_, i_);
        if (i_ > text_.size() || i_ == begin) return false;
        member.index = leaves.size();
        leaves.push_back(text_.substr(begin, i_ - begin));
      }
      objects[index].push_back(std::move(member));
      skip_space();
      if (at('}')) {
        ++i_;
        return true;
      }
      if (!at(',')) return false;
      ++i_;
      skip_space();
    }
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

// The object `index` of `split`, its leaves moved out of `values`. A repeated name: the last one
// wins, as nlohmann_json has it.
json assemble(const Splitter& split, std::size_t index, std::vector<json>& values) {
  json object = json::object();
  for (const auto& member : split.objects[index]) {
    object[member.key] =
        member.leaf ? std::move(values[member.index]) : assemble(split, member.index, values);
  }
  return object;
}

}  // namespace

std::optional<nlohmann::json> parse_json_split(std::string_view text, std::size_t threads,
                                               JsonMemberIndex* index) {
  if (threads < 2 || text.size() < kSplitFrom) return std::nullopt;
  Splitter split(text);
  if (!split.split()) return std::nullopt;
  // Runs of leaves of about equal size, several per thread, so that a slow one evens out.
  const std::size_t batch_bytes = text.size() / (threads * 8) + 1;
  std::vector<json> values(split.leaves.size());
  std::atomic<bool> failed = false;
  TaskPool pool(threads);
  for (std::size_t first = 0; first < split.leaves.size();) {
    std::size_t last = first, bytes = 0;
    while (last < split.leaves.size() && bytes < batch_bytes) bytes += split.leaves[last++].size();
    pool.add([&, first, last] {
      for (std::size_t leaf = first; leaf < last && !failed; ++leaf) {
        try {
          values[leaf] = json::parse(split.leaves[leaf].begin(), split.leaves[leaf].end());
        } catch (const json::exception&) {
          failed = true;
        }
      }
    });
    first = last;
  }
  pool.run();
  if (failed) return std::nullopt;
  if (index) {
    for (std::size_t object = 0; object < split.objects.size(); ++object) {
      auto& known = index->emplace_back(split.object_offsets[object], MemberOffsets{}).second;
      known.reserve(split.objects[object].size());
      for (const auto& member : split.objects[object]) known[member.key] = member.value_offset;
    }
  }
  return assemble(split, 0, values);
}

nlohmann::json parse_json(std::string_view text, std::optional<SyntaxError>& error,
                          std::size_t threads, JsonMemberIndex* index) {
  if (auto tree = parse_json_split(text, threads, index)) return std::move(*tree);
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 5: <message>"
    std::string message = e.what();
    if (const auto colon = message.find(": "); colon != std::string::npos) {
      message.erase(0, colon + 2);
    }
    // `byte` counts the characters read, the offending one included.
    error = SyntaxError{"syntax", message, line_column_at(text, e.byte == 0 ? 0 : e.byte - 1)};
    return nullptr;
  } catch (const nlohmann::json::out_of_range& e) {
    // A number too large for a double ("1e400"): "... number overflow parsing '1e400'". The
    // exception has no position; the number's first occurrence is a good guess.
    std::string message = e.what();
    if (const auto close = message.find("] "); close != std::string::npos) {
      message.erase(0, close + 2);
    }
    const auto open = message.find('\'');
    const std::string literal = open == std::string::npos
                                    ? std::string()
                                    : message.substr(open + 1, message.size() - open - 2);
    const std::size_t at = literal.empty() ? 0 : text.find(literal);
    error =
        SyntaxError{"syntax", message, line_column_at(text, at == std::string_view::npos ? 0 : at)};
    return nullptr;
  }
}

}  // namespace oasgen::load::detail
