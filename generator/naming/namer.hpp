// The one place that turns spec names into C++ identifiers.
#pragma once

#include <unordered_set>
#include <string>
#include <string_view>
#include <vector>

namespace oasgen::naming {

/// Splits a spec name into words: at non-alphanumeric characters and at case changes
/// ("petID-list" -> {"pet", "ID", "list"}). A non-ASCII character becomes a word "u<hex code point>".
std::vector<std::string> split_words(std::string_view name);

/// "pet_id_list"; a leading digit gets an "n" prefix; reserved words get a trailing '_'.
std::string snake_case(std::string_view name);
/// "PetIdList"; a leading digit gets an "N" prefix; reserved words get a trailing '_'.
std::string pascal_case(std::string_view name);
/// "kPetIdList", for enumerators.
std::string constant_case(std::string_view name);

/// Whether `identifier` is a C++ keyword, alternative token, a macro of the C or C++ standard
/// library or a common platform macro (errno, assert, linux, ...), or a name generated code uses
/// unqualified (std, nlohmann, oasgen).
bool is_reserved(std::string_view identifier);

/// Whether `identifier` is a valid C++ identifier that is not reserved (and has no "__" or "_X").
bool is_safe_identifier(std::string_view identifier);

/// A set of identifiers in one C++ scope; `claim` makes each name unique in a stable way.
class Scope {
 public:
  /// Marks names as taken without returning them (generated helpers, runtime types).
  void reserve(std::string name) { used_.insert(std::move(name)); }
  /// `candidate` if free, else candidate + "2", "3", ... Throws std::logic_error if the result is
  /// not a safe identifier (a Namer bug).
  std::string claim(const std::string& candidate);
  bool taken(const std::string& name) const { return used_.count(name) > 0; }

 private:
  std::unordered_set<std::string> used_;  // looked up only, never listed
};

}  // namespace oasgen::naming
