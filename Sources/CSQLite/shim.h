#ifndef MISLINK_CSQLITE_SHIM_H
#define MISLINK_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
