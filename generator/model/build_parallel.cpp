// Components built beside each other on the pool, then put in place by the serial walk in the
// order it reaches them (see Builder::Speculation): the same schema ids, schemas and diagnostics
// as the walk alone.
#include <memory>
#include <utility>

#include "model/builder.hpp"
#include "support/task_pool.hpp"

namespace oasgen::model::detail {
namespace {

// Every schema id a schema holds.
template <typename F>
void for_each_id(Schema& s, F&& f) {
  auto one = [&](std::optional<SchemaId>& id) {
    if (id) f(*id);
  };
  auto all = [&](std::vector<SchemaId>& ids) {
    for (auto& id : ids) f(id);
  };
  one(s.same_as);
  all(s.one_of);
  all(s.any_of);
  if (s.discriminator) {
    for (auto& entry : s.discriminator->mapping) f(entry.second);
  }
  one(s.items);
  for (auto& property : s.properties) f(property.schema);
  one(s.additional);
  one(s.own);
  all(s.all_of);
  one(s.not_schema);
  one(s.if_schema);
  one(s.then_schema);
  one(s.else_schema);
  for (auto& entry : s.pattern_properties) f(entry.second);
  one(s.property_names);
  one(s.unevaluated_properties);
  for (auto& entry : s.dependent_schemas) f(entry.second);
  one(s.contains);
  all(s.prefix_items);
  one(s.additional_items);
}

}  // namespace

void Builder::speculate(const Node& container) {
  std::vector<std::pair<std::string, Node>> members;
  for_each_member(container, [&](const std::string& name, const Node& node) {
    members.emplace_back(name, node);
  });
  auto roots = std::make_unique<std::unordered_map<const nlohmann::json*, std::size_t>>();
  auto speculations = std::make_unique<std::vector<Speculation>>(members.size());
  roots_ = roots.get();
  std::vector<std::size_t> built;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const nlohmann::json& value = *members[i].second;
    // A component that is a reference is the walk's to follow; roots_ still knows it.
    const bool own_schema = value.is_object() && !value.contains("$ref");
    roots->emplace(&value, own_schema ? i : kNone);
    if (own_schema) built.push_back(i);
  }
  TaskPool pool(threads_);
  // Runs of components, several per thread, so that a large one evens out.
  const std::size_t runs = threads_ * 8;
  for (std::size_t run = 0; run < runs; ++run) {
    const std::size_t first = built.size() * run / runs, last = built.size() * (run + 1) / runs;
    if (first == last) continue;
    pool.add([&, first, last] {
      for (std::size_t k = first; k < last; ++k) {
        const auto& [name, node] = members[built[k]];
        speculate_one(name, node, (*speculations)[built[k]]);
      }
    });
  }
  pool.run();
  for (const auto& speculation : *speculations) {
    if (speculation.unsafe) {
      roots_ = nullptr;
      return;
    }
  }
  // Room for them all at once: growing would move every schema made so far, again and again.
  std::size_t total = 0;
  for (const auto& speculation : *speculations) total += speculation.schemas.size();
  api_.schemas.reserve(api_.schemas.size() + total + total / 4);
  by_node_.reserve(by_node_.size() + total + total / 4);
  speculation_roots_ = std::move(roots);  // roots_ stays: it views the same map
  speculations_ = std::move(speculations);
}

void Builder::speculate_one(const std::string& name, const Node& node, Speculation& speculation) {
  Builder local(doc_, speculation.diagnostics, {lenient_, 1});
  local.openapi31_ = openapi31_;
  local.swagger2_ = swagger2_;
  local.spec_ = &speculation;
  local.roots_ = roots_;
  local.schema(node, {name});
  if (!local.deferred_merges_.empty()) speculation.usable = false;
  speculation.schemas = std::move(local.api_.schemas);
  speculation.registered.resize(speculation.schemas.size());
  speculation.mappings = std::move(local.pending_mappings_);
}

SchemaId Builder::speculative_ref(const Node& node, std::vector<std::string> name_parts) {
  const auto target = doc_.follow_local(node);
  if (!target) {
    spec_->unsafe = true;
    return opaque_schema(node, std::move(name_parts));
  }
  warn_ref_siblings(node);
  SchemaId referenced;
  if (const auto known = built(*target)) {
    referenced = *known;
  } else if (roots_->count(target->value) != 0) {
    referenced = kExternal + spec_->externals.size();
    spec_->externals.push_back(*target);
    record(Speculation::Event::kExternal, spec_->externals.size() - 1);
  } else {
    // Inside another component, or elsewhere: the walk may have built it already.
    spec_->unsafe = true;
    return opaque_schema(node, std::move(name_parts));
  }
  if (openapi31_ && constrains_beside_ref(node)) {
    return ref_with_siblings(node, referenced, std::move(name_parts));
  }
  return referenced;
}

std::optional<SchemaId> Builder::place(Speculation& speculation) {
  if (!speculation.usable) return std::nullopt;
  StableVector<Schema>& schemas = speculation.schemas;
  for (std::size_t local = 0; local < schemas.size(); ++local) {
    if (speculation.registered[local] && by_node_.count(speculation.registered[local]) != 0) {
      return std::nullopt;
    }
  }
  speculation.usable = false;  // placed once
  std::vector<SchemaId> global(schemas.size());
  std::vector<SchemaId> external(speculation.externals.size());
  std::size_t made = 0;
  // The walk would number them as met: the ones made before each event, then the event.
  auto make_until = [&](std::size_t count) {
    for (; made < count; ++made) {
      global[made] = api_.schemas.size();
      api_.schemas.emplace_back();
      if (speculation.registered[made]) by_node_.emplace(speculation.registered[made], global[made]);
      in_progress_.resize(global[made] + 1);
      in_progress_[global[made]] = true;
    }
  };
  const auto& diagnostics = speculation.diagnostics.all();
  for (const auto& event : speculation.events) {
    make_until(event.schemas_before);
    switch (event.kind) {
      case Speculation::Event::kExternal: {
        const Node& target = speculation.externals[event.index];
        const auto known = built(target);
        external[event.index] = known ? *known : schema(target, parts_from_id(doc_.id(target)));
        break;
      }
      case Speculation::Event::kDiagnostic:
        diag_.report(diagnostics[event.index]);
        break;
      case Speculation::Event::kFormat: {
        const auto& [format, diagnostic] = speculation.formats[event.index];
        if (unknown_formats_.insert(format).second) diag_.report(diagnostics[diagnostic]);
        break;
      }
      case Speculation::Event::kMapping: {
        PendingMapping mapping = speculation.mappings[event.index];
        mapping.schema = global[mapping.schema];
        pending_mappings_.push_back(std::move(mapping));
        break;
      }
    }
  }
  make_until(schemas.size());
  for (std::size_t local = 0; local < schemas.size(); ++local) {
    Schema& s = schemas[local];
    for_each_id(
        s, [&](SchemaId& id) { id = is_external(id) ? external[id - kExternal] : global[id]; });
    api_.schemas.take(global[local], schemas, local);
    in_progress_[global[local]] = false;
  }
  return global.front();
}

}  // namespace oasgen::model::detail
