// Source rules: whether code written against the old generated C++ still compiles against the new.
// Compares the naming stage's plans (cpp::Api), which hold every C++ spelling `generate` writes.
#include <algorithm>
#include <cctype>
#include <optional>
#include <map>
#include <set>

#include "diff/detail.hpp"

namespace oasgen::diff::detail {

namespace {

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The optional wrappers naming may put around a type (cpp::OptionalType).
std::optional<std::string> optional_inner(const std::string& type) {
  for (const std::string wrapper : {"std::optional<", "oasgen::Optional<"}) {
    if (type.rfind(wrapper, 0) == 0 && type.back() == '>') {
      return type.substr(wrapper.size(), type.size() - wrapper.size() - 1);
    }
  }
  return std::nullopt;
}

class SourceDiff {
 public:
  SourceDiff(const cpp::Api& a, const cpp::Api& b, SchemaDiff& schemas, Collector& out)
      : a_(a), b_(b), schemas_(schemas), out_(out) {
    // As render spells the include folder (render/views.cpp): "acme::pets" -> "acme_pets".
    std::string dir = b.options.ns;
    std::replace(dir.begin(), dir.end(), ':', '_');
    dir.erase(std::unique(dir.begin(), dir.end(), [](char x, char y) { return x == '_' && y == '_'; }), dir.end());
    include_ = "include/" + dir + "/";
    ns_ = b.options.ns + "::";
    old_ns_ = a.options.ns + "::";
  }

  void run() {
    find_renames();
    compare_types();
    compare_operations();
  }

 private:
  void add(const char* id, Level level, const std::string& group, const std::string& message,
           const model::Origin& oa, const model::Origin& ob, const std::string& symbol,
           const std::string& header) {
    out_.add(id, level, Axis::Source, group, message, oa, ob, symbol, header);
  }

  // An old type spelling with renamed types replaced by their new names, so that a member of a
  // renamed type does not count as retyped.
  std::string renamed(const std::string& type) const {
    if (renames_.empty()) return type;
    std::string out;
    for (std::size_t i = 0; i < type.size();) {
      if (!is_identifier_char(type[i])) {
        out += type[i++];
        continue;
      }
      std::size_t end = i;
      while (end < type.size() && is_identifier_char(type[end])) ++end;
      const std::string word = type.substr(i, end - i);
      auto found = renames_.find(word);
      out += found == renames_.end() ? word : found->second;
      i = end;
    }
    return out;
  }

  // Types that left under one name and came back under another with the same structure: a
  // component renamed, or an inline type named after one.
  void find_renames() {
    std::map<std::string, const cpp::Type*> added;
    for (const auto& t : b_.types) added[t.name] = &t;
    for (const auto& t : a_.types) added.erase(t.name);
    for (const auto& t : a_.types) {
      if (find_type(b_, t.name)) continue;
      const model::Schema& old_schema = a_.model->schemas[t.schema];
      for (auto it = added.begin(); it != added.end(); ++it) {
        const model::Schema& new_schema = b_.model->schemas[it->second->schema];
        if (it->second->kind != t.kind || !schemas_.equivalent(t.schema, it->second->schema)) {
          continue;
        }
        renames_[t.name] = it->first;
        const std::string what =
            old_schema.component && new_schema.component
                ? "component '" + old_schema.name_parts.front() + "' renamed to '" + new_schema.name_parts.front() + "'"
            : new_schema.component ? "inline schema moved to component '" + new_schema.name_parts.front() + "'"
            : old_schema.component ? "component '" + old_schema.name_parts.front() + "' inlined"
                                   : "inline schema renamed";
        add("type-renamed", Level::Error, "",
            what + " without a structural change (the same on the wire): the C++ type " + old_ns_ +
                t.name + " is now " + ns_ + it->first,
            old_schema.origin, new_schema.origin, ns_ + it->first, include_ + "models.hpp");
        added.erase(it);
        break;
      }
    }
  }

  static const cpp::Type* find_type(const cpp::Api& api, const std::string& name) {
    auto it = std::find_if(api.types.begin(), api.types.end(), [&](const auto& t) { return t.name == name; });
    return it == api.types.end() ? nullptr : &*it;
  }

  void compare_types() {
    const std::string header = include_ + "models.hpp";
    for (const auto& ta : a_.types) {
      const auto rename = renames_.find(ta.name);
      const cpp::Type* tb = find_type(b_, rename == renames_.end() ? ta.name : rename->second);
      const auto& oa = a_.model->schemas[ta.schema].origin;
      if (!tb) {
        add("type-removed", Level::Error, "", "type " + old_ns_ + ta.name + " removed", oa,
            paths_origin(), old_ns_ + ta.name, header);
        continue;
      }
      const auto& ob = b_.model->schemas[tb->schema].origin;
      const std::string symbol = ns_ + tb->name;
      if (ta.shares || tb->shares) {
        compare_sharing(ta, *tb, symbol, header, oa, ob);
        continue;
      }
      if (ta.kind != tb->kind) {
        add("type-kind-changed", Level::Error, "", "type " + symbol + " is now another kind of type (struct, enum, alias or variant)",
            oa, ob, symbol, header);
        continue;
      }
      compare_fields(ta, *tb, symbol, header, oa, ob);
      compare_enumerators(ta, *tb, symbol, header, oa, ob);
      if (ta.kind == cpp::TypeKind::Alias && renamed(ta.aliased) != tb->aliased) {
        add("alias-type-changed", Level::Error, "", symbol + " now stands for " + tb->aliased + " (was " + ta.aliased + ")",
            oa, ob, symbol, header);
      }
      compare_alternatives(ta, *tb, symbol, header, oa, ob);
    }
  }

  // An alias of a shared type (naming/shapes.hpp) stands for that type, which is compared under its
  // own name: here only whether it still shares, and what the type it stands for became.
  void compare_sharing(const cpp::Type& ta, const cpp::Type& tb, const std::string& symbol,
                       const std::string& header, const model::Origin& oa, const model::Origin& ob) {
    const std::string was = ta.shares ? renamed(ta.aliased) : "", is = tb.shares ? tb.aliased : "";
    if (was == is) return;
    const std::string message =
        was.empty() ? symbol + " is now the same type as " + ns_ + is + " (their schemas say the same thing)"
        : is.empty() ? symbol + " is no longer the same type as " + ns_ + was +
                           " (code that passes one for the other stops compiling)"
                     : symbol + " is now the same type as " + ns_ + is + " (was " + ns_ + was + ")";
    add("type-sharing-changed", Level::Warning, "", message, oa, ob, symbol, header);
    const cpp::Type* da = ta.shares ? find_type(a_, ta.aliased) : &ta;
    const cpp::Type* db = tb.shares ? find_type(b_, tb.aliased) : &tb;
    if (!da || !db) return;
    if (da->kind != db->kind) {
      add("type-kind-changed", Level::Error, "", "type " + symbol + " is now another kind of type (struct, enum, alias or variant)",
          oa, ob, symbol, header);
      return;
    }
    compare_fields(*da, *db, symbol, header, oa, ob);
    compare_alternatives(*da, *db, symbol, header, oa, ob);
  }

  // A member, request parameter or response header: removed, retyped, optional or required.
  template <typename Member>
  void compare_members(const std::vector<Member>& ma, const std::vector<Member>& mb, std::string Member::*name,
                       const std::string& owner, const std::string& group, const std::string& header,
                       const model::Origin& oa, const model::Origin& ob, bool additions) {
    for (const auto& a : ma) {
      const std::string symbol = owner + "::" + a.*name;
      auto b = std::find_if(mb.begin(), mb.end(), [&](const auto& m) { return m.*name == a.*name; });
      if (b == mb.end()) {
        add("member-removed", Level::Error, group, "member " + symbol + " removed", oa, ob, symbol, header);
        continue;
      }
      const std::string old_type = renamed(a.type);
      if (old_type == b->type) continue;
      const auto inner_a = optional_inner(old_type), inner_b = optional_inner(b->type);
      if (inner_a && *inner_a == b->type) {
        add("member-became-required", Level::Error, group,
            "member " + symbol + " became required: " + a.type + " -> " + b->type, oa, ob, symbol, header);
      } else if (inner_b && *inner_b == old_type) {
        add("member-became-optional", Level::Error, group,
            "member " + symbol + " became optional: " + a.type + " -> " + b->type, oa, ob, symbol, header);
      } else {
        add("member-type-changed", Level::Error, group,
            "member " + symbol + " retyped: " + a.type + " -> " + b->type, oa, ob, symbol, header);
      }
    }
    if (!additions) return;
    for (const auto& b : mb) {
      if (std::none_of(ma.begin(), ma.end(), [&](const auto& m) { return m.*name == b.*name; })) {
        add("member-added", Level::Info, group, "member " + owner + "::" + b.*name + " added", oa, ob,
            owner + "::" + b.*name, header);
      }
    }
  }

  void compare_fields(const cpp::Type& ta, const cpp::Type& tb, const std::string& symbol,
                      const std::string& header, const model::Origin& oa, const model::Origin& ob) {
    if (ta.kind != cpp::TypeKind::Struct) return;
    compare_members(ta.fields, tb.fields, &cpp::Field::name, symbol, "", header, oa, ob, true);
  }

  void compare_enumerators(const cpp::Type& ta, const cpp::Type& tb, const std::string& symbol,
                           const std::string& header, const model::Origin& oa, const model::Origin& ob) {
    for (const auto& v : ta.values) {
      auto same = [&](const cpp::EnumValue& w) { return w.name == v.name; };
      if (std::none_of(tb.values.begin(), tb.values.end(), same)) {
        add("enumerator-removed", Level::Error, "", "enumerator " + symbol + "::" + v.name + " removed", oa, ob,
            symbol + "::" + v.name, header);
      }
    }
    for (const auto& v : tb.values) {
      auto same = [&](const cpp::EnumValue& w) { return w.name == v.name; };
      if (std::none_of(ta.values.begin(), ta.values.end(), same)) {
        add("enumerator-added", Level::Warning, "",
            "enumerator " + symbol + "::" + v.name + " added (a switch over every enumerator misses it)",
            oa, ob, symbol + "::" + v.name, header);
      }
    }
  }

  void compare_alternatives(const cpp::Type& ta, const cpp::Type& tb, const std::string& symbol,
                            const std::string& header, const model::Origin& oa, const model::Origin& ob) {
    std::set<std::string> types_a, types_b;
    for (const auto& alt : ta.alternatives) types_a.insert(renamed(alt.type));
    for (const auto& alt : tb.alternatives) types_b.insert(alt.type);
    for (const auto& t : types_a) {
      if (!types_b.count(t)) {
        add("variant-alternative-removed", Level::Error, "", "variant " + symbol + " no longer holds " + t, oa, ob, symbol, header);
      }
    }
    for (const auto& t : types_b) {
      if (!types_a.count(t)) {
        add("variant-alternative-added", Level::Error, "",
            "variant " + symbol + " may now hold " + t + " (an exhaustive std::visit misses it)", oa, ob, symbol, header);
      }
    }
  }

  void compare_operations() {
    std::map<std::pair<std::string, std::string>, const cpp::Operation*> in_b;
    for (const auto& op : b_.operations) in_b[{path_key(op.source->path), op.source->method}] = &op;
    for (const auto& oa : a_.operations) {
      const model::Operation& ma = *oa.source;
      auto found = in_b.find({path_key(ma.path), ma.method});
      if (found == in_b.end()) {
        for (const char* owner : {"Handler", "Client"}) {
          add("method-removed", Level::Error, group_of(ma),
              std::string(owner) + "::" + oa.method_name + " removed", ma.origin, paths_origin(),
              old_ns_ + owner + "::" + oa.method_name,
              include_ + (owner[0] == 'H' ? "server.hpp" : "client.hpp"));
        }
        continue;
      }
      const cpp::Operation& ob = *found->second;
      in_b.erase(found);
      compare_operation(oa, ob);
    }
    for (const auto& [key, ob] : in_b) {
      // An error: deriving from Handler is how the API is meant to be served, and such a class no
      // longer compiles (tests/diff/diff_truth_test.sh). UnimplementedHandler users are unaffected.
      add("method-added", Level::Error, group_of(*ob->source),
          "Handler::" + ob->method_name + " added, pure virtual: a class deriving from Handler must "
          "implement it (UnimplementedHandler answers 501)",
          paths_origin(), ob->source->origin, ns_ + "Handler::" + ob->method_name, include_ + "server.hpp");
    }
  }

  void compare_operation(const cpp::Operation& a, const cpp::Operation& b) {
    const model::Operation& ma = *a.source;
    const model::Operation& mb = *b.source;
    const std::string group = group_of(mb);
    if (a.method_name != b.method_name) {
      for (const char* owner : {"Handler", "Client"}) {
        add("method-renamed", Level::Error, group,
            std::string(owner) + "::" + a.method_name + " is now " + owner + "::" + b.method_name,
            ma.origin, mb.origin, ns_ + owner + "::" + b.method_name,
            include_ + (owner[0] == 'H' ? "server.hpp" : "client.hpp"));
      }
    }
    const std::string api = include_ + "api.hpp";
    if (a.request_type != b.request_type) {
      add("request-type-renamed", Level::Error, group, "request type " + old_ns_ + a.request_type + " is now " + ns_ + b.request_type,
          ma.origin, mb.origin, ns_ + b.request_type, api);
    }
    if (a.result_type != b.result_type) {
      add("result-type-renamed", Level::Error, group, "result type " + old_ns_ + a.result_type + " is now " + ns_ + b.result_type,
          ma.origin, mb.origin, ns_ + b.result_type, api);
    }
    std::vector<cpp::Param> pa = a.params, pb = b.params;
    // The body is a member of the request struct like the parameters.
    if (a.body) pa.push_back({a.body->field, a.body->type, a.body->value_type, {}, nullptr});
    if (b.body) pb.push_back({b.body->field, b.body->type, b.body->value_type, {}, nullptr});
    compare_members(pa, pb, &cpp::Param::field, ns_ + b.request_type, group, api, ma.origin, mb.origin, false);
    compare_results(a, b, group, api);
  }

  void compare_results(const cpp::Operation& a, const cpp::Operation& b, const std::string& group,
                       const std::string& api) {
    const model::Origin& oa = a.source->origin;
    const model::Origin& ob = b.source->origin;
    for (const auto& ra : a.results) {
      auto rb = std::find_if(b.results.begin(), b.results.end(), [&](const auto& r) { return r.status == ra.status; });
      if (rb == b.results.end()) {
        add("result-case-removed", Level::Error, group,
            "result " + ns_ + b.result_type + " no longer holds " + ra.name + " (response " + ra.status + ")",
            oa, ob, ns_ + ra.name, api);
        continue;
      }
      const std::string symbol = ns_ + rb->name;
      if (ra.name != rb->name) {
        add("result-case-renamed", Level::Error, group, "result case " + old_ns_ + ra.name + " is now " + symbol,
            oa, ob, symbol, api);
      }
      if (renamed(ra.body_type) != rb->body_type) {
        add("result-body-type-changed", Level::Error, group,
            symbol + "::body retyped: " + (ra.body_type.empty() ? "none" : ra.body_type) + " -> " +
                (rb->body_type.empty() ? "none" : rb->body_type),
            oa, ob, symbol + "::body", api);
      }
      compare_members(ra.headers, rb->headers, &cpp::ResponseHeader::field, symbol, group, api, oa, ob, false);
    }
    for (const auto& rb : b.results) {
      if (std::none_of(a.results.begin(), a.results.end(), [&](const auto& r) { return r.status == rb.status; })) {
        add("result-case-added", Level::Error, group,
            "result " + ns_ + b.result_type + " may now hold " + rb.name + " (response " + rb.status +
                "; an exhaustive visit misses it)",
            oa, ob, ns_ + rb.name, api);
      }
    }
  }

  const cpp::Api& a_;
  const cpp::Api& b_;
  SchemaDiff& schemas_;
  Collector& out_;
  std::string include_, ns_, old_ns_;
  std::map<std::string, std::string> renames_;
};

}  // namespace

void compare_source(const cpp::Api& old_cpp, const cpp::Api& new_cpp, SchemaDiff& schemas, Collector& out) {
  SourceDiff(old_cpp, new_cpp, schemas, out).run();
}

}  // namespace oasgen::diff::detail
