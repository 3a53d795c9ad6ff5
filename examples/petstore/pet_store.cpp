#include "pet_store.hpp"

#include <algorithm>

namespace example {
namespace {

petstore::Error not_found(std::int64_t id) {
  return {404, "no pet has id " + std::to_string(id)};
}

petstore::Pet make_pet(std::int64_t id, const petstore::NewPet& fields) {
  petstore::Pet pet;
  pet.id = id;
  pet.name = fields.name;
  pet.status = fields.status;
  pet.category = fields.category;
  pet.tags = fields.tags;
  pet.birth_date = fields.birth_date;
  pet.weight_kg = fields.weight_kg;
  pet.nickname = fields.nickname;
  return pet;
}

}  // namespace

void PetStore::index(const petstore::Pet& pet) {
  ++names_[pet.name];
  if (!pet.tags) return;
  for (const std::string& tag : *pet.tags) by_tag_[tag].insert(pet.id);
}

void PetStore::unindex(const petstore::Pet& pet) {
  if (auto it = names_.find(pet.name); it != names_.end() && --it->second == 0) names_.erase(it);
  if (!pet.tags) return;
  for (const std::string& tag : *pet.tags) {
    auto it = by_tag_.find(tag);
    if (it == by_tag_.end()) continue;
    it->second.erase(pet.id);
    if (it->second.empty()) by_tag_.erase(it);
  }
}

petstore::ListPetsResult PetStore::list_pets(const petstore::ListPetsRequest& request, oasgen::Context&) {
  std::shared_lock lock(mutex_);
  petstore::ListPetsOk result;
  const auto limit = static_cast<std::size_t>(request.limit);
  if (!request.tags || request.tags->empty()) {
    result.body.reserve(std::min(limit, pets_.size()));
    for (auto it = pets_.begin(); it != pets_.end() && result.body.size() < limit; ++it) {
      result.body.push_back(it->second);
    }
    result.x_total_count = static_cast<std::int64_t>(pets_.size());
    return result;
  }
  // The pets of the rarest tag, each checked against the other tags' sets.
  std::vector<const std::set<std::int64_t>*> sets;
  for (const std::string& tag : *request.tags) {
    auto it = by_tag_.find(tag);
    if (it == by_tag_.end()) {
      result.x_total_count = 0;
      return result;
    }
    sets.push_back(&it->second);
  }
  std::sort(sets.begin(), sets.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
  std::int64_t matched = 0;
  for (const std::int64_t id : *sets.front()) {
    const bool all = std::all_of(sets.begin() + 1, sets.end(), [&](auto* set) { return set->count(id) != 0; });
    if (!all) continue;
    ++matched;
    if (result.body.size() < limit) result.body.push_back(pets_.at(id));
  }
  result.x_total_count = matched;
  return result;
}

petstore::CreatePetResult PetStore::create_pet(const petstore::CreatePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  if (names_.count(request.body.name) != 0) {
    return petstore::CreatePetConflict{{409, "a pet named '" + request.body.name + "' exists already"}};
  }
  const std::int64_t id = next_id_++;
  auto& pet = pets_[id] = make_pet(id, request.body);
  index(pet);
  return petstore::CreatePetCreated{pet};
}

petstore::GetPetResult PetStore::get_pet(const petstore::GetPetRequest& request, oasgen::Context&) {
  std::shared_lock lock(mutex_);
  auto it = pets_.find(request.pet_id);
  if (it == pets_.end()) return petstore::GetPetNotFound{not_found(request.pet_id)};
  return petstore::GetPetOk{it->second};
}

petstore::UpdatePetResult PetStore::update_pet(const petstore::UpdatePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  auto it = pets_.find(request.pet_id);
  if (it == pets_.end()) return petstore::UpdatePetNotFound{not_found(request.pet_id)};
  unindex(it->second);
  it->second = make_pet(request.pet_id, request.body);
  index(it->second);
  return petstore::UpdatePetOk{it->second};
}

petstore::DeletePetResult PetStore::delete_pet(const petstore::DeletePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  auto it = pets_.find(request.pet_id);
  if (it == pets_.end()) return petstore::DeletePetNotFound{not_found(request.pet_id)};
  unindex(it->second);
  pets_.erase(it);
  return petstore::DeletePetNoContent{};
}

}  // namespace example
