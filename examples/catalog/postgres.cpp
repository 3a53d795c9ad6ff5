// The PostgreSQL driver, on libpq: text parameters (BYTEA ones in binary), `?` numbered as $n,
// SQLSTATE classes mapped to DbError kinds.
#include <libpq-fe.h>

#include <cstring>
#include <memory>

#include "sql.hpp"

namespace catalog_db {
namespace {

constexpr Oid kByteaOid = 17;

DbError::Kind kind_of(const char* sqlstate) {
  const std::string_view state = sqlstate ? sqlstate : "";
  if (state == "23505") return DbError::Kind::kUnique;
  if (state == "23503") return DbError::Kind::kForeignKey;
  if (state == "23514" || state == "23502") return DbError::Kind::kCheck;
  if (state == "40001" || state == "40P01" || state == "55P03") return DbError::Kind::kBusy;
  if (state.substr(0, 2) == "08") return DbError::Kind::kUnavailable;  // connection exceptions
  return DbError::Kind::kOther;
}

/// `?` -> `$1`, `$2`, ... outside quoted literals and identifiers.
std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      // libpq's message names the host and the reason, never the password.
      const std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(DbError::Kind::kUnavailable, "cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  void begin_write() override { execute_script("BEGIN ISOLATION LEVEL READ COMMITTED"); }

  void execute_script(std::string_view sql) override {
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
    check(result.get());
  }

  Result execute(std::string_view sql, const std::vector<Value>& params) override {
    const std::string text = number_placeholders(sql);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (std::holds_alternative<std::nullptr_t>(value)) continue;
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        storage[i] = std::to_string(*number);
      } else if (const auto* string = std::get_if<std::string>(&value)) {
        storage[i] = *string;
      } else {
        storage[i] = std::get<Blob>(value).bytes;
        formats[i] = 1;  // binary: the bytes as they are
      }
      values[i] = storage[i].data();
      lengths[i] = static_cast<int>(storage[i].size());
    }
    ResultPtr result(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                                  values.data(), lengths.data(), formats.data(), 0));
    check(result.get());
    Result out;
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<std::optional<std::string>> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          row.emplace_back();
        } else if (PQftype(result.get(), c) == kByteaOid) {
          row.emplace_back(unescape_bytea(PQgetvalue(result.get(), r, c)));
        } else {
          row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                       static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
        }
      }
      out.rows.emplace_back(std::move(row));
    }
    const char* affected = PQcmdTuples(result.get());
    out.changes = (affected && *affected) ? std::stoll(affected) : 0;
    return out;
  }

 private:
  void check(PGresult* result) const {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    if (result == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      throw DbError(DbError::Kind::kUnavailable, PQerrorMessage(conn_));
    }
    // The primary message names the constraint or the statement's problem; the DETAIL field,
    // which may quote the row's values, is left out.
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    throw DbError(kind_of(PQresultErrorField(result, PG_DIAG_SQLSTATE)), primary ? primary : "PostgreSQL error");
  }

  static std::string unescape_bytea(const char* text) {
    std::size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &length);
    if (bytes == nullptr) throw DbError(DbError::Kind::kOther, "malformed BYTEA value");
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }

  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace catalog_db
