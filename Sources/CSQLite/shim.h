#ifndef MISLINK_CSQLITE_SHIM_H
#define MISLINK_CSQLITE_SHIM_H
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: these wrappers fix the arguments.

/// Connections are never shared between threads (each is opened NOMUTEX), so SQLite's own
/// serialisation is not needed. Must run before the first connection opens.
static inline int mislink_sqlite_config_multithread(void) {
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

/// Memory statistics take a global mutex on every allocation; MISLink never reads them.
static inline int mislink_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
