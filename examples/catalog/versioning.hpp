// Version 1 of the catalog API (specs/catalog-v1.yaml, under /v1), served beside version 2 from the
// same repository, and the middleware that marks its answers deprecated.
#pragma once

#include <oasgen/middleware.hpp>
#include <oasgen/operation.hpp>

#include <chrono>
#include <string>
#include <unordered_set>

#include "catalog_v1/server.hpp"
#include "repository.hpp"

namespace catalog_app {

/// v1's handlers: products read-only, prices as decimal strings.
class CatalogV1Handler : public catalog_v1::Handler {
 public:
  explicit CatalogV1Handler(Repository& repository) : repository_(repository) {}
  catalog_v1::ListProductsResult list_products(const catalog_v1::ListProductsRequest& request,
                                               oasgen::Context& context) override;
  catalog_v1::GetProductResult get_product(const catalog_v1::GetProductRequest& request,
                                           oasgen::Context& context) override;

 private:
  Repository& repository_;
};

/// Adds to every answer of the given operations `Deprecation: @<seconds>` (RFC 9745 §2),
/// `Sunset: <HTTP-date>` (RFC 8594 §3) and `Link: <successor>; rel="successor-version"`
/// (RFC 5829), so that clients and their logs see the API version going away and where to go.
class Deprecation : public oasgen::Middleware {
 public:
  template <std::size_t N>
  Deprecation(const oasgen::OperationInfo (&operations)[N], std::chrono::system_clock::time_point deprecated,
              std::chrono::system_clock::time_point sunset, std::string successor)
      : Deprecation(operations, N, deprecated, sunset, std::move(successor)) {}
  Deprecation(const oasgen::OperationInfo* operations, std::size_t count,
              std::chrono::system_clock::time_point deprecated, std::chrono::system_clock::time_point sunset,
              std::string successor);

  void on_response(const oasgen::Request& request, oasgen::Response& response) override;

 private:
  std::unordered_set<const oasgen::OperationInfo*> operations_;
  std::string deprecation_;
  std::string sunset_;
  std::string link_;
};

/// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7, IMF-fixdate).
std::string http_date(std::chrono::system_clock::time_point time);

}  // namespace catalog_app
