// The SQLite driver: WAL, foreign keys on, a busy timeout, BEGIN IMMEDIATE for writers.
#include <sqlite3.h>

#include <memory>

#include "sql.hpp"

namespace catalog_db {
namespace {

DbError::Kind kind_of(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return DbError::Kind::kUnique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return DbError::Kind::kForeignKey;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return DbError::Kind::kCheck;
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DbError::Kind::kBusy;
    case SQLITE_CONSTRAINT:
      return DbError::Kind::kCheck;
    default:
      return DbError::Kind::kOther;
  }
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (code != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
      sqlite3_close(db_);
      db_ = nullptr;
      throw DbError(DbError::Kind::kUnavailable, "cannot open the SQLite database: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10'000);
    execute_script("PRAGMA foreign_keys = ON");
    if (path != ":memory:") execute_script("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  Dialect dialect() const override { return Dialect::kSqlite; }
  bool healthy() const override { return true; }

  void begin_write() override { execute_script("BEGIN IMMEDIATE"); }

  void execute_script(std::string_view sql) override {
    char* error = nullptr;
    const int code = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
    if (code != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errstr(code);
      sqlite3_free(error);
      throw DbError(kind_of(sqlite3_extended_errcode(db_)), message);
    }
  }

  Result execute(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
      fail();
    }
    std::unique_ptr<sqlite3_stmt, StatementDeleter> statement(raw);
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(raw)) != params.size()) {
      throw DbError(DbError::Kind::kOther, "parameter count mismatch in: " + std::string(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) bind(raw, static_cast<int>(i + 1), params[i]);
    Result result;
    for (;;) {
      const int code = sqlite3_step(raw);
      if (code == SQLITE_DONE) break;
      if (code != SQLITE_ROW) fail();
      const int columns = sqlite3_column_count(raw);
      std::vector<std::optional<std::string>> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(raw, c) == SQLITE_NULL) {
          row.emplace_back();
          continue;
        }
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(raw, c));
        row.emplace_back(std::string(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(raw, c))));
      }
      result.rows.emplace_back(std::move(row));
    }
    result.changes = sqlite3_changes64(db_);
    return result;
  }

 private:
  [[noreturn]] void fail() const {
    throw DbError(kind_of(sqlite3_extended_errcode(db_)), sqlite3_errmsg(db_));
  }

  void bind(sqlite3_stmt* statement, int index, const Value& value) const {
    int code = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      code = sqlite3_bind_null(statement, index);
    } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
      code = sqlite3_bind_int64(statement, index, *number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      code = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      const std::string& bytes = std::get<Blob>(value).bytes;
      code = sqlite3_bind_blob64(statement, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    }
    if (code != SQLITE_OK) fail();
  }

  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace catalog_db
