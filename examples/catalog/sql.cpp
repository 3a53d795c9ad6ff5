// The driver-independent parts of the SQL layer: rows, the pool, transactions, URL handling.
#include "sql.hpp"

#include <charconv>

namespace catalog_db {

std::unique_ptr<Connection> open_sqlite(const std::string& path);
std::unique_ptr<Connection> open_postgres(const std::string& url);

const std::string& Row::text(std::size_t column) const {
  const auto& value = columns_.at(column);
  if (!value) throw DbError(DbError::Kind::kOther, "column " + std::to_string(column) + " is NULL");
  return *value;
}

std::int64_t Row::integer(std::size_t column) const {
  const std::string& value = text(column);
  std::int64_t out = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size()) {
    throw DbError(DbError::Kind::kOther, "column " + std::to_string(column) + " is not an integer");
  }
  return out;
}

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

ConnectionFactory connection_factory(const std::string& url, std::size_t pool_size) {
  ConnectionFactory factory;
  if (pool_size == 0) pool_size = 1;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    factory.dialect = Dialect::kPostgres;
    factory.max_connections = pool_size;
    factory.open = [url] { return open_postgres(url); };
    return factory;
  }
  std::string path = starts_with(url, "sqlite:") ? url.substr(7) : url;
  if (path.empty() || path == ":memory:") {
    // One connection: an in-memory database lives and dies with its connection.
    factory.max_connections = 1;
    factory.open = [] { return open_sqlite(":memory:"); };
    return factory;
  }
  if (path.find("://") != std::string::npos) {
    throw std::invalid_argument("DATABASE_URL: only postgresql:// URLs, sqlite: paths or file paths are supported");
  }
  factory.max_connections = pool_size;
  factory.open = [path] { return open_sqlite(path); };
  return factory;
}

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto authority_end = url.find_first_of("/?#", scheme + 3);
  const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Pool::Pool(ConnectionFactory factory, std::chrono::milliseconds timeout)
    : factory_(std::move(factory)), timeout_(timeout) {}

Pool::Lease Pool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
    if (open_ < factory_.max_connections) {
      ++open_;
      lock.unlock();
      try {
        return Lease(*this, factory_.open());
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= factory_.max_connections) {
      throw DbError(DbError::Kind::kUnavailable, "no database connection became free in time");
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (connection->healthy()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;  // dropped: the next acquire opens a new one
  }
  available_.notify_one();
}

Pool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

Transaction::Transaction(Connection& connection, bool write) : connection_(connection) {
  if (write) {
    connection_.begin_write();
  } else {
    connection_.execute("BEGIN");
  }
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.execute("ROLLBACK");
  } catch (const DbError&) {
    // A failed connection rolls back by itself; the pool drops it when unhealthy.
  }
}

void Transaction::commit() {
  connection_.execute("COMMIT");
  done_ = true;
}

}  // namespace catalog_db
