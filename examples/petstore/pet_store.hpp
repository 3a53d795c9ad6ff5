// The petstore's handlers: pets kept in memory, guarded by a shared mutex (reads share it), indexed
// by name and by tag so that no operation walks every pet.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "petstore/server.hpp"

namespace example {

/// Implements every operation except `list_vaccinations`, which stays unimplemented (501).
class PetStore : public petstore::UnimplementedHandler {
 public:
  petstore::ListPetsResult list_pets(const petstore::ListPetsRequest& request, oasgen::Context&) override;
  petstore::CreatePetResult create_pet(const petstore::CreatePetRequest& request, oasgen::Context&) override;
  petstore::GetPetResult get_pet(const petstore::GetPetRequest& request, oasgen::Context&) override;
  petstore::UpdatePetResult update_pet(const petstore::UpdatePetRequest& request, oasgen::Context&) override;
  petstore::DeletePetResult delete_pet(const petstore::DeletePetRequest& request, oasgen::Context&) override;

 private:
  void index(const petstore::Pet& pet);
  void unindex(const petstore::Pet& pet);

  std::shared_mutex mutex_;  // readers (get, list) share it
  std::map<std::int64_t, petstore::Pet> pets_;
  // How many pets carry each name: create refuses a name in use; update, as the spec says, does not.
  // A tree rather than a hash table: growing a hash table rehashes every name under the lock (tens
  // of milliseconds once it holds a few hundred thousand), which every waiting request pays.
  std::map<std::string, std::size_t, std::less<>> names_;
  std::unordered_map<std::string, std::set<std::int64_t>> by_tag_;  // ids in id order
  std::int64_t next_id_ = 1;
};

}  // namespace example
