// The one way engine code includes ldns.
//
// ldns/common.h defines bool, true and false as macros unless
// __bool_true_false_are_defined is set, which breaks C++ standard headers
// included after it (<optional>'s operator<=> stops compiling). In C++,
// <stdbool.h> only sets that guard, so it goes first.
#pragma once

// The order below is the point: keep clang-format from sorting it.
// clang-format off
#include <stdbool.h>  // NOLINT(modernize-deprecated-headers): see above
#include <ldns/ldns.h>
// clang-format on
