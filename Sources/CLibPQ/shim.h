#ifndef MISLINK_CLIBPQ_SHIM_H
#define MISLINK_CLIBPQ_SHIM_H
#include <libpq-fe.h>

// The PG_DIAG_* field codes are character-literal macros, which Swift does not import: these
// wrappers name the fields PostgresDB reads.

/// The five-character SQLSTATE of a failed result, or NULL when the server sent none.
static inline char *mislink_pq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

/// The primary message alone: DETAIL lines can quote row values (a duplicate key's value), which may be secrets.
static inline char *mislink_pq_primary_message(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

/// The constraint a violation names (a unique index's name), or NULL.
static inline char *mislink_pq_constraint_name(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
}
#endif
