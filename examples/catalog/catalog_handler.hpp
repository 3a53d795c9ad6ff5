// The catalog's handlers and its authenticator: login issues HS256 tokens that the authenticator
// verifies; products and orders live in the repository.
#pragma once

#include <oasgen/rest/pagination.hpp>
#include <oasgen/security/jwt.hpp>
#include <oasgen/security/jwt_signer.hpp>
#include <oasgen/security/passwords.hpp>

#include <chrono>
#include <string>

#include "catalog/server.hpp"
#include "repository.hpp"

namespace catalog_app {

/// What the handlers need besides the repository.
struct HandlerSettings {
  std::string token_secret;   ///< HS256 key, 32 bytes or more
  std::string cursor_secret;  ///< CursorCodec key, 32 bytes or more
  std::string issuer = "catalog";
  std::string audience = "catalog-api";
  std::chrono::seconds token_lifetime{15 * 60};
  oasgen::security::Argon2Params password_costs;
  std::size_t max_image_bytes = 512 * 1024;
};

class CatalogHandler : public catalog::Handler, public catalog::Authenticator {
 public:
  CatalogHandler(Repository& repository, const HandlerSettings& settings);

  oasgen::AuthResult bearer(const oasgen::BearerCredential& credential, const oasgen::AuthCheck& check) override;

  catalog::LoginResult login(const catalog::LoginRequest& request, oasgen::Context& context) override;
  catalog::RegisterUserResult register_user(const catalog::RegisterUserRequest& request,
                                            oasgen::Context& context) override;
  catalog::GetCurrentUserResult get_current_user(const catalog::GetCurrentUserRequest& request,
                                                 oasgen::Context& context) override;

  catalog::ListProductsResult list_products(const catalog::ListProductsRequest& request,
                                            oasgen::Context& context) override;
  catalog::CreateProductResult create_product(const catalog::CreateProductRequest& request,
                                              oasgen::Context& context) override;
  catalog::GetProductResult get_product(const catalog::GetProductRequest& request, oasgen::Context& context) override;
  catalog::UpdateProductResult update_product(const catalog::UpdateProductRequest& request,
                                              oasgen::Context& context) override;
  catalog::DeleteProductResult delete_product(const catalog::DeleteProductRequest& request,
                                              oasgen::Context& context) override;
  catalog::PutProductImageResult put_product_image(const catalog::PutProductImageRequest& request,
                                                   oasgen::Context& context) override;

  catalog::ListOrdersResult list_orders(const catalog::ListOrdersRequest& request, oasgen::Context& context) override;
  catalog::CreateOrderResult create_order(const catalog::CreateOrderRequest& request, oasgen::Context& context) override;
  catalog::GetOrderResult get_order(const catalog::GetOrderRequest& request, oasgen::Context& context) override;

 private:
  Repository& repository_;
  HandlerSettings settings_;
  oasgen::security::JwtSigner signer_;
  oasgen::security::JwtVerifier verifier_;
  oasgen::CursorCodec product_cursors_;
  oasgen::CursorCodec order_cursors_;
  std::string dummy_hash_;  ///< verified for unknown emails, so that timing does not reveal accounts
};

}  // namespace catalog_app
