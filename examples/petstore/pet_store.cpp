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

bool has_all_tags(const petstore::Pet& pet, const std::vector<std::string>& wanted) {
  const std::vector<std::string> none;
  const auto& tags = pet.tags ? *pet.tags : none;
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& tag) {
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
  });
}

}  // namespace

petstore::ListPetsResult PetStore::list_pets(const petstore::ListPetsRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  petstore::ListPetsOk result;
  std::int64_t matched = 0;
  for (const auto& [id, pet] : pets_) {
    if (request.tags && !has_all_tags(pet, *request.tags)) continue;
    ++matched;
    if (static_cast<std::int64_t>(result.body.size()) < request.limit) result.body.push_back(pet);
  }
  result.x_total_count = matched;
  return result;
}

petstore::CreatePetResult PetStore::create_pet(const petstore::CreatePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, pet] : pets_) {
    if (pet.name == request.body.name) {
      return petstore::CreatePetConflict{{409, "a pet named '" + pet.name + "' exists already"}};
    }
  }
  const std::int64_t id = next_id_++;
  auto& pet = pets_[id] = make_pet(id, request.body);
  return petstore::CreatePetCreated{pet};
}

petstore::GetPetResult PetStore::get_pet(const petstore::GetPetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  auto it = pets_.find(request.pet_id);
  if (it == pets_.end()) return petstore::GetPetNotFound{not_found(request.pet_id)};
  return petstore::GetPetOk{it->second};
}

petstore::UpdatePetResult PetStore::update_pet(const petstore::UpdatePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  auto it = pets_.find(request.pet_id);
  if (it == pets_.end()) return petstore::UpdatePetNotFound{not_found(request.pet_id)};
  it->second = make_pet(request.pet_id, request.body);
  return petstore::UpdatePetOk{it->second};
}

petstore::DeletePetResult PetStore::delete_pet(const petstore::DeletePetRequest& request, oasgen::Context&) {
  std::lock_guard lock(mutex_);
  if (pets_.erase(request.pet_id) == 0) return petstore::DeletePetNotFound{not_found(request.pet_id)};
  return petstore::DeletePetNoContent{};
}

}  // namespace example
