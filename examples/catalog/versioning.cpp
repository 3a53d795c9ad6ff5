#include "versioning.hpp"

#include <oasgen/http.hpp>

#include <cstdio>
#include <ctime>

namespace catalog_app {
namespace {

catalog_v1::Product to_v1(const catalog::Product& product) {
  catalog_v1::Product out;
  out.id = product.id;
  out.sku = product.sku;
  out.name = product.name;
  const std::string cents = std::to_string(product.price_cents % 100);
  out.price = std::to_string(product.price_cents / 100) + '.' + (cents.size() == 1 ? "0" : "") + cents;
  out.in_stock = product.stock > 0;
  return out;
}

catalog_v1::Problem not_found() {
  catalog_v1::Problem problem;
  problem.status = 404;
  problem.title = "Not Found";
  problem.detail_ = "no product has this id";
  return problem;
}

}  // namespace

catalog_v1::ListProductsResult CatalogV1Handler::list_products(const catalog_v1::ListProductsRequest& request,
                                                               oasgen::Context&) {
  catalog_v1::ListProductsOk ok;
  for (const catalog::Product& product :
       repository_.list_products({}, request.after, static_cast<std::size_t>(request.limit))) {
    ok.body.push_back(to_v1(product));
  }
  return ok;
}

catalog_v1::GetProductResult CatalogV1Handler::get_product(const catalog_v1::GetProductRequest& request,
                                                           oasgen::Context&) {
  const auto product = repository_.find_product(request.product_id);
  if (!product) return catalog_v1::GetProductNotFound{not_found()};
  return catalog_v1::GetProductOk{to_v1(*product)};
}

std::string http_date(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

Deprecation::Deprecation(const oasgen::OperationInfo* operations, std::size_t count,
                         std::chrono::system_clock::time_point deprecated,
                         std::chrono::system_clock::time_point sunset, std::string successor)
    : deprecation_("@" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            deprecated.time_since_epoch())
                                            .count())),
      sunset_(http_date(sunset)),
      link_("<" + successor + ">; rel=\"successor-version\"") {
  for (std::size_t i = 0; i < count; ++i) operations_.insert(&operations[i]);
}

void Deprecation::on_response(const oasgen::Request& request, oasgen::Response& response) {
  if (request.operation == nullptr || operations_.count(request.operation) == 0) return;
  response.headers.set("Deprecation", deprecation_);
  response.headers.set("Sunset", sunset_);
  response.headers.add("Link", link_);
}

}  // namespace catalog_app
