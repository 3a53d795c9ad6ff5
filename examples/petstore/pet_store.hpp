// The petstore's handlers: pets kept in memory, guarded by a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

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
  std::mutex mutex_;
  std::map<std::int64_t, petstore::Pet> pets_;
  std::int64_t next_id_ = 1;
};

}  // namespace example
