// Wire rules: whether clients of the old document keep working against a server of the new one.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "diff/detail.hpp"

namespace oasgen::diff::detail {

namespace {

using model::Operation;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

const char* in_name(model::ParamIn in) {
  switch (in) {
    case model::ParamIn::Path: return "path";
    case model::ParamIn::Query: return "query";
    case model::ParamIn::Header: return "header";
    case model::ParamIn::Cookie: return "cookie";
  }
  return "query";
}

const char* style_name(model::ParamStyle style) {
  switch (style) {
    case model::ParamStyle::Simple: return "simple";
    case model::ParamStyle::Label: return "label";
    case model::ParamStyle::Matrix: return "matrix";
    case model::ParamStyle::Form: return "form";
    case model::ParamStyle::SpaceDelimited: return "spaceDelimited";
    case model::ParamStyle::PipeDelimited: return "pipeDelimited";
    case model::ParamStyle::DeepObject: return "deepObject";
  }
  return "form";
}

// How parameters are matched: by location and name (headers case-insensitively), path
// parameters by their position in the path, since only the position travels.
std::string param_key(const Operation& op, const model::Parameter& p) {
  if (p.in == model::ParamIn::Path) {
    std::size_t index = 0;
    for (std::size_t at = op.path.find('{'); at != std::string::npos; at = op.path.find('{', at + 1)) {
      if (op.path.compare(at + 1, p.name.size() + 1, p.name + "}") == 0) break;
      ++index;
    }
    return "path#" + std::to_string(index);
  }
  return std::string(in_name(p.in)) + ":" + (p.in == model::ParamIn::Header ? lower(p.name) : p.name);
}

class WireDiff {
 public:
  WireDiff(SchemaDiff& schemas, Collector& out)
      : schemas_(schemas), out_(out), old_(out.old_api()), new_(out.new_api()) {}

  void run() {
    std::map<std::pair<std::string, std::string>, const Operation*> by_key;
    std::set<std::string> new_paths;
    for (const auto& op : new_.operations) {
      by_key[{path_key(op.path), op.method}] = &op;
      new_paths.insert(path_key(op.path));
    }
    std::set<std::pair<std::string, std::string>> matched;
    std::set<std::string> removed_paths;
    for (const auto& a : old_.operations) {
      auto b = by_key.find({path_key(a.path), a.method});
      if (b != by_key.end()) {
        matched.insert(b->first);
        compare_operation(a, *b->second);
      } else if (!new_paths.count(path_key(a.path))) {
        if (removed_paths.insert(a.path).second) {
          out_.add("path-removed", Level::Error, Axis::Wire, a.path,
                   "path " + a.path + " removed, with every operation on it", parent(a.origin),
                   paths_origin());
        }
      } else {
        const Operation* sibling = nullptr;
        for (const auto& op : new_.operations) {
          if (path_key(op.path) == path_key(a.path)) sibling = &op;
        }
        out_.add("operation-removed", Level::Error, Axis::Wire, group_of(a), "operation removed",
                 a.origin, parent(sibling->origin));
      }
    }
    for (const auto& b : new_.operations) {
      if (matched.count({path_key(b.path), b.method})) continue;
      out_.add("operation-added", Level::Info, Axis::Wire, group_of(b), "operation added",
               paths_origin(), b.origin);
    }
    compare_security_schemes(out_);
  }

 private:
  void add(const char* id, Level level, const std::string& message, const model::Origin& a,
           const model::Origin& b) {
    out_.add(id, level, Axis::Wire, group_, message, a, b);
  }

  // Schema findings, each prefixed with what holds the schema ("request body (application/json)").
  void schema(model::SchemaId a, model::SchemaId b, Direction direction, const std::string& what) {
    for (const auto& f : schemas_.compare(a, b, direction)) {
      const std::string where = f.path.empty() ? what : what + " property '" + f.path + "'";
      out_.add(f.id, f.level, Axis::Wire, group_, where + ": " + f.detail, f.old_origin, f.new_origin);
    }
  }

  void compare_operation(const Operation& a, const Operation& b) {
    group_ = group_of(b);
    if (a.operation_id != b.operation_id) {
      add("operation-id-changed", Level::Info,
          "operationId '" + a.operation_id + "' -> '" + b.operation_id + "' (not sent on the wire)",
          a.origin, b.origin);
    }
    if (b.deprecated && !a.deprecated) add("operation-deprecated", Level::Info, "operation deprecated", a.origin, b.origin);
    compare_parameters(a, b);
    compare_body(a, b);
    compare_responses(a, b);
    compare_security(a, b);
  }

  void compare_parameters(const Operation& a, const Operation& b) {
    std::map<std::string, const model::Parameter*> in_b;
    for (const auto& p : b.parameters) in_b[param_key(b, p)] = &p;
    std::set<std::string> seen;
    for (const auto& pa : a.parameters) {
      const std::string key = param_key(a, pa);
      const std::string what = "parameter '" + pa.name + "' (" + in_name(pa.in) + ")";
      auto found = in_b.find(key);
      if (found == in_b.end()) {
        add("request-parameter-removed", Level::Error, what + " removed; the server no longer reads it",
            pa.origin, b.origin);
        continue;
      }
      seen.insert(key);
      const model::Parameter& pb = *found->second;
      if (pa.required != pb.required) {
        pb.required ? add("request-parameter-became-required", Level::Error, what + " became required", pa.origin, pb.origin)
                    : add("request-parameter-became-optional", Level::Info, what + " became optional", pa.origin, pb.origin);
      }
      if (pa.style != pb.style) {
        add("request-parameter-style-changed", Level::Error,
            what + ": style " + style_name(pa.style) + " -> " + style_name(pb.style), pa.origin, pb.origin);
      }
      if (pa.explode != pb.explode) {
        add("request-parameter-explode-changed", Level::Error,
            what + ": explode " + (pa.explode ? "true -> false" : "false -> true"), pa.origin, pb.origin);
      }
      if (pa.allow_empty_value && !pb.allow_empty_value) {
        add("request-parameter-empty-value-forbidden", Level::Error,
            what + ": allowEmptyValue removed; an empty value is no longer accepted", pa.origin, pb.origin);
      }
      if (pb.deprecated && !pa.deprecated) add("request-parameter-deprecated", Level::Info, what + " deprecated", pa.origin, pb.origin);
      schema(pa.schema, pb.schema, Direction::Request, what);
    }
    for (const auto& pb : b.parameters) {
      if (seen.count(param_key(b, pb))) continue;
      const std::string what = "parameter '" + pb.name + "' (" + in_name(pb.in) + ")";
      pb.required ? add("request-parameter-added-required", Level::Error, what + " added as required", a.origin, pb.origin)
                  : add("request-parameter-added", Level::Info, what + " added (optional)", a.origin, pb.origin);
    }
  }

  // Media types, matched case-insensitively; each common one's schema compared.
  void compare_content(const std::vector<model::MediaType>& ca, const std::vector<model::MediaType>& cb,
                       const model::Origin& oa, const model::Origin& ob, Direction direction,
                       const std::string& what) {
    const bool request = direction == Direction::Request;
    for (const auto& ma : ca) {
      auto mb = std::find_if(cb.begin(), cb.end(), [&](const auto& m) { return lower(m.name) == lower(ma.name); });
      if (mb == cb.end()) {
        add(request ? "request-media-type-removed" : "response-media-type-removed", Level::Error,
            what + ": media type " + ma.name + " removed", oa, ob);
      } else if (ma.schema && mb->schema) {
        schema(*ma.schema, *mb->schema, direction, what + " (" + ma.name + ")");
      }
    }
    for (const auto& mb : cb) {
      auto ma = std::find_if(ca.begin(), ca.end(), [&](const auto& m) { return lower(m.name) == lower(mb.name); });
      if (ma == ca.end()) {
        add(request ? "request-media-type-added" : "response-media-type-added", Level::Info,
            what + ": media type " + mb.name + " added", oa, ob);
      }
    }
  }

  void compare_body(const Operation& a, const Operation& b) {
    const auto& ba = a.request_body;
    const auto& bb = b.request_body;
    if (!ba && !bb) return;
    if (!ba) {
      bb->required ? add("request-body-added-required", Level::Error, "request body added as required", a.origin, bb->origin)
                   : add("request-body-added", Level::Info, "request body added (optional)", a.origin, bb->origin);
      return;
    }
    if (!bb) {
      add("request-body-removed", Level::Warning, "request body removed; the server no longer reads it",
          ba->origin, b.origin);
      return;
    }
    if (ba->required != bb->required) {
      bb->required ? add("request-body-became-required", Level::Error, "request body became required", ba->origin, bb->origin)
                   : add("request-body-became-optional", Level::Info, "request body became optional", ba->origin, bb->origin);
    }
    compare_content(ba->content, bb->content, ba->origin, bb->origin, Direction::Request, "request body");
  }

  // An operation that declares no responses gets a `default` one from the model, standing where
  // the operation does: not written, so neither removed nor added.
  static bool written(const Operation& op, const model::Response& r) {
    return r.origin.pointer != op.origin.pointer;
  }

  void compare_responses(const Operation& a, const Operation& b) {
    for (const auto& ra : a.responses) {
      if (!written(a, ra)) continue;
      auto rb = std::find_if(b.responses.begin(), b.responses.end(),
                             [&](const auto& r) { return r.status == ra.status; });
      const std::string what = "response " + ra.status;
      if (rb == b.responses.end()) {
        add("response-removed", Level::Error, what + " removed", ra.origin, b.origin);
        continue;
      }
      compare_headers(ra, *rb, what);
      compare_content(ra.content, rb->content, ra.origin, rb->origin, Direction::Response, what);
    }
    for (const auto& rb : b.responses) {
      auto ra = std::find_if(a.responses.begin(), a.responses.end(),
                             [&](const auto& r) { return r.status == rb.status; });
      if (ra == a.responses.end() && written(b, rb)) {
        add("response-added", Level::Info, "response " + rb.status + " added", a.origin, rb.origin);
      }
    }
  }

  void compare_headers(const model::Response& ra, const model::Response& rb, const std::string& response) {
    for (const auto& ha : ra.headers) {
      const std::string what = response + " header '" + ha.name + "'";
      auto hb = std::find_if(rb.headers.begin(), rb.headers.end(),
                             [&](const auto& h) { return lower(h.name) == lower(ha.name); });
      if (hb == rb.headers.end()) {
        ha.required ? add("response-required-header-removed", Level::Error, what + " removed; it was required", ha.origin, rb.origin)
                    : add("response-header-removed", Level::Warning, what + " removed", ha.origin, rb.origin);
        continue;
      }
      if (ha.required != hb->required) {
        hb->required ? add("response-header-became-required", Level::Info, what + " became required", ha.origin, hb->origin)
                     : add("response-header-became-optional", Level::Error, what + " became optional", ha.origin, hb->origin);
      }
      if (ha.explode != hb->explode) {
        add("response-header-explode-changed", Level::Error,
            what + ": explode " + (ha.explode ? "true -> false" : "false -> true"), ha.origin, hb->origin);
      }
      if (hb->deprecated && !ha.deprecated) add("response-header-deprecated", Level::Info, what + " deprecated", ha.origin, hb->origin);
      schema(ha.schema, hb->schema, Direction::Response, what);
    }
    for (const auto& hb : rb.headers) {
      auto ha = std::find_if(ra.headers.begin(), ra.headers.end(),
                             [&](const auto& h) { return lower(h.name) == lower(hb.name); });
      if (ha == ra.headers.end()) {
        add("response-header-added", Level::Info, response + " header '" + hb.name + "' added", ra.origin, hb.origin);
      }
    }
  }

  // A requirement alternative: scheme name -> scopes.
  using Alternative = std::map<std::string, std::set<std::string>>;

  std::vector<Alternative> alternatives(const model::Api& api, const Operation& op) {
    std::vector<Alternative> out;
    for (const auto& requirement : op.security) {
      Alternative alt;
      for (const auto& [index, scopes] : requirement.schemes) {
        alt[api.security_schemes[index].name].insert(scopes.begin(), scopes.end());
      }
      out.push_back(std::move(alt));
    }
    return out;
  }

  // Whether `small` asks for no more than `large`: every scheme of it in `large` with no more scopes.
  static bool within(const Alternative& small, const Alternative& large) {
    for (const auto& [name, scopes] : small) {
      auto other = large.find(name);
      if (other == large.end() ||
          !std::includes(other->second.begin(), other->second.end(), scopes.begin(), scopes.end())) {
        return false;
      }
    }
    return true;
  }

  static std::string show(const Alternative& alt) {
    std::string out;
    for (const auto& [name, scopes] : alt) {
      out += (out.empty() ? "" : " + ") + name;
      if (!scopes.empty()) {
        std::string list;
        for (const auto& s : scopes) list += (list.empty() ? "" : ", ") + s;
        out += " [" + list + "]";
      }
    }
    return out.empty() ? "anonymous" : out;
  }

  // Old clients satisfy one of the old alternatives; each must still satisfy a new one.
  void compare_security(const Operation& a, const Operation& b) {
    const auto old_alts = alternatives(old_, a), new_alts = alternatives(new_, b);
    if (old_alts.empty() && new_alts.empty()) return;
    if (old_alts.empty()) {
      add("security-added", Level::Error, "security added: " + describe(new_alts), a.origin, b.origin);
      return;
    }
    if (new_alts.empty()) {
      add("security-removed", Level::Info, "security removed: anyone may call the operation", a.origin, b.origin);
      return;
    }
    for (const auto& alt : old_alts) {
      if (std::find(new_alts.begin(), new_alts.end(), alt) != new_alts.end()) continue;
      auto some = [&](auto&& test) { return std::any_of(new_alts.begin(), new_alts.end(), test); };
      const std::string what = "security requirement " + show(alt);
      if (some([&](const Alternative& n) { return within(n, alt); })) {
        add("security-requirement-loosened", Level::Info, what + " asks for less", a.origin, b.origin);
      } else if (some([&](const Alternative& n) { return within(alt, n) && n.size() == alt.size(); })) {
        add("security-scopes-added", Level::Error, what + " now needs more scopes", a.origin, b.origin);
      } else if (some([&](const Alternative& n) { return within(alt, n); })) {
        add("security-requirement-scheme-added", Level::Error, what + " now needs another scheme as well", a.origin, b.origin);
      } else {
        add("security-requirement-removed", Level::Error, what + " removed", a.origin, b.origin);
      }
    }
    for (const auto& alt : new_alts) {
      const bool related = std::any_of(old_alts.begin(), old_alts.end(), [&](const Alternative& o) {
        return within(alt, o) || within(o, alt);
      });
      if (!related) {
        add("security-alternative-added", Level::Info, "security alternative " + show(alt) + " added", a.origin, b.origin);
      }
    }
  }

  static std::string describe(const std::vector<Alternative>& alts) {
    std::string out;
    for (const auto& alt : alts) out += (out.empty() ? "" : " or ") + show(alt);
    return out;
  }

  SchemaDiff& schemas_;
  Collector& out_;
  const model::Api& old_;
  const model::Api& new_;
  std::string group_;
};

}  // namespace

void compare_wire(SchemaDiff& schemas, Collector& out) { WireDiff(schemas, out).run(); }

}  // namespace oasgen::diff::detail
