// Users, products and orders in SQL that SQLite and PostgreSQL both run as written.
#include "repository.hpp"

#include <nlohmann/json.hpp>

namespace catalog_app {
namespace {

using catalog_db::Connection;
using catalog_db::Row;
using catalog_db::Value;

constexpr const char* kUserColumns = "SELECT id, email, name, password_hash, admin FROM users ";
constexpr const char* kProductColumns =
    "SELECT p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.stock, p.version, "
    "i.media_type, i.size FROM products p LEFT JOIN product_images i ON i.product_id = p.id ";

UserRecord user_from(const Row& row) {
  return {row.integer(0), row.text(1), row.text(2), row.text(3), row.integer(4) != 0};
}

catalog::Product product_from(const Row& row) {
  catalog::Product product;
  product.id = row.integer(0);
  product.sku = row.text(1);
  product.name = row.text(2);
  product.description = row.optional_text(3);
  product.category = nlohmann::json(row.text(4)).get<catalog::Category>();
  product.price_cents = row.integer(5);
  product.stock = row.integer(6);
  product.version = row.integer(7);
  if (!row.is_null(8)) {
    catalog::ImageInfo image;
    image.media_type = nlohmann::json(row.text(8)).get<catalog::ImageInfoMediaType>();
    image.bytes = row.integer(9);
    product.image = image;
  }
  return product;
}

Value optional_text(const std::optional<std::string>& text) {
  if (text) return *text;
  return nullptr;
}

std::string category_text(catalog::Category category) { return std::string(catalog::to_string(category)); }

/// `%text%` for LIKE ... ESCAPE '\', lower-cased (ASCII, as SQLite's lower()).
std::string contains_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out + "%";
}

}  // namespace

UserRecord Repository::create_user(const std::string& email, const std::string& name,
                                   const std::string& password_hash, bool admin) {
  auto connection = pool_.acquire();
  const auto result = connection->execute(
      "INSERT INTO users (email, name, password_hash, admin) VALUES (?, ?, ?, ?) RETURNING id",
      {email, name, password_hash, std::int64_t{admin ? 1 : 0}});
  return {result.rows.at(0).integer(0), email, name, password_hash, admin};
}

void Repository::upsert_admin(const std::string& email, const std::string& name, const std::string& password_hash) {
  auto connection = pool_.acquire();
  connection->execute(
      "INSERT INTO users (email, name, password_hash, admin) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, admin = 1",
      {email, name, password_hash});
}

std::optional<UserRecord> Repository::find_user(std::int64_t id) {
  auto connection = pool_.acquire();
  const auto result = connection->execute(std::string(kUserColumns) + "WHERE id = ?", {id});
  if (result.rows.empty()) return std::nullopt;
  return user_from(result.rows.front());
}

std::optional<UserRecord> Repository::find_user_by_email(const std::string& email) {
  auto connection = pool_.acquire();
  const auto result = connection->execute(std::string(kUserColumns) + "WHERE email = ?", {email});
  if (result.rows.empty()) return std::nullopt;
  return user_from(result.rows.front());
}

catalog::Product Repository::create_product(const catalog::ProductInput& input) {
  auto connection = pool_.acquire();
  const auto result = connection->execute(
      "INSERT INTO products (sku, name, description, category, price_cents, stock, version) "
      "VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id",
      {input.sku, input.name, optional_text(input.description), category_text(input.category),
       input.price_cents, input.stock});
  catalog::Product product;
  product.id = result.rows.at(0).integer(0);
  product.sku = input.sku;
  product.name = input.name;
  product.description = input.description;
  product.category = input.category;
  product.price_cents = input.price_cents;
  product.stock = input.stock;
  product.version = 1;
  return product;
}

std::optional<catalog::Product> Repository::find_product(std::int64_t id) {
  auto connection = pool_.acquire();
  const auto result = connection->execute(std::string(kProductColumns) + "WHERE p.id = ?", {id});
  if (result.rows.empty()) return std::nullopt;
  return product_from(result.rows.front());
}

std::vector<catalog::Product> Repository::list_products(const ProductFilter& filter, std::int64_t after_id,
                                                        std::size_t limit) {
  // Only the filters that are present become conditions; every value is a bound parameter.
  std::string sql = std::string(kProductColumns) + "WHERE p.id > ?";
  std::vector<Value> params{after_id};
  if (filter.text) {
    sql += " AND (lower(p.name) LIKE ? ESCAPE '\\' OR lower(coalesce(p.description, '')) LIKE ? ESCAPE '\\')";
    const std::string pattern = contains_pattern(*filter.text);
    params.emplace_back(pattern);
    params.emplace_back(pattern);
  }
  if (filter.category) {
    sql += " AND p.category = ?";
    params.emplace_back(category_text(*filter.category));
  }
  if (filter.min_price) {
    sql += " AND p.price_cents >= ?";
    params.emplace_back(*filter.min_price);
  }
  if (filter.max_price) {
    sql += " AND p.price_cents <= ?";
    params.emplace_back(*filter.max_price);
  }
  if (filter.in_stock) sql += *filter.in_stock ? " AND p.stock > 0" : " AND p.stock = 0";
  sql += " ORDER BY p.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  auto connection = pool_.acquire();
  std::vector<catalog::Product> products;
  for (const Row& row : connection->execute(sql, params).rows) products.push_back(product_from(row));
  return products;
}

std::optional<catalog::Product> Repository::update_product(std::int64_t id, const catalog::ProductInput& input,
                                                           std::int64_t expected_version) {
  return catalog_db::in_write_transaction(pool_, [&](Connection& connection) -> std::optional<catalog::Product> {
    // The version in the WHERE makes the precondition and the write one atomic step.
    const auto updated = connection.execute(
        "UPDATE products SET sku = ?, name = ?, description = ?, category = ?, price_cents = ?, stock = ?, "
        "version = version + 1 WHERE id = ? AND version = ?",
        {input.sku, input.name, optional_text(input.description), category_text(input.category),
         input.price_cents, input.stock, id, expected_version});
    if (updated.changes == 0) return std::nullopt;
    const auto result = connection.execute(std::string(kProductColumns) + "WHERE p.id = ?", {id});
    return product_from(result.rows.at(0));
  });
}

bool Repository::delete_product(std::int64_t id) {
  auto connection = pool_.acquire();
  return connection->execute("DELETE FROM products WHERE id = ?", {id}).changes > 0;
}

bool Repository::set_image(std::int64_t id, const std::string& media_type, const std::string& bytes) {
  return catalog_db::in_write_transaction(pool_, [&](Connection& connection) {
    if (connection.execute("UPDATE products SET version = version + 1 WHERE id = ?", {id}).changes == 0) {
      return false;
    }
    connection.execute(
        "INSERT INTO product_images (product_id, media_type, size, data) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (product_id) DO UPDATE SET media_type = excluded.media_type, size = excluded.size, "
        "data = excluded.data",
        {id, media_type, static_cast<std::int64_t>(bytes.size()), catalog_db::Blob{bytes}});
    return true;
  });
}

catalog::Order Repository::place_order(std::int64_t user_id, const std::vector<catalog::OrderLineInput>& lines,
                                       const std::string& created_at) {
  return catalog_db::in_write_transaction(pool_, [&](Connection& connection) {
    catalog::Order order;
    order.user_id = user_id;
    order.created_at = created_at;
    for (const catalog::OrderLineInput& line : lines) {
      // Conditional: the row is locked and re-checked, so concurrent orders never take stock
      // below zero (and the CHECK constraint stands behind it).
      const auto taken = connection.execute(
          "UPDATE products SET stock = stock - ?, version = version + 1 WHERE id = ? AND stock >= ? "
          "RETURNING price_cents",
          {std::int64_t{line.quantity}, line.product_id, std::int64_t{line.quantity}});
      if (taken.rows.empty()) {
        const bool exists = !connection.execute("SELECT 1 FROM products WHERE id = ?", {line.product_id}).rows.empty();
        throw OrderRefused{exists ? OrderRefused::Reason::kInsufficientStock : OrderRefused::Reason::kUnknownProduct,
                           line.product_id};
      }
      catalog::OrderLine out;
      out.product_id = line.product_id;
      out.quantity = line.quantity;
      out.unit_price_cents = taken.rows.front().integer(0);
      order.total_cents += out.unit_price_cents * out.quantity;
      order.lines.push_back(out);
    }
    order.id = connection
                   .execute("INSERT INTO orders (user_id, total_cents, created_at) VALUES (?, ?, ?) RETURNING id",
                            {user_id, order.total_cents, created_at})
                   .rows.at(0)
                   .integer(0);
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
      const catalog::OrderLine& line = order.lines[i];
      connection.execute(
          "INSERT INTO order_lines (order_id, line, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)",
          {order.id, static_cast<std::int64_t>(i + 1), line.product_id, std::int64_t{line.quantity},
           line.unit_price_cents});
    }
    return order;
  });
}

std::vector<catalog::OrderLine> Repository::order_lines(Connection& connection, std::int64_t order_id) {
  std::vector<catalog::OrderLine> lines;
  for (const Row& row : connection
                            .execute("SELECT product_id, quantity, unit_price_cents FROM order_lines "
                                     "WHERE order_id = ? ORDER BY line",
                                     {order_id})
                            .rows) {
    catalog::OrderLine line;
    line.product_id = row.integer(0);
    line.quantity = static_cast<std::int32_t>(row.integer(1));
    line.unit_price_cents = row.integer(2);
    lines.push_back(line);
  }
  return lines;
}

std::optional<catalog::Order> Repository::find_order(std::int64_t id, std::int64_t user_id) {
  auto orders = list_orders(user_id, id - 1, 1);
  if (orders.empty() || orders.front().id != id) return std::nullopt;
  return std::move(orders.front());
}

std::vector<catalog::Order> Repository::list_orders(std::int64_t user_id, std::int64_t after_id, std::size_t limit) {
  auto connection = pool_.acquire();
  std::vector<catalog::Order> orders;
  for (const Row& row : connection
                            ->execute("SELECT id, user_id, total_cents, created_at FROM orders "
                                      "WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?",
                                      {user_id, after_id, static_cast<std::int64_t>(limit)})
                            .rows) {
    catalog::Order order;
    order.id = row.integer(0);
    order.user_id = row.integer(1);
    order.total_cents = row.integer(2);
    order.created_at = row.text(3);
    orders.push_back(std::move(order));
  }
  for (catalog::Order& order : orders) order.lines = order_lines(*connection, order.id);
  return orders;
}

}  // namespace catalog_app
