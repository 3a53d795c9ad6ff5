// The catalog's storage: users, products (with their pictures) and orders, over the SQL layer.
// Every statement runs unchanged on SQLite and PostgreSQL; the schema comes from versioned
// migrations (migrations.cpp) applied at start-up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/models.hpp"
#include "sql.hpp"

namespace catalog_app {

struct UserRecord {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  std::string password_hash;
  bool admin = false;
};

struct ProductFilter {
  std::optional<std::string> text;  ///< in the name or description, case-insensitive (ASCII)
  std::optional<catalog::Category> category;
  std::optional<std::int64_t> min_price;
  std::optional<std::int64_t> max_price;
  std::optional<bool> in_stock;
};

/// Why an order was refused; thrown out of the order's transaction, which rolls back.
struct OrderRefused {
  enum class Reason { kUnknownProduct, kInsufficientStock } reason;
  std::int64_t product_id = 0;
};

class Repository {
 public:
  explicit Repository(catalog_db::Pool& pool) : pool_(pool) {}

  /// Applies the migrations not yet recorded in `schema_migrations`; returns how many ran.
  int migrate();

  /// DbError kUnique when the email is taken.
  UserRecord create_user(const std::string& email, const std::string& name,
                         const std::string& password_hash, bool admin);
  /// Creates the user, or makes an existing one an administrator with this password.
  void upsert_admin(const std::string& email, const std::string& name, const std::string& password_hash);
  std::optional<UserRecord> find_user(std::int64_t id);
  std::optional<UserRecord> find_user_by_email(const std::string& email);

  /// DbError kUnique when the SKU is taken.
  catalog::Product create_product(const catalog::ProductInput& input);
  std::optional<catalog::Product> find_product(std::int64_t id);
  /// Products with an id above `after_id` that pass `filter`, in id order, at most `limit`.
  std::vector<catalog::Product> list_products(const ProductFilter& filter, std::int64_t after_id, std::size_t limit);
  /// Replaces the product if its version is still `expected_version`: the new product, or nullopt
  /// when it is absent or has another version (a concurrent change). DbError kUnique for a taken SKU.
  std::optional<catalog::Product> update_product(std::int64_t id, const catalog::ProductInput& input,
                                                 std::int64_t expected_version);
  /// false when absent; DbError kForeignKey when orders refer to it.
  bool delete_product(std::int64_t id);
  /// Stores the picture and bumps the product's version; false when the product is absent.
  bool set_image(std::int64_t id, const std::string& media_type, const std::string& bytes);

  /// Takes the stock of every line and records the order, in one write transaction: all lines or
  /// none. Throws OrderRefused (unknown product, too little stock).
  catalog::Order place_order(std::int64_t user_id, const std::vector<catalog::OrderLineInput>& lines,
                             const std::string& created_at);
  std::optional<catalog::Order> find_order(std::int64_t id, std::int64_t user_id);
  std::vector<catalog::Order> list_orders(std::int64_t user_id, std::int64_t after_id, std::size_t limit);

 private:
  std::vector<catalog::OrderLine> order_lines(catalog_db::Connection& connection, std::int64_t order_id);

  catalog_db::Pool& pool_;
};

}  // namespace catalog_app
