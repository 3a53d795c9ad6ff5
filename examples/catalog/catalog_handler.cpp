// Each handler answers its declared responses; database errors that a client caused (a taken
// email or SKU, a product that orders refer to) are 409 problems, contention is 503, and nothing
// a client sends becomes a 500.
#include "catalog_handler.hpp"

#include <oasgen/context.hpp>
#include <oasgen/rest/conditional.hpp>
#include <oasgen/router.hpp>

#include <ctime>
#include <iostream>

namespace catalog_app {
namespace {

using oasgen::security::JwtAlgorithm;

constexpr std::string_view kProblemBase = "https://catalog.example/problems/";

catalog::Problem problem(int status, std::string_view type, std::string detail) {
  catalog::Problem out;
  out.status = status;
  out.type = std::string(kProblemBase) + std::string(type);
  out.title = std::string(oasgen::reason_phrase(status));
  out.detail_ = std::move(detail);
  return out;
}

oasgen::security::JwtOptions verifier_options(const HandlerSettings& settings) {
  oasgen::security::JwtOptions options;
  options.algorithms = {JwtAlgorithm::HS256};
  options.issuers = {settings.issuer};
  options.audiences = {settings.audience};
  options.leeway = std::chrono::seconds(30);
  return options;
}

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// The caller's user id (the token's subject); the routes admit only callers with a token.
std::int64_t caller_id(const oasgen::Context& context) {
  const oasgen::Principal* principal = context.principal();
  const std::string subject = principal ? std::string(principal->subject()) : std::string();
  try {
    std::size_t used = 0;
    const std::int64_t id = std::stoll(subject, &used);
    if (used == subject.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw oasgen::HttpError(401, "the token does not name a user");
}

/// The id after which a page starts: 0 without a cursor, 400 for a cursor this server did not issue.
std::int64_t cursor_position(const oasgen::CursorCodec& codec, const std::optional<std::string>& cursor) {
  if (!cursor) return 0;
  const auto position = codec.decode(*cursor);
  if (!position || !position->is_object() || !position->contains("after") || !(*position)["after"].is_number_integer()) {
    throw oasgen::HttpError(400, "the cursor is not one this server issued for this listing");
  }
  return (*position)["after"].get<std::int64_t>();
}

/// Runs `work`, turning database errors into problems: constraint violations 409, contention and
/// an unreachable database 503; the rest is logged (without parameters) and becomes a 500.
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const catalog_db::DbError& e) {
    if (e.constraint()) throw oasgen::HttpError(409, "the change conflicts with stored data");
    if (e.kind() == catalog_db::DbError::Kind::kBusy || e.kind() == catalog_db::DbError::Kind::kUnavailable) {
      std::cerr << "catalog: database unavailable: " << e.what() << '\n';
      throw oasgen::HttpError(503, "the database is busy; retry later");
    }
    std::cerr << "catalog: database error: " << e.what() << '\n';
    throw;
  }
}

bool has_signature(const std::string& bytes, std::string_view magic) {
  return bytes.compare(0, magic.size(), magic.data(), magic.size()) == 0;
}

}  // namespace

CatalogHandler::CatalogHandler(Repository& repository, const HandlerSettings& settings)
    : repository_(repository),
      settings_(settings),
      signer_(JwtAlgorithm::HS256, settings.token_secret, "catalog-1"),
      verifier_(verifier_options(settings), {oasgen::security::JwtKey::hmac(settings.token_secret, "catalog-1")}),
      product_cursors_(settings.cursor_secret, "products"),
      order_cursors_(settings.cursor_secret, "orders"),
      dummy_hash_(oasgen::security::hash_password(oasgen::random_hex(32), settings.password_costs)) {}

oasgen::AuthResult CatalogHandler::bearer(const oasgen::BearerCredential& credential, const oasgen::AuthCheck& check) {
  return verifier_.authenticate(credential, check);
}

catalog::LoginResult CatalogHandler::login(const catalog::LoginRequest& request, oasgen::Context&) {
  return guarded([&]() -> catalog::LoginResult {
    const auto user = repository_.find_user_by_email(lower_ascii(request.body.email));
    // An unknown email costs one verification too.
    const bool good = oasgen::security::verify_password(user ? user->password_hash : dummy_hash_, request.body.password);
    if (!user || !good) return catalog::LoginUnauthorized{problem(401, "bad-credentials", "the email or password is wrong")};
    std::vector<std::string> scopes;
    if (user->admin) scopes.emplace_back("admin");
    const auto claims = oasgen::security::access_token_claims(
        std::to_string(user->id), scopes, settings_.token_lifetime, {settings_.issuer, settings_.audience, {}});
    catalog::Token token;
    token.access_token = signer_.sign(claims);
    token.token_type = "Bearer";
    token.expires_in = settings_.token_lifetime.count();
    token.scope = user->admin ? "admin" : "";
    return catalog::LoginOk{std::move(token), "no-store"};
  });
}

catalog::RegisterUserResult CatalogHandler::register_user(const catalog::RegisterUserRequest& request, oasgen::Context&) {
  const std::string hash = oasgen::security::hash_password(request.body.password, settings_.password_costs);
  return guarded([&]() -> catalog::RegisterUserResult {
    try {
      const UserRecord user = repository_.create_user(lower_ascii(request.body.email), request.body.name, hash, false);
      catalog::User out{user.admin, user.email, user.id, user.name};
      return catalog::RegisterUserCreated{std::move(out), "/v2/users/" + std::to_string(user.id)};
    } catch (const catalog_db::DbError& e) {
      if (e.kind() != catalog_db::DbError::Kind::kUnique) throw;
      return catalog::RegisterUserConflict{problem(409, "email-taken", "an account with this email exists")};
    }
  });
}

catalog::GetCurrentUserResult CatalogHandler::get_current_user(const catalog::GetCurrentUserRequest&,
                                                               oasgen::Context& context) {
  return guarded([&]() -> catalog::GetCurrentUserResult {
    const auto user = repository_.find_user(caller_id(context));
    if (!user) return catalog::GetCurrentUserNotFound{problem(404, "no-such-user", "the account no longer exists")};
    return catalog::GetCurrentUserOk{catalog::User{user->admin, user->email, user->id, user->name}};
  });
}

catalog::ListProductsResult CatalogHandler::list_products(const catalog::ListProductsRequest& request,
                                                          oasgen::Context& context) {
  std::int64_t after = 0;
  try {
    after = cursor_position(product_cursors_, request.cursor);
  } catch (const oasgen::HttpError& e) {
    return catalog::ListProductsBadRequest{problem(400, "bad-cursor", e.what())};
  }
  const std::size_t limit = oasgen::page_limit(request.limit, {20, 100});
  ProductFilter filter{request.q, request.category, request.min_price, request.max_price, request.in_stock};
  return guarded([&]() -> catalog::ListProductsResult {
    // One row more than the page tells whether there is a next page.
    auto products = repository_.list_products(filter, after, limit + 1);
    catalog::ListProductsOk ok;
    if (products.size() > limit) {
      products.resize(limit);
      const std::string next = product_cursors_.encode({{"after", products.back().id}});
      ok.body.next_cursor = next;
      ok.link = oasgen::link_header(context.request(), "cursor", next);
    }
    ok.body.items = std::move(products);
    return ok;
  });
}

catalog::CreateProductResult CatalogHandler::create_product(const catalog::CreateProductRequest& request,
                                                            oasgen::Context&) {
  return guarded([&]() -> catalog::CreateProductResult {
    try {
      catalog::Product product = repository_.create_product(request.body);
      const std::string tag = oasgen::version_tag(static_cast<std::uint64_t>(product.version));
      const std::string location = "/v2/products/" + std::to_string(product.id);
      return catalog::CreateProductCreated{std::move(product), tag, location};
    } catch (const catalog_db::DbError& e) {
      if (e.kind() != catalog_db::DbError::Kind::kUnique) throw;
      return catalog::CreateProductConflict{problem(409, "sku-taken", "a product with this SKU exists")};
    }
  });
}

catalog::GetProductResult CatalogHandler::get_product(const catalog::GetProductRequest& request, oasgen::Context&) {
  return guarded([&]() -> catalog::GetProductResult {
    auto product = repository_.find_product(request.product_id);
    if (!product) return catalog::GetProductNotFound{problem(404, "no-such-product", "no product has this id")};
    // ConditionalGet (installed by the service) answers 304 when If-None-Match names this tag.
    const std::string tag = oasgen::version_tag(static_cast<std::uint64_t>(product->version));
    return catalog::GetProductOk{std::move(*product), tag};
  });
}

catalog::UpdateProductResult CatalogHandler::update_product(const catalog::UpdateProductRequest& request,
                                                            oasgen::Context& context) {
  return guarded([&]() -> catalog::UpdateProductResult {
    const auto current = repository_.find_product(request.product_id);
    if (!current) return catalog::UpdateProductNotFound{problem(404, "no-such-product", "no product has this id")};
    const std::string current_tag = oasgen::version_tag(static_cast<std::uint64_t>(current->version));
    switch (oasgen::evaluate_preconditions(context.request(), current_tag)) {
      case oasgen::Precondition::kProceed:
        break;
      case oasgen::Precondition::kNotModified:
      case oasgen::Precondition::kFailed:
        return catalog::UpdateProductPreconditionFailed{
            problem(412, "stale-version", "the product changed since the version If-Match names")};
    }
    if (!request.if_match) {
      return catalog::UpdateProductPreconditionRequired{
          problem(428, "if-match-required", "send If-Match with the ETag of the product you read")};
    }
    try {
      auto updated = repository_.update_product(request.product_id, request.body, current->version);
      // No row at that version: another writer got there first.
      if (!updated) {
        return catalog::UpdateProductPreconditionFailed{
            problem(412, "stale-version", "the product changed since the version If-Match names")};
      }
      const std::string tag = oasgen::version_tag(static_cast<std::uint64_t>(updated->version));
      return catalog::UpdateProductOk{std::move(*updated), tag};
    } catch (const catalog_db::DbError& e) {
      if (e.kind() != catalog_db::DbError::Kind::kUnique) throw;
      return catalog::UpdateProductConflict{problem(409, "sku-taken", "another product has this SKU")};
    }
  });
}

catalog::DeleteProductResult CatalogHandler::delete_product(const catalog::DeleteProductRequest& request,
                                                            oasgen::Context&) {
  return guarded([&]() -> catalog::DeleteProductResult {
    try {
      if (!repository_.delete_product(request.product_id)) {
        return catalog::DeleteProductNotFound{problem(404, "no-such-product", "no product has this id")};
      }
      return catalog::DeleteProductNoContent{};
    } catch (const catalog_db::DbError& e) {
      if (e.kind() != catalog_db::DbError::Kind::kForeignKey) throw;
      return catalog::DeleteProductConflict{problem(409, "product-ordered", "orders refer to this product")};
    }
  });
}

catalog::PutProductImageResult CatalogHandler::put_product_image(const catalog::PutProductImageRequest& request,
                                                                 oasgen::Context&) {
  const std::string& bytes = request.body.data;
  if (bytes.size() > settings_.max_image_bytes) {
    return catalog::PutProductImageContentTooLarge{problem(
        413, "image-too-large", "the picture has more than " + std::to_string(settings_.max_image_bytes) + " bytes")};
  }
  // The declared media type must match the bytes: a PNG or JPEG signature.
  const std::string& type = request.body.media_type;
  const bool png = type == "image/png" && has_signature(bytes, "\x89PNG\r\n\x1a\n");
  const bool jpeg = type == "image/jpeg" && has_signature(bytes, "\xFF\xD8\xFF");
  if (!png && !jpeg) {
    return catalog::PutProductImageUnsupportedMediaType{
        problem(415, "not-an-image", "send a PNG (image/png) or a JPEG (image/jpeg) whose bytes match its type")};
  }
  return guarded([&]() -> catalog::PutProductImageResult {
    if (!repository_.set_image(request.product_id, type, bytes)) {
      return catalog::PutProductImageNotFound{problem(404, "no-such-product", "no product has this id")};
    }
    return catalog::PutProductImageNoContent{};
  });
}

catalog::ListOrdersResult CatalogHandler::list_orders(const catalog::ListOrdersRequest& request,
                                                      oasgen::Context& context) {
  std::int64_t after = 0;
  try {
    after = cursor_position(order_cursors_, request.cursor);
  } catch (const oasgen::HttpError& e) {
    return catalog::ListOrdersBadRequest{problem(400, "bad-cursor", e.what())};
  }
  const std::size_t limit = oasgen::page_limit(request.limit, {20, 100});
  return guarded([&]() -> catalog::ListOrdersResult {
    auto orders = repository_.list_orders(caller_id(context), after, limit + 1);
    catalog::ListOrdersOk ok;
    if (orders.size() > limit) {
      orders.resize(limit);
      const std::string next = order_cursors_.encode({{"after", orders.back().id}});
      ok.body.next_cursor = next;
      ok.link = oasgen::link_header(context.request(), "cursor", next);
    }
    ok.body.items = std::move(orders);
    return ok;
  });
}

catalog::CreateOrderResult CatalogHandler::create_order(const catalog::CreateOrderRequest& request,
                                                        oasgen::Context& context) {
  return guarded([&]() -> catalog::CreateOrderResult {
    try {
      catalog::Order order = repository_.place_order(caller_id(context), request.body.lines, utc_now());
      const std::string location = "/v2/orders/" + std::to_string(order.id);
      return catalog::CreateOrderCreated{std::move(order), location};
    } catch (const OrderRefused& refused) {
      const std::string product = "product " + std::to_string(refused.product_id);
      if (refused.reason == OrderRefused::Reason::kUnknownProduct) {
        return catalog::CreateOrderUnprocessableContent{problem(422, "no-such-product", product + " does not exist")};
      }
      return catalog::CreateOrderConflict{problem(409, "out-of-stock", product + " has too little stock")};
    }
  });
}

catalog::GetOrderResult CatalogHandler::get_order(const catalog::GetOrderRequest& request, oasgen::Context& context) {
  return guarded([&]() -> catalog::GetOrderResult {
    auto order = repository_.find_order(request.order_id, caller_id(context));
    // Another user's order is as absent as one that does not exist.
    if (!order) return catalog::GetOrderNotFound{problem(404, "no-such-order", "you have no order with this id")};
    return catalog::GetOrderOk{std::move(*order)};
  });
}

}  // namespace catalog_app
