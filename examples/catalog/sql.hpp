// A small SQL layer with two drivers, SQLite (sqlite3) and PostgreSQL (libpq), so that the
// repository above it runs the same statements, with the same semantics, on either.
//
// Statements are written once with `?` placeholders; the PostgreSQL driver numbers them ($1, $2,
// ...). Values travel only as bound parameters, never in the SQL text. Errors become `DbError`,
// whose kind says whether a constraint refused the change (the handlers answer 409 then).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace catalog_db {

enum class Dialect { kSqlite, kPostgres };

/// Bytes that go into a BLOB (SQLite) or BYTEA (PostgreSQL) column.
struct Blob {
  std::string bytes;
};

/// A bound parameter.
using Value = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

class DbError : public std::runtime_error {
 public:
  enum class Kind {
    kUnique,       ///< a UNIQUE or PRIMARY KEY constraint
    kForeignKey,   ///< a FOREIGN KEY constraint
    kCheck,        ///< a CHECK or NOT NULL constraint
    kBusy,         ///< the database is locked, or the transaction was chosen to abort; retryable
    kUnavailable,  ///< no connection could be had
    kOther,
  };
  /// `message` is for the server's log only: it may quote SQL, never a parameter's value.
  DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }
  bool constraint() const { return kind_ == Kind::kUnique || kind_ == Kind::kForeignKey || kind_ == Kind::kCheck; }

 private:
  Kind kind_;
};

/// One result row; columns read as text (integers in decimal), BLOB/BYTEA as raw bytes.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> columns) : columns_(std::move(columns)) {}
  bool is_null(std::size_t column) const { return !columns_.at(column).has_value(); }
  const std::string& text(std::size_t column) const;
  std::int64_t integer(std::size_t column) const;
  std::optional<std::string> optional_text(std::size_t column) const { return columns_.at(column); }
  std::size_t size() const { return columns_.size(); }

 private:
  std::vector<std::optional<std::string>> columns_;
};

struct Result {
  std::vector<Row> rows;
  std::int64_t changes = 0;  ///< rows inserted, updated or deleted
};

/// One connection. Not thread-safe: a `Pool` hands each to one thread at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  /// Runs one statement with `?` placeholders bound to `params`, in order.
  virtual Result execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  /// Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
  /// Starts a transaction that will write: SQLite takes the write lock now (BEGIN IMMEDIATE), so
  /// that two writers never both read and then fail to upgrade; PostgreSQL begins READ COMMITTED
  /// and relies on row locks (`UPDATE ... WHERE stock >= ?`).
  virtual void begin_write() = 0;
  /// Whether the connection is still usable (a broken PostgreSQL connection is replaced).
  virtual bool healthy() const = 0;
};

/// Opens connections for `url`: "" or ":memory:" (an SQLite database in memory, shared by the
/// pool's one connection), an SQLite file path (or `sqlite:<path>`), or `postgresql://...` /
/// `postgres://...` (libpq's URI form).
struct ConnectionFactory {
  Dialect dialect = Dialect::kSqlite;
  std::function<std::unique_ptr<Connection>()> open;
  std::size_t max_connections = 1;  ///< 1 for an in-memory SQLite database
};
ConnectionFactory connection_factory(const std::string& url, std::size_t pool_size);

/// A URL with any password replaced by "***", for logs.
std::string redact_url(const std::string& url);

/// At most `factory.max_connections` connections, opened on demand and reused. `acquire` waits up
/// to `timeout` for a free one (DbError kUnavailable after that).
class Pool {
 public:
  explicit Pool(ConnectionFactory factory, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  Dialect dialect() const { return factory_.dialect; }

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection) : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };
  Lease acquire();

 private:
  void give_back(std::unique_ptr<Connection> connection);

  ConnectionFactory factory_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
};

/// A transaction on a leased connection: rolled back unless committed.
class Transaction {
 public:
  /// `write`: begin_write(); else a plain BEGIN.
  Transaction(Connection& connection, bool write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

/// Runs `work` in a write transaction, again (up to `attempts` times) when the database reports a
/// retryable conflict (DbError kBusy: SQLite's lock timeout, PostgreSQL's serialization failures
/// and deadlocks).
template <typename Work>
auto in_write_transaction(Pool& pool, Work&& work, int attempts = 5) {
  for (int attempt = 1;; ++attempt) {
    try {
      auto connection = pool.acquire();
      Transaction transaction(*connection, true);
      auto result = work(*connection);
      transaction.commit();
      return result;
    } catch (const DbError& e) {
      if (e.kind() != DbError::Kind::kBusy || attempt >= attempts) throw;
    }
  }
}

}  // namespace catalog_db
