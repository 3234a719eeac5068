// RETURN_IF_ERROR and ASSIGN_OR_RETURN: Debian 12's Abseil ships neither.
#ifndef DIVCHECK_BASE_STATUS_MACROS_H_
#define DIVCHECK_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DIVCHECK_CONCAT_INNER_(a, b) a##b
#define DIVCHECK_CONCAT_(a, b) DIVCHECK_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function unless it is OK.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    const ::absl::Status divcheck_status_ = (expr);      \
    if (!divcheck_status_.ok()) return divcheck_status_; \
  } while (0)

// `lhs = value of statusor_expr`, or returns its status from the enclosing
// function.
#define ASSIGN_OR_RETURN(lhs, expr)                                           \
  ASSIGN_OR_RETURN_IMPL_(DIVCHECK_CONCAT_(divcheck_statusor_, __LINE__), lhs, \
                         expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#endif  // DIVCHECK_BASE_STATUS_MACROS_H_
